"""The shapes the read API answers with (and its OpenAPI schema documents). Field names are the
CSV columns of the fact tables, in the same order."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Schema


class Strategy(Schema):
    slug: str
    name: str
    organisation: str
    years: str
    vision: str


class Goal(Schema):
    strategy: str
    key: str
    number: int
    title: str
    archived: bool


class Objective(Schema):
    strategy: str
    goal: str
    key: str
    number: str
    title: str
    theme: str
    archived: bool


class Action(Schema):
    id: int
    strategy: str
    goal: str
    objective: str
    number: str
    title: str
    status: str
    sros: list[str]
    leads: list[str]
    archived: bool


class Quarter(Schema):
    strategy: str
    quarter: str
    label: str
    state: str
    start: date
    end: date


class ActionUpdate(Schema):
    strategy: str
    quarter: str
    action_id: int
    action_number: str
    rag: str
    rag_reason: str
    progress: str
    impact: str
    next_focus: str
    state: str
    submitted_at: datetime | None
    reviewed_at: datetime | None


class Evidence(Schema):
    strategy: str
    quarter: str
    goal: str
    objective: str
    measure: str
    measure_number: int
    evidence: str
    impact: str
    next_focus: str
    state: str


class Risk(Schema):
    strategy: str
    number: str
    title: str
    owner: str
    target_score: int | None
    goals: list[str]
    archived: bool


class Metric(Schema):
    strategy: str
    key: str
    name: str
    unit: str
    improvement: str
    frequency: str
    target: float | None
    points: int
    latest_date: date | None
    latest_value: float | None
    mean: float | None
    lower_limit: float | None
    upper_limit: float | None
    variation: str
    variation_label: str
    assurance: str
    assurance_label: str


class PublishedFile(Schema):
    format: str
    filename: str
    size: int
    sha256: str
    download: str


class Publication(Schema):
    strategy: str
    quarter: str
    layout: str
    version: int
    published_at: datetime
    files: list[PublishedFile]


class ActionFact(Schema):
    strategy: str
    quarter: str
    quarter_label: str
    goal_number: int
    goal: str
    objective_number: str
    objective: str
    action_number: str
    action: str
    sros: str
    leads: str
    rag: str
    previous_rag: str
    movement: str
    state: str


class RiskFact(Schema):
    strategy: str
    quarter: str
    quarter_label: str
    risk_number: str
    risk_title: str
    score: int
    likelihood: int | None
    consequence: int | None
    band: str
    previous_score: int | None
    direction: str
    target_score: int | None


class MetricValueFact(Schema):
    strategy: str
    metric: str
    metric_name: str
    unit: str
    date: date
    label: str
    value: float
    mean: float | None
    lower_limit: float | None
    upper_limit: float | None
    special_cause: bool
    special_cause_kind: str
    rules: str
    variation: str


class Error(Schema):
    detail: str


def page_schema(item: type[Schema]) -> type[Schema]:
    """The envelope of one page of `item`s: the total count, where the next page is, the rows."""
    return type(
        f"{item.__name__}Page",
        (Schema,),
        {
            "__annotations__": {
                "count": int,
                "page": int,
                "limit": int,
                "next": str | None,
                "results": list[item],
            },
            "__module__": __name__,
        },
    )

"""The strategy document's shape, shared by the loader, validator, writer and exporter.

The fields each level of a document may have (in the documented order), the format marker, and the
error types: a `DocumentError` names its place in the document (`strategy.goals[1].title`) and,
when read from YAML, its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from goals.core.choices import PeriodState

FROZEN_STATES = (PeriodState.LOCKED, PeriodState.PUBLISHED)

FORMAT = "strategy-tracker/1"
DOCUMENT = "(document)"  # the path of errors about the document as a whole
CHANGE_REASON = "Imported from a strategy document"

# The fields each level of the document may have, in the documented order (strict schema:
# anything else is an error, so a typo such as `titel` is caught rather than ignored).
TOP_FIELDS = ("format", "people", "strategy")
PERSON_FIELDS = ("key", "name", "job_title", "email", "job_titles", "titles", "archived")
JOB_TITLE_FIELDS = ("job_title", "from")
TITLE_FIELDS = ("name", "job_title")
STRATEGY_FIELDS = (
    "slug",
    "name",
    "organisation",
    "years",
    "vision",
    "sro",
    "default_layout",
    "success_statements",
    "periods",
    "goals",
    "risks",
    "metrics",
)
PERIOD_FIELDS = ("quarter", "state", "deadline", "pack_title")
GOAL_FIELDS = ("key", "title", "description", "objectives_text", "archived", "objectives")
OBJECTIVE_FIELDS = (
    "key",
    "title",
    "theme",
    "commitments",
    "aims",
    "lead_directors",
    "risk_register",
    "archived",
    "success_measures",
    "actions",
)
RISK_REGISTER_FIELDS = ("reference", "date", "entry")
MEASURE_FIELDS = ("title", "archived", "evidence")
EVIDENCE_FIELDS = ("evidence", "impact", "next_focus", "state")
ACTION_FIELDS = (
    "number",
    "title",
    "description",
    "status",
    "status_changed_on",
    "status_reason",
    "sros",
    "leads",
    "archived",
    "updates",
)
UPDATE_FIELDS = ("rag", "progress", "impact", "next_focus", "rag_reason", "state")
RISK_FIELDS = ("number", "title", "goals", "owner", "target_score", "archived", "scores")
SCORE_FIELDS = ("score", "likelihood", "consequence", "rationale")
METRIC_FIELDS = (
    "key",
    "name",
    "description",
    "unit",
    "improvement",
    "target",
    "frequency",
    "baseline",
    "goal",
    "objective",
    "archived",
    "values",
)
VALUE_FIELDS = ("date", "value", "annotation", "recalculate_limits")

_LAST_STEP = re.compile(r"(\.[^.\[\]]*|\[\d+\])$")


@dataclass(frozen=True)
class DocumentError:
    """One problem in a document: where it is (`path`, and the line when read from YAML) and what."""

    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f" (line {self.line})" if self.line else ""
        return f"{self.path}: {self.message}{where}"


class StrategyImportError(ValueError):
    """The document is invalid; `errors` lists every problem. Nothing was written."""

    def __init__(self, errors: list[DocumentError]):
        self.errors = list(errors)
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(error) for error in self.errors)


def join(path: str, name) -> str:
    """The path of field `name` of the entry at `path`."""
    return f"{path}.{name}" if path else str(name)


def nearest(index: dict[str, int], path: str) -> int | None:
    """The value recorded for `path` or, failing that, for its nearest recorded parent."""
    while path:
        if path in index:
            return index[path]
        shorter = _LAST_STEP.sub("", path)
        if shorter == path:
            break
        path = shorter
    return index.get(DOCUMENT)

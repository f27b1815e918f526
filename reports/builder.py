"""The board pack as plain data: one builder turns (strategy, quarter, layout) into a frozen
`Report`, and every renderer (HTML, PDF, Word, Excel) draws only that object.

Everything is read up front with a fixed number of queries however large the strategy (pinned in
tests/reports/test_builder.py); the dataclasses hold strings, numbers and tuples, never a lazy
queryset, so rendering cannot touch the database.

What the pack shows, and where it comes from:
- names and job titles as they were that quarter: `goals.models.people_as_of`;
- an action's RAG and what it was the quarter before: reported updates only (`REPORTED_STATES`:
  a draft is the lead's work in progress), moved per `goals.core.movement.rag_movement`;
- BAF risk score, direction of travel and band: `goals.core.movement`;
- success-measure evidence with its "Impact:" statement kept apart;
- the months covered: `goals.core.quarters`;
- metrics: `metric_rows()`, from `goals.metrics.selectors` (SPC analysis) with charts from `goals.metrics.charts`.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone

from goals.core.choices import (
    RAG_MEANINGS,
    RAG_SEVERITY,
    ActionStatus,
    RagCount,
    RagStyle,
    ReportLayout,
    RiskBand,
    UpdateState,
    rag_counts,
    rag_style,
)
from goals.core.movement import (
    DEFAULT_RISK_BANDS,
    DIRECTION_ARROWS,
    MOVEMENT_ARROWS,
    RISK_BAND_STYLES,
    Direction,
    Movement,
    rag_movement,
    risk_band,
    risk_direction,
)
from goals.core.numbering import action_number
from goals.core.prose import Block, blocks
from goals.core.quarters import Quarter
from goals.core.querysets import REPORTED_STATES
from goals.metrics.analysis import summarise
from goals.metrics.selectors import metric_summaries
from goals.models import (
    Action,
    ActionUpdate,
    Goal,
    MeasureEvidence,
    Objective,
    Period,
    PersonAsOf,
    Risk,
    RiskScore,
    SuccessMeasure,
    people_as_of,
)

LAYOUTS = tuple(ReportLayout.values)


# --- The data object -------------------------------------------------------------------------


class Blocks:
    """A read-only attribute giving a text field as paragraphs and bullet lists (goals.core.prose):
    `progress_blocks = Blocks("progress")`."""

    def __init__(self, field_name: str):
        self.field_name = field_name

    def __get__(self, instance, owner=None):
        return self if instance is None else blocks(getattr(instance, self.field_name))


def people_text(people: tuple[PersonAsOf, ...]) -> str:
    return " / ".join(str(p) for p in people)


class _RagStyled:
    """`style`: the RAG_STYLES entry of the row's `rag`."""

    @property
    def style(self) -> RagStyle:
        return rag_style(self.rag)


@dataclass(frozen=True)
class RagMeaning(_RagStyled):
    rag: str
    meaning: str


@dataclass(frozen=True)
class RagSummary:
    """Counts per RAG rating in the scale's order (red first), zeros kept."""

    counts: tuple[RagCount, ...]

    @property
    def total(self) -> int:
        return sum(c.count for c in self.counts)

    @property
    def shown(self) -> tuple[RagCount, ...]:
        return tuple(c for c in self.counts if c.count)

    def count(self, rag: str) -> int:
        return next((c.count for c in self.counts if c.rag == rag), 0)


def rag_summary(rags) -> RagSummary:
    return RagSummary(tuple(rag_counts(rags)))


@dataclass(frozen=True)
class PackActionRow:
    """One numbered action of the quarter with its update (blank when none was reported)."""

    goal_order: int
    goal_title: str
    objective_title: str
    theme: str
    number: int
    title: str
    sros: tuple[PersonAsOf, ...]
    status: str  # ActionStatus value
    rag: str  # "" = not rated
    previous_rag: str | None  # None: there is no previous quarter to compare with
    progress: str
    impact: str
    next_focus: str
    rag_reason: str
    state: str  # UpdateState value, "" = no update reported

    objective_order: int = 0

    @property
    def reference(self) -> str:
        return str(self.number)

    @property
    def action_number(self) -> str:
        """The full number, goal.objective.action ("1.2.3"), as every page and download prints it."""
        return action_number(self.goal_order, self.objective_order, self.number)

    @property
    def sro_text(self) -> str:
        return people_text(self.sros)

    @property
    def rag_style(self) -> RagStyle:
        return rag_style(self.rag)

    @property
    def previous_rag_style(self) -> RagStyle | None:
        return None if self.previous_rag is None else rag_style(self.previous_rag)

    @property
    def movement(self) -> Movement | None:
        return None if self.previous_rag is None else rag_movement(self.previous_rag, self.rag)

    @property
    def movement_word(self) -> str:
        """The status pages' word for the movement (Movement's label), blank when not rated."""
        return "" if self.movement in (None, Movement.NOT_RATED) else str(self.movement.label)

    @property
    def movement_arrow(self) -> str:
        return MOVEMENT_ARROWS.get(self.movement, "")

    @property
    def has_moved(self) -> bool:
        return self.movement in (Movement.IMPROVED, Movement.DETERIORATED)

    @property
    def state_label(self) -> str:
        return UpdateState(self.state).label if self.state else "No update"

    @property
    def status_label(self) -> str:
        return ActionStatus(self.status).label

    progress_blocks = Blocks("progress")
    impact_blocks = Blocks("impact")
    next_focus_blocks = Blocks("next_focus")

    @property
    def rag_reason_blocks(self) -> list[Block]:
        # The reason is printed only when it adds to the update (seed packs often repeat it).
        if not self.rag_reason or self.rag_reason.strip() in self.progress:
            return []
        return blocks(self.rag_reason)


@dataclass(frozen=True)
class PackRiskRow:
    """A BAF risk with this quarter's score and its direction of travel."""

    number: str
    title: str
    goal_titles: tuple[str, ...]
    owner: PersonAsOf | None
    score: int | None
    previous_score: int | None
    target_score: int | None
    direction: str | None  # goals.core.movement.Direction value; None when not scored this quarter

    @property
    def arrow(self) -> str:
        return DIRECTION_ARROWS.get(self.direction, "") if self.direction else ""

    @property
    def direction_label(self) -> str:
        return Direction(self.direction).label if self.direction else "Not scored"

    @property
    def band(self) -> str | None:
        return risk_band(self.score)

    @property
    def band_label(self) -> str:
        return self.band.label if self.band else ""

    @property
    def band_fill(self) -> str:
        return RISK_BAND_STYLES[self.band][0] if self.band else ""

    @property
    def band_text(self) -> str:
        return RISK_BAND_STYLES[self.band][1] if self.band else ""

    @property
    def has_moved(self) -> bool:
        return self.direction in (Direction.UP, Direction.DOWN)

    @property
    def score_text(self) -> str:
        return "Not scored" if self.score is None else str(self.score)


@dataclass(frozen=True)
class MeasureRow:
    """'We know we are great when we have/are …' with this quarter's evidence."""

    title: str
    evidence: str
    impact: str
    next_focus: str

    evidence_blocks = Blocks("evidence")
    impact_blocks = Blocks("impact")
    next_focus_blocks = Blocks("next_focus")


@dataclass(frozen=True)
class MetricValueRow:
    label: str  # "Apr 2024" or "Q1 2024/25"
    date: datetime.date
    value: float
    mean: float | None
    lower: float | None
    upper: float | None
    special_cause: str  # the rules that fired, in words ("" for common cause)


@dataclass(frozen=True)
class PackMetricRow:
    """One metric as the pack shows it, with its values up to the quarter's end and their Making
    Data Count analysis. `summary` is the evaluated goals.metrics.analysis.MetricSummary the charts are
    drawn from (by goals.metrics.charts, without the database) when a renderer asks for them."""

    key: str
    name: str
    unit: str
    goal_order: int | None  # the goal it belongs to (directly or through an objective)
    latest_text: str
    latest_label: str
    target_text: str
    variation: str | None
    variation_label: str
    assurance: str | None
    assurance_label: str
    description: str  # the chart's text alternative
    values: tuple[MetricValueRow, ...]
    summary: object = field(repr=False, compare=False, default=None)

    @property
    def chart_svg(self) -> str:
        """Inline SVG drawn by goals.metrics.charts (our markup, never user text); if it cannot be
        drawn, a sentence saying so (the facts below it still print)."""
        from goals.metrics.charts import CHART_NOT_DRAWN, ChartNotDrawn, spc_chart_svg

        if not self.values:
            return ""
        try:
            return spc_chart_svg(self.summary, id_prefix=f"report-spc-{self.key}", for_page=True)
        except ChartNotDrawn:
            return f'<p class="report-metric__not-drawn">{CHART_NOT_DRAWN}</p>'

    @property
    def chart_png(self) -> bytes:
        """PNG for Word; empty if there are no values or it cannot be drawn (Word then says so)."""
        from goals.metrics.charts import ChartNotDrawn, spc_chart_png

        if not self.values:
            return b""
        try:
            return spc_chart_png(self.summary)
        except ChartNotDrawn:
            return b""


@dataclass(frozen=True)
class ObjectiveSection:
    """An objective (LPT: priority) of a goal with what the quarter reported about it."""

    order: int
    title: str
    theme: str
    commitments: str
    aims: str
    lead_directors: tuple[PersonAsOf, ...]
    risk_register_reference: str
    risk_register_date: str
    risk_register_entry: str
    measures: tuple[MeasureRow, ...]
    actions: tuple[PackActionRow, ...]

    @property
    def heading(self) -> str:
        return self.title

    @property
    def lead_text(self) -> str:
        return people_text(self.lead_directors)

    commitments_blocks = Blocks("commitments")
    aims_blocks = Blocks("aims")

    @property
    def aims_heading(self) -> str:
        """ "Aims", or "Aims (CMS)" when the text opens with a qualifier line in brackets (as the
        seed heads them "Aims (CMS):"), so that line is not printed on its own."""
        qualifier = _aims_qualifier(self.aims)
        return f"Aims {qualifier}" if qualifier else "Aims"

    @property
    def aims_body(self) -> str:
        """The aims without their qualifier line (see aims_heading)."""
        qualifier = _aims_qualifier(self.aims)
        return self.aims.strip()[len(qualifier) :].strip() if qualifier else self.aims

    aims_body_blocks = Blocks("aims_body")
    risk_register_blocks = Blocks("risk_register_entry")

    @property
    def has_risk_register_entry(self) -> bool:
        return bool(self.risk_register_entry or self.risk_register_reference)

    @property
    def has_updates(self) -> bool:
        return any(a.state for a in self.actions)

    @property
    def is_priority(self) -> bool:
        """Whether the highlight report has anything to say about it."""
        return bool(self.commitments or self.aims or self.measures or self.has_risk_register_entry)


@dataclass(frozen=True)
class GoalSection:
    order: int
    title: str
    description: str
    objectives_text: str
    objectives: tuple[ObjectiveSection, ...]
    risks: tuple[PackRiskRow, ...]
    metrics: tuple[PackMetricRow, ...] = ()

    @property
    def anchor(self) -> str:
        return f"goal-{self.order}"

    @property
    def actions(self) -> tuple[PackActionRow, ...]:
        return tuple(a for o in self.objectives for a in o.actions)

    @property
    def rag_summary(self) -> RagSummary:
        return rag_summary(a.rag for a in self.actions)

    @property
    def priorities(self) -> tuple[ObjectiveSection, ...]:
        return tuple(o for o in self.objectives if o.is_priority)

    description_blocks = Blocks("description")
    objectives_blocks = Blocks("objectives_text")


def _aims_qualifier(text: str) -> str:
    """The first line of `text` if it is only a bracketed qualifier such as "(CMS)", else ""."""
    first = (text or "").strip().split("\n", 1)[0].strip()
    return first if len(first) <= 20 and first.startswith("(") and first.endswith(")") else ""


@dataclass(frozen=True)
class Report:
    layout: str
    organisation: str
    strategy_name: str
    strategy_slug: str
    years: str
    vision: str
    success_statements: tuple[str, ...]
    sro: PersonAsOf | None
    quarter: Quarter
    period_state: str
    previous_quarter: Quarter | None  # None: no previous quarter was set up for the strategy
    goals: tuple[GoalSection, ...]
    risks: tuple[PackRiskRow, ...]
    metrics: tuple[PackMetricRow, ...] = ()
    generated_at: datetime.datetime = field(default_factory=timezone.now)
    cover_sheet: object = None  # reports.cover.CoverSheetData: the board paper's front sheet, page 1
    pack_title: str = ""  # the quarter's title for its packs' covers (Period.pack_title); "": none set

    # -- naming
    @property
    def layout_label(self) -> str:
        return ReportLayout(self.layout).label

    @property
    def title(self) -> str:
        return f"{self.strategy_name} – {self.quarter.label} {self.layout_label.lower()}"

    @property
    def cover_title(self) -> str:
        """The title on the pack's cover: the cover sheet's (the programme office's, for this pack; it
        starts as the quarter's), or without a cover sheet the quarter's. "" means the strategy's name
        and years."""
        return self.cover_sheet.pack_title if self.cover_sheet is not None else self.pack_title

    @property
    def cover_heading(self) -> str:
        """As the packs print it: "Quarter 2 progress 2024/25" / "Qtr1 Highlight Report"."""
        if self.layout == ReportLayout.HIGHLIGHT:
            return f"Quarter {self.quarter.quarter} Highlight Report {self.quarter.financial_year}"
        return f"Quarter {self.quarter.quarter} progress report {self.quarter.financial_year}"

    @property
    def quarter_label(self) -> str:
        return self.quarter.label

    @property
    def months_label(self) -> str:
        return self.quarter.months_label

    @property
    def previous_label(self) -> str:
        return self.previous_quarter.label if self.previous_quarter else ""

    def filename(self, extension: str, version: int = 1) -> str:
        """step-up-to-great-2024-Q2-progress.pdf (a published version 2: …-progress-v2.pdf)."""
        suffix = f"-v{version}" if version > 1 else ""
        return f"{self.strategy_slug}-{self.quarter.slug}-{self.layout}{suffix}.{extension}"

    # -- content
    vision_blocks = Blocks("vision")

    @property
    def actions(self) -> tuple[PackActionRow, ...]:
        return tuple(a for g in self.goals for a in g.actions)

    @property
    def measures(self) -> tuple[tuple[GoalSection, ObjectiveSection, MeasureRow], ...]:
        return tuple((g, o, m) for g in self.goals for o in g.objectives for m in o.measures)

    @property
    def rag_summary(self) -> RagSummary:
        return rag_summary(a.rag for a in self.actions)

    @property
    def has_updates(self) -> bool:
        """Whether any action has an update reported this quarter."""
        return any(a.state for a in self.actions)

    @property
    def has_ratings(self) -> bool:
        """Whether the pack shows any RAG rating or risk score (else it has no key to them)."""
        return self.has_updates or bool(self.scored_risks)

    @property
    def scored_risks(self) -> tuple[PackRiskRow, ...]:
        return tuple(r for r in self.risks if r.score is not None)

    @property
    def rag_changes(self) -> tuple[PackActionRow, ...]:
        """Actions whose RAG moved since the previous quarter, worst news first."""
        moved = [a for a in self.actions if a.has_moved]
        return tuple(sorted(moved, key=lambda a: (a.movement != Movement.DETERIORATED, RAG_SEVERITY[a.rag])))

    @property
    def risk_changes(self) -> tuple[PackRiskRow, ...]:
        return tuple(r for r in self.risks if r.has_moved)

    @property
    def unlinked_metrics(self) -> tuple[PackMetricRow, ...]:
        """Metrics not shown under a goal (the pack's own Metrics section)."""
        return tuple(m for m in self.metrics if m.goal_order is None)

    @property
    def unlinked_risks(self) -> tuple[PackRiskRow, ...]:
        return tuple(r for r in self.risks if not r.goal_titles)

    @property
    def closing_risks(self) -> tuple[PackRiskRow, ...]:
        """The BAF risks printed at the end: in the progress report those not already shown under a
        goal; in the highlight report (which has no per-goal risk table) all of them, once scored."""
        if self.layout == ReportLayout.PROGRESS:
            return self.unlinked_risks
        return self.risks if self.scored_risks else ()

    @property
    def closing_risks_heading(self) -> str:
        if self.layout == ReportLayout.PROGRESS:
            return "Other Board Assurance Framework risks"
        return "Board Assurance Framework risks"

    @property
    def risk_band_text(self) -> str:
        """The score bands in force, e.g. "Bands: 1–3 low, 4–6 moderate, 8–12 high, 15–25 extreme."."""
        possible = sorted({likelihood * consequence for likelihood in range(1, 6) for consequence in range(1, 6)})
        parts, floor = [], 0
        for upper, band in getattr(settings, "RISK_BANDS", DEFAULT_RISK_BANDS):
            lowest = min((s for s in possible if floor < s <= upper), default=None)
            if lowest is not None:
                parts.append(
                    f"{lowest}–{upper} {RiskBand(band).label.lower()}"
                    if lowest != upper
                    else f"{upper} {RiskBand(band).label.lower()}"
                )
            floor = upper
        return "Bands: " + ", ".join(parts) + "."

    @property
    def rag_meanings(self) -> tuple[RagMeaning, ...]:
        return tuple(RagMeaning(value, meaning) for value, meaning in RAG_MEANINGS.items())


# --- Reading -----------------------------------------------------------------------------------


def report_period(slug: str, quarter: Quarter | str) -> Period:
    """The quarter of a strategy a pack is for, with its strategy and SRO (404 if unknown)."""
    return Period.objects.select_related("strategy__sro").get_at_or_404(quarter, strategy__slug=slug)


def build_report(*, period: Period, layout: str) -> Report:
    """The pack for `period` (its strategy read through `period.strategy`) in `layout`: read
    (`read_pack`), then assemble (`assemble_report`).

    Pass a period fetched with `select_related("strategy__sro")` (as `report_period` does) and
    this reads with a fixed number of queries (see QUERIES in the tests)."""
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {', '.join(LAYOUTS)}, not {layout!r}")
    return assemble_report(read_pack(period), layout=layout)


@dataclass
class PackData:
    """Everything a quarter's pack prints, as read from the database (no layout yet)."""

    period: Period
    previous: Period | None  # the strategy's period of the quarter before, if it has one
    goals: list
    objectives: list
    actions: list  # each with `sro_list`
    updates: dict  # (action id, period id) -> the reported update's values
    measures: list
    evidence: dict  # measure id -> this quarter's reported evidence values
    risks: list  # each with `goal_list`
    scores: dict  # (risk id, period id) -> score
    as_of: dict  # person id -> PersonAsOf in this quarter
    metrics: list


def read_pack(period: Period) -> PackData:
    """The read step of a pack: a fixed number of queries however large the strategy."""
    strategy = period.strategy
    previous = Period.objects.at(period.as_quarter.previous()).filter(strategy=strategy).first()
    period_ids = [period.pk] + ([previous.pk] if previous else [])

    goals = list(Goal.objects.filter(strategy=strategy).order_by("order"))
    objectives = list(
        Objective.objects.filter(goal__strategy=strategy).prefetch_related("lead_directors").order_by("goal", "order")
    )
    actions = list(Action.objects.filter(objective__goal__strategy=strategy).order_by("objective", "number"))
    # SROs from the link table joined on the strategy (not a prefetch with an IN list of every
    # action id, which SQLite answers by scanning the people once per id): linear in the rows.
    links = Action.sros.through.objects.filter(action__objective__goal__strategy=strategy).select_related("person")
    sros, sros_of = {}, defaultdict(list)
    for link in links:
        sros_of[link.action_id].append(sros.setdefault(link.person_id, link.person))
    for action in actions:
        action.sro_list = sorted(sros_of[action.pk], key=lambda p: (p.name, p.pk))
    updates = {
        (u["action_id"], u["period_id"]): u
        for u in ActionUpdate.objects.filter(
            action__objective__goal__strategy=strategy, period_id__in=period_ids, state__in=REPORTED_STATES
        ).values("action_id", "period_id", "rag", "progress", "impact", "next_focus", "rag_reason", "state")
    }
    measures = list(SuccessMeasure.objects.filter(objective__goal__strategy=strategy).order_by("objective", "order"))
    evidence = {
        e["measure_id"]: e
        for e in MeasureEvidence.objects.filter(
            measure__objective__goal__strategy=strategy, period=period, state__in=REPORTED_STATES
        ).values("measure_id", "evidence", "impact", "next_focus")
    }
    risks = list(
        Risk.objects.filter(strategy=strategy)
        .select_related("owner")
        .prefetch_related(Prefetch("goals", queryset=Goal.objects.order_by("order"), to_attr="goal_list"))
        .order_by("number")
    )
    scores = {
        (s["risk_id"], s["period_id"]): s["score"]
        for s in RiskScore.objects.filter(risk__strategy=strategy, period_id__in=period_ids).values(
            "risk_id", "period_id", "score"
        )
    }

    people = {p.pk: p for p in [strategy.sro] if p}
    for objective in objectives:
        people.update((p.pk, p) for p in objective.lead_directors.all())
    for action in actions:
        people.update((p.pk, p) for p in action.sro_list)
    people.update((r.owner.pk, r.owner) for r in risks if r.owner)
    as_of = people_as_of(period, people.values())
    return PackData(
        period=period,
        previous=previous,
        goals=goals,
        objectives=objectives,
        actions=actions,
        updates=updates,
        measures=measures,
        evidence=evidence,
        risks=risks,
        scores=scores,
        as_of=as_of,
        metrics=metric_rows(strategy=strategy, period=period),
    )


def assemble_report(data: PackData, *, layout: str) -> Report:
    """The assemble step of a pack: the rows and sections of `layout` from what `read_pack` read
    (no queries)."""
    period, previous, scores, updates = data.period, data.previous, data.scores, data.updates
    strategy = period.strategy
    quarter = period.as_quarter
    goals, objectives, metrics = data.goals, data.objectives, data.metrics

    def person(p) -> PersonAsOf:
        return data.as_of[p.pk]

    goal_by_id = {g.pk: g for g in goals}
    objective_by_id = {o.pk: o for o in objectives}
    risk_rows = [
        (
            {g.pk for g in r.goal_list},
            PackRiskRow(
                number=r.number,
                title=r.title,
                goal_titles=tuple(g.title for g in r.goal_list),
                owner=person(r.owner) if r.owner else None,
                score=scores.get((r.pk, period.pk)),
                previous_score=scores.get((r.pk, previous.pk)) if previous else None,
                target_score=r.target_score,
                direction=_direction(scores, r.pk, period, previous),
            ),
        )
        for r in data.risks
    ]

    def action_row(action) -> PackActionRow | None:
        update = updates.get((action.pk, period.pk))
        if update is None and (action.status != ActionStatus.ACTIVE or action.archived_at is not None):
            return None  # finished, stepped down or archived before this quarter: nothing to report
        objective = objective_by_id[action.objective_id]
        goal = goal_by_id[objective.goal_id]
        earlier = updates.get((action.pk, previous.pk)) if previous else None
        update = update or {}
        return PackActionRow(
            goal_order=goal.order,
            goal_title=goal.title,
            objective_title=objective.title,
            theme=action.description if _is_theme(action.description) else objective.theme,
            number=action.number,
            objective_order=objective.order,
            title=action.title,
            sros=tuple(person(p) for p in action.sro_list),
            status=action.status,
            rag=update.get("rag", ""),
            previous_rag=(earlier or {}).get("rag", "") if previous else None,
            progress=update.get("progress", ""),
            impact=update.get("impact", ""),
            next_focus=update.get("next_focus", ""),
            rag_reason=update.get("rag_reason", ""),
            state=update.get("state", ""),
        )

    actions_of: dict[int, list[PackActionRow]] = {}
    for action in data.actions:
        row = action_row(action)
        if row:
            actions_of.setdefault(action.objective_id, []).append(row)
    measures_of: dict[int, list[MeasureRow]] = {}
    for m in data.measures:
        if m.archived_at is not None and m.pk not in data.evidence:
            continue  # archived, and nothing reported on it this quarter
        e = data.evidence.get(m.pk, {})
        measures_of.setdefault(m.objective_id, []).append(
            MeasureRow(m.title, e.get("evidence", ""), e.get("impact", ""), e.get("next_focus", ""))
        )

    goal_sections = tuple(
        GoalSection(
            order=g.order,
            title=g.title,
            description=g.description,
            objectives_text=g.objectives_text,
            objectives=tuple(
                ObjectiveSection(
                    order=o.order,
                    title=o.title,
                    theme=o.theme,
                    commitments=o.commitments,
                    aims=o.aims,
                    lead_directors=tuple(person(p) for p in o.lead_directors.all()),
                    risk_register_reference=o.risk_register_reference,
                    risk_register_date=o.risk_register_date,
                    risk_register_entry=o.risk_register_entry,
                    measures=tuple(measures_of.get(o.pk, ())),
                    actions=tuple(actions_of.get(o.pk, ())),
                )
                for o in objectives
                if o.goal_id == g.pk and (o.archived_at is None or o.pk in actions_of or o.pk in measures_of)
            ),
            risks=tuple(row for goal_ids, row in risk_rows if g.pk in goal_ids),
            metrics=tuple(m for m in metrics if m.goal_order == g.order),
        )
        for g in goals
    )
    # An archived goal stays in the quarters that reported on something of it, and only there.
    goal_sections = tuple(
        section for g, section in zip(goals, goal_sections, strict=True) if g.archived_at is None or section.objectives
    )
    return Report(
        layout=layout,
        organisation=strategy.organisation,
        strategy_name=strategy.name,
        strategy_slug=strategy.slug,
        years=strategy.years,
        vision=strategy.vision,
        success_statements=tuple(strategy.success_statements or ()),
        sro=person(strategy.sro) if strategy.sro else None,
        quarter=quarter,
        period_state=period.state,
        pack_title=period.pack_title,
        previous_quarter=quarter.previous() if previous else None,
        goals=goal_sections,
        risks=tuple(row for _, row in risk_rows),
        metrics=tuple(metrics),
    )


def _direction(scores, risk_id, period, previous) -> str | None:
    direction = risk_direction(
        scores.get((risk_id, previous.pk)) if previous else None, scores.get((risk_id, period.pk))
    )
    return direction.value if direction else None


def _is_theme(text: str) -> bool:
    """An action's description doubles as the progress table's theme cell when it is a short label
    (the seed packs print "Access", "Research or Innovation"); a long description is not a theme."""
    text = (text or "").strip()
    return bool(text) and len(text) <= 60 and "\n" not in text


# --- Metrics -------------------------------------------------------------------------------------


def metric_rows(*, strategy, period) -> list[PackMetricRow]:
    """The metrics section of the pack: every metric of the strategy with its values up to the end
    of the quarter, analysed as Making Data Count does (goals.metrics.selectors; two queries)."""
    quarter_end = period.as_quarter.end
    rows = []
    for summary in metric_summaries(strategy):
        values = [v for v in summary.values if v.date <= quarter_end]
        if len(values) != len(summary.values):
            summary = summarise(summary.metric, values)  # the pack shows the metric as it stood then
        metric = summary.metric
        goal = metric.goal or (metric.objective.goal if metric.objective else None)
        rows.append(
            PackMetricRow(
                key=metric.key,
                name=metric.name,
                unit=metric.unit,
                goal_order=goal.order if goal and goal.strategy_id == strategy.pk else None,
                latest_text=summary.latest_text,
                latest_label=summary.latest_label,
                target_text=summary.target_text,
                variation=summary.variation,
                variation_label=summary.variation_label,
                assurance=summary.assurance,
                assurance_label=summary.assurance_label,
                description=summary.description,
                values=tuple(
                    MetricValueRow(
                        label=row.label,
                        date=row.value.date,
                        value=float(row.value.value),
                        mean=row.point.mean,
                        lower=row.point.lower,
                        upper=row.point.upper,
                        special_cause="; ".join(row.reasons),
                    )
                    for row in summary.rows
                ),
                summary=summary,
            )
        )
    return rows

"""What the read API returns: every read scoped by goals.core.permissions.strategy_scope (a token
reads exactly what its user may read), paginated with a stable order, each page in a fixed number
of queries whatever the size of the data. Rows are plain dicts shaped like api.schemas.

Rules, in one place:
- Action updates and success-measure evidence: approved by default; `state` may ask for submitted
  or approved ones; drafts and returned ones are the writer's work in progress and are never read.
- A fact row's RAG is the reported one (submitted or approved), as the status pages show it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse

from goals.core.choices import NOT_STARTED_IN_LISTS, UpdateState
from goals.core.movement import rag_movement, risk_band, risk_direction
from goals.core.numbering import action_number
from goals.core.permissions import strategy_scope
from goals.core.quarters import Quarter, parse_quarter
from goals.core.querysets import REPORTED_STATES
from goals.metrics.analysis import summarise
from goals.models import (
    Action,
    ActionUpdate,
    Goal,
    MeasureEvidence,
    Metric,
    MetricValue,
    Objective,
    Period,
    Person,
    Risk,
    RiskScore,
    Strategy,
)
from reports.models import Publication, PublicationStatus, PublishedFile

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
READABLE_STATES = (UpdateState.SUBMITTED, UpdateState.APPROVED)


class BadFilter(ValueError):
    """A filter the API cannot read (an unknown quarter or state); the API answers 400."""


@dataclass(frozen=True)
class Filters:
    """The filters every list takes: a strategy's slug and a quarter ("2024-Q2" or "Q2 2024/25")."""

    strategy: str | None = None
    quarter: Quarter | None = None

    @classmethod
    def parse(cls, strategy: str | None, quarter: str | None) -> Filters:
        try:
            return cls(strategy=strategy or None, quarter=parse_quarter(quarter) if quarter else None)
        except ValueError as error:
            raise BadFilter(str(error)) from error

    def apply(self, queryset: QuerySet, user, *, strategy: str, period: str | None = None) -> QuerySet:
        """`queryset` kept to what `user` may read and to the filters; `strategy` and `period` are
        the lookups from its model to the strategy and the period ("" for Strategy itself)."""
        queryset = queryset.filter(strategy_scope(user, strategy))
        if self.strategy:
            queryset = queryset.filter(**{f"{strategy}slug": self.strategy})
        if self.quarter and period is not None:
            queryset = queryset.filter(**{f"{period}year": self.quarter.year, f"{period}quarter": self.quarter.quarter})
        return queryset


@dataclass(frozen=True)
class Window:
    """One page: `page` (from 1) of `limit` rows."""

    page: int = 1
    limit: int = DEFAULT_LIMIT

    def __post_init__(self):
        if self.page < 1 or not 1 <= self.limit <= MAX_LIMIT:
            raise BadFilter(f"page is 1 or more and limit between 1 and {MAX_LIMIT}.")

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.limit

    @property
    def end(self) -> int:
        return self.offset + self.limit


@dataclass(frozen=True)
class Page:
    count: int  # rows over every page
    window: Window
    results: list[dict]

    @property
    def has_next(self) -> bool:
        return self.window.end < self.count


def page_of(queryset: QuerySet, window: Window, row) -> Page:
    """Two queries: the count and the page (`row` turns each object into a dict)."""
    count = queryset.count()
    return Page(count=count, window=window, results=[row(o) for o in queryset[window.offset : window.end]])


def _quarter(period) -> str:
    return Quarter(period.year, period.quarter).slug


# --- The strategy and its structure -------------------------------------------------------------


def strategies(user, filters: Filters, window: Window) -> Page:
    queryset = filters.apply(Strategy.objects.order_by("name", "pk"), user, strategy="")
    return page_of(
        queryset,
        window,
        lambda s: {
            "slug": s.slug,
            "name": s.name,
            "organisation": s.organisation,
            "years": s.years,
            "vision": s.vision,
        },
    )


def goals(user, filters: Filters, window: Window) -> Page:
    queryset = filters.apply(
        Goal.objects.select_related("strategy").order_by("strategy__name", "strategy_id", "order"),
        user,
        strategy="strategy__",
    )
    return page_of(
        queryset,
        window,
        lambda g: {
            "strategy": g.strategy.slug,
            "key": g.key,
            "number": g.order,
            "title": g.title,
            "archived": g.archived_at is not None,
        },
    )


def objectives(user, filters: Filters, window: Window) -> Page:
    queryset = filters.apply(
        Objective.objects.select_related("goal__strategy").order_by(
            "goal__strategy__name", "goal__strategy_id", "goal__order", "order"
        ),
        user,
        strategy="goal__strategy__",
    )
    return page_of(
        queryset,
        window,
        lambda o: {
            "strategy": o.goal.strategy.slug,
            "goal": o.goal.key,
            "key": o.key,
            "number": f"{o.goal.order}.{o.order}",
            "title": o.title,
            "theme": o.theme,
            "archived": o.archived_at is not None,
        },
    )


def _names(people) -> list[str]:
    return sorted(p.name for p in people)


def actions(user, filters: Filters, window: Window) -> Page:
    """Each action with its SROs and programme leads (four queries: count, page, SROs, leads)."""
    queryset = filters.apply(
        Action.objects.select_related("objective__goal__strategy")
        .prefetch_related("sros", "leads")
        .order_by("objective__goal__strategy__name", "objective__goal__strategy_id", *Action._meta.ordering),
        user,
        strategy="objective__goal__strategy__",
    )
    return page_of(
        queryset,
        window,
        lambda a: {
            "id": a.pk,
            "strategy": a.objective.goal.strategy.slug,
            "goal": a.objective.goal.key,
            "objective": a.objective.key,
            "number": action_number(a.objective.goal.order, a.objective.order, a.number),
            "title": a.title,
            "status": a.status,
            "sros": _names(a.sros.all()),
            "leads": _names(a.leads.all()),
            "archived": a.archived_at is not None,
        },
    )


def quarters(user, filters: Filters, window: Window) -> Page:
    queryset = filters.apply(
        Period.objects.select_related("strategy").order_by("strategy__name", "strategy_id", "year", "quarter"),
        user,
        strategy="strategy__",
        period="",
    )
    return page_of(
        queryset,
        window,
        lambda p: {
            "strategy": p.strategy.slug,
            "quarter": p.slug,
            "label": p.label,
            "state": p.state,
            "start": p.start,
            "end": p.end,
        },
    )


# --- What is reported each quarter ------------------------------------------------------------


def readable_states(state: str | None) -> tuple[str, ...]:
    """Approved by default; "submitted" or "approved" on request; anything else (drafts) refused."""
    if not state:
        return (UpdateState.APPROVED,)
    if state not in READABLE_STATES:
        raise BadFilter("state is submitted or approved: drafts are never read through the API.")
    return (state,)


def action_updates(user, filters: Filters, window: Window, *, state: str | None = None) -> Page:
    queryset = filters.apply(
        ActionUpdate.objects.filter(state__in=readable_states(state))
        .select_related("action__objective__goal__strategy", "period")
        .order_by(
            "action__objective__goal__strategy__name",
            "action__objective__goal__strategy_id",
            "period__year",
            "period__quarter",
            "action__objective__goal__order",
            "action__objective__order",
            "action__number",
        ),
        user,
        strategy="action__objective__goal__strategy__",
        period="period__",
    )

    def row(u):
        objective = u.action.objective
        return {
            "strategy": objective.goal.strategy.slug,
            "quarter": _quarter(u.period),
            "action_id": u.action_id,
            "action_number": action_number(objective.goal.order, objective.order, u.action.number),
            "rag": u.rag,
            "rag_reason": u.rag_reason,
            "progress": u.progress,
            "impact": u.impact,
            "next_focus": u.next_focus,
            "state": u.state,
            "submitted_at": u.submitted_at,
            "reviewed_at": u.reviewed_at,
        }

    return page_of(queryset, window, row)


def evidence(user, filters: Filters, window: Window, *, state: str | None = None) -> Page:
    queryset = filters.apply(
        MeasureEvidence.objects.filter(state__in=readable_states(state))
        .select_related("measure__objective__goal__strategy", "period")
        .order_by(
            "measure__objective__goal__strategy__name",
            "measure__objective__goal__strategy_id",
            "period__year",
            "period__quarter",
            "measure__objective__goal__order",
            "measure__objective__order",
            "measure__order",
        ),
        user,
        strategy="measure__objective__goal__strategy__",
        period="period__",
    )

    def row(e):
        objective = e.measure.objective
        return {
            "strategy": objective.goal.strategy.slug,
            "quarter": _quarter(e.period),
            "goal": objective.goal.key,
            "objective": objective.key,
            "measure": e.measure.title,
            "measure_number": e.measure.order,
            "evidence": e.evidence,
            "impact": e.impact,
            "next_focus": e.next_focus,
            "state": e.state,
        }

    return page_of(queryset, window, row)


# --- BAF risks ---------------------------------------------------------------------------------


def risks(user, filters: Filters, window: Window) -> Page:
    queryset = filters.apply(
        Risk.objects.select_related("strategy", "owner")
        .prefetch_related("goals")
        .order_by("strategy__name", "strategy_id", "number"),
        user,
        strategy="strategy__",
    )
    return page_of(
        queryset,
        window,
        lambda r: {
            "strategy": r.strategy.slug,
            "number": r.number,
            "title": r.title,
            "owner": r.owner.name if r.owner else "",
            "target_score": r.target_score,
            "goals": [g.key for g in r.goals.all()],
            "archived": r.archived_at is not None,
        },
    )


def _previous_scores(scores: list[RiskScore]) -> dict[tuple[int, str], int]:
    """(risk id, quarter slug) → score, for the quarter before each of `scores` (one query)."""
    wanted = {(s.risk_id, Quarter(s.period.year, s.period.quarter).previous()) for s in scores}
    if not wanted:
        return {}
    which = Q()
    for quarter in {q for _, q in wanted}:
        which |= Q(period__year=quarter.year, period__quarter=quarter.quarter)
    found = RiskScore.objects.filter(which, risk_id__in={r for r, _ in wanted}).values_list(
        "risk_id", "period__year", "period__quarter", "score"
    )
    return {(risk, Quarter(year, quarter).slug): score for risk, year, quarter, score in found}


def risk_facts(user, filters: Filters, window: Window) -> Page:
    """One row per BAF risk per scored quarter (three queries: count, page, previous scores)."""
    queryset = filters.apply(
        RiskScore.objects.select_related("risk__strategy", "period").order_by(
            "risk__strategy__name", "risk__strategy_id", "period__year", "period__quarter", "risk__number"
        ),
        user,
        strategy="risk__strategy__",
        period="period__",
    )
    count = queryset.count()
    scores = list(queryset[window.offset : window.end])
    before = _previous_scores(scores)
    rows = []
    for s in scores:
        quarter = Quarter(s.period.year, s.period.quarter)
        previous = before.get((s.risk_id, quarter.previous().slug))
        band, direction = risk_band(s.score), risk_direction(previous, s.score)
        rows.append(
            {
                "strategy": s.risk.strategy.slug,
                "quarter": quarter.slug,
                "quarter_label": quarter.label,
                "risk_number": s.risk.number,
                "risk_title": s.risk.title,
                "score": s.score,
                "likelihood": s.likelihood,
                "consequence": s.consequence,
                "band": band.value if band else "",
                "previous_score": previous,
                "direction": direction.value if direction else "",
                "target_score": s.risk.target_score,
            }
        )
    return Page(count=count, window=window, results=rows)


# --- Metrics -----------------------------------------------------------------------------------


def _number(value) -> float | None:
    return None if value is None else float(value)


def metrics(user, filters: Filters, window: Window) -> Page:
    """Each metric with its latest value and SPC verdict (three queries: count, page, values)."""
    queryset = filters.apply(
        Metric.objects.select_related("strategy").order_by("strategy__name", "strategy_id", "name", "pk"),
        user,
        strategy="strategy__",
    )
    count = queryset.count()
    page = list(queryset[window.offset : window.end])
    values: dict[int, list[MetricValue]] = {m.pk: [] for m in page}
    for value in MetricValue.objects.filter(metric__in=page).order_by("metric", "date"):
        values[value.metric_id].append(value)
    rows = []
    for metric in page:
        summary = summarise(metric, values[metric.pk])
        rows.append(
            {
                "strategy": metric.strategy.slug,
                "key": metric.key,
                "name": metric.name,
                "unit": metric.unit,
                "improvement": metric.improvement,
                "frequency": metric.frequency,
                "target": _number(metric.target),
                "points": summary.point_count,
                "latest_date": summary.latest_date,
                "latest_value": _number(summary.latest_value),
                "mean": summary.analysis.mean,
                "lower_limit": summary.analysis.lower,
                "upper_limit": summary.analysis.upper,
                "variation": summary.variation or "",
                "variation_label": summary.variation_label,
                "assurance": summary.assurance or "",
                "assurance_label": summary.assurance_label,
            }
        )
    return Page(count=count, window=window, results=rows)


def metric_value_facts(user, filters: Filters, window: Window) -> Page:
    """One row per metric value with its SPC verdict (four queries: count, page, the page's
    metrics, and every value of those metrics: a point's verdict depends on the whole series)."""
    queryset = filters.apply(
        MetricValue.objects.order_by(
            "metric__strategy__name", "metric__strategy_id", "metric__name", "metric_id", "date"
        ),
        user,
        strategy="metric__strategy__",
    )
    if filters.quarter:
        queryset = queryset.filter(date__gte=filters.quarter.start, date__lte=filters.quarter.end)
    count = queryset.count()
    page = list(queryset.values_list("pk", "metric_id")[window.offset : window.end])
    metric_ids = {metric_id for _, metric_id in page}
    metric_of = Metric.objects.select_related("strategy").in_bulk(metric_ids)
    series: dict[int, list[MetricValue]] = {pk: [] for pk in metric_ids}
    for value in MetricValue.objects.filter(metric_id__in=metric_ids).order_by("metric", "date"):
        series[value.metric_id].append(value)
    rows_by_value = {}
    for metric_id, values in series.items():
        for row in summarise(metric_of[metric_id], values).rows:
            rows_by_value[row.value.pk] = row
    results = []
    for value_id, metric_id in page:
        row, metric = rows_by_value[value_id], metric_of[metric_id]
        point = row.point
        results.append(
            {
                "strategy": metric.strategy.slug,
                "metric": metric.key,
                "metric_name": metric.name,
                "unit": metric.unit,
                "date": row.value.date,
                "label": row.label,
                "value": float(row.value.value),
                "mean": point.mean,
                "lower_limit": point.lower,
                "upper_limit": point.upper,
                "special_cause": point.special_cause,
                "special_cause_kind": point.kind or "",
                "rules": "; ".join(row.reasons),
                "variation": summarise_variation(point),
            }
        )
    return Page(count=count, window=window, results=results)


def summarise_variation(point) -> str:
    """A point's variation in the Making Data Count words: common cause, or special cause of
    improvement / concern / neither."""
    if not point.special_cause:
        return "common_cause"
    return f"special_cause_{point.kind or 'neither'}"


# --- Action facts ------------------------------------------------------------------------------


def action_facts(user, filters: Filters, window: Window) -> Page:
    """One row per action per quarter of its strategy (an archived action only in a quarter it has
    an update in), ordered by strategy, quarter and full action number. Eight queries whatever
    the size: the quarters, the actions' keys, archived actions' updates, then for the page only
    the actions, their updates this and the quarter before, SRO and lead links, and people."""
    all_periods = list(
        Period.objects.filter(strategy_scope(user, "strategy__"))
        .filter(**({"strategy__slug": filters.strategy} if filters.strategy else {}))
        .select_related("strategy")
        .order_by("strategy__name", "strategy_id", "year", "quarter")
    )
    period_id_of = {(p.strategy_id, p.year, p.quarter): p.pk for p in all_periods}
    periods = [p for p in all_periods if filters.quarter is None or p.as_quarter == filters.quarter]
    strategy_ids = {p.strategy_id for p in periods}
    keys = list(
        Action.objects.filter(objective__goal__strategy_id__in=strategy_ids)
        .order_by(*Action._meta.ordering)
        .values_list("pk", "objective__goal__strategy_id", "archived_at")
    )
    archived_updates = set(
        ActionUpdate.objects.filter(
            action__objective__goal__strategy_id__in=strategy_ids, action__archived_at__isnull=False
        ).values_list("action_id", "period_id")
    )
    by_strategy: dict[int, list[tuple[int, bool]]] = {}
    for pk, strategy_id, archived_at in keys:
        by_strategy.setdefault(strategy_id, []).append((pk, archived_at is not None))
    cells = [
        (period, action_id)
        for period in periods
        for action_id, archived in by_strategy.get(period.strategy_id, ())
        if not archived or (action_id, period.pk) in archived_updates
    ]
    page = cells[window.offset : window.end]
    action_ids = {a for _, a in page}
    previous_of = {
        p.pk: period_id_of.get((p.strategy_id, p.as_quarter.previous().year, p.as_quarter.previous().quarter))
        for p, _ in page
    }
    wanted_periods = {p.pk for p, _ in page} | {pk for pk in previous_of.values() if pk}
    details = {
        row["pk"]: row
        for row in Action.objects.filter(pk__in=action_ids).values(
            "pk",
            "number",
            "title",
            "objective__order",
            "objective__title",
            "objective__goal__order",
            "objective__goal__title",
        )
    }
    updates = {
        (action_id, period_id): (rag, state)
        for action_id, period_id, rag, state in ActionUpdate.objects.filter(
            action_id__in=action_ids, period_id__in=wanted_periods
        ).values_list("action_id", "period_id", "rag", "state")
    }
    sro_links = list(Action.sros.through.objects.filter(action_id__in=action_ids).values_list("action_id", "person_id"))
    lead_links = list(
        Action.leads.through.objects.filter(action_id__in=action_ids).values_list("action_id", "person_id")
    )
    names = dict(Person.objects.filter(pk__in={p for _, p in sro_links + lead_links}).values_list("pk", "name"))

    def joined(links) -> dict[int, str]:
        of: dict[int, list[str]] = {}
        for action_id, person_id in links:
            of.setdefault(action_id, []).append(names[person_id])
        return {action_id: "; ".join(sorted(people)) for action_id, people in of.items()}

    sros_of, leads_of = joined(sro_links), joined(lead_links)

    def reported(key) -> str:
        rag, state = updates.get(key, ("", None))
        return rag if state in REPORTED_STATES else ""

    rows = []
    for period, action_id in page:
        action = details[action_id]
        rag = reported((action_id, period.pk))
        previous_period = previous_of[period.pk]
        previous = reported((action_id, previous_period)) if previous_period else ""
        state = updates.get((action_id, period.pk), ("", NOT_STARTED_IN_LISTS))[1]
        rows.append(
            {
                "strategy": period.strategy.slug,
                "quarter": period.slug,
                "quarter_label": period.label,
                "goal_number": action["objective__goal__order"],
                "goal": action["objective__goal__title"],
                "objective_number": f"{action['objective__goal__order']}.{action['objective__order']}",
                "objective": action["objective__title"],
                "action_number": action_number(
                    action["objective__goal__order"], action["objective__order"], action["number"]
                ),
                "action": action["title"],
                "sros": sros_of.get(action_id, ""),
                "leads": leads_of.get(action_id, ""),
                "rag": rag,
                "previous_rag": previous,
                "movement": rag_movement(previous or None, rag or None).value,
                "state": state,
            }
        )
    return Page(count=len(cells), window=window, results=rows)


# --- Published board packs ----------------------------------------------------------------------


def publications(user, filters: Filters, window: Window) -> Page:
    """Published packs with each file's SHA-256 and download link (three queries: count, page, files)."""
    queryset = filters.apply(
        Publication.objects.filter(status=PublicationStatus.PUBLISHED)
        .select_related("period__strategy")
        .prefetch_related(Prefetch("files", PublishedFile.objects.defer("content")))
        .order_by(
            "period__strategy__name", "period__strategy_id", "period__year", "period__quarter", "layout", "version"
        ),
        user,
        strategy="period__strategy__",
        period="period__",
    )
    return page_of(
        queryset,
        window,
        lambda p: {
            "strategy": p.period.strategy.slug,
            "quarter": p.period.slug,
            "layout": p.layout,
            "version": p.version,
            "published_at": p.published_at,
            "files": [
                {
                    "format": f.format,
                    "filename": f.filename,
                    "size": f.size,
                    "sha256": f.sha256,
                    "download": reverse("reports:published_download", kwargs={"pk": p.pk, "format_name": f.format}),
                }
                for f in p.files.all()
            ],
        },
    )

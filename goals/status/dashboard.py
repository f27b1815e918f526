"""Reads for the strategy dashboard: RAG counts overall and per goal, completeness, movement
since the quarter before, and the actions that moved and the Reds and Ambers.
Every read returns evaluated data (lists and dataclasses, not lazy querysets) with a fixed number
of queries however large the strategy; the counts are pinned in tests/status at two data sizes."""

from collections import Counter, defaultdict
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Case, Count, F, FilteredRelation, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from goals.core.caching import strategy_cached
from goals.core.choices import (
    MISSING_FILTER,
    NOT_STARTED,
    NOT_STARTED_IN_LISTS,
    NOT_SUBMITTED,
    NOT_SUBMITTED_LABEL,
    RAG,
    RagCount,
    UpdateState,
    rag_style,
    rag_tally,
)
from goals.core.movement import (
    Movement,
)
from goals.core.quarters import Quarter
from goals.models import SuccessMeasure
from goals.status.shared import (
    ActionPeople,
    ActionRow,
    StatusPeriod,
    action_people,
    action_row_list,
    action_rows,
    page_status,
)

# "Not submitted" (goals.core.choices) as the action list's rows and URLs spell it.
NOT_SUBMITTED_IN_LISTS = tuple(NOT_STARTED_IN_LISTS if state == NOT_STARTED else state for state in NOT_SUBMITTED)
# The dashboard lists at most this many Red/Amber and moved actions, worst first, and links to the
# action list for the rest: a real strategy has far fewer, and a 2,000-action page helps nobody.
DASHBOARD_LIST_LIMIT = 25


# --- The strategy dashboard -------------------------------------------------------------------


@dataclass
class BarSegment:
    rag: str
    count: int
    percent: float

    @property
    def style(self):
        return rag_style(self.rag)


@dataclass
class GoalSummary:
    order: int
    title: str
    url: str
    total: int
    rag_counts: list[RagCount]

    @property
    def bar(self) -> list[BarSegment]:
        """The stacked bar's segments, red first, empty ones left out."""
        return [BarSegment(c.rag, c.count, round(100 * c.count / self.total, 1)) for c in self.rag_counts if c.count]


@dataclass
class Tally:
    """A labelled count with its share of all actions and the action-list filter that shows them."""

    key: str
    label: str
    count: int
    total: int
    query: str  # the action list's query string for these actions

    @property
    def percent(self) -> int:
        return round(100 * self.count / self.total) if self.total else 0


@dataclass
class ShortList:
    """The first DASHBOARD_LIST_LIMIT rows of a dashboard list, how many there are in all, and the
    action list's query string that shows every one of them."""

    rows: list[ActionRow]
    total: int
    query: str

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


@dataclass
class DashboardFigures:
    """What the dashboard computes for one quarter: the same for every reader, so cached."""

    people: ActionPeople  # the SROs and leads of the listed actions
    total: int
    rag_counts: list[RagCount]
    goals: list[GoalSummary]
    completeness: list[Tally]
    evidence_completeness: list[Tally]  # success-measure evidence, counted as the updates are
    movement: list[Tally]
    moved: ShortList  # deteriorated first, then improved
    red_and_amber: ShortList  # red first, then amber
    headline: list[Tally]  # what a director looks for first: Red, Amber, deteriorated, not submitted


@dataclass
class Dashboard:
    """A quarter's dashboard: its status, and its figures read when first used (a page whose HTML
    is cached reads none). The figures' fields read as the dashboard's own (`dashboard.total`)."""

    status: StatusPeriod
    figures: DashboardFigures

    def __getattr__(self, name):
        if name.startswith("__") or name == "figures":
            raise AttributeError(name)
        return getattr(self.figures, name)


COMPLETENESS = (  # (key, label, update states) of the completeness counts
    ("approved", "approved", (UpdateState.APPROVED,)),
    ("submitted", "submitted, waiting for approval", (UpdateState.SUBMITTED,)),
    (MISSING_FILTER, NOT_SUBMITTED_LABEL.lower(), NOT_SUBMITTED_IN_LISTS),
)


def evidence_completeness(status: StatusPeriod) -> list[Tally]:
    """The quarter's success-measure evidence by state, as the updates are counted (one query).
    The action list does not list evidence, so the tallies link nowhere (`query` "")."""
    states = dict(
        SuccessMeasure.objects.filter(objective__goal__strategy=status.strategy, archived_at__isnull=True)
        .annotate(
            this_evidence=FilteredRelation("evidence", condition=Q(evidence__period=status.period)),
            evidence_state=Coalesce(F("this_evidence__state"), Value(NOT_STARTED_IN_LISTS)),
        )
        .values("evidence_state")
        .annotate(n=Count("pk"))
        .values_list("evidence_state", "n")
        .order_by()
    )
    total = sum(states.values())
    return [Tally(key, label, sum(states.get(s, 0) for s in values), total, "") for key, label, values in COMPLETENESS]


def strategy_dashboard(*, slug: str, quarter: Quarter | None = None) -> Dashboard:
    """RAG counts overall and per goal, completeness, movement since the quarter before, the
    actions that moved (deteriorated first) and the Reds and Ambers. The figures are computed once
    per data version of the strategy (goals.core.caching) and read when first used: 2 queries,
    then 1 for the cache and 10 to compute."""
    status = page_status(slug, quarter)
    figures = SimpleLazyObject(
        lambda: strategy_cached(
            status.strategy,
            "dashboard",
            status.period.pk,
            status.previous.pk if status.previous else None,
            compute=lambda: dashboard_figures(status),
        )
    )
    return Dashboard(status=status, figures=figures)


IN_STRATEGY_ORDER = ("objective__goal__order", "objective__order", "number")


def dashboard_figures(status: StatusPeriod) -> DashboardFigures:
    """The dashboard's counts, computed in the database in one grouped query (goal × rating ×
    movement × update state), and its two short lists, of which only the listed actions are read
    in full (10 queries, however many actions)."""
    strategy = status.strategy
    goals = list(strategy.goals.order_by("order").values_list("pk", "order", "title", "key"))
    rows = action_rows(status)
    rags, movements, states = Counter(), Counter(), Counter()
    rags_by_goal = defaultdict(Counter)
    grouped = rows.values("goal_id", "rag", "movement", "update_state").annotate(n=Count("pk")).order_by()
    for goal_id, rag, movement, state, n in grouped.values_list("goal_id", "rag", "movement", "update_state", "n"):
        rags[rag] += n
        movements[movement] += n
        states[state] += n
        rags_by_goal[goal_id][rag] += n
    total = sum(rags.values())
    limit = DASHBOARD_LIST_LIMIT
    # Red first, then Amber; deteriorated first, then improved; strategy order within each.
    red_and_amber_ids = list(
        rows.filter(rag__in=(RAG.RED, RAG.AMBER))
        .order_by("rag_severity", *IN_STRATEGY_ORDER)
        .values_list("pk", flat=True)[:limit]
    )
    deteriorated_first = Case(
        When(movement=Movement.DETERIORATED, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    moved_ids = list(
        rows.filter(movement__in=(Movement.DETERIORATED, Movement.IMPROVED))
        .order_by(deteriorated_first, *IN_STRATEGY_ORDER)
        .values_list("pk", flat=True)[:limit]
    )

    def query(name, values):
        return urlencode([("strategy", strategy.slug), ("quarter", status.period.slug)] + [(name, v) for v in values])

    completeness = [
        Tally(key, label, sum(states[s] for s in values), total, query("state", values))
        for key, label, values in COMPLETENESS
    ]
    movement = [
        Tally(m.value, m.label, movements[m.value], total, query("movement", [m.value]))
        for m in (Movement.DETERIORATED, Movement.IMPROVED, Movement.UNCHANGED, Movement.NEW, Movement.NOT_RATED)
    ]
    headline = [
        Tally("red", "Red", rags[RAG.RED], total, query("rag", [RAG.RED])),
        Tally("amber", "Amber", rags[RAG.AMBER], total, query("rag", [RAG.AMBER])),
        Tally(
            "deteriorated",
            f"deteriorated since {status.previous_quarter.label}",
            movements[Movement.DETERIORATED],
            total,
            query("movement", [Movement.DETERIORATED]),
        ),
        completeness[-1],
    ]

    listed_ids = {*red_and_amber_ids, *moved_ids}
    people = action_people(status, listed_ids)
    listed = {row.pk: row for row in action_row_list(status, rows.filter(pk__in=listed_ids), people)}
    return DashboardFigures(
        people=people,
        total=total,
        rag_counts=rag_tally(rags),
        goals=[
            GoalSummary(
                order=order,
                title=title,
                url=reverse("goals:goal_detail", kwargs={"slug": strategy.slug, "goal": key}),
                total=sum(rags_by_goal[pk].values()),
                rag_counts=rag_tally(rags_by_goal[pk]),
            )
            for pk, order, title, key in goals
        ],
        completeness=completeness,
        evidence_completeness=evidence_completeness(status),
        movement=movement,
        moved=ShortList(
            [listed[pk] for pk in moved_ids],
            movements[Movement.DETERIORATED] + movements[Movement.IMPROVED],
            query("movement", [Movement.DETERIORATED, Movement.IMPROVED]) + "&sort=movement",
        ),
        red_and_amber=ShortList(
            [listed[pk] for pk in red_and_amber_ids],
            rags[RAG.RED] + rags[RAG.AMBER],
            query("rag", [RAG.RED, RAG.AMBER]) + "&sort=rag",
        ),
        headline=headline,
    )

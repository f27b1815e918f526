"""Reads for the strategy dashboard: RAG counts overall and per goal, completeness, movement
since the quarter before, and the actions that moved and the Reds and Ambers.
Every read returns evaluated data (lists and dataclasses, not lazy querysets) with a fixed number
of queries however large the strategy; the counts are pinned in tests/status at two data sizes."""

from collections import Counter, defaultdict
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import F, FilteredRelation, Q, Value
from django.db.models.functions import Coalesce

from goals.core.choices import (
    MISSING_FILTER,
    NOT_STARTED,
    NOT_STARTED_IN_LISTS,
    NOT_SUBMITTED,
    NOT_SUBMITTED_LABEL,
    RAG,
    RagCount,
    UpdateState,
    rag_counts,
    rag_style,
)
from goals.core.movement import (
    Movement,
)
from goals.core.quarters import Quarter
from goals.models import (
    Goal,
    SuccessMeasure,
)
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
    goal: Goal
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
class Dashboard:
    status: StatusPeriod
    people: ActionPeople
    total: int
    rag_counts: list[RagCount]
    goals: list[GoalSummary]
    completeness: list[Tally]
    evidence_completeness: list[Tally]  # success-measure evidence, counted as the updates are
    movement: list[Tally]
    moved: ShortList  # deteriorated first, then improved
    red_and_amber: ShortList  # red first, then amber
    headline: list[Tally]  # what a director looks for first: Red, Amber, deteriorated, not submitted


COMPLETENESS = (  # (key, label, update states) of the completeness counts
    ("approved", "approved", (UpdateState.APPROVED,)),
    ("submitted", "submitted, waiting for approval", (UpdateState.SUBMITTED,)),
    (MISSING_FILTER, NOT_SUBMITTED_LABEL.lower(), NOT_SUBMITTED_IN_LISTS),
)


def evidence_completeness(status: StatusPeriod) -> list[Tally]:
    """The quarter's success-measure evidence by state, as the updates are counted (one query).
    The action list does not list evidence, so the tallies link nowhere (`query` "")."""
    states = Counter(
        SuccessMeasure.objects.filter(objective__goal__strategy=status.strategy, archived_at__isnull=True)
        .annotate(
            this_evidence=FilteredRelation("evidence", condition=Q(evidence__period=status.period)),
            evidence_state=Coalesce(F("this_evidence__state"), Value(NOT_STARTED_IN_LISTS)),
        )
        .values_list("evidence_state", flat=True)
    )
    total = sum(states.values())
    return [Tally(key, label, sum(states[s] for s in values), total, "") for key, label, values in COMPLETENESS]


def strategy_dashboard(*, slug: str, quarter: Quarter | None = None) -> Dashboard:
    """RAG counts overall and per goal, completeness, movement since the quarter before, the
    actions that moved (deteriorated first) and the Reds and Ambers (9 queries). One pass reads
    every action's rating and movement; only the listed actions are then read in full."""
    status = page_status(slug, quarter)
    goals = list(status.strategy.goals.order_by("order"))
    for goal in goals:
        goal.strategy = status.strategy  # already read: spares a query per goal for its URL
    rows = action_rows(status)  # in strategy order
    compact = list(rows.values_list("pk", "goal_id", "rag", "movement", "update_state"))
    rags = Counter(rag for _, _, rag, _, _ in compact)
    movements = Counter(movement for *_, movement, _ in compact)
    states = Counter(state for *_, state in compact)
    rags_by_goal = defaultdict(list)
    for _, goal_id, rag, _, _ in compact:
        rags_by_goal[goal_id].append(rag)
    total = len(compact)
    limit = DASHBOARD_LIST_LIMIT
    # Red first, then Amber; deteriorated first, then improved; strategy order within each.
    red_and_amber_ids = [pk for rank in (RAG.RED, RAG.AMBER) for pk, _, rag, _, _ in compact if rag == rank][:limit]
    moved_ids = [
        pk
        for kind in (Movement.DETERIORATED, Movement.IMPROVED)
        for pk, _, _, movement, _ in compact
        if movement == kind
    ][:limit]

    def query(name, values):
        return urlencode(
            [("strategy", status.strategy.slug), ("quarter", status.period.slug)] + [(name, v) for v in values]
        )

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
    return Dashboard(
        status=status,
        people=people,
        total=total,
        rag_counts=rag_counts(rag for rag, n in rags.items() for _ in range(n)),
        goals=[
            GoalSummary(goal=g, total=len(rags_by_goal[g.pk]), rag_counts=rag_counts(rags_by_goal[g.pk])) for g in goals
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

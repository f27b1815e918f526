"""Reads for the RAG status pages: the strategy dashboard, the heat map, the action list (and its
downloads) and the BAF risks. Views call one of these and render what comes back.

Every function returns evaluated data (lists and dataclasses, not lazy querysets) with a fixed
number of queries however large the strategy; the counts are pinned in
tests/goals/test_dashboard*.py and tests/goals/test_risks.py at two data sizes. The one lazy
exception is `ActionList.queryset`, which the paginated table slices.

Rules, in one place:
- An update counts once its lead has submitted it (querysets.REPORTED_STATES); drafts and returned
  updates are the lead's work in progress, so the action is "not rated" for readers.
- "The previous quarter" is the calendar quarter before (Q1 2024/25 → Q4 2023/24), whether or not
  the strategy reported in it; with no rated update then, an action is "new" (goals.core.movement).
- Names and job titles are printed as they were that quarter (selectors.people_as_of).
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Case, CharField, Count, Exists, F, FilteredRelation, IntegerField, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThan, LessThan
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.text import capfirst

from goals.core.choices import (
    MISSING_FILTER,
    NOT_RATED,
    NOT_STARTED,
    NOT_STARTED_IN_LISTS,
    NOT_SUBMITTED,
    NOT_SUBMITTED_LABEL,
    RAG,
    RAG_SEVERITY,
    UPDATE_STATE_LABELS,
    RagCount,
    RiskBand,
    UpdateState,
    rag_counts,
    rag_style,
)
from goals.core.history import UPDATE_HISTORY_FIELDS, history_entries
from goals.core.movement import (
    DIRECTION_ARROWS,
    RISK_BAND_STYLES,
    Direction,
    Movement,
    rag_movement,
    risk_band,
    risk_direction,
)
from goals.core.quarters import Quarter, parse_quarter
from goals.core.querysets import REPORTED_STATES
from goals.models import (
    Action,
    ActionUpdate,
    Goal,
    Objective,
    Period,
    Person,
    PersonAsOf,
    Risk,
    RiskScore,
    Strategy,
    people_as_of,
)
from goals.status.filters import ActionFilterChoices, ActionFilterSet
from goals.templatetags.nhsuk import rag_tag_html

# "Not submitted" (goals.core.choices) as the action list's rows and URLs spell it.
NOT_SUBMITTED_IN_LISTS = tuple(NOT_STARTED_IN_LISTS if state == NOT_STARTED else state for state in NOT_SUBMITTED)

HEAT_MAP_QUARTERS = 8
# The dashboard lists at most this many Red/Amber and moved actions, worst first, and links to the
# action list for the rest: a real strategy has far fewer, and a 2,000-action page helps nobody.
DASHBOARD_LIST_LIMIT = 25
RISK_GRID_SIZE = 5
RISK_BAND_LABELS = dict(RiskBand.choices)


# --- Which strategy and quarter ---------------------------------------------------------------


@dataclass
class StatusPeriod:
    """The strategy and quarter a status page shows, and every quarter it can switch to."""

    strategy: Strategy
    periods: list[Period]  # chronological; each has `has_data` (reported updates or risk scores)
    period: Period | None  # None only when the strategy has no quarters yet
    previous: Period | None = None  # the strategy's period for the quarter before, if it has one

    @property
    def quarter(self) -> Quarter | None:
        return self.period.as_quarter if self.period else None

    @property
    def previous_quarter(self) -> Quarter | None:
        return self.quarter.previous() if self.period else None

    @property
    def pages(self) -> list[tuple[str, str, str]]:
        """(key, label, URL) of each status page of this strategy and quarter."""
        kwargs = {"slug": self.strategy.slug, "quarter": self.period.slug}
        actions = urlencode({"strategy": self.strategy.slug, "quarter": self.period.slug})
        return [
            ("dashboard", "Dashboard", reverse("goals:dashboard", kwargs=kwargs)),
            ("heat_map", "Heat map", reverse("goals:heat_map", kwargs=kwargs)),
            ("actions", "Action list", f"{reverse('goals:action_list')}?{actions}"),
            ("risks", "BAF risks", reverse("goals:risks", kwargs=kwargs)),
        ]

    @property
    def earlier(self) -> Period | None:
        """The strategy's period before this one, for a "previous quarter" link."""
        index = self.periods.index(self.period)
        return self.periods[index - 1] if index > 0 else None

    @property
    def later(self) -> Period | None:
        index = self.periods.index(self.period)
        return self.periods[index + 1] if index + 1 < len(self.periods) else None


def _periods_of(strategy: Strategy) -> list[Period]:
    reported = ActionUpdate.objects.filter(period=OuterRef("pk"), state__in=REPORTED_STATES)
    scored = RiskScore.objects.filter(period=OuterRef("pk"))
    periods = list(strategy.periods.annotate(has_updates=Exists(reported), has_scores=Exists(scored)).chronological())
    for period in periods:
        period.has_data = period.has_updates or period.has_scores
    return periods


def default_period(periods: list[Period]) -> Period | None:
    """The latest quarter with reported data; else the latest quarter; else None."""
    with_data = [p for p in periods if p.has_data]
    return (with_data or periods or [None])[-1]


def _status_period(strategy: Strategy, periods: list[Period], quarter: Quarter | None) -> StatusPeriod:
    by_quarter = {p.as_quarter: p for p in periods}
    if quarter is None:
        period = default_period(periods)
    elif quarter in by_quarter:
        period = by_quarter[quarter]
    else:
        raise Http404(f"{strategy.name} has no quarter {quarter.label}")
    previous = by_quarter.get(period.as_quarter.previous()) if period else None
    return StatusPeriod(strategy=strategy, periods=periods, period=period, previous=previous)


def status_period(slug: str, quarter: Quarter | None = None) -> StatusPeriod:
    """The strategy (404 if unknown) and the quarter asked for (404 if the strategy does not have
    it; the latest with reported data when none is asked for). Two queries."""
    strategy = get_object_or_404(Strategy.objects.select_related("sro"), slug=slug)
    return _status_period(strategy, _periods_of(strategy), quarter)


def _page_status(slug: str, quarter: Quarter | None) -> StatusPeriod:
    status = status_period(slug, quarter)
    if status.period is None:
        raise Http404(f"{status.strategy.name} has no quarters yet")
    return status


# --- One row per action for a quarter ---------------------------------------------------------


def _goodness(value: str) -> int:
    """How many ratings `value` would be an improvement on (Blue 3, Green 2, Amber 1, Red 0)."""
    return sum(1 for other in RAG.values if rag_movement(other, value) == Movement.IMPROVED)


def _movement_expression():
    """goals.core.movement.rag_movement as SQL, so the action list can filter and sort by movement. The
    ranks are read off rag_movement itself; a test compares every pair of ratings."""

    def rank(name):
        return Case(*[When(**{name: v}, then=Value(_goodness(v))) for v in RAG.values], output_field=IntegerField())

    return Case(
        When(rag=NOT_RATED, then=Value(Movement.NOT_RATED.value)),
        When(previous_rag=NOT_RATED, then=Value(Movement.NEW.value)),
        When(GreaterThan(rank("rag"), rank("previous_rag")), then=Value(Movement.IMPROVED.value)),
        When(LessThan(rank("rag"), rank("previous_rag")), then=Value(Movement.DETERIORATED.value)),
        default=Value(Movement.UNCHANGED.value),
        output_field=CharField(),
    )


def _severity_expression():
    return Case(
        *[When(rag=value, then=Value(rank)) for value, rank in RAG_SEVERITY.items()],
        output_field=IntegerField(),
    )


def action_rows(status: StatusPeriod):
    """Every action of the strategy annotated with its update for the quarter: `rag` (reported
    only, "" = not rated), `rag_reason`, `update_state` (NOT_STARTED_IN_LISTS when there is none),
    `previous_rag`, `movement` and `rag_severity` (red first). One row per action: an action has
    at most one update per quarter, joined with FilteredRelation rather than subqueries."""
    reported = Q(current__state__in=REPORTED_STATES)
    rows = Action.objects.filter(objective__goal__strategy=status.strategy).annotate(
        current=FilteredRelation("updates", condition=Q(updates__period=status.period)),
    )
    if status.previous:
        rows = rows.annotate(
            before=FilteredRelation(
                "updates", condition=Q(updates__period=status.previous, updates__state__in=REPORTED_STATES)
            ),
        ).annotate(previous_rag=Coalesce(F("before__rag"), Value(NOT_RATED)))
    else:
        rows = rows.annotate(previous_rag=Value(NOT_RATED, output_field=CharField()))
    return (
        rows.annotate(
            rag=Case(When(reported, then=F("current__rag")), default=Value(NOT_RATED), output_field=CharField()),
            rag_reason=Case(When(reported, then=F("current__rag_reason")), default=Value(""), output_field=CharField()),
            progress=Case(When(reported, then=F("current__progress")), default=Value(""), output_field=CharField()),
            update_state=Coalesce(F("current__state"), Value(NOT_STARTED_IN_LISTS)),
            goal_id=F("objective__goal_id"),
            goal_title=F("objective__goal__title"),
            objective_title=F("objective__title"),
        )
        .annotate(movement=_movement_expression(), rag_severity=_severity_expression())
        .order_by("objective__goal__order", "objective__order", "number")
    )


@dataclass
class ActionRow:
    """One action in one quarter, as the dashboard lists and the downloads print it."""

    pk: int
    number: int
    title: str
    goal_id: int
    goal_title: str
    objective_title: str
    rag: str
    previous_rag: str
    movement: str
    update_state: str
    rag_reason: str
    progress: str
    sros: list[PersonAsOf] = field(default_factory=list)
    leads: list[PersonAsOf] = field(default_factory=list)

    @property
    def url(self) -> str:
        return reverse("goals:action_detail", kwargs={"pk": self.pk})

    @property
    def rag_label(self) -> str:
        return rag_style(self.rag).label

    @property
    def previous_rag_label(self) -> str:
        return rag_style(self.previous_rag).label

    @property
    def movement_label(self) -> str:
        return str(Movement(self.movement).label)

    @property
    def update_state_label(self) -> str:
        return str(UPDATE_STATE_LABELS[self.update_state])

    @property
    def sro_names(self) -> str:
        return "; ".join(str(p) for p in self.sros)

    @property
    def lead_names(self) -> str:
        return "; ".join(str(p) for p in self.leads)


_ROW_FIELDS = (
    "pk",
    "number",
    "title",
    "goal_id",
    "goal_title",
    "objective_title",
    "rag",
    "previous_rag",
    "movement",
    "update_state",
    "rag_reason",
    "progress",
)


@dataclass
class ActionPeople:
    """The SROs and programme leads of a strategy's actions, named as they were that quarter."""

    people: dict[int, Person]
    names: dict[int, PersonAsOf]
    sro_links: list[tuple[int, int]]  # (action id, person id)
    lead_links: list[tuple[int, int]]

    def __post_init__(self):
        self._sros, self._leads = defaultdict(list), defaultdict(list)
        for links, into in ((self.sro_links, self._sros), (self.lead_links, self._leads)):
            for action_id, person_id in links:
                into[action_id].append(person_id)

    def _named(self, person_ids) -> list[PersonAsOf]:
        return sorted((self.names[i] for i in person_ids), key=lambda p: p.name)

    def sros_of(self, action_id: int) -> list[PersonAsOf]:
        return self._named(self._sros.get(action_id, ()))

    def leads_of(self, action_id: int) -> list[PersonAsOf]:
        return self._named(self._leads.get(action_id, ()))

    def _choices(self, links) -> list[tuple[str, str]]:
        ids = {person_id for _, person_id in links}
        return sorted(((self.people[i].key, str(self.names[i])) for i in ids), key=lambda c: c[1])

    @property
    def sro_choices(self) -> list[tuple[str, str]]:
        return self._choices(self.sro_links)

    @property
    def lead_choices(self) -> list[tuple[str, str]]:
        return self._choices(self.lead_links)


def action_people(status: StatusPeriod, action_ids=None) -> ActionPeople:
    """Who is SRO and lead of each action of the strategy, or of just the actions given (4 queries,
    names included)."""
    which = Q(action__objective__goal__strategy=status.strategy) if action_ids is None else Q(action_id__in=action_ids)
    sro_links = list(Action.sros.through.objects.filter(which).values_list("action_id", "person_id"))
    lead_links = list(Action.leads.through.objects.filter(which).values_list("action_id", "person_id"))
    people = Person.objects.only("pk", "key", "name", "job_title").in_bulk({p for _, p in sro_links + lead_links})
    names = people_as_of(status.period, people.values()) if status.period else {}
    return ActionPeople(people=people, names=names, sro_links=sro_links, lead_links=lead_links)


def action_row_list(
    status: StatusPeriod, rows, people: ActionPeople | None = None, *, limit: int | None = None
) -> list[ActionRow]:
    """Evaluate `rows` (from action_rows, perhaps filtered and ordered; the first `limit` of them)
    into ActionRows with their SROs and leads (1 query, plus 4 for the people unless given)."""
    values = list(rows.values_list(*_ROW_FIELDS)[:limit])
    people = people or action_people(status)
    return [ActionRow(*v, sros=people.sros_of(v[0]), leads=people.leads_of(v[0])) for v in values]


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
    movement: list[Tally]
    moved: ShortList  # deteriorated first, then improved
    red_and_amber: ShortList  # red first, then amber
    headline: list[Tally]  # what a director looks for first: Red, Amber, deteriorated, not submitted


def strategy_dashboard(*, slug: str, quarter: Quarter | None = None) -> Dashboard:
    """RAG counts overall and per goal, completeness, movement since the quarter before, the
    actions that moved (deteriorated first) and the Reds and Ambers (9 queries). One pass reads
    every action's rating and movement; only the listed actions are then read in full."""
    status = _page_status(slug, quarter)
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
        for key, label, values in (
            ("approved", "approved", (UpdateState.APPROVED,)),
            ("submitted", "submitted, waiting for approval", (UpdateState.SUBMITTED,)),
            (MISSING_FILTER, NOT_SUBMITTED_LABEL.lower(), NOT_SUBMITTED_IN_LISTS),
        )
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


# --- The heat map -----------------------------------------------------------------------------


@dataclass
class HeatCell:
    """One goal or objective in one quarter: its actions' reported ratings."""

    period: Period
    counts: list[RagCount]

    @property
    def rag(self) -> str:
        """The worst rating reported (Red, then Amber, Green, Blue); not rated if none was."""
        rated = [c.rag for c in self.counts if c.count and c.rag != NOT_RATED]
        return rated[0] if rated else NOT_RATED

    @property
    def tag(self) -> str:
        return rag_tag_html(self.rag, compact=True)

    @property
    def summary(self) -> str:
        parts = [f"{c.count} {rag_style(c.rag).label}" for c in self.counts if c.count and c.rag != NOT_RATED]
        return ", ".join(parts) or "No reported ratings"


@dataclass
class HeatRow:
    kind: str  # "goal" or "objective"
    label: str
    title: str
    url: str
    cells: list[HeatCell]


@dataclass
class HeatMap:
    status: StatusPeriod
    periods: list[Period]  # the columns: up to eight quarters, ending with the chosen one
    rows: list[HeatRow]


def heat_map(*, slug: str, quarter: Quarter | None = None) -> HeatMap:
    """Goals and their objectives × the last eight quarters up to `quarter`, one cell each
    (5 queries)."""
    status = _page_status(slug, quarter)
    end = status.periods.index(status.period) + 1
    columns = status.periods[max(0, end - HEAT_MAP_QUARTERS) : end]
    goals = list(status.strategy.goals.order_by("order"))
    objectives = list(Objective.objects.filter(goal__strategy=status.strategy).order_by("goal__order", "order"))
    tallies = (
        ActionUpdate.objects.filter(period__in=columns, state__in=REPORTED_STATES)
        .values_list("period_id", "action__objective_id", "rag")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_objective = defaultdict(list)  # (objective id, period id) → rags
    for period_id, objective_id, rag, n in tallies:
        by_objective[objective_id, period_id].extend([rag] * n)

    def cells(objective_ids):
        return [HeatCell(p, rag_counts(r for o in objective_ids for r in by_objective[o, p.pk])) for p in columns]

    rows = []
    for goal in goals:
        own = [o for o in objectives if o.goal_id == goal.pk]
        goal.strategy = status.strategy  # already read: spares a query per goal for its URL
        url = goal.get_absolute_url()
        rows.append(HeatRow("goal", f"Goal {goal.order}", goal.title, url, cells([o.pk for o in own])))
        rows.extend(
            HeatRow("objective", f"{goal.order}.{o.order}", o.title, f"{url}#objective-{o.pk}", cells([o.pk]))
            for o in own
        )
    return HeatMap(status=status, periods=columns, rows=rows)


# --- BAF risks --------------------------------------------------------------------------------


@dataclass
class RiskRow:
    """A BAF risk's score in one quarter, with its band and its direction of travel."""

    risk: Risk
    period: Period | None
    score: int | None
    likelihood: int | None
    consequence: int | None
    previous_score: int | None
    goals: list[Goal] = field(default_factory=list)
    owner: PersonAsOf | None = None

    @property
    def url(self) -> str:
        return reverse("goals:risk_history", kwargs={"slug": self.risk.strategy.slug, "number": self.risk.number})

    @property
    def band(self) -> RiskBand | None:
        return risk_band(self.score)

    @property
    def band_label(self) -> str:
        return RISK_BAND_LABELS[self.band] if self.band else "Not scored"

    @property
    def band_style(self) -> tuple[str, str] | None:
        return RISK_BAND_STYLES[self.band] if self.band else None

    @property
    def target_band_label(self) -> str:
        band = risk_band(self.risk.target_score)
        return RISK_BAND_LABELS[band] if band else ""

    @property
    def direction(self) -> Direction | None:
        return risk_direction(self.previous_score, self.score)

    @property
    def arrow(self) -> str:
        return DIRECTION_ARROWS[self.direction] if self.direction else ""

    @property
    def direction_label(self) -> str:
        return self.direction.label if self.direction else "Not scored"

    @property
    def placed(self) -> bool:
        return bool(self.likelihood and self.consequence)


@dataclass
class GridCell:
    likelihood: int
    consequence: int
    risks: list[RiskRow]

    @property
    def score(self) -> int:
        return self.likelihood * self.consequence

    @property
    def band(self) -> RiskBand:
        return risk_band(self.score)

    @property
    def band_label(self) -> str:
        return RISK_BAND_LABELS[risk_band(self.score)]

    @property
    def band_style(self) -> tuple[str, str]:
        return RISK_BAND_STYLES[risk_band(self.score)]


@dataclass
class RiskRegister:
    status: StatusPeriod
    rows: list[RiskRow]
    grid: list[tuple[int, list[GridCell]]]  # likelihood 5 → 1, each with consequence 1 → 5

    @property
    def not_placed(self) -> list[RiskRow]:
        """Scored without likelihood and consequence (packs often print only the score)."""
        return [r for r in self.rows if r.score is not None and not r.placed]

    @property
    def not_scored(self) -> list[RiskRow]:
        return [r for r in self.rows if r.score is None]

    @property
    def consequences(self) -> list[int]:
        return list(range(1, RISK_GRID_SIZE + 1))


def _owner_names(status: StatusPeriod, risks) -> dict[int, PersonAsOf]:
    owners = [r.owner for r in risks if r.owner_id]
    return people_as_of(status.period, owners) if owners else {}


def risk_register(*, slug: str, quarter: Quarter | None = None) -> RiskRegister:
    """Every BAF risk with this quarter's score, band, direction of travel from the quarter before,
    target, goals and owner; and the 5×5 likelihood × consequence grid (5 queries, 6 when risks
    have owners)."""
    status = _page_status(slug, quarter)
    risks = list(status.strategy.risks.select_related("owner").prefetch_related("goals").order_by("number"))
    wanted = [p for p in (status.period, status.previous) if p]
    scores = {(s.risk_id, s.period_id): s for s in RiskScore.objects.filter(period__in=wanted)}
    owners = _owner_names(status, risks)
    rows = []
    for risk in risks:
        risk.strategy = status.strategy
        now = scores.get((risk.pk, status.period.pk))
        before = scores.get((risk.pk, status.previous.pk)) if status.previous else None
        rows.append(
            RiskRow(
                risk=risk,
                period=status.period,
                score=now.score if now else None,
                likelihood=now.likelihood if now else None,
                consequence=now.consequence if now else None,
                previous_score=before.score if before else None,
                goals=sorted(risk.goals.all(), key=lambda g: g.order),
                owner=owners.get(risk.owner_id),
            )
        )
    grid = [
        (
            likelihood,
            [
                GridCell(
                    likelihood,
                    consequence,
                    [r for r in rows if (r.likelihood, r.consequence) == (likelihood, consequence)],
                )
                for consequence in range(1, RISK_GRID_SIZE + 1)
            ],
        )
        for likelihood in range(RISK_GRID_SIZE, 0, -1)
    ]
    return RiskRegister(status=status, rows=rows, grid=grid)


@dataclass
class RiskHistory:
    risk: Risk
    owner: PersonAsOf | None
    goals: list[Goal]
    rows: list[RiskRow]  # every quarter of the strategy, latest first


def risk_history(*, slug: str, number: str) -> RiskHistory:
    """One BAF risk's score in every quarter of its strategy, latest first (4 queries)."""
    risk = get_object_or_404(
        Risk.objects.select_related("strategy", "owner").prefetch_related("goals"), strategy__slug=slug, number=number
    )
    periods = list(risk.strategy.periods.chronological())
    scores = {s.period_id: s for s in risk.scores.all()}
    by_quarter = {p.as_quarter: p for p in periods}
    goals = sorted(risk.goals.all(), key=lambda g: g.order)
    for goal in goals:
        goal.strategy = risk.strategy  # already read: spares a query per goal for its URL
    rows = []
    for period in periods:
        now = scores.get(period.pk)
        earlier = by_quarter.get(period.as_quarter.previous())
        before = scores.get(earlier.pk) if earlier else None
        rows.append(
            RiskRow(
                risk=risk,
                period=period,
                score=now.score if now else None,
                likelihood=now.likelihood if now else None,
                consequence=now.consequence if now else None,
                previous_score=before.score if before else None,
                goals=goals,
            )
        )
    latest = periods[-1] if periods else None
    owner = people_as_of(latest, [risk.owner])[risk.owner_id] if risk.owner and latest else None
    return RiskHistory(risk=risk, owner=owner, goals=goals, rows=rows[::-1])


# --- The action list and its downloads --------------------------------------------------------


@dataclass
class ActionList:
    status: StatusPeriod
    people: ActionPeople
    filterset: ActionFilterSet

    @property
    def queryset(self):
        """The filtered rows, lazy: the table orders and paginates them."""
        return self.filterset.qs

    def row_list(self) -> list[ActionRow]:
        """Every filtered row, evaluated (for the downloads)."""
        return action_row_list(self.status, self.filterset.qs, self.people)


def action_list(params: QueryDict) -> ActionList:
    """The action list of one strategy in one quarter, filtered by `params` (the GET query).

    Strategy and quarter fall back to the first strategy and its latest quarter with reported data
    when absent or unknown (the form then says what was wrong). 8 queries before the table's own.
    """
    strategies = list(Strategy.objects.order_by("name"))
    if not strategies:
        raise Http404("There are no strategies yet")
    strategy = next((s for s in strategies if s.slug == params.get("strategy")), strategies[0])
    periods = _periods_of(strategy)
    try:
        quarter = parse_quarter(params.get("quarter", ""))
    except ValueError:
        quarter = None
    if quarter not in {p.as_quarter for p in periods}:
        quarter = None
    status = _status_period(strategy, periods, quarter)
    if status.period is None:
        raise Http404(f"{strategy.name} has no quarters yet")
    objectives = list(
        Objective.objects.filter(goal__strategy=strategy)
        .order_by("goal__order", "order")
        .values_list("pk", "order", "title", "goal__key", "goal__order", "goal__title")
    )
    people = action_people(status)
    choices = ActionFilterChoices(
        strategies=[(s.slug, s.name) for s in strategies],
        quarters=[(p.slug, p.label) for p in reversed(periods)],
        goals=list({key: (key, f"{order}. {title}") for *_, key, order, title in objectives}.values()),
        objectives=[(str(pk), f"{g_order}.{order} {title}") for pk, order, title, _, g_order, _ in objectives],
        sros=people.sro_choices,
        leads=people.lead_choices,
    )
    data = params.copy()
    data.setdefault("strategy", strategy.slug)
    data.setdefault("quarter", status.period.slug)
    filterset = ActionFilterSet(data, queryset=action_rows(status).select_related("objective__goal"), choices=choices)
    return ActionList(status=status, people=people, filterset=filterset)


# --- The action page: RAG timeline and history (called by selectors.action_detail) ------------


@dataclass
class TimelineEntry:
    """One quarter of an action's RAG timeline."""

    period: Period
    update: ActionUpdate | None  # the reported update, if there is one
    movement: Movement

    @property
    def rag(self) -> str:
        return self.update.rag if self.update else NOT_RATED

    @property
    def movement_label(self) -> str:
        return str(self.movement.label)


def action_timeline(action: Action, reported_updates: list[ActionUpdate]) -> list[TimelineEntry]:
    """Every quarter of the action's strategy, oldest first, with the reported rating and how it
    moved from the quarter before (1 query)."""
    periods = list(Period.objects.filter(strategy_id=action.objective.goal.strategy_id).chronological())
    by_period = {u.period_id: u for u in reported_updates}
    rag_by_quarter = {p.as_quarter: (by_period[p.pk].rag if p.pk in by_period else NOT_RATED) for p in periods}
    return [
        TimelineEntry(
            period=p,
            update=by_period.get(p.pk),
            movement=rag_movement(rag_by_quarter.get(p.as_quarter.previous(), NOT_RATED), rag_by_quarter[p.as_quarter]),
        )
        for p in periods
    ]


_FIRST_VERSION_LABELS = {capfirst(ActionUpdate._meta.get_field(name).verbose_name) for name in ("state", "rag")}


def attach_update_history(updates: list[ActionUpdate]) -> None:
    """Give each update its `history_entries` (who, when, before → after), newest first. One query
    for all of them."""
    records = defaultdict(list)
    history = (
        ActionUpdate.history.filter(id__in=[u.pk for u in updates])
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    for record in history:
        records[record.id].append(record)
    for update in updates:
        entries = history_entries(records[update.pk], UPDATE_HISTORY_FIELDS)
        if entries:
            # The first version's text is on the page already (or, once edited, is the "before" of the
            # next version): say only how it started.
            entries[-1].changes = [c for c in entries[-1].changes if c.label in _FIRST_VERSION_LABELS]
        update.history_entries = entries

"""What every RAG status page reads first: which strategy and quarter it shows (StatusPeriod),
and one row per action for that quarter with its reported rating and movement.

Rules, in one place:
- An update counts once its lead has submitted it (querysets.REPORTED_STATES); drafts and returned
  updates are the lead's work in progress, so the action is "not rated" for readers.
- "The previous quarter" is the calendar quarter before (Q1 2024/25 → Q4 2023/24), whether or not
  the strategy reported in it; with no rated update then, an action is "new" (goals.core.movement).
- Names and job titles are printed as they were that quarter (goals.models.people_as_of).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Case, CharField, Exists, F, FilteredRelation, IntegerField, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThan, LessThan
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse

from goals.core.caching import strategy_cached
from goals.core.choices import (
    NOT_RATED,
    NOT_STARTED_IN_LISTS,
    RAG,
    RAG_SEVERITY,
    UPDATE_STATE_LABELS,
    rag_style,
)
from goals.core.movement import (
    Movement,
    rag_movement,
)
from goals.core.numbering import action_number
from goals.core.quarters import Quarter
from goals.core.querysets import REPORTED_STATES
from goals.models import (
    Action,
    ActionUpdate,
    Period,
    Person,
    PersonAsOf,
    RiskScore,
    Strategy,
    people_as_of,
)

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


def periods_with_data(strategy: Strategy) -> list[Period]:
    """The strategy's quarters, chronological, each with `has_data` (reported updates or risk
    scores): one query, then from the pages' cache until the strategy's data changes."""
    periods = strategy_cached(strategy, "periods-with-data", compute=lambda: _periods_with_data(strategy))
    for period in periods:
        period.strategy = strategy  # the strategy as read for this request, not the cached copy
    return periods


def _periods_with_data(strategy: Strategy) -> list[Period]:
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


def status_period_of(strategy: Strategy, periods: list[Period], quarter: Quarter | None) -> StatusPeriod:
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
    return status_period_of(strategy, periods_with_data(strategy), quarter)


def page_status(slug: str, quarter: Quarter | None) -> StatusPeriod:
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
    rows = (
        Action.objects.filter(objective__goal__strategy=status.strategy)
        .annotate(current=FilteredRelation("updates", condition=Q(updates__period=status.period)))
        # An archived action is listed only in a quarter it has an update in.
        .filter(Q(archived_at__isnull=True) | Q(current__id__isnull=False))
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
            goal_order=F("objective__goal__order"),
            objective_order=F("objective__order"),
            goal_title=F("objective__goal__title"),
            objective_title=F("objective__title"),
        )
        .annotate(movement=_movement_expression(), rag_severity=_severity_expression())
        .order_by("objective__goal__order", "objective__order", "number")
    )


def listed_action_count(status: StatusPeriod) -> int:
    """How many rows action_rows(status) has (every action of the strategy; an archived one only
    if it has an update in the quarter), counted without its joins: a fifth of the time at 20,000
    actions. One query."""
    in_quarter = ActionUpdate.objects.filter(action=OuterRef("pk"), period=status.period)
    return (
        Action.objects.filter(objective__goal__strategy_id=status.strategy.pk)
        .filter(Q(archived_at__isnull=True) | Exists(in_quarter))
        .count()
    )


@dataclass
class ActionRow:
    """One action in one quarter, as the dashboard lists and the downloads print it."""

    pk: int
    number: int
    goal_order: int
    objective_order: int
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
    def action_number(self) -> str:
        return action_number(self.goal_order, self.objective_order, self.number)

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
    "goal_order",
    "objective_order",
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


def _links(which: Q, *fields: str):
    """SRO and lead links matching `which`, in one query: (kind, *fields), kind "s" or "l"."""
    sros = Action.sros.through.objects.filter(which).annotate(kind=Value("s", output_field=CharField()))
    leads = Action.leads.through.objects.filter(which).annotate(kind=Value("l", output_field=CharField()))
    return sros.values_list("kind", *fields).union(leads.values_list("kind", *fields))


def linked_people(status: StatusPeriod, action_ids=None) -> ActionPeople:
    """Who is SRO and lead of just the actions given, or of every action of the strategy, named as
    that quarter (3 queries: the links of both kinds in one)."""
    which = Q(action__objective__goal__strategy=status.strategy) if action_ids is None else Q(action_id__in=action_ids)
    rows = list(_links(which, "action_id", "person_id"))
    people = Person.objects.only("pk", "key", "name", "job_title").in_bulk({p for *_, p in rows})
    names = people_as_of(status.period, people.values()) if status.period else {}
    return ActionPeople(
        people=people,
        names=names,
        sro_links=[(a, p) for kind, a, p in rows if kind == "s"],
        lead_links=[(a, p) for kind, a, p in rows if kind == "l"],
    )


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

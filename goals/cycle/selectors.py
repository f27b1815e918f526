"""Reads for the quarterly cycle: My updates, To review, the submission tracker, an update's
page with its history, and the quarters page. Each returns evaluated data (or, for the tracker,
a queryset the table paginates) with a fixed number of queries however large the trust
(pinned in tests/cycle/test_update_queries.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Exists, F, FilteredRelation, OuterRef, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from goals.core import permissions, quarters
from goals.core.caching import strategy_cached
from goals.core.choices import (
    NOT_STARTED,
    NOT_SUBMITTED,
    STATE_TAGS,
    ActionStatus,
    PeriodState,
    StateTag,
    UpdateState,
    state_tag,
)
from goals.core.history import EVIDENCE_HISTORY_FIELDS, UPDATE_HISTORY_FIELDS, history_of
from goals.core.quarters import Quarter, quarter_of
from goals.core.querysets import REPORTED_STATES
from goals.models import Action, ActionUpdate, MeasureEvidence, Period, Person, Strategy, SuccessMeasure

# --- Where an action's update stands ---------------------------------------------------------

# "Returned first": what needs the lead most comes first on My updates.
STATE_URGENCY = {
    UpdateState.RETURNED: 0,
    NOT_STARTED: 1,
    UpdateState.DRAFT: 2,
    UpdateState.SUBMITTED: 3,
    UpdateState.APPROVED: 4,
}


def days_left(deadline: date | None, today: date | None = None) -> int | None:
    """Days from today to the deadline: 0 on the day, negative once it has passed."""
    if deadline is None:
        return None
    return (deadline - (today or timezone.localdate())).days


def deadline_text(deadline: date | None, today: date | None = None) -> str:
    """The deadline sentence (goals.core.quarters.deadline_text) counted from today."""
    return quarters.deadline_text(deadline, days_left(deadline, today))


# --- My updates ------------------------------------------------------------------------------


@dataclass
class MyUpdateRow:
    action: Action
    update: ActionUpdate | None
    state: StateTag


@dataclass
class MyEvidenceRow:
    measure: SuccessMeasure
    evidence: MeasureEvidence | None
    state: StateTag


@dataclass
class MyQuarter:
    period: Period
    days_left: int | None
    rows: list[MyUpdateRow] = field(default_factory=list)
    evidence_rows: list[MyEvidenceRow] = field(default_factory=list)

    @property
    def deadline_text(self) -> str:
        return deadline_text(self.period.deadline)

    @property
    def deadline_near(self) -> bool:
        """Within a week, or passed: the page says it louder."""
        return self.days_left is not None and self.days_left <= 7

    @property
    def to_do(self) -> int:
        return sum(1 for row in self.rows + self.evidence_rows if row.state.value in NOT_SUBMITTED)


def _active_actions():
    return Action.objects.filter(status=ActionStatus.ACTIVE)


def _current_actions():
    """Active actions not archived: what open quarters ask updates for."""
    return _active_actions().filter(archived_at__isnull=True)


def my_updates(user) -> list[MyQuarter]:
    """The open quarters in which the user leads actions, each with those actions (returned
    first, then not started, draft, submitted, approved) and the success measures whose
    evidence they write."""
    person = permissions.person_of(user)
    if person is None:
        return []
    periods = list(
        Period.objects.filter(
            state=PeriodState.OPEN,
            strategy__in=Strategy.objects.filter(goals__objectives__actions__leads=person),
        )
        .select_related("strategy")
        .order_by("deadline", "strategy__name")
    )
    if not periods:
        return []
    strategy_ids = [p.strategy_id for p in periods]
    actions = list(
        _current_actions()
        .filter(leads=person, objective__goal__strategy__in=strategy_ids)
        .select_related("objective__goal")
        .distinct()
    )
    updates = {
        (u.action_id, u.period_id): u
        for u in ActionUpdate.objects.filter(period__in=periods, action__in=actions).select_related("reviewed_by")
    }
    measures = list(
        SuccessMeasure.objects.filter(
            Q(objective__actions__leads=person) | Q(objective__lead_directors=person),
            objective__goal__strategy__in=strategy_ids,
            archived_at__isnull=True,
        )
        .select_related("objective__goal")
        .distinct()
        .order_by("objective__goal__order", "objective__order", "order")
    )
    evidence = {
        (e.measure_id, e.period_id): e
        for e in MeasureEvidence.objects.filter(period__in=periods, measure__in=measures).select_related("reviewed_by")
    }
    quarters = []
    for period in periods:
        quarter = MyQuarter(period=period, days_left=days_left(period.deadline))
        for action in actions:
            if action.objective.goal.strategy_id == period.strategy_id:
                update = updates.get((action.pk, period.pk))
                quarter.rows.append(MyUpdateRow(action, update, state_tag(update and update.state)))
        quarter.rows.sort(
            key=lambda r: (
                STATE_URGENCY[r.state.value],
                r.action.objective.goal.order,
                r.action.objective.order,
                r.action.number,
            )
        )
        for measure in measures:
            if measure.objective.goal.strategy_id == period.strategy_id:
                row = evidence.get((measure.pk, period.pk))
                quarter.evidence_rows.append(MyEvidenceRow(measure, row, state_tag(row and row.state)))
        quarters.append(quarter)
    return quarters


CYCLE_ROLES_SESSION_KEY = "cycle_roles"


def remember_cycle_roles(request, user=None) -> None:
    """Keep the user's cycle roles in their session, where base.html's navigation reads them
    without a query on every page. Set at sign-in (goals.apps) and refreshed on My updates and
    To review, so someone newly made a lead or SRO sees the link after either."""
    session = getattr(request, "session", None)
    if session is not None:
        roles_now = user_cycle_roles(user or request.user)
        if session.get(CYCLE_ROLES_SESSION_KEY) != roles_now:
            session[CYCLE_ROLES_SESSION_KEY] = roles_now


def remember_cycle_roles_at_sign_in(sender, request, user, **kwargs) -> None:
    """user_logged_in receiver (connected in goals.apps)."""
    remember_cycle_roles(request, user)


def user_cycle_roles(user) -> dict[str, bool]:
    """Whether the user leads any action and reviews any (SRO, or strategy admin), for the
    navigation: one query, plus the user's groups if not yet read."""
    if not getattr(user, "is_authenticated", False):
        return {"leads_actions": False, "reviews_actions": False}
    flags = (
        Person.objects.filter(user=user)
        .annotate(led=Count("led_actions", distinct=True), owned=Count("sro_actions", distinct=True))
        .values("led", "owned")
        .first()
    ) or {"led": 0, "owned": 0}
    # A strategy admin may approve anything, so To review lists every submitted update for them.
    return {
        "leads_actions": flags["led"] > 0,
        "reviews_actions": flags["owned"] > 0 or permissions.is_strategy_admin(user),
    }


# --- To review -------------------------------------------------------------------------------


def to_review(user) -> list[ActionUpdate]:
    """Submitted updates in open quarters of the actions the user is SRO of (every one for a
    strategy admin), oldest submission first."""
    updates = ActionUpdate.objects.filter(state=UpdateState.SUBMITTED, period__state=PeriodState.OPEN)
    if not permissions.is_strategy_admin(user):
        person = permissions.person_of(user)
        if person is None:
            return []
        updates = updates.filter(action__sros=person)
    else:
        updates = updates.filter(permissions.strategy_scope(user, "action__objective__goal__strategy__"))
    return list(
        updates.select_related("action__objective__goal__strategy", "period", "submitted_by")
        .distinct()
        .order_by("submitted_at", "pk")
    )


def evidence_to_review(user) -> list[MeasureEvidence]:
    """Submitted success-measure evidence in open quarters of the objectives the user is a lead
    director of or whose actions they are SRO of (every one for a strategy admin), oldest first."""
    evidence = MeasureEvidence.objects.filter(state=UpdateState.SUBMITTED, period__state=PeriodState.OPEN)
    if not permissions.is_strategy_admin(user):
        person = permissions.person_of(user)
        if person is None:
            return []
        evidence = evidence.filter(
            Q(measure__objective__lead_directors=person) | Q(measure__objective__actions__sros=person)
        )
    return list(
        evidence.select_related("measure__objective__goal__strategy", "period", "submitted_by")
        .distinct()
        .order_by("submitted_at", "pk")
    )


# --- One action's update, and one measure's evidence -----------------------------------------


def _earlier(period: Period) -> Q:
    return Q(period__year__lt=period.year) | Q(period__year=period.year, period__quarter__lt=period.quarter)


@dataclass
class UpdatePage:
    action: Action
    period: Period
    update: ActionUpdate | None
    previous: ActionUpdate | None  # the latest reported update of an earlier quarter
    history: list


def update_page(user, action_pk: int, quarter: Quarter | str) -> UpdatePage:
    """The action and quarter of an update page, for a user who may see it (404 otherwise)."""
    action = get_object_or_404(
        Action.objects.select_related("objective__goal__strategy").prefetch_related("leads", "sros"), pk=action_pk
    )
    if not permissions.may_read_cycle_page(
        user, action.objective.goal.strategy, leads=action.leads.all(), sros=action.sros.all()
    ):
        raise Http404("No such update")
    period = Period.objects.get_at_or_404(quarter, strategy_id=action.objective.goal.strategy_id)
    update = (
        ActionUpdate.objects.filter(action=action, period=period)
        .select_related("submitted_by", "reviewed_by", "updated_by")
        .first()
    )
    previous = (
        ActionUpdate.objects.filter(_earlier(period), action=action, state__in=REPORTED_STATES)
        .select_related("period")
        .latest_first()
        .first()
    )
    return UpdatePage(action, period, update, previous, history_of(update, UPDATE_HISTORY_FIELDS))


@dataclass
class EvidencePage:
    measure: SuccessMeasure
    period: Period
    evidence: MeasureEvidence | None
    previous: MeasureEvidence | None
    history: list


def evidence_page(user, measure_pk: int, quarter: Quarter | str) -> EvidencePage:
    measure = get_object_or_404(
        SuccessMeasure.objects.select_related("objective__goal__strategy").prefetch_related(
            "objective__lead_directors",
            Prefetch("objective__actions", queryset=Action.objects.prefetch_related("leads", "sros")),
        ),
        pk=measure_pk,
    )
    actions = measure.objective.actions.all()
    leads = [p for a in actions for p in a.leads.all()] + list(measure.objective.lead_directors.all())
    sros = [p for a in actions for p in a.sros.all()]
    if not permissions.may_read_cycle_page(user, measure.objective.goal.strategy, leads=leads, sros=sros):
        raise Http404("No such evidence")
    period = Period.objects.get_at_or_404(quarter, strategy_id=measure.objective.goal.strategy_id)
    evidence = (
        MeasureEvidence.objects.filter(measure=measure, period=period)
        .select_related("updated_by", "submitted_by", "reviewed_by")
        .first()
    )
    previous = (
        MeasureEvidence.objects.filter(_earlier(period), measure=measure, state__in=REPORTED_STATES)
        .select_related("period")
        .order_by("-period__year", "-period__quarter")
        .first()
    )
    return EvidencePage(measure, period, evidence, previous, history_of(evidence, EVIDENCE_HISTORY_FIELDS))


# --- Tracker ---


def tracker_period(strategy_slug: str, quarter: Quarter | str) -> Period:
    """The strategy's period of `quarter`, with its strategy (404 if either is unknown)."""
    strategy = get_object_or_404(Strategy, slug=strategy_slug)
    period = Period.objects.get_at_or_404(quarter, strategy=strategy)
    period.strategy = strategy
    return period


def _tracked_actions(period: Period):
    """Every active action of the quarter's strategy with its update's state (a left join, so
    actions without an update are there too). An archived action is listed only in a quarter it
    has an update in."""
    return (
        _active_actions()
        .filter(
            Q(archived_at__isnull=True) | Exists(ActionUpdate.objects.filter(action=OuterRef("pk"), period=period)),
            objective__goal__strategy_id=period.strategy_id,
        )
        .annotate(
            this_update=FilteredRelation("updates", condition=Q(updates__period=period)),
            update_state=F("this_update__state"),
        )
    )


def tracker_actions(period: Period):
    """The tracked actions (`_tracked_actions`) with their update's RAG and last change; leads and
    SROs prefetched as lists (`lead_list`, `sro_list`).
    A queryset: the filter narrows it and the table orders and paginates it."""
    return (
        _tracked_actions(period)
        .annotate(
            update_id=F("this_update__id"),
            update_rag=F("this_update__rag"),
            updated_at=F("this_update__updated_at"),
            updated_by_first_name=F("this_update__updated_by__first_name"),
            updated_by_last_name=F("this_update__updated_by__last_name"),
            updated_by_username=F("this_update__updated_by__username"),
        )
        .select_related("objective__goal")
        .prefetch_related(
            Prefetch("leads", queryset=Person.objects.select_related("user"), to_attr="lead_list"),
            Prefetch("sros", queryset=Person.objects.order_by("name"), to_attr="sro_list"),
        )
        .order_by("objective__goal__order", "objective__order", "number")
    )


@dataclass
class StateCount:
    state: StateTag
    count: int


def tracker_counts(period: Period) -> list[StateCount]:
    """How many tracked actions are in each state this quarter (one query, without the joins
    the tracker's rows need for their last change; then from the pages' cache until the
    strategy's data changes)."""
    return strategy_cached(
        period.strategy,
        "tracker-counts",
        period.pk,
        compute=lambda: _state_counts(_tracked_actions(period), "update_state"),
    )


def _state_counts(rows, state_field: str) -> list[StateCount]:
    counts = dict.fromkeys(STATE_TAGS, 0)
    for row in rows.order_by().values(state_field).annotate(count=Count("pk")):
        counts[row[state_field] or NOT_STARTED] += row["count"]
    return [StateCount(STATE_TAGS[value], count) for value, count in counts.items()]


def tracker_evidence(period: Period):
    """Every success measure of the quarter's strategy with its evidence's state and last change
    (a left join, so measures without evidence are there too). A queryset: the tracker's filter
    narrows it as it narrows the actions."""
    return (
        SuccessMeasure.objects.filter(objective__goal__strategy_id=period.strategy_id, archived_at__isnull=True)
        .annotate(
            this_evidence=FilteredRelation("evidence", condition=Q(evidence__period=period)),
            evidence_state=F("this_evidence__state"),
            updated_at=F("this_evidence__updated_at"),
        )
        .select_related("objective__goal")
        .order_by("objective__goal__order", "objective__order", "order")
    )


def tracker_evidence_counts(period: Period) -> list[StateCount]:
    """How many success measures' evidence is in each state this quarter (one query, then from the
    pages' cache until the strategy's data changes)."""
    return strategy_cached(
        period.strategy,
        "tracker-evidence-counts",
        period.pk,
        compute=lambda: _state_counts(tracker_evidence(period), "evidence_state"),
    )


def quarters_to_open(strategy: Strategy, today: date | None = None) -> list[Quarter]:
    """The quarters the programme office may open: the strategy's planned quarters and the two
    after its latest (or, for a strategy with none, the current quarter and the next)."""
    periods = list(strategy.periods.order_by("year", "quarter"))
    planned = [p.as_quarter for p in periods if p.state == PeriodState.PLANNED]
    latest = periods[-1].as_quarter if periods else quarter_of(today or timezone.localdate()).previous()
    return sorted(set(planned) | {latest.next(), latest.next().next()})


def open_periods(*, user) -> list[Period]:
    """The open quarters of the strategies the user may see."""
    return list(
        Period.objects.filter(permissions.strategy_scope(user, "strategy__"), state=PeriodState.OPEN)
        .select_related("strategy")
        .order_by("strategy__name")
    )


# --- Quarters (the programme office's page) --------------------------------------------------


def strategies_with_periods(*, user) -> list[Strategy]:
    """Every strategy the user runs the cycle of, with its quarters, newest first, each with its state changes (who, when,
    why) from the history: three queries."""
    strategies = list(
        Strategy.objects.filter(permissions.strategy_scope(user))
        .prefetch_related(
            Prefetch("periods", queryset=Period.objects.order_by("-year", "-quarter"), to_attr="period_list")
        )
        .order_by("name")
    )
    changes: dict[int, list] = {}
    for record in (
        Period.history.exclude(history_change_reason__isnull=True)
        .exclude(history_change_reason="")
        .select_related("history_user")
        .order_by("-history_date")
    ):
        changes.setdefault(record.id, []).append(record)
    for strategy in strategies:
        for period in strategy.period_list:
            period.state_changes = changes.get(period.pk, [])
    return strategies

"""The programme office runs the cycle: open a quarter with a deadline, move the deadline, lock
(freezing updates, recording people's titles), re-open with a recorded reason."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from goals.core.choices import PeriodState
from goals.core.quarters import Quarter
from goals.cycle import services
from goals.models import Period, PersonTitle
from tests import factories

pytestmark = pytest.mark.django_db

Q4 = Quarter(2024, 4)
DEADLINE = datetime.date(2025, 4, 18)


def lock(cycle, by):
    return services.period_lock(period=cycle.period, by=by)


# --- Opening ---------------------------------------------------------------------------------


def test_the_secretary_opens_a_new_quarter_with_a_deadline(cycle, secretary):
    lock(cycle, secretary)
    period = services.period_open(strategy=cycle.strategy, quarter=Q4, deadline=DEADLINE, by=secretary)
    assert (period.label, period.state, period.deadline) == ("Q4 2024/25", PeriodState.OPEN, DEADLINE)
    assert period.history.first().history_user == secretary


def test_a_planned_quarter_is_opened_in_place(cycle, secretary):
    lock(cycle, secretary)
    planned = factories.PeriodFactory(
        strategy=cycle.strategy, year=2024, quarter=4, state=PeriodState.PLANNED, deadline=None
    )
    period = services.period_open(strategy=cycle.strategy, quarter=Q4, deadline=DEADLINE, by=secretary)
    assert period.pk == planned.pk and period.state == PeriodState.OPEN


def test_only_one_quarter_of_a_strategy_is_open_at_a_time(cycle, secretary):
    with pytest.raises(services.WorkflowError, match="Q3 2024/25 is still open"):
        services.period_open(strategy=cycle.strategy, quarter=Q4, deadline=DEADLINE, by=secretary)
    assert not Period.objects.filter(year=2024, quarter=4).exists()


def test_opening_needs_a_deadline_not_before_the_quarter_starts(cycle, secretary):
    lock(cycle, secretary)
    with pytest.raises(ValidationError) as error:
        services.period_open(strategy=cycle.strategy, quarter=Q4, deadline=None, by=secretary)
    assert "deadline" in error.value.message_dict
    with pytest.raises(ValidationError, match="on or after the start of Q4 2024/25"):
        services.period_open(strategy=cycle.strategy, quarter=Q4, deadline=datetime.date(2024, 12, 31), by=secretary)


@pytest.mark.parametrize("state", [PeriodState.LOCKED, PeriodState.PUBLISHED])
def test_a_locked_or_published_quarter_cannot_be_opened_again(cycle, secretary, state):
    Period.objects.filter(pk=cycle.period.pk).update(state=state)
    with pytest.raises(services.WorkflowError, match="already"):
        services.period_open(strategy=cycle.strategy, quarter=Quarter(2024, 3), deadline=DEADLINE, by=secretary)


@pytest.mark.parametrize("who", ["lead", "sro"])
def test_leads_and_sros_do_not_run_the_cycle(cycle, who):
    user = getattr(cycle, who)
    with pytest.raises(PermissionDenied):
        services.period_open(strategy=cycle.strategy, quarter=Q4, deadline=DEADLINE, by=user)
    with pytest.raises(PermissionDenied):
        lock(cycle, user)
    with pytest.raises(PermissionDenied):
        services.period_set_deadline(period=cycle.period, deadline=DEADLINE, by=user)
    cycle.period.refresh_from_db()
    assert cycle.period.state == PeriodState.OPEN


def test_directors_read_only(cycle, director):
    with pytest.raises(PermissionDenied):
        lock(cycle, director)
    Period.objects.filter(pk=cycle.period.pk).update(state=PeriodState.LOCKED)
    with pytest.raises(PermissionDenied):
        services.period_reopen(period=cycle.period, reason="Because.", by=director)


def test_a_strategy_admin_runs_the_cycle_too(cycle, admin_user):
    assert lock(cycle, admin_user).state == PeriodState.LOCKED


# --- Deadline --------------------------------------------------------------------------------


def test_the_deadline_of_an_open_quarter_can_be_moved(cycle, secretary):
    period = services.period_set_deadline(period=cycle.period, deadline=datetime.date(2025, 1, 24), by=secretary)
    assert period.deadline == datetime.date(2025, 1, 24)
    assert period.history.first().history_change_reason == "Deadline changed"


def test_the_deadline_of_a_locked_quarter_stays(cycle, secretary):
    lock(cycle, secretary)
    with pytest.raises(services.WorkflowError):
        services.period_set_deadline(period=cycle.period, deadline=datetime.date(2025, 1, 24), by=secretary)


# --- Locking ---------------------------------------------------------------------------------


def test_locking_records_the_name_and_title_of_everyone_the_strategy_names(cycle, secretary):
    director = factories.PersonFactory(name="Dana Director", job_title="Medical Director")
    cycle.objective.lead_directors.add(director)
    owner = factories.PersonFactory(name="Rhys Risk", job_title="Chief Nurse")
    factories.RiskFactory(strategy=cycle.strategy, owner=owner)
    cycle.strategy.sro = factories.PersonFactory(name="Stella Strategy", job_title="Chief Executive")
    cycle.strategy.save()
    unrelated = factories.PersonFactory(name="Not Named")

    lock(cycle, secretary)

    titles = {t.person_id: (t.name, t.job_title) for t in PersonTitle.objects.filter(period=cycle.period)}
    named = [director, owner, cycle.strategy.sro, *cycle.people.values()]
    assert titles == {p.pk: (p.name, p.job_title) for p in named}
    assert unrelated.pk not in titles


def test_titles_already_recorded_for_the_quarter_are_kept(cycle, secretary):
    lead = cycle.people["lead"]
    PersonTitle.objects.create(person=lead, period=cycle.period, name=lead.name, job_title="Title as it was")
    lead.job_title = "Promoted since"
    lead.save()
    lock(cycle, secretary)
    assert PersonTitle.objects.get(person=lead, period=cycle.period).job_title == "Title as it was"


def test_only_an_open_quarter_can_be_locked(cycle, secretary):
    lock(cycle, secretary)
    with pytest.raises(services.WorkflowError):
        lock(cycle, secretary)


# --- Re-opening ------------------------------------------------------------------------------


def test_reopening_needs_a_reason_kept_in_the_history(cycle, secretary):
    lock(cycle, secretary)
    with pytest.raises(ValidationError) as error:
        services.period_reopen(period=cycle.period, reason="  ", by=secretary)
    assert "reason" in error.value.message_dict
    cycle.period.refresh_from_db()
    assert cycle.period.state == PeriodState.LOCKED

    period = services.period_reopen(period=cycle.period, reason="Late correction agreed by the chair.", by=secretary)
    assert period.state == PeriodState.OPEN
    record = period.history.first()
    assert (record.history_change_reason, record.history_user, record.state) == (
        "Late correction agreed by the chair.",
        secretary,
        PeriodState.OPEN,
    )


def test_a_reason_longer_than_the_limit_is_refused(cycle, secretary):
    lock(cycle, secretary)
    with pytest.raises(ValidationError, match="1000 characters or fewer"):
        services.period_reopen(period=cycle.period, reason="x" * 1001, by=secretary)


def test_a_long_reason_is_kept_whole_in_the_history(cycle, secretary):
    lock(cycle, secretary)
    reason = "The chair agreed a late correction to the Access figures. " * 10  # ~590 characters
    services.period_reopen(period=cycle.period, reason=reason.strip(), by=secretary)
    assert cycle.period.history.first().history_change_reason == reason.strip()


def test_reopening_may_set_a_new_deadline_and_keeps_the_recorded_titles(cycle, secretary):
    lock(cycle, secretary)
    recorded = PersonTitle.objects.filter(period=cycle.period).count()
    period = services.period_reopen(
        period=cycle.period, reason="Late data.", deadline=datetime.date(2025, 2, 7), by=secretary
    )
    assert period.deadline == datetime.date(2025, 2, 7)
    assert PersonTitle.objects.filter(period=cycle.period).count() == recorded > 0


def test_a_published_quarter_can_be_reopened_with_a_reason(cycle, secretary):
    lock(cycle, secretary)
    period = services.period_reopen(period=cycle.previous, reason="Correction to the published pack.", by=secretary)
    assert period.state == PeriodState.OPEN
    assert period.history.first().history_change_reason == "Correction to the published pack."


@pytest.mark.parametrize("state", [PeriodState.OPEN, PeriodState.PLANNED])
def test_only_a_locked_or_published_quarter_can_be_reopened(cycle, secretary, state):
    Period.objects.filter(pk=cycle.period.pk).update(state=state)
    with pytest.raises(services.WorkflowError):
        services.period_reopen(period=cycle.period, reason="Why not.", by=secretary)


def test_a_quarter_is_not_reopened_while_another_is_open(cycle, secretary):
    lock(cycle, secretary)
    services.period_open(strategy=cycle.strategy, quarter=Q4, deadline=DEADLINE, by=secretary)
    with pytest.raises(services.WorkflowError, match="Q4 2024/25 is still open"):
        services.period_reopen(period=cycle.period, reason="Late data.", by=secretary)

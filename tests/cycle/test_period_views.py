"""The programme office's pages: the submission tracker (filter to missing) and the quarters
page with open, change deadline, lock and re-open."""

import datetime

import pytest
from django.urls import reverse

from goals.core.choices import RAG, PeriodState, UpdateState
from goals.cycle import services
from goals.models import Period, PersonTitle
from tests import factories

pytestmark = pytest.mark.django_db


def tracker_url(cycle, period=None):
    return reverse("goals:tracker", kwargs={"slug": cycle.strategy.slug, "period": (period or cycle.period).slug})


def period_url(cycle, name):
    return reverse(name, kwargs={"slug": cycle.strategy.slug, "period": cycle.period.slug})


@pytest.fixture
def tracked(cycle):
    """cycle.action submitted, other_action not started, a third action returned, a fourth a draft."""
    services.update_submit(
        action=cycle.action,
        period=cycle.period,
        fields={"rag": RAG.RED, "progress": "Late.", "rag_reason": "Staff."},
        version=0,
        by=cycle.lead,
    )
    returned = factories.ActionFactory(
        objective=cycle.objective,
        number=3,
        title="Returned one",
        leads=[cycle.people["lead"]],
        sros=[cycle.people["sro"]],
    )
    factories.ActionUpdateFactory(action=returned, period=cycle.period, state=UpdateState.RETURNED)
    draft = factories.ActionFactory(
        objective=cycle.objective, number=4, title="Draft one", leads=[cycle.people["lead"]]
    )
    factories.ActionUpdateFactory(action=draft, period=cycle.period, state=UpdateState.DRAFT)
    return cycle


def titles(response):
    return [row.record.title for row in response.context["table"].paginated_rows]


# --- Tracker ---------------------------------------------------------------------------------


def test_the_tracker_lists_every_action_with_lead_sro_state_and_last_change(client, tracked, secretary):
    client.force_login(secretary)
    response = client.get(tracker_url(tracked))
    content = response.content.decode()
    assert titles(response) == ["Cut waiting times", "Open a new clinic", "Returned one", "Draft one"]
    assert "Lee Lead" in content and "Sharon Sro" in content and "Olive Other" in content
    assert f'href="mailto:{tracked.people["lead"].email}"' in content  # chase the lead in one click
    for state in ("Submitted", "Not started", "Returned", "Draft"):
        assert f">{state}</strong>" in content
    counts = {c.state.label: c.count for c in response.context["counts"]}
    assert counts == {"Not started": 1, "Draft": 1, "Returned": 1, "Submitted": 1, "Approved": 0}


def test_the_tracker_draws_its_cells_without_inspecting_each_render_method(client, tracked, secretary, monkeypatch):
    """django-tables2 inspects a render method's signature for each cell it draws that way."""
    import django_tables2.rows

    calls = []
    inspect = django_tables2.rows.call_with_appropriate
    monkeypatch.setattr(
        django_tables2.rows, "call_with_appropriate", lambda *a, **k: calls.append(a) or inspect(*a, **k)
    )
    client.force_login(secretary)
    content = client.get(tracker_url(tracked)).content.decode()
    assert content.count('<tr class="nhsuk-table__row even">') == 2 and "Not yet submitted" in content
    assert calls == []


def test_the_tracker_filters_to_missing_updates(client, tracked, secretary):
    client.force_login(secretary)
    assert titles(client.get(tracker_url(tracked), {"state": "missing"})) == [
        "Open a new clinic",
        "Returned one",
        "Draft one",
    ]
    assert titles(client.get(tracker_url(tracked), {"state": "submitted"})) == ["Cut waiting times"]
    assert titles(client.get(tracker_url(tracked), {"state": "not_started"})) == ["Open a new clinic"]


def test_an_unknown_filter_value_says_so_and_lists_everything(client, tracked, secretary):
    client.force_login(secretary)
    response = client.get(tracker_url(tracked), {"state": "deleted"})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()


def test_the_tracker_sorts_by_state_in_workflow_order_and_by_rag_worst_first(client, tracked, secretary):
    client.force_login(secretary)
    assert titles(client.get(tracker_url(tracked), {"sort": "state"})) == [
        "Open a new clinic",
        "Draft one",
        "Returned one",
        "Cut waiting times",
    ]
    assert titles(client.get(tracker_url(tracked), {"sort": "-state"}))[0] == "Cut waiting times"
    assert titles(client.get(tracker_url(tracked), {"sort": "rag"}))[0] == "Cut waiting times"  # Red
    assert titles(client.get(tracker_url(tracked), {"sort": "-updated_at"}))[-1] == "Open a new clinic"


def test_actions_complete_or_stepped_down_are_not_chased(client, tracked, secretary):
    factories.ActionFactory(objective=tracked.objective, number=5, title="Finished long ago", status="complete")
    client.force_login(secretary)
    assert "Finished long ago" not in titles(client.get(tracker_url(tracked)))


def test_the_tracker_link_opens_the_only_open_quarter(client, cycle, secretary):
    client.force_login(secretary)
    response = client.get(reverse("goals:tracker_home"))
    assert response.status_code == 302 and response["Location"] == tracker_url(cycle)


def test_with_several_strategies_open_the_tracker_link_offers_each(client, cycle, secretary):
    factories.PeriodFactory(strategy=factories.StrategyFactory(name="Other Plan"), year=2024, quarter=3)
    client.force_login(secretary)
    content = client.get(reverse("goals:tracker_home")).content.decode()
    assert "Better Care: Q3 2024/25" in content and "Other Plan: Q3 2024/25" in content


def test_with_nothing_open_the_tracker_link_says_so(client, cycle, secretary):
    Period.objects.update(state=PeriodState.LOCKED)
    client.force_login(secretary)
    assert "No quarter is open" in client.get(reverse("goals:tracker_home")).content.decode()


# --- Quarters: open, deadline, lock, re-open -------------------------------------------------


def test_the_quarters_page_lists_each_quarter_with_its_next_steps(client, cycle, secretary):
    client.force_login(secretary)
    content = client.get(reverse("goals:period_list")).content.decode()
    assert "Q3 2024/25" in content and "Q2 2024/25" in content
    assert period_url(cycle, "goals:period_lock") in content
    assert reverse("goals:period_open", kwargs={"slug": cycle.strategy.slug}) in content


def test_the_secretary_locks_then_opens_the_next_quarter(client, cycle, secretary):
    client.force_login(secretary)
    content = client.get(period_url(cycle, "goals:period_lock")).content.decode()
    assert "Lock Q3 2024/25" in content and "2 actions have not submitted yet" in content
    response = client.post(period_url(cycle, "goals:period_lock"))
    assert response.status_code == 302 and response["Location"] == reverse("goals:period_list")
    assert Period.objects.get(pk=cycle.period.pk).state == PeriodState.LOCKED
    assert PersonTitle.objects.filter(period=cycle.period).count() == 4

    open_url = reverse("goals:period_open", kwargs={"slug": cycle.strategy.slug})
    content = client.get(open_url).content.decode()
    assert "Q4 2024/25" in content and "Q1 2025/26" in content
    response = client.post(
        open_url, {"quarter": "2024-Q4", "deadline_day": "18", "deadline_month": "4", "deadline_year": "2025"}
    )
    assert response.status_code == 302
    period = Period.objects.get(strategy=cycle.strategy, year=2024, quarter=4)
    assert (period.state, period.deadline) == (PeriodState.OPEN, datetime.date(2025, 4, 18))
    assert "Quarter opened." in client.get(reverse("goals:period_list")).content.decode()


def test_opening_without_a_real_deadline_shows_the_error_and_keeps_the_input(client, cycle, secretary):
    services.period_lock(period=cycle.period, by=secretary)
    client.force_login(secretary)
    open_url = reverse("goals:period_open", kwargs={"slug": cycle.strategy.slug})
    response = client.post(
        open_url, {"quarter": "2024-Q4", "deadline_day": "31", "deadline_month": "2", "deadline_year": "2025"}
    )
    content = response.content.decode()
    assert response.status_code == 200 and "Enter the deadline as a real date" in content
    assert 'value="31"' in content
    assert not Period.objects.filter(year=2024, quarter=4).exists()


def test_opening_a_second_quarter_while_one_is_open_is_refused_with_a_message(client, cycle, secretary):
    client.force_login(secretary)
    response = client.post(
        reverse("goals:period_open", kwargs={"slug": cycle.strategy.slug}),
        {"quarter": "2024-Q4", "deadline_day": "18", "deadline_month": "4", "deadline_year": "2025"},
    )
    assert response.status_code == 409 and "Q3 2024/25 is still open" in response.content.decode()


def test_reopening_asks_for_a_reason_and_shows_it_on_the_quarters_page(client, cycle, secretary):
    services.period_lock(period=cycle.period, by=secretary)
    client.force_login(secretary)
    url = period_url(cycle, "goals:period_reopen")
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200 and "Give the reason for re-opening the quarter" in response.content.decode()
    assert Period.objects.get(pk=cycle.period.pk).state == PeriodState.LOCKED
    response = client.post(url, {"reason": "Late correction agreed by the chair."})
    assert response.status_code == 302
    assert Period.objects.get(pk=cycle.period.pk).state == PeriodState.OPEN
    content = client.get(reverse("goals:period_list")).content.decode()
    assert "Late correction agreed by the chair." in content and "Quarter locked" in content


def test_a_reopening_reason_over_the_limit_is_refused_at_the_field(client, cycle, secretary):
    services.period_lock(period=cycle.period, by=secretary)
    client.force_login(secretary)
    response = client.post(period_url(cycle, "goals:period_reopen"), {"reason": "x" * 1001})
    assert "The reason must be 1000 characters or fewer (it has 1001)" in response.content.decode()


def test_the_deadline_page_shows_the_current_deadline(client, cycle, secretary):
    client.force_login(secretary)
    content = client.get(period_url(cycle, "goals:period_deadline")).content.decode()
    assert 'name="deadline_day"' in content and 'value="17"' in content and 'value="2025"' in content

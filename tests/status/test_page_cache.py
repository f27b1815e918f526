"""The dashboard, heat map, strategy page and action list compute their figures and draw their HTML once per
data version of the strategy (goals.core.caching, {% strategy_fragment %}): a second request of a
locked quarter computes and draws nothing, and any write shows on the next request."""

import re
from unittest import mock

import pytest
from django.template import Context, Template
from django.urls import reverse

from goals.core.choices import RAG
from goals.cycle import services
from goals.models import ActionUpdate, Strategy
from goals.status import dashboard, heat_map
from goals.status import views as status_views
from goals.strategy import selectors as strategy_selectors
from tests import factories

pytestmark = pytest.mark.django_db


def dashboard_url(rated, period=None):
    return reverse("goals:dashboard", kwargs={"slug": "better-care", "quarter": (period or rated.q2).slug})


def heat_map_url(rated, period=None):
    return reverse("goals:heat_map", kwargs={"slug": "better-care", "quarter": (period or rated.q2).slug})


# (URL of a page showing the locked Q2, the function that computes its figures)
PAGES = {
    "dashboard": (dashboard_url, dashboard, "dashboard_figures"),
    "heat map": (heat_map_url, heat_map, "heat_map_rows"),
    "strategy page": (lambda rated: rated.strategy.get_absolute_url(), strategy_selectors, "strategy_figures"),
}


@pytest.mark.parametrize("page", sorted(PAGES))
def test_the_second_request_of_a_locked_quarter_computes_nothing(client, director, rated, page):
    url, module, compute = PAGES[page]
    client.force_login(director)
    with mock.patch.object(module, compute, wraps=getattr(module, compute)) as computed:
        first = client.get(url(rated)).content.decode()
        second = client.get(url(rated)).content.decode()
    assert computed.call_count == 1
    assert without_csrf(first) == without_csrf(second)


def without_csrf(page: str) -> str:
    """The page without its CSRF token (the sign-out form's, masked afresh on every response)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def test_the_second_request_of_the_dashboard_draws_no_table(client, director, rated):
    client.force_login(director)
    with mock.patch.object(status_views, "ActionTable", wraps=status_views.ActionTable) as tables:
        client.get(dashboard_url(rated))
        assert tables.call_count == 2  # Red and Amber, and what moved
        client.get(dashboard_url(rated))
    assert tables.call_count == 2


def red_and_amber(client, rated) -> list[str]:
    data = client.get(dashboard_url(rated)).context["dashboard"]
    return [row.title for row in data.red_and_amber.rows]


def test_a_quarter_reopened_changed_and_locked_again_shows_the_change(client, director, secretary, rated):
    """The dashboard of a locked quarter is cached; re-opening it, changing an update and locking it
    again raises the strategy's data version, so the next request shows the new rating."""
    client.force_login(director)
    before = red_and_amber(client, rated)
    assert "Recruit more therapists" in before  # Amber in Q2
    assert "Cut waiting lists" not in before  # Green in Q2
    assert red_and_amber(client, rated) == before  # now from the cache

    services.period_lock(period=rated.q3, by=secretary)  # only one quarter may be open
    services.period_reopen(period=rated.q2, reason="A rating was wrong", by=secretary)
    update = ActionUpdate.objects.get(action=rated.better, period=rated.q2)
    update.rag, update.rag_reason = RAG.RED, "Funding withdrawn"
    update.save()
    services.period_lock(period=rated.q2, by=secretary)

    after = red_and_amber(client, rated)
    assert after[0] in ("Open a single point of access", "Cut waiting lists")  # the Reds first
    assert "Cut waiting lists" in after
    page = client.get(dashboard_url(rated)).content.decode()
    assert "Funding withdrawn" in page


def test_the_heat_map_and_strategy_page_show_a_write_to_a_cached_quarter(client, director, rated):
    client.force_login(director)
    heat = client.get(heat_map_url(rated)).context["heat_map"]
    safety = next(row for row in heat.rows if row.title == "Safety")
    assert safety.cells[-1].rag == RAG.BLUE
    strategy_page = client.get(rated.strategy.get_absolute_url()).context["figures"]
    quality = next(goal for goal in strategy_page.goals if goal.title == "Quality")
    assert {c.rag: c.count for c in quality.rag_counts}[RAG.BLUE] == 1

    update = ActionUpdate.objects.get(action=rated.complete, period=rated.q2)
    update.rag = RAG.RED
    update.save()

    heat = client.get(heat_map_url(rated)).context["heat_map"]
    safety = next(row for row in heat.rows if row.title == "Safety")
    assert safety.cells[-1].rag == RAG.RED
    assert "1 Red" in client.get(heat_map_url(rated)).content.decode()
    strategy_page = client.get(rated.strategy.get_absolute_url()).context["figures"]
    quality = next(goal for goal in strategy_page.goals if goal.title == "Quality")
    assert {c.rag: c.count for c in quality.rag_counts}[RAG.RED] == 1


def test_a_fragment_is_drawn_again_only_when_its_strategy_changes():
    strategy = factories.StrategyFactory(name="Before")
    template = Template(
        "{% load page_cache %}{% strategy_fragment strategy 'name' quarter %}{{ strategy.name }}{% endstrategy_fragment %}"
    )

    def draw(quarter="2024-Q1"):
        return template.render(Context({"strategy": Strategy.objects.get(pk=strategy.pk), "quarter": quarter}))

    assert draw() == "Before"
    Strategy.objects.filter(pk=strategy.pk).update(name="After")  # bypasses the version: not shown
    assert draw() == "Before"
    assert draw("2024-Q2") == "After"  # another key
    strategy.refresh_from_db()
    strategy.name = "Saved"
    strategy.save()  # raises the data version
    assert draw() == "Saved"


def action_list_url(rated, **filters):
    query = "&".join(
        f"{name}={value}" for name, value in {"strategy": "better-care", "quarter": "2024-Q2", **filters}.items()
    )
    return f"{reverse('goals:action_list')}?{query}"


def test_the_action_list_draws_each_query_once_per_data_version(client, director, rated):
    client.force_login(director)
    with mock.patch.object(status_views, "ActionTable", wraps=status_views.ActionTable) as tables:
        first = client.get(action_list_url(rated)).content.decode()
        second = client.get(action_list_url(rated)).content.decode()
        assert tables.call_count == 1 and without_csrf(first) == without_csrf(second)
        sorted_by_rag = client.get(action_list_url(rated, sort="rag")).content.decode()  # another query
        assert tables.call_count == 2 and "Cut waiting lists" in sorted_by_rag

        update = ActionUpdate.objects.get(action=rated.better, period=rated.q2)
        update.rag_reason, update.rag = "Funding withdrawn", RAG.RED
        update.save()  # any write to the strategy
        after = client.get(action_list_url(rated)).content.decode()
    assert tables.call_count == 3
    assert "Funding withdrawn" in after and "Funding withdrawn" not in first


def test_the_trackers_counts_are_counted_once_per_data_version(client, secretary, rated):
    from goals.cycle import selectors as cycle_selectors

    client.force_login(secretary)
    url = reverse("goals:tracker", kwargs={"slug": "better-care", "period": rated.q3.slug})
    with mock.patch.object(cycle_selectors, "_state_counts", wraps=cycle_selectors._state_counts) as counted:
        before = client.get(url).context["counts"]
        client.get(url)
        assert counted.call_count == 2  # the actions' and the evidence's, once each
        factories.ActionUpdateFactory(action=rated.better, period=rated.q3, state="submitted", rag=RAG.GREEN)
        after = client.get(url).context["counts"]
    assert counted.call_count == 4
    submitted = {c.state.value: c.count for c in before}["submitted"]
    assert {c.state.value: c.count for c in after}["submitted"] == submitted + 1


def test_the_tracker_draws_its_tables_once_per_data_version(client, secretary, rated):
    from goals.cycle import views as cycle_views

    client.force_login(secretary)
    url = reverse("goals:tracker", kwargs={"slug": "better-care", "period": rated.q3.slug})
    with (
        mock.patch.object(cycle_views, "TrackerTable", wraps=cycle_views.TrackerTable) as tables,
        mock.patch.object(cycle_views, "evidence_rows", wraps=cycle_views.evidence_rows) as evidence,
    ):
        first = client.get(url).content.decode()
        second = client.get(url).content.decode()
        assert (tables.call_count, evidence.call_count) == (1, 1)
        assert without_csrf(first) == without_csrf(second)
        missing = client.get(url, {"state": "missing"}).content.decode()  # another query
        assert tables.call_count == 2 and "Cut waiting lists" in missing

        factories.ActionUpdateFactory(action=rated.better, period=rated.q3, state="submitted", rag=RAG.GREEN)
        after = client.get(url).content.decode()
    assert (tables.call_count, evidence.call_count) == (3, 3)

    def actions_table(page):
        return page.split("<table")[1].split('id="evidence"')[0]

    assert "Green" in actions_table(after) and "Green" not in actions_table(first)


def test_a_user_renamed_shows_on_the_cached_tracker(client, secretary, rated):
    """The tracker prints who last changed an update: a user account's new name is a write too."""
    author = factories.UserFactory(first_name="Ursula", last_name="Old")
    factories.ActionUpdateFactory(action=rated.better, period=rated.q3, state="submitted", updated_by=author)
    client.force_login(secretary)
    url = reverse("goals:tracker", kwargs={"slug": "better-care", "period": rated.q3.slug})
    assert "Ursula Old" in client.get(url).content.decode()
    author.last_name = "New"
    author.save()
    page = client.get(url).content.decode()
    assert "Ursula New" in page and "Ursula Old" not in page


def test_the_action_list_reads_its_quarters_once_per_data_version(client, director, rated):
    from goals.status import shared

    client.force_login(director)
    with mock.patch.object(shared, "_periods_with_data", wraps=shared._periods_with_data) as periods:
        client.get(action_list_url(rated))
        client.get(action_list_url(rated, sort="rag"))
        assert periods.call_count == 1
        factories.ActionUpdateFactory(action=rated.missing, period=rated.q3, state="submitted", rag=RAG.GREEN)
        page = client.get(reverse("goals:action_list"), {"strategy": "better-care"})
    assert periods.call_count == 2
    # Q3 has a reported update now, so it is the quarter the list opens on
    assert page.context["status"].period == rated.q3


def test_the_cached_action_list_names_no_strategy_the_reader_may_not_see(client, director, make_user, rated):
    """The list's HTML is cached by the strategies its reader may choose among, too."""
    factories.StrategyFactory(name="Secret Merger", slug="secret-merger")
    sharon = make_user("sharon", person=rated.sharon)  # sees Better Care only: she is an SRO in it
    client.force_login(director)
    assert "Secret Merger" in client.get(action_list_url(rated)).content.decode()
    client.force_login(sharon)
    page = client.get(action_list_url(rated)).content.decode()
    assert "Cut waiting lists" in page and "Secret Merger" not in page


def test_an_action_moved_to_another_strategy_leaves_the_cached_list(client, director, rated):
    other = factories.StrategyFactory(name="Another", slug="another")
    goal = factories.GoalFactory(strategy=other, order=1, key="g", title="G")
    objective = factories.ObjectiveFactory(goal=goal, order=1, key="o", title="O")
    client.force_login(director)
    assert rated.missing.title in client.get(action_list_url(rated)).content.decode()
    rated.missing.objective = objective
    rated.missing.save()
    assert rated.missing.title not in client.get(action_list_url(rated)).content.decode()

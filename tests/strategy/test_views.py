"""The read-only strategy pages: sign-in required, 404 for what does not exist, query counts
that do not grow with the data."""

import pytest
from django.urls import reverse

from benchmarks.generator import generate_trust
from goals.core.choices import RAG, UpdateState
from tests import factories

SMALL = {"goals": 3, "objectives_per_goal": 2, "actions_per_objective": 3, "quarters": 4}
LARGE = {"goals": 6, "objectives_per_goal": 5, "actions_per_objective": 6, "quarters": 8}  # 10× the actions


def page_urls(trust):
    strategy = trust.strategy
    goal = strategy.goals.order_by("order").first()
    return {
        "strategy_list": reverse("goals:strategy_list"),
        "strategy_detail": strategy.get_absolute_url(),
        "goal_detail": goal.get_absolute_url(),
        "action_detail": trust.actions[0].get_absolute_url(),
    }


@pytest.fixture
def small_trust(db):
    return generate_trust(**SMALL, slug="small-trust")


@pytest.mark.django_db
@pytest.mark.parametrize("page_name", ["strategy_list", "strategy_detail", "goal_detail", "action_detail"])
def test_anonymous_users_are_sent_to_sign_in(client, small_trust, page_name):
    url = page_urls(small_trust)[page_name]
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


@pytest.mark.django_db
def test_admin_site_needs_staff_sign_in(client, director):
    client.force_login(director)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("page_name", ["strategy_list", "strategy_detail", "goal_detail", "action_detail"])
def test_pages_are_read_only(client, director, small_trust, page_name):
    client.force_login(director)
    assert client.post(page_urls(small_trust)[page_name]).status_code == 405


@pytest.mark.django_db
def test_unknown_objects_answer_404(client, director, small_trust):
    client.force_login(director)
    slug = small_trust.strategy.slug
    assert client.get(reverse("goals:strategy_detail", args=["no-such-strategy"])).status_code == 404
    assert client.get(reverse("goals:goal_detail", args=[slug, "no-such-goal"])).status_code == 404
    assert client.get(reverse("goals:action_detail", args=[999999])).status_code == 404


@pytest.mark.django_db
def test_a_goal_is_only_found_under_its_own_strategy(client, director, small_trust):
    other = generate_trust(goals=1, objectives_per_goal=1, actions_per_objective=1, quarters=1, slug="other-trust")
    client.force_login(director)
    # goal-1 exists in both strategies; each URL shows its own strategy's goal.
    response = client.get(reverse("goals:goal_detail", args=[other.strategy.slug, "goal-1"]))
    assert response.context["goal"].strategy == other.strategy


@pytest.mark.django_db
def test_strategy_page_shows_goals_vision_and_rag_counts(client, director):
    strategy = factories.StrategyFactory(name="Better Care", vision="Care we are proud of.")
    goal = factories.GoalFactory(strategy=strategy, title="Great care", order=1)
    objective = factories.ObjectiveFactory(goal=goal)
    period = factories.PeriodFactory(strategy=strategy)
    red = factories.ActionFactory(objective=objective)
    green = factories.ActionFactory(objective=objective)
    factories.ActionUpdateFactory(action=red, period=period, rag=RAG.RED, rag_reason="Late.")
    factories.ActionUpdateFactory(action=green, period=period, rag=RAG.GREEN)
    draft = factories.ActionFactory(objective=objective)
    factories.ActionUpdateFactory(action=draft, period=period, rag=RAG.AMBER, state=UpdateState.DRAFT)
    client.force_login(director)
    response = client.get(strategy.get_absolute_url())
    content = response.content.decode()
    assert "Care we are proud of." in content
    assert "Great care" in content
    counts = {c.rag: c.count for c in response.context["figures"].rag_counts}
    # A draft is the lead's work in progress: the action counts as not rated.
    assert counts == {RAG.RED: 1, RAG.AMBER: 0, "": 1, RAG.GREEN: 1, RAG.BLUE: 0}


@pytest.mark.django_db
def test_action_page_lists_reported_updates_oldest_first_and_hides_drafts(client, director):
    action = factories.ActionFactory(title="Reduce waits")
    strategy = action.objective.goal.strategy
    q1 = factories.PeriodFactory(strategy=strategy, year=2024, quarter=1)
    q2 = factories.PeriodFactory(strategy=strategy, year=2024, quarter=2)
    q3 = factories.PeriodFactory(strategy=strategy, year=2024, quarter=3)
    factories.ActionUpdateFactory(action=action, period=q2, progress="Second quarter text")
    factories.ActionUpdateFactory(action=action, period=q1, progress="First quarter text", state=UpdateState.APPROVED)
    factories.ActionUpdateFactory(action=action, period=q3, progress="Unfinished draft", state=UpdateState.DRAFT)
    client.force_login(director)
    content = client.get(action.get_absolute_url()).content.decode()
    assert content.index("First quarter text") < content.index("Second quarter text")
    assert "Unfinished draft" not in content


def _query_count(client, url, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


# Pinned budgets: session, user, groups (navigation), then the page's own reads. The action page
# also reads its strategy's periods (RAG timeline) and its updates' history.
# goal_detail includes the goal's metrics (templates/metrics/goal_metrics.html): metrics + values.
PINNED_QUERIES = {
    "strategy_list": 5,
    "strategy_detail": 7,  # the first request: strategy, goals, ratings by goal, periods (4 once cached)
    "goal_detail": 13,
    "action_detail": 10,
}  # + the action's own history


@pytest.mark.django_db
@pytest.mark.parametrize("page_name", sorted(PINNED_QUERIES))
def test_query_count_is_pinned_and_does_not_grow_with_the_data(
    client, director, page_name, django_assert_max_num_queries
):
    small = generate_trust(**SMALL, slug="small-trust")
    client.force_login(director)
    small_count = _query_count(client, page_urls(small)[page_name], django_assert_max_num_queries)
    large = generate_trust(**LARGE, slug="large-trust", seed=2)
    large_count = _query_count(client, page_urls(large)[page_name], django_assert_max_num_queries)
    assert small_count == large_count == PINNED_QUERIES[page_name]


@pytest.mark.django_db
def test_a_cached_strategy_page_reads_only_the_strategy(client, director, django_assert_max_num_queries):
    client.force_login(director)
    for trust in (generate_trust(**SMALL, slug="small-trust"), generate_trust(**LARGE, slug="large-trust", seed=2)):
        url = page_urls(trust)["strategy_detail"]
        assert _query_count(client, url, django_assert_max_num_queries) == PINNED_QUERIES["strategy_detail"]
        # session, user, groups, strategy: the figures and the goals' HTML come from the pages' cache
        assert _query_count(client, url, django_assert_max_num_queries) == 4


@pytest.mark.django_db
def test_goal_and_action_pages_print_the_full_action_number(client, director, rated):
    client.force_login(director)
    action = rated.complete
    goal_page = client.get(action.objective.goal.get_absolute_url()).content.decode()
    assert ">2.1.1<" in goal_page
    action_page = client.get(action.get_absolute_url()).content.decode()
    assert "<h1>2.1.1. Falls collaborative</h1>" in action_page
    assert "Action 2.1.1 –" in action_page

"""Every administration page reads with a pinned number of queries, the same for a small
generated trust and one with 10× the actions and twice the quarters."""

import pytest
from django.urls import reverse

from benchmarks.generator import generate_trust
from goals.models import Metric
from tests.strategy.test_views import LARGE, SMALL


def page_urls(trust) -> dict[str, str]:
    strategy = trust.strategy
    slug = strategy.slug
    goal = strategy.goals.order_by("order").first()
    objective = goal.objectives.order_by("order").first()
    measure = objective.success_measures.order_by("order").first()
    action = trust.actions[0]
    metric = Metric.objects.create(strategy=strategy, key="falls", name="Falls")

    def row(name, **kwargs):
        return reverse(f"goals:{name}", kwargs={"slug": slug, **kwargs})

    return {
        "strategy_create": reverse("goals:strategy_create"),
        "strategy_setup": row("strategy_setup"),
        "strategy_edit": row("strategy_edit"),
        "success_statements_edit": row("success_statements_edit"),
        "goal_create": row("goal_create"),
        "goal_edit": row("goal_edit", pk=goal.pk),
        "goal_delete": row("goal_delete", pk=goal.pk),
        "objective_create": row("objective_create", parent=goal.pk),
        "objective_edit": row("objective_edit", pk=objective.pk),
        "objective_delete": row("objective_delete", pk=objective.pk),
        "measure_create": row("measure_create", parent=objective.pk),
        "measure_edit": row("measure_edit", pk=measure.pk),
        "measure_delete": row("measure_delete", pk=measure.pk),
        "action_create": row("action_create", parent=objective.pk),
        "action_edit": row("action_edit", pk=action.pk),
        "action_move": row("action_move", pk=action.pk),
        "action_delete": row("action_delete", pk=action.pk),
        "metric_create": row("metric_create"),
        "metric_edit": row("metric_edit", pk=metric.pk),
        "metric_delete": row("metric_delete", pk=metric.pk),
    }


# Session, user and groups (navigation) are the first three of each; then the strategy.
PINNED_QUERIES = {
    "strategy_create": 4,  # + people (SRO choices)
    "strategy_setup": 11,  # + goals, objectives, measures, actions, SROs, leads, metrics
    "strategy_edit": 6,  # + people, history
    "success_statements_edit": 5,  # + history
    "goal_create": 4,
    "goal_edit": 6,  # + goal, history
    "goal_delete": 9,  # + goal, its objectives, measures, actions, updates, evidence
    "objective_create": 6,  # + goal, people
    "objective_edit": 8,  # + objective, people, its lead directors, history (+1 once it has history)
    "objective_delete": 8,  # + objective, measures, actions, updates, evidence
    "measure_create": 5,  # + objective
    "measure_edit": 6,  # + measure, history
    "measure_delete": 6,  # + measure, evidence
    "action_create": 7,  # + objective, people (for SROs, for leads)
    "action_edit": 10,  # + action, people ×2, its SROs, its leads, history (+2 once it has history)
    "action_move": 7,  # + action, objectives, the chosen objective's choices
    "action_delete": 6,  # + action, updates
    "metric_create": 6,  # + goals, objectives
    "metric_edit": 8,  # + metric, goals, objectives, history
    "metric_delete": 6,  # + metric, values
}


@pytest.mark.django_db
@pytest.mark.parametrize("page", sorted(PINNED_QUERIES))
def test_query_count_is_pinned_and_does_not_grow_with_the_data(client, admin_user, count_queries, page):
    client.force_login(admin_user)
    small = count_queries(client, page_urls(generate_trust(**SMALL, slug="small-trust"))[page])
    large = count_queries(client, page_urls(generate_trust(**LARGE, slug="large-trust", seed=2))[page])
    assert (small, large) == (PINNED_QUERIES[page], PINNED_QUERIES[page])

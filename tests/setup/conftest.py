import pytest

from goals.core import permissions
from tests import factories


@pytest.fixture
def structure(cycle, make_user):
    """The `cycle` strategy ("Better Care": goal "Access" → objective "Shorter waits" → actions 1
    "Cut waiting times" (reported in Q2 2024/25) and 2 "Open a new clinic" (never reported), one
    success measure) with a second goal "Quality" → objective "Safety" → action 1 "Safer wards",
    a metric, and a second strategy "Other Care" with a goal, objective, action and metric.
    Users: admin (strategy admin), director, secretary (programme office), and the cycle's lead."""
    from types import SimpleNamespace

    strategy = cycle.strategy
    quality = factories.GoalFactory(strategy=strategy, order=2, key="quality", title="Quality")
    safety = factories.ObjectiveFactory(goal=quality, order=1, key="safety", title="Safety")
    safer = factories.ActionFactory(objective=safety, number=1, title="Safer wards")
    metric = factories.MetricFactory(strategy=strategy, key="waits", name="Waiting times")
    other = factories.StrategyFactory(name="Other Care", slug="other-care")
    other_goal = factories.GoalFactory(strategy=other, order=1, key="other", title="Other goal")
    other_objective = factories.ObjectiveFactory(goal=other_goal, order=1, key="other", title="Other objective")
    other_action = factories.ActionFactory(objective=other_objective, number=1, title="Other action")
    other_measure = factories.SuccessMeasureFactory(objective=other_objective, order=1)
    other_metric = factories.MetricFactory(strategy=other, key="other", name="Other metric")
    return SimpleNamespace(
        cycle=cycle,
        strategy=strategy,
        access=cycle.objective.goal,
        waits=cycle.objective,
        reported=cycle.action,
        unreported=cycle.other_action,
        measure=cycle.measure,
        quality=quality,
        safety=safety,
        safer=safer,
        metric=metric,
        other=other,
        other_rows={
            "goal": other_goal,
            "objective": other_objective,
            "action": other_action,
            "measure": other_measure,
            "metric": other_metric,
        },
        admin=make_user("admin", role=permissions.STRATEGY_ADMINS),
        director=make_user("director", role=permissions.DIRECTORS),
        secretary=make_user("secretary", role=permissions.PROGRAMME_OFFICE),
        lead=cycle.lead,
    )

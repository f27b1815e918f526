import pytest

from tests import factories


@pytest.fixture
def baf(cycle):
    """The `cycle` strategy with two BAF risks: 01 owned by Sharon (the `sro` user), scored 12 in
    Q2 2024/25 (published); 02 owned by Oscar (`other_sro`). Q3 2024/25 is open. A second strategy,
    "Elsewhere", has its own risk 01."""
    from types import SimpleNamespace

    goal = cycle.objective.goal
    first = factories.RiskFactory(
        strategy=cycle.strategy, number="01", title="Waiting lists grow", owner=cycle.people["sro"]
    )
    first.goals.add(goal)
    second = factories.RiskFactory(
        strategy=cycle.strategy, number="02", title="Staff leave", owner=cycle.people["other_sro"]
    )
    factories.RiskScoreFactory(risk=first, period=cycle.previous, score=12, likelihood=3, consequence=4)
    elsewhere = factories.StrategyFactory(name="Elsewhere", slug="elsewhere")
    foreign = factories.RiskFactory(strategy=elsewhere, number="01", title="Elsewhere's risk")
    return SimpleNamespace(cycle=cycle, strategy=cycle.strategy, first=first, second=second, foreign=foreign, goal=goal)

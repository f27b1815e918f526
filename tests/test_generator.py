import pytest

from benchmarks.generator import generate_trust
from goals import models as m
from goals.core.choices import PeriodState


@pytest.mark.django_db
def test_it_generates_a_trust_of_the_chosen_size():
    trust = generate_trust(goals=2, objectives_per_goal=3, actions_per_objective=4, quarters=5, risks=3)
    strategy = trust.strategy
    assert strategy.goals.count() == 2
    assert m.Objective.objects.filter(goal__strategy=strategy).count() == 6
    assert len(trust.actions) == m.Action.objects.filter(objective__goal__strategy=strategy).count() == 24
    assert [p.label for p in strategy.periods.chronological()] == [
        "Q1 2022/23",
        "Q2 2022/23",
        "Q3 2022/23",
        "Q4 2022/23",
        "Q1 2023/24",
    ]
    assert strategy.periods.filter(state=PeriodState.OPEN).count() == 1
    published = strategy.periods.filter(state=PeriodState.PUBLISHED)
    # Every action has an approved update in every published quarter.
    assert m.ActionUpdate.objects.filter(period__in=published).count() == 24 * 4
    assert m.RiskScore.objects.filter(risk__strategy=strategy).count() == 3 * 5
    assert all(action.sros.exists() and action.leads.exists() for action in trust.actions[:3])


@pytest.mark.django_db
def test_it_is_deterministic_for_a_seed():
    def rags(slug):
        trust = generate_trust(slug=slug, seed=7)
        return list(
            m.ActionUpdate.objects.filter(action__objective__goal__strategy=trust.strategy)
            .order_by(
                "period__year",
                "period__quarter",
                "action__objective__goal__order",
                "action__objective__order",
                "action__number",
            )
            .values_list("rag", flat=True)
        )

    assert rags("first") == rags("second")

"""Named constraints with human messages, clean() rules and readable __str__s."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from goals import models as m
from goals.core.choices import RAG, UpdateState
from tests import factories


@pytest.mark.django_db
def test_one_update_per_action_per_quarter():
    update = factories.ActionUpdateFactory()
    duplicate = m.ActionUpdate(action=update.action, period=update.period)
    with pytest.raises(ValidationError, match="This action already has an update for the quarter."):
        duplicate.validate_constraints()
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


@pytest.mark.django_db
def test_one_evidence_per_measure_per_quarter():
    evidence = factories.MeasureEvidenceFactory()
    with pytest.raises(ValidationError, match="already has evidence for the quarter"):
        m.MeasureEvidence(measure=evidence.measure, period=evidence.period).validate_constraints()


@pytest.mark.django_db
def test_action_numbers_are_unique_within_their_objective_only():
    action = factories.ActionFactory(number=1)
    with pytest.raises(ValidationError, match="An action with this number already exists in the objective."):
        m.Action(objective=action.objective, number=1, title="Again").validate_constraints()
    factories.ActionFactory(number=1)  # another objective: fine


@pytest.mark.django_db
def test_a_quarter_exists_once_per_strategy_and_is_numbered_1_to_4():
    period = factories.PeriodFactory(year=2024, quarter=2)
    with pytest.raises(ValidationError, match="This quarter already exists for the strategy."):
        m.Period(strategy=period.strategy, year=2024, quarter=2).validate_constraints()
    with pytest.raises(IntegrityError), transaction.atomic():
        m.Period.objects.create(strategy=period.strategy, year=2024, quarter=5)


@pytest.mark.django_db
def test_risk_numbers_are_unique_per_strategy_and_scores_are_1_to_25():
    risk = factories.RiskFactory(number="01")
    with pytest.raises(ValidationError, match="A BAF risk with this number already exists in the strategy."):
        m.Risk(strategy=risk.strategy, number="01", title="x").validate_constraints()
    period = factories.PeriodFactory(strategy=risk.strategy)
    with pytest.raises(IntegrityError), transaction.atomic():
        m.RiskScore.objects.create(risk=risk, period=period, score=26)


@pytest.mark.django_db
def test_likelihood_times_consequence_must_make_the_score():
    score = factories.RiskScoreFactory.build(
        risk=factories.RiskFactory(), period=factories.PeriodFactory(), score=12, likelihood=4, consequence=4
    )
    with pytest.raises(ValidationError, match="Likelihood × consequence is 16, not 12."):
        score.clean()
    score.likelihood = None
    with pytest.raises(ValidationError, match="Give both likelihood and consequence, or neither."):
        score.clean()
    score.consequence = None
    score.clean()  # a score alone is fine (the seeds print only the score)


@pytest.mark.django_db
def test_a_submitted_amber_or_red_update_needs_a_reason():
    update = factories.ActionUpdateFactory.build(rag=RAG.RED, rag_reason="", state=UpdateState.SUBMITTED)
    with pytest.raises(ValidationError, match="Give a reason for an Amber or Red rating."):
        update.clean()
    update.state = UpdateState.DRAFT
    update.clean()  # a draft may be unfinished


@pytest.mark.django_db
def test_str_of_each_model_reads_well():
    person = factories.PersonFactory(name="Sharon Murphy", job_title="Director of Finance")
    strategy = factories.StrategyFactory(name="Step Up To Great")
    goal = factories.GoalFactory(strategy=strategy, title="Great Outcomes")
    action = factories.ActionFactory(objective__goal=goal, number=2, title="Review SOPs")
    period = factories.PeriodFactory(strategy=strategy, year=2024, quarter=2)
    update = factories.ActionUpdateFactory(action=action, period=period)
    risk = factories.RiskFactory(strategy=strategy, number="01", title="Without timely access")
    assert str(person) == "Sharon Murphy, Director of Finance"
    assert str(strategy) == "Step Up To Great"
    assert str(goal) == "Great Outcomes"
    assert str(action) == "2. Review SOPs"
    assert str(period) == "Q2 2024/25" and period.slug == "2024-Q2"
    assert str(update) == "2. Review SOPs — Q2 2024/25"
    assert str(risk) == "BAF 01: Without timely access"
    assert str(factories.RiskScoreFactory(risk=risk, period=period, score=20)) == "01 Q2 2024/25: 20"

"""The rules of the BAF register and of quarterly scoring."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from goals.core.choices import PeriodState
from goals.models import Risk, RiskScore
from goals.risks import services


@pytest.mark.django_db
def test_risk_create_links_goals_and_an_owner_of_the_strategy(baf, admin_user):
    risk = services.risk_create(
        strategy=baf.strategy,
        number="03",
        title="Money runs out",
        owner=baf.cycle.people["lead"],
        goals=[baf.goal],
        target_score=6,
        by=admin_user,
    )
    assert list(risk.goals.all()) == [baf.goal]
    assert risk.history.latest().history_user == admin_user


@pytest.mark.django_db
def test_risk_create_refuses_a_duplicate_number_and_a_target_above_25(baf, admin_user):
    with pytest.raises(ValidationError) as refused:
        services.risk_create(strategy=baf.strategy, number="01", title="Again", target_score=30, by=admin_user)
    assert set(refused.value.message_dict) == {"__all__", "target_score"}
    assert Risk.objects.filter(strategy=baf.strategy).count() == 2


@pytest.mark.django_db
def test_risk_update_refuses_a_goal_of_another_strategy(baf, admin_user):
    from tests import factories

    other_goal = factories.GoalFactory(strategy=baf.foreign.strategy)
    with pytest.raises(ValidationError) as refused:
        services.risk_update(risk=baf.first, number="01", title="Changed", goals=[other_goal], by=admin_user)
    assert "goals" in refused.value.message_dict
    baf.first.refresh_from_db()
    assert baf.first.title == "Waiting lists grow"


@pytest.mark.django_db
def test_the_register_is_refused_to_a_director(baf, director):
    with pytest.raises(PermissionDenied):
        services.risk_create(strategy=baf.strategy, number="09", title="Nope", by=director)
    with pytest.raises(PermissionDenied):
        services.risk_archive(risk=baf.first, by=director)
    assert Risk.objects.filter(strategy=baf.strategy, archived_at__isnull=True).count() == 2


@pytest.mark.django_db
def test_the_owner_scores_their_risk_in_the_open_quarter(baf):
    score = services.risk_score_save(
        risk=baf.first, period=baf.cycle.period, likelihood=4, consequence=4, rationale="Lists grew.", by=baf.cycle.sro
    )
    assert (score.score, score.likelihood, score.consequence, score.rationale) == (16, 4, 4, "Lists grew.")
    assert score.history.latest().history_user == baf.cycle.sro


@pytest.mark.django_db
def test_scoring_again_changes_the_quarters_score_and_keeps_the_history(baf, secretary):
    services.risk_score_save(risk=baf.first, period=baf.cycle.period, likelihood=4, consequence=4, by=secretary)
    services.risk_score_save(risk=baf.first, period=baf.cycle.period, likelihood=2, consequence=4, by=secretary)
    row = RiskScore.objects.get(risk=baf.first, period=baf.cycle.period)
    assert row.score == 8 and row.history.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["other_sro", "director", "lead"])
def test_scoring_is_refused_to_a_non_owner_a_director_and_a_lead(baf, director, who):
    user = director if who == "director" else getattr(baf.cycle, who)
    with pytest.raises(PermissionDenied):
        services.risk_score_save(risk=baf.first, period=baf.cycle.period, likelihood=1, consequence=1, by=user)
    assert not RiskScore.objects.filter(period=baf.cycle.period).exists()


@pytest.mark.django_db
def test_scores_freeze_when_the_quarter_is_locked(baf, secretary):
    baf.cycle.period.state = PeriodState.LOCKED
    baf.cycle.period.save()
    with pytest.raises(ValidationError, match="frozen"):
        services.risk_score_save(risk=baf.first, period=baf.cycle.period, likelihood=1, consequence=1, by=secretary)
    with pytest.raises(ValidationError, match="frozen"):
        services.risk_score_save(risk=baf.first, period=baf.cycle.previous, likelihood=1, consequence=1, by=secretary)
    assert RiskScore.objects.get(risk=baf.first, period=baf.cycle.previous).score == 12


@pytest.mark.django_db
def test_an_archived_risk_is_not_scored(baf, admin_user):
    services.risk_archive(risk=baf.first, by=admin_user)
    with pytest.raises(ValidationError, match="archived"):
        services.risk_score_save(risk=baf.first, period=baf.cycle.period, likelihood=1, consequence=1, by=admin_user)


@pytest.mark.django_db
def test_a_quarter_of_another_strategy_is_refused(baf, secretary):
    with pytest.raises(PermissionDenied):
        services.risk_score_save(risk=baf.foreign, period=baf.cycle.period, likelihood=1, consequence=1, by=secretary)

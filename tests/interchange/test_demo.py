"""`load_demo`: the real strategies through the public import path, plus the demo users."""

import re

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from goals import models as m
from goals.core import permissions
from goals.core.choices import RAG, PeriodState
from goals.interchange.exporter import export_strategy


def snapshot():
    counts = {
        model.__name__: model.objects.count()
        for model in (
            m.Person,
            m.Strategy,
            m.Goal,
            m.Objective,
            m.SuccessMeasure,
            m.Action,
            m.Period,
            m.PersonTitle,
            m.ActionUpdate,
            m.MeasureEvidence,
            m.Risk,
            m.RiskScore,
            m.Metric,
            m.MetricValue,
        )
    }
    history = {model.__name__: model.history.count() for model in (m.Action, m.ActionUpdate, m.Period, m.Person)}
    exports = {s.slug: export_strategy(s) for s in m.Strategy.objects.all()}
    return counts, history, exports


@pytest.mark.django_db
def test_load_demo_twice_gives_the_same_data(capsys):
    call_command("load_demo", "--without-packs")
    first = snapshot()
    capsys.readouterr()
    call_command("load_demo", "--without-packs")
    assert snapshot() == first
    out = capsys.readouterr().out
    # the import itself sets the demo lead, so a second run reports nothing changed
    assert re.search(r"step-up-to-great: 0 created, 0 updated, [1-9]\d* unchanged", out)
    assert re.search(r"ltht-improvement-strategy: 0 created, 0 updated, [1-9]\d* unchanged", out)


@pytest.mark.django_db
def test_the_demo_has_both_real_strategies():
    call_command("load_demo", "--without-packs")
    lpt = m.Strategy.objects.get(slug="step-up-to-great")
    ltht = m.Strategy.objects.get(slug="ltht-improvement-strategy")
    assert lpt.organisation == "Leicestershire Partnership NHS Trust"
    assert "high quality, compassionate care and wellbeing for all" in lpt.vision
    assert len(lpt.success_statements) == 15
    q2 = lpt.periods.get(year=2024, quarter=2)
    rags = list(q2.action_updates.values_list("rag", flat=True))
    assert len(rags) == 17 and rags.count(RAG.GREEN) == 13 and rags.count(RAG.AMBER) == 4
    assert sorted(q2.risk_scores.values_list("risk__number", "score")) == [
        ("01", 20),
        ("02", 9),
        ("03", 12),
        ("04", 20),
        ("05", 12),
        ("06", 20),
        ("07", 12),
        ("08", 9),
        ("09", 12),
    ]
    assert ltht.goals.count() == 7
    assert "Patients as equal partners" in ltht.goals.values_list("title", flat=True)
    assert ltht.metrics.filter(name__icontains="illustrative").exists()


@pytest.mark.django_db
def test_the_demo_users_and_their_roles():
    call_command("load_demo", "--without-packs")
    for username in ("admin", "secretary", "director", "sro", "lead"):
        assert authenticate(username=username, password="strategy-demo") is not None, username
    lpt = m.Strategy.objects.get(slug="step-up-to-great")
    access = m.Action.objects.filter(objective__goal__strategy=lpt, objective__title__icontains="access")
    assert access.count() == 4
    for action in access:
        assert [p.user.username for p in action.leads.all()] == ["lead"]
        assert [p.name for p in action.sros.all()] == ["Sharon Murphy"]
    assert m.Person.objects.get(user__username="sro").name == "Sharon Murphy"
    q3 = lpt.periods.get(year=2024, quarter=3)
    assert q3.state == PeriodState.OPEN and q3.deadline is not None
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    assert permissions.is_strategy_admin(users.get(username="admin"))
    assert permissions.is_programme_office(users.get(username="secretary"))
    assert permissions.is_director(users.get(username="director"))
    assert not permissions.is_programme_office(users.get(username="lead"))

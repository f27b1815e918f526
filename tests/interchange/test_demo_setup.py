"""The demo's set-up beyond the source documents: a deadline ahead of today and a programme lead
on every action (demo people labelled as such)."""

import datetime

import pytest
from django.core.management import call_command

from goals import models as m
from goals.core.choices import PeriodState
from goals.interchange.demo import DEMO_DEADLINE_DAYS, DEMO_LEAD_TITLE, with_demo_deadline


@pytest.mark.django_db
def test_the_open_quarter_deadline_is_two_weeks_after_today():
    call_command("load_demo", "--without-packs")
    q3 = m.Period.objects.get(strategy__slug="step-up-to-great", year=2024, quarter=3)
    assert q3.state == PeriodState.OPEN
    assert q3.deadline == datetime.date.today() + datetime.timedelta(days=DEMO_DEADLINE_DAYS)
    assert DEMO_DEADLINE_DAYS == 14


def test_only_the_open_quarter_gets_the_relative_deadline():
    document = {
        "strategy": {
            "periods": [
                {"quarter": "2024-Q2", "state": "published"},
                {"quarter": "2024-Q3", "state": "open", "deadline": "2025-01-17"},
            ]
        }
    }
    periods = with_demo_deadline(document, today=datetime.date(2026, 3, 2))["strategy"]["periods"]
    assert periods[0] == {"quarter": "2024-Q2", "state": "published"}
    assert periods[1]["deadline"] == datetime.date(2026, 3, 16)


@pytest.mark.django_db
def test_every_demo_action_has_a_programme_lead_and_demo_people_say_so():
    call_command("load_demo", "--without-packs")
    without_lead = m.Action.objects.filter(leads__isnull=True)
    assert m.Action.objects.exists() and not without_lead.exists()
    invented = m.Person.objects.filter(key__startswith="demo-lead-")
    assert invented.exists()
    assert set(invented.values_list("job_title", flat=True)) == {DEMO_LEAD_TITLE}
    assert "demo" in DEMO_LEAD_TITLE
    # the Access actions keep the demo user's person as their lead
    access = m.Action.objects.filter(
        objective__goal__strategy__slug="step-up-to-great", objective__title__icontains="access"
    )
    assert {p.user.username for a in access for p in a.leads.all()} == {"lead"}

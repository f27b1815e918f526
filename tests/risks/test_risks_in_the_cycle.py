"""The tracker shows the BAF risks not yet scored beside the updates not yet submitted, and the
reminders chase their owners."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from goals.risks import services

DEADLINE = datetime.date(2025, 1, 17)


def tracker(client, baf):
    return client.get(reverse("goals:tracker", kwargs={"slug": baf.strategy.slug, "period": baf.cycle.period.slug}))


def score_url(baf, risk):
    return reverse(
        "goals:risk_score", kwargs={"slug": baf.strategy.slug, "period": baf.cycle.period.slug, "pk": risk.pk}
    )


@pytest.mark.django_db
def test_the_tracker_counts_and_links_the_risks_not_scored(client, baf, secretary):
    services.risk_score_save(risk=baf.first, period=baf.cycle.period, likelihood=2, consequence=2, by=secretary)
    client.force_login(secretary)
    page = tracker(client, baf).content.decode()
    assert "BAF risks not scored: 1" in page
    assert score_url(baf, baf.second) in page and score_url(baf, baf.first) not in page
    assert reverse("goals:risk_scoring", kwargs={"slug": baf.strategy.slug, "period": "2024-Q3"}) in page


@pytest.mark.django_db
def test_the_reminders_chase_owners_of_risks_not_scored_near_the_deadline(baf, secretary):
    services.risk_score_save(risk=baf.first, period=baf.cycle.period, likelihood=2, consequence=2, by=secretary)
    out = StringIO()
    call_command("send_reminders", "--date", DEADLINE.isoformat(), stdout=out, stderr=StringIO())
    oscar = baf.cycle.people["other_sro"]
    assert f"{oscar.name} <{oscar.email}>: 1 BAF risk(s) to score" in out.getvalue()
    message = next(m for m in mail.outbox if m.to == [oscar.email])
    assert message.subject == "Reminder: 1 BAF risk to score"
    assert "BAF 02: Staff leave (Better Care, Q3 2024/25); due today" in message.body
    assert score_url(baf, baf.second) in message.body
    sharon = baf.cycle.people["sro"]
    assert not any("BAF 01" in m.body for m in mail.outbox if m.to == [sharon.email])


@pytest.mark.django_db
def test_risks_are_not_chased_before_the_reminder_window(baf):
    call_command("send_reminders", "--date", "2025-01-01", stdout=StringIO(), stderr=StringIO())
    assert mail.outbox == []

"""`manage.py send_reminders` (cron): one email per person per run; leads with missing or
returned updates when the deadline is near or passed; SROs with updates waiting."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from goals.core.choices import RAG, PeriodState, UpdateState
from goals.cycle import services
from goals.models import Period
from tests import factories

pytestmark = pytest.mark.django_db

DEADLINE = datetime.date(2025, 1, 17)


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("send_reminders", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def on(day: datetime.date, *args):
    return run("--date", day.isoformat(), *args)


def sent_to():
    return sorted(address for message in mail.outbox for address in message.to)


def test_leads_are_reminded_a_week_before_the_deadline_not_earlier(cycle):
    on(DEADLINE - datetime.timedelta(days=8))
    assert mail.outbox == []
    on(DEADLINE - datetime.timedelta(days=7))
    assert sent_to() == sorted([cycle.people["lead"].email, cycle.people["other_lead"].email])
    body = next(m for m in mail.outbox if m.to == [cycle.people["lead"].email]).body
    assert "Cut waiting times" in body and "not started" in body and "7 days left" in body


def test_leads_are_reminded_after_the_deadline_has_passed(cycle):
    on(DEADLINE + datetime.timedelta(days=2))
    assert "the deadline (17 January 2025) has passed" in mail.outbox[0].body


def test_the_days_before_the_deadline_can_be_set(cycle):
    on(DEADLINE - datetime.timedelta(days=10), "--days", "10")
    assert len(mail.outbox) == 2


def test_a_lead_gets_one_email_for_all_their_actions(cycle):
    factories.ActionFactory(objective=cycle.objective, number=3, title="Second action", leads=[cycle.people["lead"]])
    factories.ActionFactory(objective=cycle.objective, number=4, title="Third action", leads=[cycle.people["lead"]])
    on(DEADLINE)
    mine = [m for m in mail.outbox if m.to == [cycle.people["lead"].email]]
    assert len(mine) == 1
    assert "4 to write" in mine[0].subject  # the three updates and the objective's evidence
    assert all(title in mine[0].body for title in ("Cut waiting times", "Second action", "Third action"))
    assert mine[0].alternatives[0][1] == "text/html" and "Second action" in mine[0].alternatives[0][0]


def test_drafts_and_returned_updates_count_as_missing_submitted_ones_do_not(cycle):
    services.evidence_submit(  # the objective's evidence is due too: submitted, it is not chased
        measure=cycle.measure, period=cycle.period, fields={"evidence": "Seen."}, version=0, by=cycle.lead
    )
    update = services.update_submit(
        action=cycle.action,
        period=cycle.period,
        fields={"rag": RAG.GREEN, "progress": "Done."},
        version=0,
        by=cycle.lead,
    )
    on(DEADLINE)
    assert cycle.people["lead"].email not in sent_to()
    mail.outbox.clear()
    services.update_return(update=update, comment="Figures?", version=update.version, by=cycle.sro)
    on(DEADLINE)
    body = next(m for m in mail.outbox if m.to == [cycle.people["lead"].email]).body
    assert "Cut waiting times" in body and "returned" in body


def test_sros_are_reminded_of_updates_waiting_whatever_the_deadline(cycle):
    services.update_submit(
        action=cycle.action,
        period=cycle.period,
        fields={"rag": RAG.GREEN, "progress": "Done."},
        version=0,
        by=cycle.lead,
    )
    on(DEADLINE - datetime.timedelta(days=60))
    assert sent_to() == [cycle.people["sro"].email]
    assert "waiting for your review" in mail.outbox[0].subject


def test_someone_both_lead_and_sro_gets_one_email_with_both_lists(cycle):
    cycle.other_action.sros.set([cycle.people["lead"]])
    services.update_submit(
        action=cycle.other_action,
        period=cycle.period,
        fields={"rag": RAG.GREEN, "progress": "Done."},
        version=0,
        by=cycle.other_lead,
    )
    on(DEADLINE)
    mine = [m for m in mail.outbox if m.to == [cycle.people["lead"].email]]
    assert len(mine) == 1
    assert "2 to write, 1 to review" in mine[0].subject  # an update and the objective's evidence
    assert "Cut waiting times" in mine[0].body and "Open a new clinic" in mine[0].body


def test_locked_quarters_are_not_chased(cycle):
    Period.objects.filter(pk=cycle.period.pk).update(state=PeriodState.LOCKED)
    on(DEADLINE)
    assert mail.outbox == []


def test_a_dry_run_says_who_and_sends_nothing(cycle):
    out, _ = on(DEADLINE, "--dry-run")
    assert mail.outbox == []
    assert f"Lee Lead <{cycle.people['lead'].email}>: 2 to write" in out  # the update and the evidence
    assert "Dry run: 2 email(s) would be sent" in out


def test_the_users_address_is_used_when_the_person_has_none_and_others_are_reported(cycle):
    lead = cycle.people["lead"]
    lead.email = ""
    lead.save()
    other = cycle.people["other_lead"]
    other.email = ""
    other.save()
    other.user.email = ""
    other.user.save()
    out, err = on(DEADLINE)
    assert sent_to() == [cycle.lead.email]
    assert "No email address for Olive Other" in err
    assert "Sent 1 reminder email(s)." in out


def test_a_bad_date_or_negative_days_is_refused(cycle):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run("--date", "17/01/2025")
    with pytest.raises(CommandError, match="0 or more"):
        run("--days", "-1")


def test_actions_no_longer_active_are_not_chased(cycle):
    cycle.other_action.status = "stepped_down"
    cycle.other_action.save()
    on(DEADLINE)
    assert sent_to() == [cycle.people["lead"].email]


def test_reminders_read_with_a_fixed_number_of_queries(cycle, django_assert_num_queries):
    from goals.cycle.notifications import reminders

    # Periods, actions, leads, SROs, updates, success measures, their lead directors, their evidence
    # and the BAF risks not yet scored.
    with django_assert_num_queries(9):
        first = reminders(today=DEADLINE)
    for number in range(3, 13):
        factories.ActionFactory(
            objective=cycle.objective, number=number, leads=[cycle.people["lead"]], sros=[cycle.people["sro"]]
        )
    # Periods, actions, leads, SROs, updates, success measures, their lead directors, their evidence
    # and the BAF risks not yet scored.
    with django_assert_num_queries(9):
        second = reminders(today=DEADLINE)
    assert len(second[0].to_write) > len(first[0].to_write)


def test_update_states_in_reminders_read_as_words(cycle):
    factories.ActionUpdateFactory(action=cycle.action, period=cycle.period, state=UpdateState.DRAFT)
    on(DEADLINE)
    assert "draft" in next(m for m in mail.outbox if m.to == [cycle.people["lead"].email]).body

"""Workflow rules of action updates, at the service layer: who writes, when, what submitting
needs, who approves or returns, stale versions, and the history every change leaves."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from goals.core.choices import RAG, PeriodState, UpdateState
from goals.cycle import services
from goals.models import ActionUpdate
from tests import factories

pytestmark = pytest.mark.django_db

GOOD = {"rag": RAG.GREEN, "progress": "Clinics opened on Saturdays.", "impact": "Waits down.", "next_focus": "More."}


def save(cycle, by=None, fields=None, version=0, action=None):
    return services.update_save(
        action=action or cycle.action, period=cycle.period, fields=fields or GOOD, version=version, by=by or cycle.lead
    )


def submit(cycle, by=None, fields=None, version=0, action=None):
    return services.update_submit(
        action=action or cycle.action, period=cycle.period, fields=fields or GOOD, version=version, by=by or cycle.lead
    )


def snapshot(update):
    update.refresh_from_db()
    return {f.name: getattr(update, f.name) for f in ActionUpdate._meta.concrete_fields}


# --- Writing ---------------------------------------------------------------------------------


def test_a_lead_saves_a_draft_and_each_save_bumps_the_version(cycle):
    update = save(cycle)
    assert (update.state, update.version, update.updated_by) == (UpdateState.DRAFT, 1, cycle.lead)
    update = save(cycle, fields={**GOOD, "progress": "More done."}, version=1)
    assert update.version == 2 and update.progress == "More done."


def test_a_draft_may_be_incomplete_even_amber_without_a_reason(cycle):
    update = save(cycle, fields={"rag": RAG.AMBER})
    assert update.state == UpdateState.DRAFT and update.rag_reason == ""


def test_submitting_needs_a_rating_and_progress(cycle):
    with pytest.raises(ValidationError) as error:
        submit(cycle, fields={"impact": "Something."})
    assert set(error.value.message_dict) == {"rag", "progress"}
    assert not ActionUpdate.objects.filter(period=cycle.period).exists()


@pytest.mark.parametrize("rag", [RAG.AMBER, RAG.RED])
def test_amber_and_red_need_a_reason_to_submit(cycle, rag):
    with pytest.raises(ValidationError) as error:
        submit(cycle, fields={**GOOD, "rag": rag, "rag_reason": "   "})
    assert error.value.message_dict == {"rag_reason": ["Give a reason for an Amber or Red rating"]}
    assert not ActionUpdate.objects.filter(period=cycle.period).exists()
    update = submit(cycle, fields={**GOOD, "rag": rag, "rag_reason": "Staff shortages."})
    assert update.state == UpdateState.SUBMITTED


@pytest.mark.parametrize("rag", [RAG.GREEN, RAG.BLUE])
def test_green_and_blue_submit_without_a_reason(cycle, rag):
    update = submit(cycle, fields={**GOOD, "rag": rag})
    assert (update.state, update.submitted_by) == (UpdateState.SUBMITTED, cycle.lead)
    assert update.submitted_at is not None


def test_submitting_emails_the_sros(cycle, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submit(cycle)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [cycle.people["sro"].email]
    assert "Cut waiting times" in message.body and "Q3 2024/25" in message.subject
    assert message.alternatives[0][1] == "text/html"


def test_an_unknown_rating_is_refused(cycle):
    with pytest.raises(ValidationError) as error:
        save(cycle, fields={**GOOD, "rag": "purple"})
    assert "rag" in error.value.message_dict
    assert not ActionUpdate.objects.filter(period=cycle.period).exists()


def test_text_longer_than_the_limit_is_refused(cycle):
    with pytest.raises(ValidationError) as error:
        save(cycle, fields={**GOOD, "progress": "x" * 4001})
    assert "progress" in error.value.message_dict


def test_fields_other_than_the_update_text_are_ignored(cycle):
    crafted = {**GOOD, "state": UpdateState.APPROVED, "reviewed_by": cycle.sro, "version": 99, "action": 7}
    update = save(cycle, fields=crafted)
    assert (update.state, update.reviewed_by, update.version, update.action) == (
        UpdateState.DRAFT,
        None,
        1,
        cycle.action,
    )


@pytest.mark.parametrize("who", ["other_lead", "sro", "other_sro", "secretary", "director"])
def test_only_the_actions_leads_write_its_update(cycle, who, request):
    user = request.getfixturevalue(who) if who in ("secretary", "director") else getattr(cycle, who)
    existing = save(cycle)
    before = snapshot(existing)
    with pytest.raises(PermissionDenied):
        save(cycle, by=user, version=1, fields={**GOOD, "progress": "Overwritten"})
    with pytest.raises(PermissionDenied):
        submit(cycle, by=user, version=1)
    assert snapshot(existing) == before


def test_a_strategy_admin_may_write_any_update(cycle, admin_user):
    assert save(cycle, by=admin_user).updated_by == admin_user


@pytest.mark.parametrize("state", [PeriodState.PLANNED, PeriodState.LOCKED, PeriodState.PUBLISHED])
def test_updates_can_only_be_written_while_the_quarter_is_open(cycle, state):
    existing = save(cycle)
    before = snapshot(existing)
    cycle.period.state = state
    cycle.period.save()
    with pytest.raises(services.WorkflowError, match="can no longer be changed"):
        save(cycle, version=1)
    with pytest.raises(services.WorkflowError):
        submit(cycle, version=1)
    assert snapshot(existing) == before


def test_a_quarter_of_another_strategy_is_refused(cycle):
    elsewhere = factories.PeriodFactory(year=2024, quarter=3)
    with pytest.raises(PermissionDenied):
        services.update_save(action=cycle.action, period=elsewhere, fields=GOOD, version=0, by=cycle.lead)


def test_a_stale_save_is_refused_and_changes_nothing(cycle):
    save(cycle, fields={**GOOD, "progress": "First browser."})
    mine = save(cycle, fields={**GOOD, "progress": "Second browser."}, version=1)
    before = snapshot(mine)
    with pytest.raises(services.StaleVersion) as stale:
        save(cycle, fields={**GOOD, "progress": "First browser again, from version 1."}, version=1)
    assert stale.value.current.progress == "Second browser."
    assert snapshot(mine) == before


def test_a_first_save_is_stale_when_someone_saved_meanwhile(cycle):
    save(cycle, fields={**GOOD, "progress": "Theirs."})
    with pytest.raises(services.StaleVersion) as stale:
        submit(cycle, fields={**GOOD, "progress": "Mine."}, version=0)
    assert stale.value.current.progress == "Theirs."


def test_a_submitted_update_is_frozen_for_the_lead(cycle):
    update = submit(cycle)
    with pytest.raises(services.WorkflowError, match="submitted"):
        save(cycle, version=update.version)


# --- Reviewing -------------------------------------------------------------------------------


def test_the_sro_approves_a_submitted_update(cycle):
    update = submit(cycle)
    update = services.update_approve(update=update, version=update.version, by=cycle.sro)
    assert (update.state, update.reviewed_by) == (UpdateState.APPROVED, cycle.sro)
    assert update.history.first().history_change_reason == "Approved"


def test_returning_needs_a_comment(cycle):
    update = submit(cycle)
    with pytest.raises(ValidationError) as error:
        services.update_return(update=update, comment="  ", version=update.version, by=cycle.sro)
    assert "review_comment" in error.value.message_dict
    update.refresh_from_db()
    assert update.state == UpdateState.SUBMITTED


def test_a_returned_update_goes_back_to_the_lead_with_the_comment(cycle, django_capture_on_commit_callbacks):
    update = submit(cycle)
    with django_capture_on_commit_callbacks(execute=True):
        update = services.update_return(update=update, comment="Add the numbers.", version=update.version, by=cycle.sro)
    assert (update.state, update.review_comment) == (UpdateState.RETURNED, "Add the numbers.")
    assert [m.to for m in mail.outbox] == [[cycle.people["lead"].email]]
    assert "Add the numbers." in mail.outbox[0].body
    # The lead changes it (it is a draft again, the comment still there) and resubmits.
    update = save(cycle, fields={**GOOD, "progress": "With numbers: 12% fewer."}, version=update.version)
    assert (update.state, update.review_comment) == (UpdateState.DRAFT, "Add the numbers.")
    update = submit(cycle, fields={**GOOD, "progress": "With numbers: 12% fewer."}, version=update.version)
    assert update.state == UpdateState.SUBMITTED


@pytest.mark.parametrize("who", ["lead", "other_lead", "other_sro"])
def test_only_the_actions_sro_approves_or_returns(cycle, who):
    update = submit(cycle)
    before = snapshot(update)
    with pytest.raises(PermissionDenied):
        services.update_approve(update=update, version=update.version, by=getattr(cycle, who))
    with pytest.raises(PermissionDenied):
        services.update_return(update=update, comment="No.", version=update.version, by=getattr(cycle, who))
    assert snapshot(update) == before


@pytest.mark.parametrize("role", ["secretary", "director"])
def test_the_programme_office_and_directors_cannot_approve(cycle, role, request):
    update = submit(cycle)
    with pytest.raises(PermissionDenied):
        services.update_approve(update=update, version=update.version, by=request.getfixturevalue(role))


def test_a_strategy_admin_may_approve(cycle, admin_user):
    update = submit(cycle)
    assert services.update_approve(update=update, version=update.version, by=admin_user).state == UpdateState.APPROVED


@pytest.mark.parametrize("state", [UpdateState.DRAFT, UpdateState.RETURNED, UpdateState.APPROVED])
def test_only_a_submitted_update_can_be_reviewed(cycle, state):
    update = save(cycle)
    ActionUpdate.objects.filter(pk=update.pk).update(state=state)
    with pytest.raises(services.WorkflowError):
        services.update_approve(update=update, version=update.version, by=cycle.sro)


def test_a_review_of_a_stale_version_is_refused(cycle):
    update = submit(cycle)
    with pytest.raises(services.StaleVersion):
        services.update_approve(update=update, version=update.version - 1, by=cycle.sro)


def test_reviews_are_refused_once_the_quarter_is_locked(cycle):
    update = submit(cycle)
    cycle.period.state = PeriodState.LOCKED
    cycle.period.save()
    with pytest.raises(services.WorkflowError):
        services.update_approve(update=update, version=update.version, by=cycle.sro)


# --- History ---------------------------------------------------------------------------------


def test_every_change_is_in_the_history_with_who_and_why(cycle):
    update = save(cycle, fields={**GOOD, "progress": "Draft one."})
    update = submit(cycle, fields={**GOOD, "progress": "Final."}, version=update.version)
    update = services.update_return(update=update, comment="Say more.", version=update.version, by=cycle.sro)
    records = list(update.history.order_by("history_date"))
    assert [(r.history_user, r.history_change_reason, r.state) for r in records] == [
        (cycle.lead, None, UpdateState.DRAFT),
        (cycle.lead, "Submitted for approval", UpdateState.SUBMITTED),
        (cycle.sro, "Returned to lead", UpdateState.RETURNED),
    ]
    delta = records[1].diff_against(records[0])
    assert {c.field: (c.old, c.new) for c in delta.changes}["progress"] == ("Draft one.", "Final.")

"""The lead's and the SRO's pages: My updates, the update form (last quarter beside it, draft,
submit, stale saves, history), To review and the decision, and the evidence form."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from goals.core.choices import RAG, PeriodState, UpdateState
from goals.cycle import services
from goals.models import ActionUpdate, MeasureEvidence
from tests import factories

pytestmark = pytest.mark.django_db

TEXT = {"rag": RAG.GREEN, "progress": "Saturday clinics opened.", "impact": "", "next_focus": "", "rag_reason": ""}


def update_url(cycle, action=None, period="2024-Q3"):
    return reverse("goals:update_edit", kwargs={"pk": (action or cycle.action).pk, "period": period})


def review_url(cycle):
    return reverse("goals:update_review", kwargs={"pk": cycle.action.pk, "period": "2024-Q3"})


def evidence_url(cycle):
    return reverse("goals:evidence_edit", kwargs={"pk": cycle.measure.pk, "period": "2024-Q3"})


def post_update(client, cycle, intent="save", version=0, **fields):
    return client.post(update_url(cycle), {**TEXT, **fields, "version": version, "intent": intent})


def submitted(cycle, **fields):
    return services.update_submit(
        action=cycle.action, period=cycle.period, fields={**TEXT, **fields}, version=0, by=cycle.lead
    )


def textarea(content: str, name: str) -> str:
    match = re.search(rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>', content, re.S)
    return match.group(1).strip() if match else None


# --- My updates ------------------------------------------------------------------------------


def test_my_updates_shows_the_open_quarter_with_its_deadline_and_days_left(client, cycle):
    cycle.period.deadline = timezone.localdate() + datetime.timedelta(days=3)
    cycle.period.save()
    client.force_login(cycle.lead)
    content = client.get(reverse("goals:my_updates")).content.decode()
    assert "Better Care: Q3 2024/25" in content
    assert "3 days left" in content and "2 still to submit" in content  # the update and the evidence
    assert "Cut waiting times" in content and "Not started" in content
    assert "Open a new clinic" not in content  # another lead's action


def test_my_updates_puts_returned_updates_first_with_the_sros_comment(client, cycle):
    second = factories.ActionFactory(
        objective=cycle.objective,
        number=3,
        title="Digital referrals",
        leads=[cycle.people["lead"]],
        sros=[cycle.people["sro"]],
    )
    update = submitted(cycle)
    services.update_return(update=update, comment="Add this quarter's figures.", version=update.version, by=cycle.sro)
    client.force_login(cycle.lead)
    quarter = client.get(reverse("goals:my_updates")).context["quarters"][0]
    assert [(r.action, r.state.label) for r in quarter.rows] == [(cycle.action, "Returned"), (second, "Not started")]
    content = client.get(reverse("goals:my_updates")).content.decode()
    assert "Add this quarter&#x27;s figures." in content and "Returned by Sharon Sro" in content


@pytest.mark.parametrize(
    "state, label",
    [(UpdateState.DRAFT, "Draft"), (UpdateState.SUBMITTED, "Submitted"), (UpdateState.APPROVED, "Approved")],
)
def test_my_updates_shows_each_state(client, cycle, state, label):
    factories.ActionUpdateFactory(action=cycle.action, period=cycle.period, state=state)
    client.force_login(cycle.lead)
    rows = client.get(reverse("goals:my_updates")).context["quarters"][0].rows
    assert [r.state.label for r in rows] == [label]


def test_my_updates_lists_the_success_measures_the_lead_evidences(client, cycle):
    client.force_login(cycle.lead)
    content = client.get(reverse("goals:my_updates")).content.decode()
    assert "Nobody waits over 18 weeks" in content and evidence_url(cycle) in content


def test_locked_quarters_are_not_on_my_updates(client, cycle):
    cycle.period.state = PeriodState.LOCKED
    cycle.period.save()
    client.force_login(cycle.lead)
    assert "no quarter is open for the actions you lead" in client.get(reverse("goals:my_updates")).content.decode()


def test_someone_who_leads_nothing_is_told_so(client, director):
    client.force_login(director)
    response = client.get(reverse("goals:my_updates"))
    assert response.status_code == 200 and "You have no updates to write" in response.content.decode()


# --- The update form -------------------------------------------------------------------------


def test_the_form_has_the_rag_radios_with_their_meanings_and_limits(client, cycle):
    client.force_login(cycle.lead)
    content = client.get(update_url(cycle)).content.decode()
    for label in ("Green", "Amber", "Red", "Blue (complete)"):
        assert f">{label}</label>" in content
    assert "Off track: needs escalation." in content and "At risk: slippage, with a mitigation in hand." in content
    for label in ("Progress this quarter", "Impact", "Focus next quarter", "Reason for the rating"):
        assert label in content
    assert "You can enter up to 4000 characters" in content
    assert 'name="version" value="0"' in content
    assert ">Save draft</button>" in content and ">Submit for approval</button>" in content


def test_last_quarters_update_is_shown_beside_the_form(client, cycle):
    client.force_login(cycle.lead)
    content = client.get(update_url(cycle)).content.decode()
    assert "Last quarter: Q2 2024/25" in content
    assert "Q2 progress." in content and "Finish the new policy." in content


def test_use_last_quarters_focus_fills_progress_and_saves_nothing(client, cycle):
    client.force_login(cycle.lead)
    response = post_update(client, cycle, intent="use_last_focus", progress="", impact="Typed already.")
    content = response.content.decode()
    assert textarea(content, "progress") == "Finish the new policy."
    assert textarea(content, "impact") == "Typed already."
    assert not ActionUpdate.objects.filter(period=cycle.period).exists()
    # What was typed in progress is kept, last quarter's focus added after it.
    content = post_update(client, cycle, intent="use_last_focus", progress="Mine.").content.decode()
    assert textarea(content, "progress") == "Mine.\n\nFinish the new policy."


def test_save_draft_keeps_the_lead_on_the_page(client, cycle):
    client.force_login(cycle.lead)
    response = post_update(client, cycle, rag=RAG.AMBER)  # a draft needs no reason yet
    assert response.status_code == 302 and response["Location"] == update_url(cycle)
    update = ActionUpdate.objects.get(period=cycle.period)
    assert (update.state, update.rag, update.version) == (UpdateState.DRAFT, RAG.AMBER, 1)
    content = client.get(update_url(cycle)).content.decode()
    assert "Draft saved." in content and 'name="version" value="1"' in content


def test_red_without_a_reason_is_refused_with_the_message_and_the_text_kept(client, cycle):
    client.force_login(cycle.lead)
    response = post_update(client, cycle, intent="submit", rag=RAG.RED, progress="Behind plan: 2 of 5 clinics.")
    content = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in content and "Give a reason for an Amber or Red rating" in content
    assert 'href="#id_rag_reason"' in content
    assert textarea(content, "progress") == "Behind plan: 2 of 5 clinics."
    assert re.search(r'<input type="radio" name="rag" value="red"[^>]* checked', content)
    assert content.count("<title>Error: ") == 1
    assert not ActionUpdate.objects.filter(period=cycle.period).exists()


def test_submitting_with_everything_goes_to_my_updates_and_emails_the_sro(
    client, cycle, django_capture_on_commit_callbacks
):
    client.force_login(cycle.lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_update(client, cycle, intent="submit", rag=RAG.RED, rag_reason="Two consultants left.")
    assert response.status_code == 302 and response["Location"] == reverse("goals:my_updates")
    update = ActionUpdate.objects.get(period=cycle.period)
    assert (update.state, update.submitted_by) == (UpdateState.SUBMITTED, cycle.lead)
    assert [m.to for m in mail.outbox] == [[cycle.people["sro"].email]]
    assert "submitted for approval" in client.get(reverse("goals:my_updates")).content.decode()


def test_submitting_without_rating_or_progress_says_what_is_missing(client, cycle):
    client.force_login(cycle.lead)
    content = post_update(client, cycle, intent="submit", rag="", progress="").content.decode()
    assert "Choose a RAG rating before you submit" in content
    assert "Describe the progress this quarter before you submit" in content


def test_text_over_the_limit_is_refused_at_the_field_and_kept(client, cycle):
    client.force_login(cycle.lead)
    content = post_update(client, cycle, impact="y" * 4001).content.decode()
    assert "Impact must be 4000 characters or fewer (it has 4001)" in content
    assert textarea(content, "impact") == "y" * 4001
    assert not ActionUpdate.objects.filter(period=cycle.period).exists()


def test_an_unknown_rating_is_refused_with_a_message(client, cycle):
    client.force_login(cycle.lead)
    response = post_update(client, cycle, rag="purple")
    assert "Choose Green, Amber, Red or Blue (complete)" in response.content.decode()
    assert not ActionUpdate.objects.filter(period=cycle.period).exists()


def test_a_stale_save_is_refused_and_shows_both_texts(client, cycle):
    services.update_save(
        action=cycle.action,
        period=cycle.period,
        fields={**TEXT, "progress": "Saved in browser one."},
        version=0,
        by=cycle.lead,
    )
    client.force_login(cycle.lead)
    response = post_update(client, cycle, version=0, progress="Typed in browser two.")
    content = response.content.decode()
    assert response.status_code == 409
    assert "your changes have not been saved" in content
    assert textarea(content, "progress") == "Typed in browser two."  # mine, kept in the form
    assert "Saved meanwhile" in content and "Saved in browser one." in content  # theirs, beside it
    assert 'name="version" value="1"' in content  # so saving after merging works
    assert ActionUpdate.objects.get(period=cycle.period).progress == "Saved in browser one."
    assert post_update(client, cycle, version=1, progress="Merged.").status_code == 302
    assert ActionUpdate.objects.get(period=cycle.period).progress == "Merged."


def test_a_submitted_update_is_read_only_for_the_lead(client, cycle):
    submitted(cycle)
    client.force_login(cycle.lead)
    content = client.get(update_url(cycle)).content.decode()
    assert "Submitted" in content and "Saturday clinics opened." in content
    assert 'name="intent"' not in content and "Your decision" not in content
    response = post_update(client, cycle, version=1, progress="Sneaky change.")
    assert response.status_code == 409
    assert ActionUpdate.objects.get(period=cycle.period).progress == "Saturday clinics opened."


def test_the_history_shows_who_when_and_each_change(client, cycle):
    client.force_login(cycle.lead)
    post_update(client, cycle, progress="First words.")
    post_update(client, cycle, version=1, intent="submit", progress="Better words.")
    content = client.get(update_url(cycle)).content.decode()
    history = content[content.index('id="history"') :]
    assert "Lee Lead: Submitted for approval" in history
    assert "First words." in history and "Better words." in history
    assert "Progress this quarter" in history and ">Submitted<" in history


def test_an_unknown_quarter_or_action_is_404(client, cycle):
    client.force_login(cycle.lead)
    assert client.get(update_url(cycle, period="2031-Q1")).status_code == 404
    assert client.get(update_url(cycle, period="not-a-quarter")).status_code == 404
    assert client.get(reverse("goals:update_edit", kwargs={"pk": 999999, "period": "2024-Q3"})).status_code == 404


# --- To review and the SRO's decision --------------------------------------------------------


def test_to_review_lists_the_submitted_updates_of_my_actions(client, cycle):
    submitted(cycle)
    services.update_submit(action=cycle.other_action, period=cycle.period, fields=TEXT, version=0, by=cycle.other_lead)
    client.force_login(cycle.sro)
    response = client.get(reverse("goals:to_review"))
    assert [u.action for u in response.context["updates"]] == [cycle.action]
    assert update_url(cycle) in response.content.decode()


def test_a_strategy_admin_reviews_everything(client, cycle, admin_user):
    submitted(cycle)
    services.update_submit(action=cycle.other_action, period=cycle.period, fields=TEXT, version=0, by=cycle.other_lead)
    client.force_login(admin_user)
    assert len(client.get(reverse("goals:to_review")).context["updates"]) == 2


def test_nothing_to_review_says_so(client, cycle):
    client.force_login(cycle.sro)
    assert "Nothing is waiting for your review." in client.get(reverse("goals:to_review")).content.decode()


def test_the_sro_approves_from_the_update_page(client, cycle):
    update = submitted(cycle)
    client.force_login(cycle.sro)
    content = client.get(update_url(cycle)).content.decode()
    assert "Your decision" in content and ">Approve</button>" in content and ">Return to lead</button>" in content
    response = client.post(review_url(cycle), {"decision": "approve", "version": update.version, "review_comment": ""})
    assert response.status_code == 302 and response["Location"] == reverse("goals:to_review")
    update.refresh_from_db()
    assert (update.state, update.reviewed_by) == (UpdateState.APPROVED, cycle.sro)


def test_returning_without_a_comment_is_refused_with_a_message(client, cycle):
    update = submitted(cycle)
    client.force_login(cycle.sro)
    response = client.post(review_url(cycle), {"decision": "return", "version": update.version, "review_comment": " "})
    content = response.content.decode()
    assert response.status_code == 200 and "Say what the lead should change" in content
    assert 'href="#id_review_comment"' in content
    update.refresh_from_db()
    assert update.state == UpdateState.SUBMITTED


def test_a_returned_comment_reaches_the_lead_on_the_form(client, cycle, django_capture_on_commit_callbacks):
    update = submitted(cycle)
    client.force_login(cycle.sro)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            review_url(cycle),
            {"decision": "return", "version": update.version, "review_comment": "Which clinics? Name them."},
        )
    assert [m.to for m in mail.outbox] == [[cycle.people["lead"].email]]
    client.force_login(cycle.lead)
    content = client.get(update_url(cycle)).content.decode()
    assert "Returned by Sharon Sro" in content and "Which clinics? Name them." in content
    assert ">Submit for approval</button>" in content  # editable again


def test_a_decision_on_a_stale_version_is_refused(client, cycle):
    update = submitted(cycle)
    client.force_login(cycle.sro)
    response = client.post(review_url(cycle), {"decision": "approve", "version": update.version - 1})
    assert response.status_code == 409 and "changed after you opened it" in response.content.decode()
    update.refresh_from_db()
    assert update.state == UpdateState.SUBMITTED


def test_an_unknown_decision_changes_nothing(client, cycle):
    update = submitted(cycle)
    client.force_login(cycle.sro)
    response = client.post(review_url(cycle), {"decision": "delete", "version": update.version})
    assert "Choose Approve or Return to lead" in response.content.decode()
    update.refresh_from_db()
    assert update.state == UpdateState.SUBMITTED


# --- Success-measure evidence ----------------------------------------------------------------


def test_the_lead_writes_and_submits_evidence(client, cycle):
    factories.MeasureEvidenceFactory(
        measure=cycle.measure, period=cycle.previous, evidence="Q2 evidence.", next_focus="Audit the waiting list."
    )
    client.force_login(cycle.lead)
    content = client.get(evidence_url(cycle)).content.decode()
    assert "Evidence from this quarter" in content and "Summary of our focus next quarter" in content
    assert "Q2 evidence." in content and ">Use last quarter's focus</button>" in content
    data = {"evidence": "", "impact": "", "next_focus": "", "version": 0}
    content = client.post(evidence_url(cycle), {**data, "intent": "use_last_focus"}).content.decode()
    assert textarea(content, "evidence") == "Audit the waiting list."
    content = client.post(evidence_url(cycle), {**data, "intent": "submit"}).content.decode()
    assert "Describe the evidence from this quarter before you submit" in content
    response = client.post(evidence_url(cycle), {**data, "evidence": "Audit done.", "intent": "submit"})
    assert response.status_code == 302
    assert MeasureEvidence.objects.get(period=cycle.period).state == UpdateState.SUBMITTED


def test_a_stale_evidence_save_shows_both_texts(client, cycle):
    services.evidence_save(
        measure=cycle.measure, period=cycle.period, fields={"evidence": "Theirs."}, version=0, by=cycle.other_lead
    )
    client.force_login(cycle.lead)
    response = client.post(evidence_url(cycle), {"evidence": "Mine.", "version": 0, "intent": "save"})
    content = response.content.decode()
    assert response.status_code == 409 and textarea(content, "evidence") == "Mine." and "Theirs." in content

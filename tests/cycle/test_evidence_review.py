"""Success-measure evidence in the quarterly cycle: submitted to the objective's lead directors
and its actions' SROs, who approve or return it with a comment; To review lists it; the tracker,
its "missing" filter and the reminders count it; it is locked with the quarter."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from goals.core.choices import PeriodState, UpdateState
from goals.cycle import notifications, selectors, services
from goals.models import MeasureEvidence, Period
from tests import factories

pytestmark = pytest.mark.django_db

TEXT = {"evidence": "Waits fell for the third month.", "impact": "Patients seen sooner.", "next_focus": "Sustain."}
DEADLINE = datetime.date(2025, 1, 17)


def submit(cycle, by=None, version=0):
    return services.evidence_submit(
        measure=cycle.measure, period=cycle.period, fields=TEXT, version=version, by=by or cycle.lead
    )


def evidence_url(cycle, name="evidence_edit"):
    return reverse(f"goals:{name}", kwargs={"pk": cycle.measure.pk, "period": cycle.period.slug})


def test_submitting_stamps_who_and_when_and_emails_the_reviewers(cycle, django_capture_on_commit_callbacks):
    director = factories.PersonFactory(name="Dana Director", email="dana@example.nhs.uk")
    cycle.objective.lead_directors.add(director)
    with django_capture_on_commit_callbacks(execute=True):
        evidence = submit(cycle)
    assert (evidence.state, evidence.submitted_by) == (UpdateState.SUBMITTED, cycle.lead)
    assert evidence.submitted_at is not None
    # the lead director and the SROs of the objective's actions
    assert sorted(a for m in mail.outbox for a in m.to) == sorted(
        [director.email, cycle.people["sro"].email, cycle.people["other_sro"].email]
    )
    assert "To review: Q3 2024/25 evidence for" in mail.outbox[0].subject


def test_an_sro_of_the_objectives_actions_approves(cycle):
    evidence = submit(cycle)
    evidence = services.evidence_approve(evidence=evidence, version=evidence.version, by=cycle.sro, comment="Good.")
    assert (evidence.state, evidence.reviewed_by, evidence.review_comment) == (UpdateState.APPROVED, cycle.sro, "Good.")
    assert evidence.history.first().history_change_reason == "Approved"


def test_the_objectives_lead_director_reviews_too(cycle, make_user):
    director = factories.PersonFactory(name="Dana Director")
    cycle.objective.lead_directors.add(director)
    evidence = submit(cycle)
    user = make_user("dana", person=director)
    assert services.evidence_approve(evidence=evidence, version=evidence.version, by=user).state == "approved"


def test_returning_needs_a_comment_and_emails_the_writers(cycle, django_capture_on_commit_callbacks):
    evidence = submit(cycle)
    with pytest.raises(ValidationError) as error:
        services.evidence_return(evidence=evidence, comment="  ", version=evidence.version, by=cycle.sro)
    assert "review_comment" in error.value.message_dict
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        evidence = services.evidence_return(
            evidence=evidence, comment="Figures?", version=evidence.version, by=cycle.sro
        )
    assert (evidence.state, evidence.review_comment) == (UpdateState.RETURNED, "Figures?")
    assert sorted(a for m in mail.outbox for a in m.to) == sorted(
        [cycle.people["lead"].email, cycle.people["other_lead"].email]
    )
    assert "Figures?" in mail.outbox[0].body


def test_returned_evidence_is_resubmitted_and_approved(cycle):
    evidence = submit(cycle)
    evidence = services.evidence_return(evidence=evidence, comment="Figures?", version=evidence.version, by=cycle.sro)
    evidence = submit(cycle, version=evidence.version)
    assert evidence.state == UpdateState.SUBMITTED
    evidence = services.evidence_approve(evidence=evidence, version=evidence.version, by=cycle.sro)
    assert evidence.state == UpdateState.APPROVED
    reasons = [h.history_change_reason for h in evidence.history.order_by("history_date")]
    assert reasons == ["Submitted for approval", "Returned to lead", "Submitted for approval", "Approved"]


@pytest.mark.parametrize("who", ["lead", "other_lead"])
def test_its_writers_may_not_review_it(cycle, who):
    evidence = submit(cycle)
    with pytest.raises(PermissionDenied):
        services.evidence_approve(evidence=evidence, version=evidence.version, by=getattr(cycle, who))
    evidence.refresh_from_db()
    assert evidence.state == UpdateState.SUBMITTED


def test_an_sro_of_another_objective_may_not_review_it(cycle, make_user):
    elsewhere = factories.ObjectiveFactory(goal=cycle.objective.goal, order=2, key="elsewhere")
    person = factories.PersonFactory()
    factories.ActionFactory(objective=elsewhere, sros=[person])
    evidence = submit(cycle)
    with pytest.raises(PermissionDenied):
        services.evidence_approve(evidence=evidence, version=evidence.version, by=make_user("x", person=person))


def test_only_submitted_evidence_is_reviewed_and_stale_decisions_are_refused(cycle):
    draft = services.evidence_save(measure=cycle.measure, period=cycle.period, fields=TEXT, version=0, by=cycle.lead)
    with pytest.raises(services.WorkflowError):
        services.evidence_approve(evidence=draft, version=draft.version, by=cycle.sro)
    evidence = submit(cycle, version=draft.version)
    with pytest.raises(services.StaleVersion):
        services.evidence_approve(evidence=evidence, version=evidence.version - 1, by=cycle.sro)


def test_evidence_is_locked_with_the_quarter(cycle):
    evidence = submit(cycle)
    Period.objects.filter(pk=cycle.period.pk).update(state=PeriodState.LOCKED)
    evidence.period.refresh_from_db()
    with pytest.raises(services.WorkflowError):
        services.evidence_approve(evidence=evidence, version=evidence.version, by=cycle.sro)
    with pytest.raises(services.WorkflowError):
        services.evidence_save(measure=cycle.measure, period=evidence.period, fields=TEXT, version=2, by=cycle.lead)
    assert MeasureEvidence.objects.get().state == UpdateState.SUBMITTED


def test_to_review_lists_the_evidence_for_its_reviewers_only(cycle):
    evidence = submit(cycle)
    assert selectors.evidence_to_review(cycle.sro) == [evidence]
    assert selectors.evidence_to_review(cycle.other_sro) == [evidence]  # SRO of an action of the objective
    assert selectors.evidence_to_review(cycle.lead) == []


def test_the_tracker_counts_evidence_and_its_missing_filter_shows_it(client, cycle, make_user, secretary):
    other = factories.SuccessMeasureFactory(objective=cycle.objective, order=2, title="Nobody waits a year")
    submit(cycle)
    counts = {c.state.value: c.count for c in selectors.tracker_evidence_counts(cycle.period)}
    assert counts["submitted"] == 1 and counts["not_started"] == 1
    client.force_login(secretary)
    url = reverse("goals:tracker", kwargs={"slug": cycle.strategy.slug, "period": cycle.period.slug})
    missing = client.get(url, {"state": "missing"}).context["evidence"]
    assert [m.pk for m in missing] == [other.pk]
    content = client.get(url).content.decode()
    assert "Success-measure evidence" in content and cycle.measure.title in content


def test_reminders_include_the_evidence_due(cycle):
    reminders = notifications.reminders(today=DEADLINE)
    lead = next(r for r in reminders if r.person == cycle.people["lead"])
    assert [item.label for item in lead.to_write] == ["1.1.1. Cut waiting times", f"Evidence: {cycle.measure.title}"]
    submit(cycle)
    reminders = notifications.reminders(today=DEADLINE)
    sro = next(r for r in reminders if r.person == cycle.people["sro"])
    assert [item.label for item in sro.to_review] == [f"Evidence: {cycle.measure.title}"]


def test_the_reviewer_decides_on_the_evidence_page(client, cycle):
    evidence = submit(cycle)
    client.force_login(cycle.sro)
    page = client.get(evidence_url(cycle)).content.decode()
    assert "Your decision" in page and "Return with a comment" in page
    response = client.post(
        evidence_url(cycle, "evidence_review"),
        {"decision": "return", "review_comment": "", "version": evidence.version},
    )
    assert response.status_code == 200 and "Say what should change in the evidence" in response.content.decode()
    response = client.post(
        evidence_url(cycle, "evidence_review"),
        {"decision": "return", "review_comment": "Add figures.", "version": evidence.version},
    )
    assert response.status_code == 302
    evidence.refresh_from_db()
    assert evidence.state == UpdateState.RETURNED
    client.force_login(cycle.lead)
    assert "Add figures." in client.get(reverse("goals:my_updates")).content.decode()


def test_the_review_page_refuses_others(client, cycle, make_user):
    evidence = submit(cycle)
    url = evidence_url(cycle, "evidence_review")
    data = {"decision": "approve", "review_comment": "", "version": evidence.version}
    assert client.post(url, data).status_code == 302  # anonymous: to sign-in
    client.force_login(cycle.lead)
    assert client.post(url, data).status_code == 403
    client.force_login(make_user("stranger"))
    assert client.post(url, data).status_code == 404
    other_strategy = factories.PeriodFactory(year=2024, quarter=3, state=PeriodState.OPEN)
    client.force_login(cycle.sro)
    wrong = reverse("goals:evidence_review", kwargs={"pk": cycle.measure.pk, "period": "2023-Q1"})
    assert client.post(wrong, data).status_code == 404
    assert other_strategy.strategy != cycle.strategy
    evidence.refresh_from_db()
    assert evidence.state == UpdateState.SUBMITTED


def test_email_links_point_to_the_host_the_request_came_to(client, cycle, settings, django_capture_on_commit_callbacks):
    settings.ALLOWED_HOSTS = ["tracker.example.nhs.uk"]
    client.force_login(cycle.lead)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            evidence_url(cycle), {**TEXT, "version": 0, "intent": "submit"}, HTTP_HOST="tracker.example.nhs.uk:8123"
        )
    assert mail.outbox
    assert f"http://tracker.example.nhs.uk:8123{evidence_url(cycle)}" in mail.outbox[0].body


def test_email_links_outside_a_request_use_site_url(cycle, settings):
    settings.SITE_URL = "https://strategy.example.nhs.uk/"
    reminders = notifications.reminders(today=DEADLINE)
    lead = next(r for r in reminders if r.person == cycle.people["lead"])
    assert lead.to_write[0].url.startswith("https://strategy.example.nhs.uk/actions/")

"""Success-measure evidence (highlight reports) gets the same treatment as action updates:
written by the objective's people while the quarter is open, draft, submitted, returned or
approved, stale saves refused, every change in the history."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from goals.core.choices import PeriodState, UpdateState
from goals.cycle import services
from goals.models import MeasureEvidence
from tests import factories

pytestmark = pytest.mark.django_db

TEXT = {"evidence": "Waits fell for the third month.", "impact": "Patients seen sooner.", "next_focus": "Sustain."}


def save(cycle, by=None, version=0, fields=None):
    return services.evidence_save(
        measure=cycle.measure, period=cycle.period, fields=fields or TEXT, version=version, by=by or cycle.lead
    )


def submit(cycle, by=None, version=0, fields=None):
    return services.evidence_submit(
        measure=cycle.measure, period=cycle.period, fields=fields or TEXT, version=version, by=by or cycle.lead
    )


def test_a_lead_of_the_objectives_actions_writes_its_evidence(cycle):
    evidence = save(cycle)
    assert (evidence.state, evidence.version, evidence.updated_by) == (UpdateState.DRAFT, 1, cycle.lead)
    evidence = submit(cycle, version=1)
    assert evidence.state == UpdateState.SUBMITTED
    assert evidence.history.first().history_change_reason == "Submitted for approval"


def test_the_objectives_lead_director_writes_it_too(cycle, make_user):
    director = factories.PersonFactory(name="Dana Director")
    cycle.objective.lead_directors.add(director)
    user = make_user("dana", person=director)
    assert save(cycle, by=user).updated_by == user


def test_submitting_needs_the_evidence_text(cycle):
    with pytest.raises(ValidationError) as error:
        submit(cycle, fields={"impact": "Something."})
    assert set(error.value.message_dict) == {"evidence"}
    assert not MeasureEvidence.objects.exists()


def test_submitted_evidence_waits_for_its_reviewer_and_can_be_changed_once_returned(cycle):
    # Evidence follows the update cycle: submitted evidence is frozen until the reviewer returns it.
    evidence = submit(cycle)
    with pytest.raises(services.WorkflowError, match="after the reviewer returns it"):
        save(cycle, version=evidence.version, fields={**TEXT, "evidence": "Corrected."})
    evidence = services.evidence_return(
        evidence=evidence, comment="Add the figures.", version=evidence.version, by=cycle.sro
    )
    evidence = save(cycle, version=evidence.version, fields={**TEXT, "evidence": "Corrected."})
    assert (evidence.state, evidence.evidence) == (UpdateState.DRAFT, "Corrected.")


def test_approved_evidence_is_frozen(cycle):
    factories.MeasureEvidenceFactory(measure=cycle.measure, period=cycle.period, state=UpdateState.APPROVED)
    with pytest.raises(services.WorkflowError):
        save(cycle, version=1)


@pytest.mark.parametrize("who", ["other_sro", "sro"])
def test_people_not_writing_for_the_objective_are_refused(cycle, who):
    # other_lead leads an action of the same objective, so they may; SROs may not.
    with pytest.raises(PermissionDenied):
        save(cycle, by=getattr(cycle, who))
    assert not MeasureEvidence.objects.exists()


def test_a_lead_of_another_objective_is_refused(cycle, make_user):
    elsewhere = factories.ObjectiveFactory(goal=cycle.objective.goal, order=2, key="other")
    person = factories.PersonFactory()
    factories.ActionFactory(objective=elsewhere, leads=[person])
    with pytest.raises(PermissionDenied):
        save(cycle, by=make_user("elsewhere", person=person))


@pytest.mark.parametrize("role", ["secretary", "director"])
def test_the_programme_office_and_directors_do_not_write_evidence(cycle, role, request):
    with pytest.raises(PermissionDenied):
        save(cycle, by=request.getfixturevalue(role))


def test_evidence_is_refused_once_the_quarter_is_locked(cycle):
    cycle.period.state = PeriodState.LOCKED
    cycle.period.save()
    with pytest.raises(services.WorkflowError):
        save(cycle)


def test_a_stale_evidence_save_is_refused(cycle):
    save(cycle, fields={**TEXT, "evidence": "Theirs."})
    with pytest.raises(services.StaleVersion) as stale:
        save(cycle, fields={**TEXT, "evidence": "Mine."}, version=0)
    assert stale.value.current.evidence == "Theirs."
    assert MeasureEvidence.objects.get().evidence == "Theirs."


def test_evidence_longer_than_its_limit_is_refused(cycle):
    with pytest.raises(ValidationError) as error:
        save(cycle, fields={**TEXT, "impact": "x" * 4001})
    assert "impact" in error.value.message_dict

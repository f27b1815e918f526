"""Writes of the quarterly cycle, each a keyword-only function `<entity>_<verb>(*, …, by)` that
checks who may do it and whether the workflow allows it, validates with `full_clean()` and saves.
django-simple-history records every save (who, when, before → after); state changes carry a
change reason ("Submitted for approval", "Returned to lead", a re-opening's reason).

Refusals are exceptions the views turn into pages:
  PermissionDenied  this user may not do this to this object (403)
  WorkflowError     the cycle does not allow it now (the quarter is locked, already submitted…)
  StaleVersion      someone saved the row since the form was loaded; nothing was written
  ValidationError   the input is wrong (messages per field)

DESIGN.md "Workflow rules":
- Only a lead of the action (or a strategy admin) writes its update, only while the quarter is open.
- Submitting needs a RAG and a narrative; Amber and Red need a reason for the rating.
- The action's SRO (or a strategy admin) approves or returns; returning needs a comment.
- A save made from an old version is refused: nobody silently overwrites anybody.
- Locking a quarter freezes its updates and records people's names and titles as they were;
  re-opening a locked quarter needs a reason. The programme office (or an admin) runs the cycle.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone

from goals.core import permissions
from goals.core.choices import PeriodState, UpdateState, needs_rag_reason
from goals.core.history import save_with_history
from goals.core.quarters import Quarter
from goals.cycle import notifications
from goals.models import (
    Action,
    ActionUpdate,
    MeasureEvidence,
    Objective,
    Period,
    Person,
    PersonTitle,
    Risk,
    Strategy,
    SuccessMeasure,
)

# The fields a lead writes; anything else in the input (state, approver, version…) is ignored.
UPDATE_FIELDS = ("rag", "progress", "impact", "next_focus", "rag_reason")
EVIDENCE_FIELDS = ("evidence", "impact", "next_focus")
# States in which the writer may still change the row.
EDITABLE_UPDATE_STATES = (UpdateState.DRAFT, UpdateState.RETURNED)
# Success-measure evidence has no reviewer: its writers may change it until the quarter locks.
EDITABLE_EVIDENCE_STATES = (UpdateState.DRAFT, UpdateState.SUBMITTED)
# A published quarter may be re-opened too (its published packs stay; reports makes a new version).
REOPENABLE_STATES = (PeriodState.LOCKED, PeriodState.PUBLISHED)
REASON_LIMIT = 1000  # a paragraph; kept whole in the audit history (a text column)

# What submitting needs, and the messages the form and the service both show.
UPDATE_SUBMIT_REQUIRED = {
    "rag": "Choose a RAG rating before you submit",
    "progress": "Describe the progress this quarter before you submit",
}
EVIDENCE_SUBMIT_REQUIRED = {"evidence": "Describe the evidence from this quarter before you submit"}
REASON_REQUIRED = "Give a reason for an Amber or Red rating"

SUBMITTED_REASON = "Submitted for approval"
APPROVED_REASON = "Approved"
RETURNED_REASON = "Returned to lead"
LOCKED_REASON = "Quarter locked"
OPENED_REASON = "Quarter opened"
DEADLINE_REASON = "Deadline changed"


class WorkflowError(Exception):
    """The quarterly cycle does not allow this now; `message` says why, in the user's words."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class StaleVersion(Exception):
    """The row changed since the form was loaded; `current` is the row as it is now saved."""

    def __init__(self, current: Model | None):
        super().__init__("This was changed by someone else after you opened it.")
        self.current = current


# --- Refusals -------------------------------------------------------------------------------


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


# --- Shared steps ----------------------------------------------------------------------------


def _require_open(period: Period) -> None:
    """The quarter as saved now must be open. Its row is locked for the transaction (on
    PostgreSQL), so a write and a lock of the same quarter cannot interleave."""
    period = _locked_row(Period, pk=period.pk) or period
    if not period.is_open:
        raise WorkflowError(
            f"{period.label} is {period.get_state_display().lower()}: its updates can no longer be changed."
        )


def _require_same_strategy(period: Period, strategy_id: int) -> None:
    if period.strategy_id != strategy_id:
        raise PermissionDenied("That quarter belongs to another strategy.")


def _require_version(row: Model | None, version: int | None) -> None:
    """`version` is what the form was loaded with: 0 for a row that did not exist yet."""
    current = row.version if row is not None else 0
    if version != current:
        raise StaleVersion(row)


def _assign(row: Model, fields: Mapping[str, object], names: tuple[str, ...]) -> None:
    for name in names:
        if name in fields:
            value = fields[name]
            setattr(row, name, "" if value is None else str(value))


def _check_lengths(row: Model) -> None:
    """Model validation does not enforce a TextField's max_length (only forms do): do it here."""
    errors = {}
    for model_field in row._meta.concrete_fields:
        value = getattr(row, model_field.attname)
        if model_field.max_length and isinstance(value, str) and len(value) > model_field.max_length:
            label = str(model_field.verbose_name)
            errors[model_field.name] = [
                f"{label[:1].upper()}{label[1:]} must be {model_field.max_length} characters or fewer "
                f"(it has {len(value)})"
            ]
    if errors:
        raise ValidationError(errors)


def _save(row: Model, *, by, reason: str | None = None) -> None:
    """Validate, bump the version, save; the history records `by` and the reason."""
    _check_lengths(row)
    row.full_clean()
    row.version = (row.version or 0) + 1
    row.updated_by = by  # "last change" on the tracker: whoever wrote, submitted or reviewed
    row._history_user = by
    if reason:
        row._change_reason = reason
    row.save()


def _locked_row(model, **lookup):
    """The row (locked for the rest of the transaction on PostgreSQL), or None."""
    return model.objects.select_for_update().filter(**lookup).first()


def _create_or_conflict(model, row: Model, *, by, reason: str | None, **lookup) -> None:
    """Save a new row; if someone created it meanwhile (unique constraint), it is stale."""
    try:
        with transaction.atomic():
            _save(row, by=by, reason=reason)
    except IntegrityError:
        raise StaleVersion(model.objects.filter(**lookup).first()) from None
    except ValidationError as error:
        if "__all__" in error.message_dict and model.objects.filter(**lookup).exists():
            raise StaleVersion(model.objects.filter(**lookup).first()) from None
        raise


def _required_text(row: Model, messages: Mapping[str, str]) -> dict[str, list[str]]:
    return {name: [message] for name, message in messages.items() if not str(getattr(row, name) or "").strip()}


def _raise_with(errors: dict[str, list[str]], row: Model) -> None:
    """Raise the submit rule errors together with full_clean's own, so all show at once (one
    message per field: a rule's own wording wins over the model's for the same field)."""
    for check in (lambda: _check_lengths(row), row.full_clean):
        try:
            check()
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                errors.setdefault(name, messages)
    if errors:
        raise ValidationError(errors)


# --- Writing an update or evidence: one flow for both ----------------------------------------


@dataclass(frozen=True)
class Writable:
    """What differs between a lead's action update and a success measure's evidence."""

    model: type
    parent: str  # the row's foreign key besides the period: "action" or "measure"
    fields: tuple[str, ...]  # what the writer may set
    editable_states: tuple[str, ...]
    may_write: Callable
    refused: str  # the PermissionDenied message
    frozen: str  # the WorkflowError once the row left the editable states; {state} is filled in
    submit_required: Mapping[str, str]


def _write(
    kind: Writable,
    parent,
    *,
    period: Period,
    fields,
    version: int | None,
    by,
    submit: bool,
    stamps: Mapping[str, object] | None = None,
):
    """The checks in the rules' order (strategy, who, open quarter, state, version), then the
    fields, the new state and any `stamps` (e.g. submitted_at); submitting also checks what it
    needs. Saved (history and version) only if everything passes."""
    _require_same_strategy(period, parent.objective.goal.strategy_id)
    _require(kind.may_write(by, parent), kind.refused)
    _require_open(period)
    lookup = {kind.parent: parent, "period": period}
    row = _locked_row(kind.model, **lookup)
    if row is not None and row.state not in kind.editable_states:
        raise WorkflowError(kind.frozen.format(state=row.get_state_display().lower()))
    _require_version(row, version)
    row = row or kind.model(**lookup, version=0)
    _assign(row, fields, kind.fields)
    row.state = UpdateState.SUBMITTED if submit else UpdateState.DRAFT
    if submit:
        errors = _required_text(row, kind.submit_required)
        if needs_rag_reason(getattr(row, "rag", None), getattr(row, "rag_reason", "")):
            errors["rag_reason"] = [REASON_REQUIRED]
        _raise_with(errors, row)
    for name, value in (stamps or {}).items():
        setattr(row, name, value)
    reason = SUBMITTED_REASON if submit else None
    if row.pk is None:
        _create_or_conflict(kind.model, row, by=by, reason=reason, **lookup)
    else:
        _save(row, by=by, reason=reason)
    return row


UPDATES = Writable(
    model=ActionUpdate,
    parent="action",
    fields=UPDATE_FIELDS,
    editable_states=EDITABLE_UPDATE_STATES,
    may_write=permissions.may_write_update,
    refused="Only a programme lead of this action can write its update.",
    frozen="This update is {state}: it can only be changed after the SRO returns it.",
    submit_required=UPDATE_SUBMIT_REQUIRED,
)
EVIDENCE = Writable(
    model=MeasureEvidence,
    parent="measure",
    fields=EVIDENCE_FIELDS,
    editable_states=EDITABLE_EVIDENCE_STATES,
    may_write=permissions.may_write_evidence,
    refused="Only the objective's lead director or a programme lead of its actions can write this evidence.",
    frozen="This evidence is {state} and can no longer be changed.",
    submit_required=EVIDENCE_SUBMIT_REQUIRED,
)


# --- What the writer and the reviewer may do now (the pages ask these) ---------------------


def update_is_editable(*, period: Period, update: ActionUpdate | None) -> bool:
    """Whether the update's leads may change it now: the quarter is open and the update not
    written yet, a draft or returned."""
    return period.is_open and (update is None or update.state in EDITABLE_UPDATE_STATES)


def update_is_reviewable(*, period: Period, update: ActionUpdate | None) -> bool:
    """Whether the SRO may approve or return the update now: submitted, in an open quarter."""
    return update is not None and update.state == UpdateState.SUBMITTED and period.is_open


def evidence_is_editable(*, period: Period, evidence: MeasureEvidence | None) -> bool:
    """Whether the evidence's writers may change it now: the quarter is open and the evidence not
    written yet, a draft or submitted (it has no reviewer)."""
    return period.is_open and (evidence is None or evidence.state in EDITABLE_EVIDENCE_STATES)


# --- Action updates --------------------------------------------------------------------------


@transaction.atomic
def update_save(
    *, action: Action, period: Period, fields: Mapping[str, object], version: int | None, by
) -> ActionUpdate:
    """Save the lead's update as a draft. A returned update becomes a draft again (its SRO
    comment stays until it is resubmitted and approved)."""
    return _write(UPDATES, action, period=period, fields=fields, version=version, by=by, submit=False)


@transaction.atomic
def update_submit(
    *, action: Action, period: Period, fields: Mapping[str, object], version: int | None, by
) -> ActionUpdate:
    """Save and submit the update for the SRO's approval (a RAG and progress needed, and a
    reason for Amber or Red); the SROs are emailed once the transaction commits."""
    update = _write(
        UPDATES,
        action,
        period=period,
        fields=fields,
        version=version,
        by=by,
        submit=True,
        stamps={"submitted_at": timezone.now(), "submitted_by": by},
    )
    transaction.on_commit(lambda: notifications.update_submitted(update))
    return update


def _reviewable_update(*, update: ActionUpdate, version: int | None, by) -> ActionUpdate:
    _require(
        permissions.may_review_update(by, update.action), "Only an SRO of this action can approve or return its update."
    )
    _require_open(update.period)
    current = _locked_row(ActionUpdate, pk=update.pk)
    if current is None or current.state != UpdateState.SUBMITTED:
        state = current.get_state_display().lower() if current else "gone"
        raise WorkflowError(f"Only a submitted update can be approved or returned; this one is {state}.")
    _require_version(current, version)
    return current


@transaction.atomic
def update_approve(*, update: ActionUpdate, version: int | None, by, comment: str = "") -> ActionUpdate:
    """Approve a submitted update. An optional comment is kept (and shown to the lead); an
    earlier return comment has been dealt with and is replaced (the history keeps it)."""
    update = _reviewable_update(update=update, version=version, by=by)
    update.state = UpdateState.APPROVED
    update.reviewed_at = timezone.now()
    update.reviewed_by = by
    update.review_comment = (comment or "").strip()
    _save(update, by=by, reason=APPROVED_REASON)
    return update


@transaction.atomic
def update_return(*, update: ActionUpdate, comment: str, version: int | None, by) -> ActionUpdate:
    """Send a submitted update back to its leads with a comment saying what to change."""
    update = _reviewable_update(update=update, version=version, by=by)
    if not (comment or "").strip():
        raise ValidationError({"review_comment": ["Say what the lead should change before you return it"]})
    update.state = UpdateState.RETURNED
    update.reviewed_at = timezone.now()
    update.reviewed_by = by
    update.review_comment = comment.strip()
    _save(update, by=by, reason=RETURNED_REASON)
    transaction.on_commit(lambda: notifications.update_returned(update))
    return update


# --- Success-measure evidence ----------------------------------------------------------------


@transaction.atomic
def evidence_save(
    *, measure: SuccessMeasure, period: Period, fields: Mapping[str, object], version: int | None, by
) -> MeasureEvidence:
    """Save the evidence as a draft (a submitted one leaves the report until submitted again)."""
    return _write(EVIDENCE, measure, period=period, fields=fields, version=version, by=by, submit=False)


@transaction.atomic
def evidence_submit(
    *, measure: SuccessMeasure, period: Period, fields: Mapping[str, object], version: int | None, by
) -> MeasureEvidence:
    """Submit the evidence (its text needed) for the quarter's highlight report."""
    return _write(EVIDENCE, measure, period=period, fields=fields, version=version, by=by, submit=True)


# --- Quarters --------------------------------------------------------------------------------


def _require_no_other_open(period: Period) -> None:
    other = Period.objects.filter(strategy_id=period.strategy_id, state=PeriodState.OPEN).exclude(pk=period.pk).first()
    if other is not None:
        raise WorkflowError(f"{other.label} is still open: lock it before you open another quarter.")


def _require_deadline(deadline: date | None, quarter: Quarter) -> None:
    if deadline is None:
        raise ValidationError({"deadline": ["Enter the submission deadline"]})
    if deadline < quarter.start:
        raise ValidationError(
            {
                "deadline": [
                    f"The deadline must be on or after the start of {quarter.label} "
                    f"({quarter.start.day} {quarter.start:%B %Y})"
                ]
            }
        )


@transaction.atomic
def period_open(*, strategy: Strategy, quarter: Quarter, deadline: date | None, by) -> Period:
    """Open a quarter for updates with a submission deadline (creating it if it is not planned)."""
    _require(permissions.may_run_cycle(by, strategy), "Only the programme office can open a quarter.")
    _require_deadline(deadline, quarter)
    period = Period.objects.select_for_update().at(quarter).filter(strategy=strategy).first()
    if period is None:
        period = Period(strategy=strategy, year=quarter.year, quarter=quarter.quarter, state=PeriodState.PLANNED)
    elif period.state != PeriodState.PLANNED:
        raise WorkflowError(
            f"{period.label} is already {period.get_state_display().lower()}"
            + (": re-open it with a reason instead." if period.state in REOPENABLE_STATES else ".")
        )
    _require_no_other_open(period)
    period.state = PeriodState.OPEN
    period.deadline = deadline
    save_with_history(period, by=by, reason=OPENED_REASON)
    return period


@transaction.atomic
def period_set_deadline(*, period: Period, deadline: date | None, by) -> Period:
    """Move the submission deadline of an open quarter."""
    _require(permissions.may_run_cycle(by, period.strategy), "Only the programme office can change a deadline.")
    _require_open(period)
    period = _locked_row(Period, pk=period.pk)
    _require_deadline(deadline, period.as_quarter)
    period.deadline = deadline
    save_with_history(period, by=by, reason=DEADLINE_REASON)
    return period


def _people_named_in(strategy: Strategy) -> list[int]:
    """Everyone the strategy's reports name: its SRO, lead directors, SROs and leads, risk owners."""
    objectives = Objective.objects.filter(goal__strategy=strategy)
    actions = Action.objects.filter(objective__goal__strategy=strategy)
    named = set(Person.objects.filter(led_objectives__in=objectives).values_list("pk", flat=True))
    named |= set(Person.objects.filter(sro_actions__in=actions).values_list("pk", flat=True))
    named |= set(Person.objects.filter(led_actions__in=actions).values_list("pk", flat=True))
    named |= set(Risk.objects.filter(strategy=strategy, owner__isnull=False).values_list("owner_id", flat=True))
    if strategy.sro_id:
        named.add(strategy.sro_id)
    return sorted(named)


@transaction.atomic
def period_lock(*, period: Period, by) -> Period:
    """Lock an open quarter: its updates are frozen, and the name and job title of everyone the
    strategy names are recorded for it (PersonTitle), unless already recorded."""
    _require(permissions.may_run_cycle(by, period.strategy), "Only the programme office can lock a quarter.")
    period = _locked_row(Period, pk=period.pk)
    if period.state != PeriodState.OPEN:
        state = period.get_state_display().lower()
        raise WorkflowError(f"Only an open quarter can be locked; {period.label} is {state}.")
    period.state = PeriodState.LOCKED
    save_with_history(period, by=by, reason=LOCKED_REASON)
    recorded = set(PersonTitle.objects.filter(period=period).values_list("person_id", flat=True))
    people = Person.objects.filter(pk__in=[pk for pk in _people_named_in(period.strategy) if pk not in recorded])
    PersonTitle.objects.bulk_create(
        [PersonTitle(person=person, period=period, name=person.name, job_title=person.job_title) for person in people]
    )
    return period


@transaction.atomic
def period_reopen(*, period: Period, reason: str, by, deadline: date | None = None) -> Period:
    """Re-open a locked (or published) quarter; the reason is kept in its history. Titles recorded at
    the lock stay."""
    _require(permissions.may_run_cycle(by, period.strategy), "Only the programme office can re-open a quarter.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ["Give the reason for re-opening the quarter"]})
    if len(reason) > REASON_LIMIT:
        raise ValidationError({"reason": [f"The reason must be {REASON_LIMIT} characters or fewer"]})
    period = _locked_row(Period, pk=period.pk)
    # A published quarter may be re-opened too: its published packs stay as they are, and publishing
    # it again makes the next version (reports.services.publication_publish).
    if period.state not in REOPENABLE_STATES:
        state = period.get_state_display().lower()
        raise WorkflowError(f"Only a locked or published quarter can be re-opened; {period.label} is {state}.")
    _require_no_other_open(period)
    if deadline is not None:
        _require_deadline(deadline, period.as_quarter)
        period.deadline = deadline
    period.state = PeriodState.OPEN
    save_with_history(period, by=by, reason=reason)
    return period

"""Emails of the quarterly cycle, each plain text with a simple HTML alternative
(templates/emails/). Sent through settings.EMAIL_BACKEND: the console by default, SMTP when
configured.

- `update_submitted`: to the action's SROs, when a lead submits an update.
- `update_returned`: to the action's leads, when an SRO returns one with a comment.
- `evidence_submitted` / `evidence_returned`: the same for a success measure's evidence, to its
  reviewers (the objective's lead directors and its actions' SROs) and its writers.
- `reminders` / `send_reminders`: what `manage.py send_reminders` sends — one email per person
  per run, listing everything they have to do: leads whose updates (and writers whose success-
  measure evidence) are missing or returned when the deadline is near or has passed, and SROs
  (and evidence reviewers) with something waiting for them.

Links point to the host the request came to, or SITE_URL outside a request (goals.core.sites).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import Prefetch, Q
from django.template.loader import render_to_string
from django.urls import reverse

from goals.core.choices import ActionStatus, PeriodState, UpdateState
from goals.core.mail import queue_email
from goals.core.numbering import action_number_of
from goals.core.quarters import deadline_text
from goals.core.sites import absolute_url, site_url
from goals.models import Action, ActionUpdate, MeasureEvidence, Period, Person, Risk, SuccessMeasure
from goals.risks import selectors as risk_selectors

log = logging.getLogger(__name__)

DEFAULT_REMINDER_DAYS = 7


def address_of(person: Person) -> str:
    """Where to email a person: their own address, else their user account's."""
    if person.email:
        return person.email
    user = person.user if person.user_id else None
    return user.email if user and user.email else ""


def update_url(action: Action, period: Period) -> str:
    return absolute_url(reverse("goals:update_edit", kwargs={"pk": action.pk, "period": period.slug}))


def evidence_url(measure: SuccessMeasure, period: Period) -> str:
    return absolute_url(reverse("goals:evidence_edit", kwargs={"pk": measure.pk, "period": period.slug}))


def action_label(action: Action) -> str:
    """ "1.2.3. Title": how emails name an action."""
    return f"{action_number_of(action)}. {action.title}"


def evidence_label(measure: SuccessMeasure) -> str:
    """How emails name a success measure's evidence."""
    return f"Evidence: {measure.title}"


def _message(template: str, context: dict, to: list[str], connection=None) -> EmailMultiAlternatives:
    context = {**context, "service_name": settings.SERVICE_NAME, "site_url": site_url()}
    subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"emails/{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        connection=connection,
    )
    message.attach_alternative(render_to_string(f"emails/{template}.html", context), "text/html")
    return message


def _send_each(template: str, people: Iterable[Person], context: dict) -> int:
    """One email per person with an address; people without one are logged, not fatal."""
    sent = 0
    for person in people:
        to = address_of(person)
        if not to:
            log.warning("No email address for %s: not told about %s", person, context.get("update"))
            continue
        sent += queue_email(_message(template, {**context, "person": person}, [to]))
    return sent


def _about_update(template: str, update: ActionUpdate, people) -> int:
    action = update.action
    context = {
        "update": update,
        "period": update.period,
        "url": update_url(action, update.period),
        "item_label": action_label(action),
        "title": action.title,
        "what": "update on this action",
        "subject_what": "update on",
        "writer": "the lead",
    }
    return _send_each(template, people.select_related("user"), context)


def update_submitted(update: ActionUpdate) -> int:
    """To the action's SROs: an update is waiting for their approval."""
    return _about_update("update_submitted", update, update.action.sros)


def update_returned(update: ActionUpdate) -> int:
    """To the action's leads: the SRO returned their update, with a comment."""
    return _about_update("update_returned", update, update.action.leads)


def evidence_reviewers(measure: SuccessMeasure):
    """Who approves or returns a success measure's evidence: the objective's lead directors and
    the SROs of its actions."""
    objective = measure.objective
    return Person.objects.filter(
        Q(led_objectives=objective) | Q(sro_actions__objective=objective, sro_actions__status=ActionStatus.ACTIVE)
    ).distinct()


def evidence_writers(measure: SuccessMeasure):
    """Who writes a success measure's evidence: the objective's lead directors and the leads of
    its actions."""
    objective = measure.objective
    return Person.objects.filter(
        Q(led_objectives=objective) | Q(led_actions__objective=objective, led_actions__status=ActionStatus.ACTIVE)
    ).distinct()


def _about_evidence(template: str, evidence: MeasureEvidence, people) -> int:
    measure = evidence.measure
    context = {
        "update": evidence,
        "period": evidence.period,
        "url": evidence_url(measure, evidence.period),
        "item_label": evidence_label(measure),
        "title": measure.title,
        "what": "evidence for this success measure",
        "subject_what": "evidence for",
        "writer": "its writers",
    }
    return _send_each(template, people.select_related("user").order_by("name"), context)


def evidence_submitted(evidence: MeasureEvidence) -> int:
    """To the evidence's reviewers: it is waiting for their approval."""
    return _about_evidence("update_submitted", evidence, evidence_reviewers(evidence.measure))


def evidence_returned(evidence: MeasureEvidence) -> int:
    """To the evidence's writers: a reviewer returned it, with a comment."""
    return _about_evidence("update_returned", evidence, evidence_writers(evidence.measure))


# --- Reminders -------------------------------------------------------------------------------


class _BeforeDeadline:
    """A reminder item's deadline sentence, from its `period` and `days_left`."""

    @property
    def deadline_text(self) -> str:
        return deadline_text(self.period.deadline, self.days_left)


@dataclass
class ReminderItem(_BeforeDeadline):
    label: str  # "1.2.3. Title" for an action's update, "Evidence: …" for a success measure's
    period: Period
    state: str  # "not started", "draft", "returned", "submitted"
    url: str
    days_left: int | None  # to the quarter's deadline; negative once it has passed


@dataclass
class RiskReminderItem(_BeforeDeadline):
    risk: Risk
    period: Period
    url: str
    days_left: int | None


@dataclass
class Reminder:
    """Everything one person is reminded of in one run."""

    person: Person
    to_write: list[ReminderItem] = field(default_factory=list)  # as a lead or evidence writer
    to_review: list[ReminderItem] = field(default_factory=list)  # as an SRO or evidence reviewer
    to_score: list[RiskReminderItem] = field(default_factory=list)  # as a BAF risk owner

    @property
    def address(self) -> str:
        return address_of(self.person)


def reminders(*, today: date, days: int = DEFAULT_REMINDER_DAYS) -> list[Reminder]:
    """Who to remind of what today: leads of active actions whose update in an open quarter is
    missing (none, or a draft) or returned, and the writers of success-measure evidence in the
    same state (the objective's lead directors and its actions' leads), once the deadline is
    `days` or fewer away (or has passed); SROs of updates, and reviewers of evidence (lead
    directors and SROs), submitted and waiting for them; owners of BAF risks not yet scored in a
    quarter whose deadline is near. Nine queries, any size of trust."""
    periods = list(Period.objects.filter(state=PeriodState.OPEN).select_related("strategy"))
    due = {p.pk: p for p in periods if p.deadline is not None and (p.deadline - today).days <= days}
    people = Person.objects.select_related("user").order_by("name")
    actions = list(
        Action.objects.filter(
            status=ActionStatus.ACTIVE, archived_at__isnull=True, objective__goal__strategy__periods__in=periods
        )
        .select_related("objective__goal")
        .prefetch_related(Prefetch("leads", queryset=people), Prefetch("sros", queryset=people))
        .distinct()
    )
    states = {
        (u.action_id, u.period_id): u.state
        for u in ActionUpdate.objects.filter(period__in=periods).only("action_id", "period_id", "state")
    }
    measures = list(
        SuccessMeasure.objects.filter(objective__goal__strategy__periods__in=periods, archived_at__isnull=True)
        .select_related("objective__goal")
        .prefetch_related(Prefetch("objective__lead_directors", queryset=people))
        .distinct()
        .order_by("objective__goal__order", "objective__order", "order")
    )
    evidence_states = {
        (e.measure_id, e.period_id): e.state
        for e in MeasureEvidence.objects.filter(period__in=periods).only("measure_id", "period_id", "state")
    }
    by_person: dict[int, Reminder] = {}

    def remind(period: Period, state: str | None, item: ReminderItem, writers, reviewers) -> None:
        if period.pk in due and state in (None, UpdateState.DRAFT, UpdateState.RETURNED):
            for person in writers:
                by_person.setdefault(person.pk, Reminder(person)).to_write.append(item)
        if state == UpdateState.SUBMITTED:
            for person in reviewers:
                by_person.setdefault(person.pk, Reminder(person)).to_review.append(item)

    def item(label: str, period: Period, state: str | None, url: str) -> ReminderItem:
        days_left = (period.deadline - today).days if period.deadline else None
        return ReminderItem(label, period, UpdateState(state).label.lower() if state else "not started", url, days_left)

    actions_of: dict[int, list[Action]] = {}
    for action in actions:
        actions_of.setdefault(action.objective_id, []).append(action)
    for period in periods:
        for action in actions:
            if action.objective.goal.strategy_id != period.strategy_id:
                continue
            state = states.get((action.pk, period.pk))
            found = item(action_label(action), period, state, update_url(action, period))
            remind(period, state, found, action.leads.all(), action.sros.all())
        for measure in measures:
            if measure.objective.goal.strategy_id != period.strategy_id:
                continue
            state = evidence_states.get((measure.pk, period.pk))
            found = item(evidence_label(measure), period, state, evidence_url(measure, period))
            directors = list(measure.objective.lead_directors.all())
            objective_actions = actions_of.get(measure.objective_id, [])
            writers = _unique(directors + [p for a in objective_actions for p in a.leads.all()])
            reviewers = _unique(directors + [p for a in objective_actions for p in a.sros.all()])
            remind(period, state, found, writers, reviewers)
    _add_risks_to_score(
        lambda person: by_person.setdefault(person.pk, Reminder(person)),
        [p for p in periods if p.pk in due],
        today=today,
    )
    return sorted(by_person.values(), key=lambda r: (r.person.name, r.person.pk))


def _unique(people: list[Person]) -> list[Person]:
    return list({person.pk: person for person in people}.values())


def _add_risks_to_score(reminder_for, due_periods: list[Period], *, today: date) -> None:
    """Owners of BAF risks not yet scored in a quarter whose deadline is near (one query)."""
    by_pk = {p.pk: p for p in due_periods}
    for risk in risk_selectors.risks_not_scored(due_periods, owned_only=True):
        period = by_pk[risk.period_id]
        url = absolute_url(
            reverse("goals:risk_score", kwargs={"slug": period.strategy.slug, "period": period.slug, "pk": risk.pk})
        )
        days_left = (period.deadline - today).days if period.deadline else None
        reminder_for(risk.owner).to_score.append(RiskReminderItem(risk, period, url, days_left))


def send_reminders(reminder_list: list[Reminder], *, today: date) -> tuple[int, list[Reminder]]:
    """Send one email per reminder over one connection; returns (sent, skipped for no address)."""
    skipped = [r for r in reminder_list if not r.address]
    messages = [
        _message("reminder", {"reminder": r, "person": r.person, "today": today}, [r.address])
        for r in reminder_list
        if r.address
    ]
    if not messages:
        return 0, skipped
    with get_connection() as connection:
        sent = connection.send_messages(messages) or 0
    return sent, skipped

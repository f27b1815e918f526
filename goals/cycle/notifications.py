"""Emails of the quarterly cycle, each plain text with a simple HTML alternative
(templates/emails/). Sent through settings.EMAIL_BACKEND: the console by default, SMTP when
configured.

- `update_submitted`: to the action's SROs, when a lead submits an update.
- `update_returned`: to the action's leads, when an SRO returns one with a comment.
- `reminders` / `send_reminders`: what `manage.py send_reminders` sends — one email per person
  per run, listing everything they have to do: leads whose updates are missing or returned
  when the deadline is near or has passed, and SROs with updates waiting for them.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.urls import reverse

from goals.core.choices import ActionStatus, PeriodState, UpdateState
from goals.core.mail import queue_email
from goals.models import Action, ActionUpdate, Period, Person

log = logging.getLogger(__name__)

DEFAULT_REMINDER_DAYS = 7


def address_of(person: Person) -> str:
    """Where to email a person: their own address, else their user account's."""
    if person.email:
        return person.email
    user = person.user if person.user_id else None
    return user.email if user and user.email else ""


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def update_url(action: Action, period: Period) -> str:
    return absolute(reverse("goals:update_edit", kwargs={"pk": action.pk, "period": period.slug}))


def _message(template: str, context: dict, to: list[str], connection=None) -> EmailMultiAlternatives:
    context = {**context, "service_name": settings.SERVICE_NAME, "site_url": settings.SITE_URL}
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
    context = {"update": update, "action": action, "period": update.period, "url": update_url(action, update.period)}
    return _send_each(template, people.select_related("user"), context)


def update_submitted(update: ActionUpdate) -> int:
    """To the action's SROs: an update is waiting for their approval."""
    return _about_update("update_submitted", update, update.action.sros)


def update_returned(update: ActionUpdate) -> int:
    """To the action's leads: the SRO returned their update, with a comment."""
    return _about_update("update_returned", update, update.action.leads)


# --- Reminders -------------------------------------------------------------------------------


@dataclass
class ReminderItem:
    action: Action
    period: Period
    state: str  # "not started", "draft", "returned", "submitted"
    url: str
    days_left: int | None  # to the quarter's deadline; negative once it has passed


@dataclass
class Reminder:
    """Everything one person is reminded of in one run."""

    person: Person
    to_write: list[ReminderItem] = field(default_factory=list)  # as a lead
    to_review: list[ReminderItem] = field(default_factory=list)  # as an SRO

    @property
    def address(self) -> str:
        return address_of(self.person)


def reminders(*, today: date, days: int = DEFAULT_REMINDER_DAYS) -> list[Reminder]:
    """Who to remind of what today: leads of active actions whose update in an open quarter is
    missing (none, or a draft) or returned, once the deadline is `days` or fewer away (or has
    passed); SROs of updates submitted and waiting for them. Five queries, any size of trust."""
    periods = list(Period.objects.filter(state=PeriodState.OPEN).select_related("strategy"))
    due = {p.pk: p for p in periods if p.deadline is not None and (p.deadline - today).days <= days}
    people = Person.objects.select_related("user").order_by("name")
    actions = list(
        Action.objects.filter(status=ActionStatus.ACTIVE, objective__goal__strategy__periods__in=periods)
        .select_related("objective__goal")
        .prefetch_related(Prefetch("leads", queryset=people), Prefetch("sros", queryset=people))
        .distinct()
    )
    states = {
        (u.action_id, u.period_id): u.state
        for u in ActionUpdate.objects.filter(period__in=periods).only("action_id", "period_id", "state")
    }
    by_person: dict[int, Reminder] = {}

    def reminder_for(person: Person) -> Reminder:
        return by_person.setdefault(person.pk, Reminder(person))

    for period in periods:
        for action in actions:
            if action.objective.goal.strategy_id != period.strategy_id:
                continue
            state = states.get((action.pk, period.pk))
            item = ReminderItem(
                action,
                period,
                UpdateState(state).label.lower() if state else "not started",
                update_url(action, period),
                (period.deadline - today).days if period.deadline else None,
            )
            if period.pk in due and state in (None, UpdateState.DRAFT, UpdateState.RETURNED):
                for lead in action.leads.all():
                    reminder_for(lead).to_write.append(item)
            if state == UpdateState.SUBMITTED:
                for sro in action.sros.all():
                    reminder_for(sro).to_review.append(item)
    return sorted(by_person.values(), key=lambda r: (r.person.name, r.person.pk))


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

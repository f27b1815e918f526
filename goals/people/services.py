"""Writes of the people directory, each a keyword-only function `person_<verb>(*, …, by)` that
checks `may_administer` on the strategy, validates with `full_clean()` and saves with a history
change reason. Refusals: PermissionDenied (no role, or the person is not in the strategy's
directory) and ValidationError (bad input, or deleting someone who has been named).

A job-title change is dated: it adds a JobTitle applying from its date (and, the first time, a
JobTitle with no date for the title before it), and Person.job_title becomes the title in force
today. Quarters print the title in force then (goals.models.people_as_of).
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify

from goals.core.history import save_with_history
from goals.core.permissions import may_administer
from goals.models import JobTitle, Person, Strategy
from goals.people.selectors import directory_people, is_named_anywhere

CREATED_REASON = "Added to the directory"
UPDATED_REASON = "Details changed"
TITLE_REASON = "Job title changed"
ARCHIVED_REASON = "Archived"
RESTORED_REASON = "Restored from the archive"


def _require_admin(user, strategy: Strategy) -> None:
    if not may_administer(user, strategy):
        raise PermissionDenied("Only an administrator of this strategy can change its people.")


def _require_in_directory(strategy: Strategy, person: Person) -> None:
    if not directory_people(strategy, include_archived=True).filter(pk=person.pk).exists():
        raise PermissionDenied("That person is not in this strategy's directory.")


def _unique_key(name: str) -> str:
    base = slugify(name)[:90] or "person"
    taken = set(Person.objects.filter(key__startswith=base).values_list("key", flat=True))
    key, number = base, 2
    while key in taken:
        key, number = f"{base}-{number}", number + 1
    return key


def person_create(*, strategy: Strategy, name: str, job_title: str = "", email: str = "", user=None, by) -> Person:
    """Add someone to the directory (named in no strategy until structure names them)."""
    _require_admin(by, strategy)
    person = Person(key=_unique_key(name), name=name.strip(), job_title=job_title.strip(), email=email, user=user)
    save_with_history(person, by=by, reason=CREATED_REASON)
    return person


def person_update(*, strategy: Strategy, person: Person, name: str, email: str = "", user=None, by) -> Person:
    """Change a person's name, email or linked user account (a job title changes with a date:
    person_title_change)."""
    _require_admin(by, strategy)
    _require_in_directory(strategy, person)
    person.name, person.email, person.user = name.strip(), email, user
    save_with_history(person, by=by, reason=UPDATED_REASON)
    return person


@transaction.atomic
def person_title_change(
    *, strategy: Strategy, person: Person, job_title: str, starts_on: date, by, today: date | None = None
) -> JobTitle:
    """The person holds `job_title` from `starts_on`. Quarters ending before that date keep
    printing the earlier title."""
    _require_admin(by, strategy)
    _require_in_directory(strategy, person)
    job_title = job_title.strip()
    if not job_title:
        raise ValidationError({"job_title": "Enter the new job title"})
    today = today or timezone.localdate()
    if person.job_title and not person.job_titles.filter(starts_on__isnull=True).exists():
        # The title held before any dated change, so earlier quarters keep printing it.
        save_with_history(
            JobTitle(person=person, job_title=person.job_title, starts_on=None), by=by, reason=TITLE_REASON
        )
    row = person.job_titles.filter(starts_on=starts_on).first() or JobTitle(person=person, starts_on=starts_on)
    row.job_title = job_title
    save_with_history(row, by=by, reason=TITLE_REASON)
    in_force = (
        person.job_titles.filter(starts_on__lte=today).order_by("-starts_on").first()
        or person.job_titles.filter(starts_on__isnull=True).first()
    )
    current = in_force.job_title if in_force else person.job_title
    if current != person.job_title:
        person.job_title = current
        save_with_history(person, by=by, reason=f"{TITLE_REASON}: {job_title} from {date_format(starts_on, 'j F Y')}")
    return row


def person_archive(*, strategy: Strategy, person: Person, archived: bool = True, by) -> Person:
    """Archive a person (kept for every quarter that named them, offered in no new choice), or
    restore them."""
    _require_admin(by, strategy)
    _require_in_directory(strategy, person)
    person.archived_at = timezone.now() if archived else None
    save_with_history(person, by=by, reason=ARCHIVED_REASON if archived else RESTORED_REASON)
    return person


@transaction.atomic
def person_delete(*, strategy: Strategy, person: Person, by) -> None:
    """Delete someone named nowhere (added by mistake). Anyone named in a strategy or a quarter
    is archived instead."""
    _require_admin(by, strategy)
    _require_in_directory(strategy, person)
    if is_named_anywhere(person):
        raise ValidationError(
            f"{person.name} is named in a strategy or a reported quarter, so they cannot be deleted. "
            "Archive them instead."
        )
    person._history_user = by
    person._change_reason = "Deleted"
    person.delete()

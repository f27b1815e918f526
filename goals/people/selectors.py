"""Reads of the people directory. A strategy's directory holds the people named in it (its SRO,
objectives' lead directors, actions' SROs and programme leads, BAF risk owners) and the people
named in no strategy yet (just added). Each selector runs a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.shortcuts import get_object_or_404

from goals.core.history import HistoryEntry, history_of, history_of_rows
from goals.core.permissions import may_administer
from goals.models import Action, JobTitle, Objective, Person, PersonTitle, Risk, Strategy

# The linked user account is left out: showing it would read one user per saved version.
PERSON_HISTORY_FIELDS = ("name", "job_title", "email", "archived_at")


def administered_strategy(user, slug: str) -> Strategy:
    """The strategy, for a user who may administer it: unknown → 404, no role on it → 403."""
    strategy = get_object_or_404(Strategy.objects.select_related("sro"), slug=slug)
    if not may_administer(user, strategy):
        raise PermissionDenied("Only an administrator of this strategy can do this.")
    return strategy


def _named_in(strategy_id: int | None) -> Q:
    """People named in the strategy `strategy_id` (None: in any strategy)."""

    def scope(path: str) -> dict:
        return {path: strategy_id} if strategy_id is not None else {}

    person = OuterRef("pk")
    conditions = [
        Exists(Action.objects.filter(sros=person, **scope("objective__goal__strategy"))),
        Exists(Action.objects.filter(leads=person, **scope("objective__goal__strategy"))),
        Exists(Objective.objects.filter(lead_directors=person, **scope("goal__strategy"))),
        Exists(Risk.objects.filter(owner=person, **scope("strategy"))),
        Exists(Strategy.objects.filter(sro=person, **scope("pk"))),
    ]
    combined = Q()
    for condition in conditions:
        combined |= Q(condition)
    return combined


def directory_q(strategy: Strategy) -> Q:
    """Who is in the strategy's directory: named in it, or named in no strategy at all."""
    return _named_in(strategy.pk) | ~_named_in(None)


def directory_people(strategy: Strategy, *, include_archived: bool = False):
    """The people of the directory, as a queryset (for choices in forms)."""
    people = Person.objects.filter(directory_q(strategy))
    return people if include_archived else people.filter(archived_at__isnull=True)


@dataclass
class Directory:
    strategy: Strategy
    people: list[Person]
    query: str
    show_archived: bool


def person_directory(user, *, slug: str, query: str = "", show_archived: bool = False) -> Directory:
    """The directory, searched by name, job title or email (2 queries)."""
    strategy = administered_strategy(user, slug)
    people = directory_people(strategy, include_archived=show_archived).select_related("user")
    query = query.strip()
    for word in query.split():
        people = people.filter(Q(name__icontains=word) | Q(job_title__icontains=word) | Q(email__icontains=word))
    return Directory(strategy=strategy, people=list(people.order_by("name")), query=query, show_archived=show_archived)


def directory_person(user, *, slug: str, pk: int) -> tuple[Strategy, Person]:
    """A person of the strategy's directory (archived included); anyone else is a 404."""
    strategy = administered_strategy(user, slug)
    person = get_object_or_404(directory_people(strategy, include_archived=True).select_related("user"), pk=pk)
    return strategy, person


def is_named_anywhere(person: Person) -> bool:
    """Named in any strategy or in any quarter's recorded titles: then it is archived, never deleted."""
    return (
        Person.objects.filter(pk=person.pk).filter(_named_in(None)).exists()
        or PersonTitle.objects.filter(person=person).exists()
    )


@dataclass
class PersonPage:
    strategy: Strategy
    person: Person
    job_titles: list[JobTitle]  # dated titles, earliest first
    history: list[HistoryEntry]
    title_history: list[HistoryEntry]
    deletable: bool


def person_page(user, *, slug: str, pk: int) -> PersonPage:
    """A person with their dated job titles and the history of every change (7 queries)."""
    strategy, person = directory_person(user, slug=slug, pk=pk)
    job_titles = list(person.job_titles.all())
    title_records = list(
        JobTitle.history.filter(person_id=person.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    title_history = history_of_rows(title_records, ("job_title", "starts_on"))
    return PersonPage(
        strategy=strategy,
        person=person,
        job_titles=job_titles,
        history=history_of(person, PERSON_HISTORY_FIELDS),
        title_history=title_history,
        deletable=not is_named_anywhere(person),
    )


def linkable_users(person: Person | None = None):
    """User accounts not yet linked to anyone (and the person's own)."""
    users = get_user_model().objects.filter(person__isnull=True)
    if person is not None and person.user_id:
        users = users | get_user_model().objects.filter(pk=person.user_id)
    return users.order_by("username")

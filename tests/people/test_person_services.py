"""The rules of the people directory: who may change it, dated job titles, archive never delete."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from goals.models import JobTitle, Person, PersonTitle
from goals.people import services


@pytest.mark.django_db
def test_person_create_adds_someone_named_nowhere_with_a_unique_key(directory, admin_user):
    person = services.person_create(strategy=directory.strategy, name="Ada Added", job_title="Analyst", by=admin_user)
    assert person.key == "ada-added"  # the fixture's Ada has the key "added"
    again = services.person_create(strategy=directory.strategy, name="Ada Added", by=admin_user)
    assert again.key == "ada-added-2"
    assert person.history.latest().history_user == admin_user


@pytest.mark.django_db
def test_person_create_is_refused_without_the_role(directory, director):
    with pytest.raises(PermissionDenied):
        services.person_create(strategy=directory.strategy, name="Nope", by=director)
    assert not Person.objects.filter(name="Nope").exists()


@pytest.mark.django_db
def test_person_update_refuses_a_person_of_another_strategy(directory, admin_user):
    with pytest.raises(PermissionDenied):
        services.person_update(strategy=directory.strategy, person=directory.stranger, name="Changed", by=admin_user)
    directory.stranger.refresh_from_db()
    assert directory.stranger.name == "Stan Stranger"


@pytest.mark.django_db
def test_a_title_change_keeps_the_title_before_it_and_sets_todays_title(directory, admin_user):
    person = directory.added
    services.person_title_change(
        strategy=directory.strategy,
        person=person,
        job_title="Head of Analytics",
        starts_on=datetime.date(2024, 10, 1),
        by=admin_user,
        today=datetime.date(2025, 1, 1),
    )
    titles = [(t.job_title, t.starts_on) for t in JobTitle.objects.filter(person=person)]
    assert titles == [("Analyst", None), ("Head of Analytics", datetime.date(2024, 10, 1))]
    person.refresh_from_db()
    assert person.job_title == "Head of Analytics"


@pytest.mark.django_db
def test_a_title_change_dated_in_the_future_leaves_todays_title(directory, admin_user):
    person = directory.added
    services.person_title_change(
        strategy=directory.strategy,
        person=person,
        job_title="Head of Analytics",
        starts_on=datetime.date(2025, 4, 1),
        by=admin_user,
        today=datetime.date(2025, 1, 1),
    )
    person.refresh_from_db()
    assert person.job_title == "Analyst"


@pytest.mark.django_db
def test_a_title_change_needs_a_title(directory, admin_user):
    with pytest.raises(ValidationError):
        services.person_title_change(
            strategy=directory.strategy,
            person=directory.added,
            job_title="  ",
            starts_on=datetime.date(2024, 10, 1),
            by=admin_user,
        )
    assert not JobTitle.objects.exists()


@pytest.mark.django_db
def test_someone_named_in_the_strategy_is_archived_never_deleted(directory, admin_user):
    sro = directory.cycle.people["sro"]
    with pytest.raises(ValidationError, match="Archive them instead"):
        services.person_delete(strategy=directory.strategy, person=sro, by=admin_user)
    services.person_archive(strategy=directory.strategy, person=sro, by=admin_user)
    sro.refresh_from_db()
    assert sro.archived_at is not None


@pytest.mark.django_db
def test_someone_named_in_a_reported_quarter_is_never_deleted(directory, admin_user):
    PersonTitle.objects.create(person=directory.added, period=directory.cycle.previous, name="Ada Added")
    with pytest.raises(ValidationError):
        services.person_delete(strategy=directory.strategy, person=directory.added, by=admin_user)
    assert Person.objects.filter(pk=directory.added.pk).exists()


@pytest.mark.django_db
def test_someone_named_nowhere_can_be_deleted(directory, admin_user):
    services.person_delete(strategy=directory.strategy, person=directory.added, by=admin_user)
    assert not Person.objects.filter(pk=directory.added.pk).exists()

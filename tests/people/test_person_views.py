"""The people directory's pages: what they show, what they change, and who may use them."""

import pytest
from django.urls import reverse

from goals.models import JobTitle, Person
from tests import factories


def url(name, strategy, person=None):
    kwargs = {"slug": strategy.slug} if person is None else {"slug": strategy.slug, "pk": person.pk}
    return reverse(f"goals:{name}", kwargs=kwargs)


@pytest.mark.django_db
def test_the_directory_lists_people_named_in_the_strategy_and_people_named_nowhere(client, directory, admin_user):
    client.force_login(admin_user)
    page = client.get(url("person_list", directory.strategy)).content.decode()
    for name in ("Lee Lead", "Sharon Sro", "Olive Other", "Oscar Other", "Ada Added"):
        assert name in page
    assert "Stan Stranger" not in page


@pytest.mark.django_db
def test_the_directory_searches_name_title_and_email(client, directory, admin_user):
    client.force_login(admin_user)
    page = client.get(url("person_list", directory.strategy), {"q": "analyst"}).content.decode()
    assert "Ada Added" in page
    assert "Lee Lead" not in page


@pytest.mark.django_db
def test_archived_people_are_listed_only_when_asked(client, directory, admin_user):
    directory.added.archived_at = "2025-01-01T00:00Z"
    directory.added.save()
    client.force_login(admin_user)
    assert "Ada Added" not in client.get(url("person_list", directory.strategy)).content.decode()
    assert "Ada Added" in client.get(url("person_list", directory.strategy), {"archived": "on"}).content.decode()


@pytest.mark.django_db
def test_adding_a_person_links_an_existing_user(client, directory, admin_user, make_user):
    account = make_user("newbie")
    client.force_login(admin_user)
    response = client.post(
        url("person_add", directory.strategy),
        {"name": "Nina New", "job_title": "Matron", "email": "nina@example.nhs.uk", "user": account.pk},
    )
    person = Person.objects.get(name="Nina New")
    assert response.status_code == 302
    assert response["Location"] == url("person_detail", directory.strategy, person)
    assert person.user == account


@pytest.mark.django_db
def test_adding_a_person_without_a_name_shows_the_error_and_keeps_what_was_typed(client, directory, admin_user):
    client.force_login(admin_user)
    response = client.post(url("person_add", directory.strategy), {"name": "", "job_title": "Matron"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and "Enter the person&#x27;s full name" in page
    assert 'value="Matron"' in page
    assert not Person.objects.filter(job_title="Matron").exists()


@pytest.mark.django_db
def test_editing_a_person_records_who_changed_what(client, directory, admin_user):
    client.force_login(admin_user)
    client.post(url("person_edit", directory.strategy, directory.added), {"name": "Ada Lovelace", "email": ""})
    page = client.get(url("person_detail", directory.strategy, directory.added)).content.decode()
    assert "Ada Lovelace" in page
    assert "Ada Added → Ada Lovelace" in page


@pytest.mark.django_db
def test_changing_a_job_title_shows_the_dated_titles_and_their_history(client, directory, admin_user):
    client.force_login(admin_user)
    response = client.post(
        url("person_title_change", directory.strategy, directory.added),
        {"job_title": "Head of Analytics", "starts_on_day": "1", "starts_on_month": "10", "starts_on_year": "2024"},
    )
    assert response.status_code == 302
    page = client.get(url("person_detail", directory.strategy, directory.added)).content.decode()
    assert "Before any dated change" in page and "1 October 2024" in page
    assert "History of job titles" in page and "(empty) → Head of Analytics" in page


@pytest.mark.django_db
def test_a_title_change_without_a_date_is_refused_with_the_title_kept(client, directory, admin_user):
    client.force_login(admin_user)
    response = client.post(
        url("person_title_change", directory.strategy, directory.added), {"job_title": "Head of Analytics"}
    )
    assert response.status_code == 200
    assert "Enter the date the title applies from" in response.content.decode()
    assert 'value="Head of Analytics"' in response.content.decode()
    assert not JobTitle.objects.exists()


@pytest.mark.django_db
def test_delete_is_offered_only_for_someone_named_nowhere(client, directory, admin_user):
    client.force_login(admin_user)
    named = directory.cycle.people["lead"]
    assert "/delete/" not in client.get(url("person_detail", directory.strategy, named)).content.decode()
    assert "/delete/" in client.get(url("person_detail", directory.strategy, directory.added)).content.decode()
    warning = client.get(url("person_delete", directory.strategy, named)).content.decode()
    assert "Lee Lead is named in a strategy or a reported quarter, so they cannot be deleted" in warning
    refused = client.post(url("person_delete", directory.strategy, named))
    assert refused.status_code == 200 and "Archive them instead" in refused.content.decode()
    assert Person.objects.filter(pk=named.pk).exists()
    client.post(url("person_delete", directory.strategy, directory.added))
    assert not Person.objects.filter(pk=directory.added.pk).exists()


# --- Who may use the pages --------------------------------------------------------------------

PERSON_PAGES = ("person_detail", "person_edit", "person_title_change", "person_archive", "person_delete")
WRITES = {
    "person_add": {"name": "Intruder"},
    "person_edit": {"name": "Intruder"},
    "person_title_change": {
        "job_title": "Intruder",
        "starts_on_day": "1",
        "starts_on_month": "1",
        "starts_on_year": "2025",
    },
    "person_archive": {},
    "person_delete": {},
}


def all_urls(strategy, person):
    return [url(name, strategy) for name in ("person_list", "person_add")] + [
        url(name, strategy, person) for name in PERSON_PAGES
    ]


def snapshot():
    return list(Person.objects.order_by("pk").values_list("name", "job_title", "archived_at")), JobTitle.objects.count()


@pytest.mark.django_db
def test_anonymous_users_are_sent_to_sign_in(client, directory):
    before = snapshot()
    for address in all_urls(directory.strategy, directory.added):
        for response in (client.get(address), client.post(address, {"name": "Intruder"})):
            assert response.status_code == 302 and "/login/" in response["Location"], address
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["director", "lead", "secretary"])
def test_signed_in_users_without_the_role_are_refused(client, directory, director, secretary, who):
    user = {"director": director, "lead": directory.cycle.lead, "secretary": secretary}[who]
    client.force_login(user)
    before = snapshot()
    for address in all_urls(directory.strategy, directory.added):
        assert client.get(address).status_code == 403, address
    for name, data in WRITES.items():
        address = (
            url(name, directory.strategy) if name == "person_add" else url(name, directory.strategy, directory.added)
        )
        assert client.post(address, data).status_code == 403, address
    assert snapshot() == before


@pytest.mark.django_db
def test_a_person_of_another_strategy_is_not_found(client, directory, admin_user):
    client.force_login(admin_user)
    before = snapshot()
    for name in PERSON_PAGES:
        address = url(name, directory.strategy, directory.stranger)
        assert client.get(address).status_code == 404, address
        if name in WRITES:
            assert client.post(address, WRITES[name]).status_code == 404, address
    assert client.get(reverse("goals:person_list", kwargs={"slug": "no-such-strategy"})).status_code == 404
    assert snapshot() == before


# --- Query counts -----------------------------------------------------------------------------

# Session, user and groups (navigation) are the first three of each.
PINNED_QUERIES = {
    "person_list": 5,  # + strategy, people with their user accounts
    "person_add": 5,  # + strategy, users to link
    "person_detail": 9,  # + strategy, person, dated titles, their history, the person's history, named anywhere (2)
    "person_edit": 6,  # + strategy, person, users to link
    "person_title_change": 5,  # + strategy, person
    "person_archive": 5,
    "person_delete": 6,  # + strategy, person, named in a strategy (a second query only for someone who is not)
}


@pytest.mark.django_db
@pytest.mark.parametrize("page_name", sorted(PINNED_QUERIES))
def test_query_count_is_pinned_and_does_not_grow_with_the_data(client, admin_user, count_queries, page_name):
    from benchmarks.generator import generate_trust
    from tests.strategy.test_views import LARGE, SMALL

    client.force_login(admin_user)
    counts = []
    for trust in (
        generate_trust(**SMALL, slug="small-trust"),
        generate_trust(**LARGE, people=40, risks=12, slug="large-trust", seed=2),
    ):
        person = trust.people[0]
        factories.UserFactory(username=f"user-of-{trust.strategy.slug}")
        address = (
            url(page_name, trust.strategy)
            if page_name in ("person_list", "person_add")
            else url(page_name, trust.strategy, person)
        )
        counts.append(count_queries(client, address))
    assert counts == [PINNED_QUERIES[page_name]] * 2

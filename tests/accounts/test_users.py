"""User administration by a strategy admin of one organisation: invite (one-time set-password link),
grant and revoke roles, deactivate; nothing of another organisation; every change in the history."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from goals.core.choices import Role
from goals.models import RoleGrant
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def orgs(db):
    a = factories.StrategyFactory(organisation="Trust A", name="Alpha", slug="alpha")
    b = factories.StrategyFactory(organisation="Trust B", name="Beta", slug="beta")
    return a, b


@pytest.fixture
def admin_of_a(make_user, orgs):
    user = make_user("admin-a")
    RoleGrant.objects.create(user=user, role=Role.STRATEGY_ADMIN, organisation=orgs[0].owner)
    return user


def test_an_admin_invites_a_user_who_sets_a_password_once(client, admin_of_a, orgs):
    person = factories.PersonFactory(name="Nina New", email="")
    client.force_login(admin_of_a)
    response = client.post(
        reverse("goals:user_invite"),
        {
            "email": "nina@trust-a.nhs.uk",
            "person": person.pk,
            "role": Role.DIRECTOR,
            "where": f"organisation:{orgs[0].owner.pk}",
        },
    )
    assert response.status_code == 302
    nina = get_user_model().objects.get(email="nina@trust-a.nhs.uk")
    person.refresh_from_db()
    assert person.user == nina
    assert RoleGrant.objects.get(user=nina).granted_by == admin_of_a
    link = re.search(r"http://\S+/accounts/set-password/\S+/", mail.outbox[0].body).group(0)
    assert link.startswith("http://testserver/")  # the host the admin invited from, not a configured default
    client.logout()
    path = link.split("8000", 1)[1] if "8000" in link else link
    page = client.get(path, follow=True)
    assert b"Set your password" in page.content
    client.post(
        page.redirect_chain[-1][0] if page.redirect_chain else path,
        {"new_password1": "A-long-pass-phrase-9", "new_password2": "A-long-pass-phrase-9"},
    )
    nina.refresh_from_db()
    assert nina.check_password("A-long-pass-phrase-9")
    assert b"This link has expired" in client.get(path, follow=True).content


def test_an_invite_for_an_existing_email_is_refused_with_the_input_kept(client, admin_of_a, orgs, make_user):
    make_user("someone", email="taken@trust-a.nhs.uk")
    client.force_login(admin_of_a)
    response = client.post(
        reverse("goals:user_invite"),
        {"email": "taken@trust-a.nhs.uk", "role": Role.DIRECTOR, "where": f"organisation:{orgs[0].owner.pk}"},
    )
    assert response.status_code == 200
    assert b"Someone already has an account with this email address" in response.content
    assert b'value="taken@trust-a.nhs.uk"' in response.content


def test_an_admin_cannot_grant_on_another_organisation(client, admin_of_a, orgs, make_user):
    other = make_user("other")
    RoleGrant.objects.create(user=other, role=Role.DIRECTOR, organisation=orgs[0].owner)
    client.force_login(admin_of_a)
    response = client.post(
        reverse("goals:user_detail", args=[other.pk]),
        {"role": Role.STRATEGY_ADMIN, "where": f"organisation:{orgs[1].owner.pk}"},
    )
    assert response.status_code == 200  # not a choice: the form refuses it
    assert not RoleGrant.objects.filter(organisation=orgs[1].owner).exists()


def test_grant_revoke_and_deactivate_are_in_the_history(client, admin_of_a, orgs, make_user):
    user = make_user("ann")
    RoleGrant.objects.create(user=user, role=Role.DIRECTOR, organisation=orgs[0].owner)
    client.force_login(admin_of_a)
    url = reverse("goals:user_detail", args=[user.pk])
    client.post(url, {"role": Role.PROGRAMME_OFFICE, "where": f"strategy:{orgs[0].pk}"})
    grant = RoleGrant.objects.get(user=user, role=Role.PROGRAMME_OFFICE)
    assert grant.strategy == orgs[0] and grant.granted_by == admin_of_a
    client.post(reverse("goals:role_revoke", args=[user.pk, grant.pk]))
    grant.refresh_from_db()
    assert grant.revoked_by == admin_of_a and grant.revoked_at is not None
    client.post(reverse("goals:user_deactivate", args=[user.pk]))
    user.refresh_from_db()
    assert not user.is_active
    assert get_user_model().objects.filter(pk=user.pk).exists()  # never deleted
    page = client.get(url).content.decode()
    assert "Deactivated" in page
    shown = admin_of_a.get_full_name() or admin_of_a.get_username()
    assert page.count(f"by {shown}") == 3  # granted, revoked, and the director role revoked on deactivating


def test_users_of_another_organisation_are_404_and_unchanged(client, admin_of_a, orgs, make_user):
    stranger = make_user("stranger")
    grant = RoleGrant.objects.create(user=stranger, role=Role.DIRECTOR, organisation=orgs[1].owner)
    client.force_login(admin_of_a)
    assert b"stranger" not in client.get(reverse("goals:user_list")).content
    assert client.get(reverse("goals:user_detail", args=[stranger.pk])).status_code == 404
    assert client.post(reverse("goals:user_deactivate", args=[stranger.pk])).status_code == 404
    assert client.post(reverse("goals:role_revoke", args=[stranger.pk, grant.pk])).status_code == 404
    stranger.refresh_from_db()
    grant.refresh_from_db()
    assert stranger.is_active and grant.revoked_at is None


def test_someone_not_a_strategy_admin_gets_403(client, orgs, make_user):
    director = make_user("dir")
    RoleGrant.objects.create(user=director, role=Role.DIRECTOR, organisation=orgs[0].owner)
    client.force_login(director)
    for url in (
        reverse("goals:user_list"),
        reverse("goals:user_invite"),
        reverse("goals:user_detail", args=[director.pk]),
    ):
        assert client.get(url).status_code == 403, url


def test_anonymous_is_sent_to_sign_in(client):
    assert client.get(reverse("goals:user_list"))["Location"].startswith("/login/")


def test_the_user_list_reads_with_a_fixed_number_of_queries(client, admin_of_a, orgs, make_user, count_queries):
    client.force_login(admin_of_a)
    small = count_queries(client, reverse("goals:user_list"))
    for n in range(5):
        user = make_user(f"u{n}")
        RoleGrant.objects.create(user=user, role=Role.DIRECTOR, organisation=orgs[0].owner)
    assert count_queries(client, reverse("goals:user_list")) == small


def test_a_long_email_wraps_on_the_user_page_and_in_the_invited_message(client, admin_of_a, orgs):
    """A username is an email address: one long word that must wrap, or the page scrolls sideways
    at 320 px (WCAG 1.4.10)."""
    client.force_login(admin_of_a)
    email = "firstname.lastname.directorate@a-long-trust-name.nhs.uk"
    response = client.post(
        reverse("goals:user_invite"),
        {"email": email, "role": Role.DIRECTOR, "where": f"organisation:{orgs[0].owner.pk}"},
        follow=True,
    )
    html = response.content.decode()
    assert f'<h1 class="nhsuk-u-text-break-word">{email}</h1>' in html
    assert f'<p class="nhsuk-notification-banner__heading nhsuk-u-text-break-word">{email} has been invited' in html
    assert re.search(r'class="[^"]*nhsuk-u-text-break-word"[^>]*>Deactivate ' + re.escape(email), html)

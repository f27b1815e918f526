"""Single sign-on rules without the provider (the browser tests run the whole flow against a real
one): matching by verified email, role claims, the refusal page, and local sign-in switched off."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from goals.accounts import oidc
from goals.core import permissions
from tests import factories

pytestmark = pytest.mark.django_db
PASSWORD = "right-password-1"


def test_an_account_is_matched_by_email_whatever_its_case(make_user):
    user = make_user("ann", email="Ann@Trust-A.nhs.uk")
    assert oidc.match_user("ann@trust-a.nhs.uk") == user


def test_a_person_without_an_account_gets_one_linked_to_them():
    person = factories.PersonFactory(name="Ann Able", email="ann@trust-a.nhs.uk")
    user = oidc.match_user("ANN@trust-a.nhs.uk")
    person.refresh_from_db()
    assert person.user == user
    assert not user.has_usable_password()
    assert person.history.first().history_change_reason == "Account created at first single sign-on"


def test_a_person_with_an_account_signs_in_as_it(make_user):
    user = make_user("ann", email="")
    factories.PersonFactory(email="ann@trust-a.nhs.uk", user=user)
    assert oidc.match_user("ann@trust-a.nhs.uk") == user


def test_nobody_and_ambiguity_match_nothing(make_user):
    assert oidc.match_user("nobody@trust-a.nhs.uk") is None
    make_user("one", email="twice@trust-a.nhs.uk")
    make_user("two", email="twice@trust-a.nhs.uk")
    assert oidc.match_user("twice@trust-a.nhs.uk") is None
    factories.PersonFactory(email="archived@trust-a.nhs.uk", archived_at="2024-01-01T00:00Z")
    assert oidc.match_user("archived@trust-a.nhs.uk") is None
    assert get_user_model().objects.count() == 2


def test_role_claims_grant_and_take_away_only_mapped_roles(make_user, settings, role_groups):
    settings.OIDC_ROLES_CLAIM = "roles"
    settings.OIDC_ROLE_MAP = "Tracker.Admin=strategy_admin,Tracker.Secretary=programme_office"
    user = make_user("ann", role=permissions.DIRECTORS)
    oidc.apply_role_claims(user, {"roles": ["Tracker.Secretary", "Something.Else"]})
    assert set(user.groups.values_list("name", flat=True)) == {permissions.PROGRAMME_OFFICE, permissions.DIRECTORS}
    oidc.apply_role_claims(user, {"roles": []})
    assert set(user.groups.values_list("name", flat=True)) == {permissions.DIRECTORS}


def test_without_a_roles_claim_setting_roles_are_left_alone(make_user):
    user = make_user("ann", role=permissions.DIRECTORS)
    oidc.apply_role_claims(user, {"roles": ["Tracker.Admin"]})
    assert list(user.groups.values_list("name", flat=True)) == [permissions.DIRECTORS]


@pytest.mark.parametrize("reason", oidc.REFUSALS)
def test_the_refusal_page_says_why(client, reason):
    response = client.get(reverse("goals:sso_refused") + f"?reason={reason}")
    assert response.status_code == 403
    assert b"You cannot sign in to" in response.content


def test_the_refusal_page_knows_only_its_reasons(client):
    assert client.get(reverse("goals:sso_refused") + "?reason=other").status_code == 404


def test_single_sign_on_pages_are_404_while_it_is_not_configured(client):
    assert client.get(reverse("goals:sso_start")).status_code == 404
    assert client.get(reverse("goals:sso_callback")).status_code == 404
    assert b"Sign in with your NHS account" not in client.get("/login/").content


def test_the_start_page_sends_the_browser_to_the_provider_with_pkce(client, settings):
    settings.OIDC_RP_CLIENT_ID = "client"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://login.example/authorize"
    response = client.get(reverse("goals:sso_start") + "?next=/actions/")
    assert response.status_code == 302
    assert response["Location"].startswith("https://login.example/authorize?")
    assert "code_challenge=" in response["Location"]
    assert "redirect_uri=http%3A%2F%2Ftestserver%2Fsso%2Fcallback%2F" in response["Location"]


@pytest.fixture
def local_sign_in_off(settings):
    settings.OIDC_RP_CLIENT_ID = "client"
    settings.LOCAL_SIGN_IN = False
    settings.BREAK_GLASS_USERNAMES = ["breakglass"]


def _user(make_user, username, **kwargs):
    user = make_user(username, **kwargs)
    user.set_password(PASSWORD)
    user.save()
    return user


def test_with_local_sign_in_off_passwords_are_refused(client, make_user, local_sign_in_off):
    _user(make_user, "ann")
    page = client.get("/login/").content.decode()
    assert "Sign in with your NHS account" in page
    assert 'name="password"' not in page
    response = client.post("/login/", {"username": "ann", "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_with_local_sign_in_off_the_break_glass_admin_still_signs_in(client, make_user, local_sign_in_off):
    admin = _user(make_user, "breakglass", is_superuser=True, is_staff=True)
    assert 'name="password"' in client.get("/login/?break_glass=1").content.decode()
    assert client.post("/login/", {"username": "breakglass", "password": PASSWORD}).status_code == 302
    assert client.session["_auth_user_id"] == str(admin.pk)

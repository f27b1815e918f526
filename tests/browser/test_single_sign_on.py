"""Single sign-on against a real OpenID Connect provider (npm's oidc-provider, started by the
`oidc_provider` fixture): the whole redirect → provider sign-in → callback flow in a browser."""

import pytest
from playwright.sync_api import expect

from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in_at_the_provider(page, live_server, login):
    page.route("**/fonts.googleapis.com/**", lambda route: route.abort())  # the provider's dev page asks
    page.goto(f"{live_server.url}/login/")
    page.get_by_role("link", name="Sign in with your NHS account").click()
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("any password: the test provider checks the login")
    page.get_by_role("button", name="Sign-in").click()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()


def test_a_person_in_the_directory_signs_in_through_the_provider(page, live_server, oidc_provider, assert_accessible):
    from django.contrib.auth import get_user_model

    person = factories.PersonFactory(name="Ann Able", email="Ann.Able@trust-a.nhs.uk")
    page.goto(f"{live_server.url}/login/")
    assert_accessible(page, "sign-in page with single sign-on")
    sign_in_at_the_provider(page, live_server, "ann.able@trust-a.nhs.uk")
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    person.refresh_from_db()
    assert person.user is not None
    assert person.user.email == "ann.able@trust-a.nhs.uk"  # as the provider vouches for it
    assert not person.user.has_usable_password()
    assert get_user_model().objects.count() == 1


def test_an_existing_account_signs_in_and_keeps_its_username(page, live_server, oidc_provider, make_user):
    make_user("aable", email="ann.able@trust-a.nhs.uk", first_name="Ann", last_name="Able")
    sign_in_at_the_provider(page, live_server, "ann.able@trust-a.nhs.uk")
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_text("Ann Able")).to_be_visible()


def test_someone_with_no_account_is_refused_with_a_clear_page(page, live_server, oidc_provider, assert_accessible):
    from django.contrib.auth import get_user_model

    sign_in_at_the_provider(page, live_server, "stranger@elsewhere.nhs.uk")
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot sign in to Strategy Tracker")
    expect(page.get_by_text("does not belong to anyone")).to_be_visible()
    assert "/sso/refused/?reason=no-account" in page.url
    assert_accessible(page, "single sign-on refused")
    assert get_user_model().objects.count() == 0
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/login/?next=/")


def test_a_deactivated_account_is_refused(page, live_server, oidc_provider, make_user):
    make_user("aable", email="ann.able@trust-a.nhs.uk", is_active=False)
    sign_in_at_the_provider(page, live_server, "ann.able@trust-a.nhs.uk")
    expect(page.get_by_text("Your account has been deactivated")).to_be_visible()

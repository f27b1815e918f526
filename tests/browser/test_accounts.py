"""The account pages at 1280 and 320 px, axe-clean: the locked sign-in page, "You've been signed out",
Your session, Locked sign-ins, Users (list, invite with its error state, one user)."""

import pytest

from goals.core.choices import Role

WIDTHS = (1280, 320)


@pytest.fixture
def admin_with_a_lockout(transactional_db, make_user):
    from axes.models import AccessAttempt

    from goals.models import RoleGrant
    from tests import factories

    strategy = factories.StrategyFactory(organisation="Trust A", name="Alpha", slug="alpha")
    admin = make_user("trust-admin")
    admin.set_password("strategy-demo")
    admin.save()
    RoleGrant.objects.create(user=admin, role=Role.STRATEGY_ADMIN, organisation=strategy.owner)
    AccessAttempt.objects.create(
        username="victim", ip_address="10.0.0.1", user_agent="", failures_since_start=30, get_data="", post_data=""
    )
    return admin


@pytest.mark.parametrize("width", WIDTHS)
def test_the_account_pages_are_accessible(page, live_server, sign_in, assert_accessible, admin_with_a_lockout, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/signed-out/?reason=idle")
    assert_accessible(page, "signed out")
    sign_in(page, "trust-admin")
    for path in ("/session/", "/accounts/locked/", "/accounts/users/", "/accounts/users/invite/"):
        page.goto(f"{live_server.url}{path}")
        assert_accessible(page, path)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path
    page.get_by_role("button", name="Send the invitation").click()
    assert page.get_by_text("There is a problem").first.is_visible()
    assert_accessible(page, "invite, error state")
    page.goto(f"{live_server.url}/accounts/users/{admin_with_a_lockout.pk}/")
    assert_accessible(page, "a user")


def test_the_locked_page_is_accessible(page, live_server, transactional_db, make_user, settings, assert_accessible):
    settings.AXES_FAILURE_LIMIT = 2
    make_user("victim")
    for _ in range(3):
        page.goto(f"{live_server.url}/login/")
        page.get_by_label("Username").fill("victim")
        page.get_by_label("Password").fill("wrong")
        page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("heading", name="Your sign-in is locked").is_visible()
    assert_accessible(page, "locked")

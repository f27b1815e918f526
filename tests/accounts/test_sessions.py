"""Session time limits with a frozen clock: signed out after 30 minutes without a request (idle) and
12 hours after signing in whatever the activity (lifetime); "Stay signed in" restarts the idle clock."""

import datetime
import logging

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

START = datetime.datetime(2025, 1, 6, 9, 0, tzinfo=datetime.UTC)
HOME = "/"
PASSWORD = "right-password-1"


@pytest.fixture
def clock(monkeypatch):
    """A frozen clock: clock.at(minutes=…) moves django.utils.timezone.now to START + that."""

    class Clock:
        now = START

        def at(self, **delta):
            self.now = START + datetime.timedelta(**delta)

    frozen = Clock()
    monkeypatch.setattr(timezone, "now", lambda: frozen.now)
    return frozen


@pytest.fixture
def signed_in(client, make_user, clock):
    user = make_user("ann")
    user.set_password(PASSWORD)
    user.save()
    assert client.post("/login/", {"username": "ann", "password": PASSWORD}).status_code == 302
    return user


def _is_signed_in(client) -> bool:
    return client.get(HOME).status_code == 200


def _keep_active(client, clock, *, until_minutes):
    for minutes in range(25, until_minutes, 25):
        clock.at(minutes=minutes)
        assert _is_signed_in(client), minutes
    clock.at(minutes=until_minutes)


def test_29_minutes_idle_is_still_signed_in(client, signed_in, clock):
    clock.at(minutes=29, seconds=59)
    assert _is_signed_in(client)


def test_30_minutes_idle_signs_out_to_the_signed_out_page(client, signed_in, clock, caplog):
    clock.at(minutes=30)
    with caplog.at_level(logging.INFO, logger="security"):
        response = client.get("/actions/")
    assert response.status_code == 302
    assert response["Location"] == reverse("goals:signed_out") + "?reason=idle&next=%2Factions%2F"
    assert "_auth_user_id" not in client.session
    assert "session_idle_timeout" in [getattr(record, "event", "") for record in caplog.records]
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "You've been signed out" in page.content.decode()
    assert b"30 minutes" in page.content
    assert b"/login/?next=/actions/" in page.content


def test_activity_keeps_the_session_alive(client, signed_in, clock):
    for minutes in (20, 40, 60, 80):
        clock.at(minutes=minutes)
        assert _is_signed_in(client), minutes


def test_stay_signed_in_restarts_the_idle_clock(client, signed_in, clock):
    clock.at(minutes=29)
    page = client.get(reverse("goals:session_status"))
    assert b"Stay signed in" in page.content
    clock.at(minutes=29, seconds=30)
    response = client.post(reverse("goals:session_status"), {"next": "/actions/"})
    assert response["Location"] == "/actions/"
    clock.at(minutes=58)
    assert _is_signed_in(client)


def test_stay_signed_in_goes_nowhere_off_site(client, signed_in):
    response = client.post(reverse("goals:session_status"), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("goals:session_status")


def test_the_lifetime_ends_the_session_after_12_hours_however_active(client, signed_in, clock):
    _keep_active(client, clock, until_minutes=12 * 60)
    clock.at(hours=12)
    response = client.get(HOME)
    assert response["Location"].startswith(reverse("goals:signed_out") + "?reason=lifetime")
    assert "_auth_user_id" not in client.session
    assert b"12 hours" in client.get(response["Location"]).content


def test_limits_come_from_settings(client, signed_in, clock, settings):
    settings.SESSION_IDLE_TIMEOUT_SECONDS = 5 * 60
    clock.at(minutes=5)
    assert not _is_signed_in(client)


def test_the_page_carries_the_warning_banner_hidden_until_the_script_shows_it(client, signed_in, clock):
    clock.at(minutes=10)
    page = client.get(HOME).content.decode()
    assert 'id="session-warning"' in page
    ends_at = int((START + datetime.timedelta(minutes=40)).timestamp())
    assert f'data-ends-at="{ends_at}"' in page
    assert "You're about to be signed out" in page
    assert 'src="/static/js/session-timeout.js"' in page
    assert "<script>" not in page.split("</body>")[0].split('id="maincontent"')[1]  # no inline script


def test_near_the_lifetime_the_banner_offers_no_extension(client, signed_in, clock):
    _keep_active(client, clock, until_minutes=11 * 60 + 50)
    page = client.get(reverse("goals:session_status")).content.decode()
    assert "when your session reaches 12 hours" in page
    assert "Stay signed in" not in page


def test_the_session_page_needs_sign_in(client):
    response = client.get(reverse("goals:session_status"))
    assert response["Location"].startswith("/login/")


def test_the_signed_out_page_is_public_and_knows_only_two_reasons(client):
    assert client.get(reverse("goals:signed_out") + "?reason=idle").status_code == 200
    assert client.get(reverse("goals:signed_out") + "?reason=other").status_code == 404


def test_the_signed_out_page_drops_an_off_site_next(client):
    page = client.get(reverse("goals:signed_out") + "?reason=idle&next=https://evil.example/")
    assert b"evil.example" not in page.content


def test_sign_in_and_sign_out_are_logged_with_user_and_ip(client, make_user, caplog):
    user = make_user("bob")
    user.set_password(PASSWORD)
    user.save()
    with caplog.at_level(logging.INFO, logger="security"):
        client.post("/login/", {"username": "bob", "password": PASSWORD}, REMOTE_ADDR="10.1.2.3")
        client.post("/logout/", REMOTE_ADDR="10.1.2.3")
    records = [record for record in caplog.records if record.name == "security"]
    assert [(record.event, record.username, record.ip) for record in records] == [
        ("sign_in", "bob", "10.1.2.3"),
        ("sign_out", "bob", "10.1.2.3"),
    ]
    assert PASSWORD not in caplog.text


def test_a_refused_permission_check_is_logged(client, secretary, caplog):
    client.force_login(secretary)
    with caplog.at_level(logging.INFO, logger="security"):
        assert client.get(reverse("goals:lockout_list")).status_code == 403
    refused = [record for record in caplog.records if getattr(record, "event", "") == "permission_refused"]
    assert refused[0].username == "secretary"
    assert refused[0].path == "/accounts/locked/"

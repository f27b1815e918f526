"""Wrong-password lockout (django-axes): 30 wrong passwords lock one username from one address; a
locked sign-in is refused before its password is hashed; other users sign in as usual; a strategy
admin unlocks it."""

import datetime
import logging

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import hashers
from django.urls import reverse

pytestmark = pytest.mark.django_db

LOGIN = "/login/"
PASSWORD = "right-password-1"


@pytest.fixture
def victim(make_user):
    user = make_user("victim")
    user.set_password(PASSWORD)
    user.save()
    return user


def _sign_in(client, username, password, ip="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def _records(caplog):
    return [record for record in caplog.records if record.name == "security"]


def _events(caplog):
    return [record.event for record in _records(caplog)]


def _flood(client, username, times, ip="10.0.0.1"):
    for _ in range(times):
        _sign_in(client, username, "wrong", ip=ip)


def test_it_locks_after_30_wrong_passwords_and_refuses_the_right_one(client, victim, settings):
    assert settings.AXES_FAILURE_LIMIT == 30
    _flood(client, "victim", 29)
    _sign_in(client, "victim", "wrong")  # the 30th
    response = _sign_in(client, "victim", PASSWORD)
    assert response.status_code == 429
    assert b"Your sign-in is locked" in response.content
    assert b"30 minutes" in response.content
    assert "_auth_user_id" not in client.session


def test_29_wrong_passwords_do_not_lock(client, victim):
    _flood(client, "victim", 29)
    response = _sign_in(client, "victim", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(victim.pk)


def test_another_user_still_signs_in_while_one_is_locked(client, victim, make_user):
    other = make_user("other")
    other.set_password(PASSWORD)
    other.save()
    _flood(client, "victim", 30)
    response = _sign_in(client, "other", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(other.pk)


def test_the_lock_is_per_address(client, victim):
    _flood(client, "victim", 30, ip="10.0.0.1")
    assert _sign_in(client, "victim", PASSWORD, ip="10.0.0.2").status_code == 302


def test_a_locked_attempt_is_refused_before_hashing(client, victim, monkeypatch):
    _flood(client, "victim", 30)
    hashed = []
    real = hashers.check_password
    monkeypatch.setattr(hashers, "check_password", lambda *args, **kw: hashed.append(1) or real(*args, **kw))
    monkeypatch.setattr(
        "django.contrib.auth.base_user.check_password", lambda *args, **kw: hashed.append(1) or real(*args, **kw)
    )
    assert _sign_in(client, "victim", PASSWORD).status_code == 429
    assert hashed == []


def test_it_unlocks_itself_after_the_cool_off(client, victim):
    _flood(client, "victim", 30)
    AccessAttempt.objects.update(attempt_time=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=31))
    assert _sign_in(client, "victim", PASSWORD).status_code == 302


def test_lockout_and_failures_are_logged_without_the_password(client, victim, caplog):
    with caplog.at_level(logging.INFO, logger="security"):
        _flood(client, "victim", 30)
    events = _events(caplog)
    assert events.count("sign_in_failed") == 30
    assert "locked_out" in events
    failed = next(record for record in _records(caplog) if record.event == "sign_in_failed")
    assert failed.username == "victim"
    assert failed.ip == "10.0.0.1"
    assert "wrong" not in caplog.text


# --- Unlocking: the Locked sign-ins page ---------------------------------------------------------


def test_a_strategy_admin_sees_and_unlocks_a_locked_sign_in(client, victim, admin_user, caplog):
    _flood(client, "victim", 30)
    client.force_login(admin_user)
    page = client.get(reverse("goals:lockout_list"))
    assert page.status_code == 200
    assert b"victim" in page.content
    attempt = AccessAttempt.objects.get(username="victim")
    with caplog.at_level(logging.INFO, logger="security"):
        response = client.post(reverse("goals:lockout_unlock", args=[attempt.pk]))
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert any(record.event == "unlocked" and record.unlocked == "victim" for record in _records(caplog))
    client.logout()
    assert _sign_in(client, "victim", PASSWORD).status_code == 302


def test_the_locked_sign_ins_page_needs_sign_in(client):
    response = client.get(reverse("goals:lockout_list"))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_someone_not_a_strategy_admin_may_not_unlock(client, victim, secretary):
    _flood(client, "victim", 30)
    attempt = AccessAttempt.objects.get(username="victim")
    client.force_login(secretary)
    assert client.get(reverse("goals:lockout_list")).status_code == 403
    assert client.post(reverse("goals:lockout_unlock", args=[attempt.pk])).status_code == 403
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()


def test_unlocking_an_unknown_lock_is_404(client, admin_user):
    client.force_login(admin_user)
    assert client.post(reverse("goals:lockout_unlock", args=[999])).status_code == 404


def test_the_locked_sign_ins_page_reads_with_a_fixed_number_of_queries(client, admin_user, count_queries):
    client.force_login(admin_user)
    AccessAttempt.objects.create(
        username="a", ip_address="10.0.0.1", user_agent="", failures_since_start=30, get_data="", post_data=""
    )
    small = count_queries(client, reverse("goals:lockout_list"))
    for n in range(5):
        AccessAttempt.objects.create(
            username=f"b{n}", ip_address="10.0.0.1", user_agent="", failures_since_start=30, get_data="", post_data=""
        )
    assert count_queries(client, reverse("goals:lockout_list")) == small

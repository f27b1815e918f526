"""While the database is unreachable pages answer 503 with an NHS.UK "try again in a minute" page
and Retry-After (never a 500); /health/ reports the database and the worker without sign-in."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import InterfaceError, OperationalError
from django.test import Client
from django.urls import reverse

from goals.strategy import selectors as strategy_selectors

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser():
    return Client(raise_request_exception=False)


def assert_unavailable(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    content = response.content.decode()
    assert "Sorry, the service is unavailable" in content and "Try again in a minute." in content
    assert "Traceback" not in content


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_a_view_that_loses_the_database_answers_503(browser, director, monkeypatch, error):
    browser.force_login(director)

    def unreachable(*args, **kwargs):
        raise error("server closed the connection unexpectedly")

    monkeypatch.setattr(strategy_selectors, "strategy_list", unreachable)
    assert_unavailable(browser.get(reverse("goals:strategy_list")))


def test_a_session_that_cannot_be_loaded_answers_503(browser, director, monkeypatch):
    browser.force_login(director)

    def unreachable(self):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(SessionStore, "load", unreachable)
    assert_unavailable(browser.get(reverse("goals:strategy_list")))


def test_other_errors_are_still_server_errors(browser, director, monkeypatch):
    browser.force_login(director)

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(strategy_selectors, "strategy_list", broken)
    assert browser.get(reverse("goals:strategy_list")).status_code == 500


def test_health_needs_no_sign_in_and_reports_the_database_and_worker(client):
    response = client.get(reverse("goals:health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": {"status": "ok"}, "worker": {"status": "not configured"}}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_health_answers_503_when_the_database_is_unreachable(client, monkeypatch):
    from django.db import connection

    def unreachable(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", unreachable)
    response = client.get(reverse("goals:health"))
    assert response.status_code == 503
    assert response.json()["database"] == {"status": "unavailable", "error": "OperationalError"}


def test_health_reports_the_task_queue_when_the_database_worker_is_configured(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    if "django_tasks_db" not in settings.INSTALLED_APPS:
        pytest.skip("django_tasks_db is not installed in this configuration")
    response = client.get(reverse("goals:health"))
    assert response.json()["worker"] == {"status": "ok", "queued": 0, "oldest_seconds": 0}

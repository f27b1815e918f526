"""JSON log lines, each with the request id (the proxy's X-Request-ID or one made here, returned in
the response); security events (refused permissions, failed sign-ins, another strategy's object)
are named records of the "security" logger."""

import io
import json
import logging
import logging.config

import pytest
from django.conf import settings
from django.urls import reverse

from goals.operations.logs import request_id_var

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_lines():
    """The console handler as configured (JSON formatter, request-id filter), writing to a buffer."""
    stream = io.StringIO()
    config = settings.LOGGING | {
        "handlers": {
            "console": settings.LOGGING["handlers"]["console"] | {"stream": stream, "formatter": "json"},
        },
    }
    logging.config.dictConfig(config)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logging.config.dictConfig(settings.LOGGING)


def test_a_request_id_is_made_returned_and_on_every_line(client, director, json_lines):
    client.force_login(director)  # signing in here is not a request: its sign_in event has no request id
    before = len(json_lines())
    response = client.get(reverse("goals:strategy_list"))
    generated = response["X-Request-ID"]
    assert len(generated) == 32
    client.get(reverse("goals:strategy_list"), headers={"X-Request-ID": "lb-1234"})
    response = client.get(
        reverse("reports:pack_publish", args=["nope", "2024-Q1", "progress"]), headers={"X-Request-ID": "lb-5678"}
    )
    assert response["X-Request-ID"] == "lb-5678"
    lines = json_lines()[before:]
    assert lines, "nothing was logged"
    assert all({"time", "level", "logger", "message", "request_id"} <= set(line) for line in lines)
    assert {line["request_id"] for line in lines} == {"lb-5678"}
    assert request_id_var.get() == "-"  # reset after the request


def test_an_unusable_request_id_is_replaced(client):
    response = client.get(reverse("login"), headers={"X-Request-ID": "bad id\nwith newline"})
    assert response["X-Request-ID"] != "bad id\nwith newline" and len(response["X-Request-ID"]) == 32


def test_a_refused_permission_is_a_security_event(client, cycle, json_lines):
    client.force_login(cycle.other_lead)
    response = client.post(reverse("goals:update_edit", args=[cycle.action.pk, "2024-Q3"]), {"progress": "x"})
    assert response.status_code in (403, 404)
    events = [line for line in json_lines() if line["logger"] == "security" and line["event"] != "sign_in"]
    assert events and events[0]["event"] in ("permission_refused", "not_found")
    assert events[0]["user_id"] == cycle.other_lead.pk and events[0]["path"].startswith("/actions/")


def test_a_failed_sign_in_is_a_security_event(client, director, json_lines):
    client.post(reverse("login"), {"username": "director", "password": "wrong"})
    events = [line for line in json_lines() if line.get("event") == "sign_in_failed"]
    assert len(events) == 1 and events[0]["username"] == "director"

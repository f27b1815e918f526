"""The pages for requests the service cannot take (bad input 400, database unavailable 503) are
NHS.UK pages that axe-core finds nothing on, at 1280 and 320 px, under the strict
Content-Security-Policy (no console errors about blocked scripts or styles)."""

from django.db import OperationalError
from playwright.sync_api import expect

from goals.strategy import selectors as strategy_selectors


def check_both_widths(page, assert_accessible, name):
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page, f"{name} at {width} px")


def test_the_bad_input_page(page, live_server, demo, sign_in, assert_accessible):
    blocked = []
    page.on(
        "console", lambda message: blocked.append(message.text) if "Content Security Policy" in message.text else None
    )
    sign_in(page, "director")
    response = page.goto(f"{live_server.url}/actions/?q=waits%00")
    assert response.status == 400
    expect(page.get_by_role("heading", name="Sorry, there is a problem with what was sent", level=1)).to_be_visible()
    check_both_widths(page, assert_accessible, "bad input")
    assert not blocked


def test_the_service_unavailable_page(page, live_server, demo, sign_in, assert_accessible, monkeypatch):
    sign_in(page, "director")

    def unreachable(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(strategy_selectors, "strategy_list", unreachable)
    response = page.goto(f"{live_server.url}/")
    assert response.status == 503 and response.headers["retry-after"] == "60"
    expect(page.get_by_role("heading", name="Sorry, the service is unavailable", level=1)).to_be_visible()
    check_both_widths(page, assert_accessible, "service unavailable")

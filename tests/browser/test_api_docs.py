"""The read API's pages in Chromium at 1280 and 320 px, axe-clean: the documentation page (nothing
loaded from another host), and API tokens — empty, the error state, a new token's secret shown
once, the list after revoking."""

import pytest
from playwright.sync_api import expect

WIDTHS = (1280, 320)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_documentation_page_is_local_and_accessible(page, live_server, demo, sign_in, assert_accessible, width):
    page.set_viewport_size({"width": width, "height": 900})
    elsewhere = []
    page.on(
        "request", lambda request: None if request.url.startswith(live_server.url) else elsewhere.append(request.url)
    )
    sign_in(page, "director")
    page.goto(f"{live_server.url}/api/v1/docs/")
    expect(page.get_by_role("heading", name="Read API", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="GET /api/v1/facts/actions")).to_be_visible()
    assert_accessible(page, f"API documentation at {width} px")
    page.get_by_role("link", name="The OpenAPI schema (JSON)").click()
    assert '"openapi"' in page.content()
    assert elsewhere == []


@pytest.mark.parametrize("width", WIDTHS)
def test_make_and_revoke_a_token(page, live_server, demo, sign_in, assert_accessible, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, "director")
    page.get_by_role("link", name="API tokens").click()
    expect(page.get_by_role("heading", name="API tokens", level=1)).to_be_visible()
    expect(page.get_by_text("You have no tokens.")).to_be_visible()
    assert_accessible(page, f"API tokens, none, at {width} px")

    page.get_by_role("button", name="Make the token").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    assert_accessible(page, f"API tokens, no name, at {width} px")

    page.get_by_label("Token name").fill("Power BI board dashboard")
    page.get_by_role("button", name="Make the token").click()
    secret = page.locator("#new-token").inner_text()
    assert secret.startswith("st_")
    expect(page.get_by_role("cell", name="Power BI board dashboard", exact=True)).to_be_visible()
    assert_accessible(page, f"API tokens, new token, at {width} px")

    page.get_by_role("button", name="Revoke Power BI board dashboard").click()
    expect(page.get_by_text("is revoked")).to_be_visible()
    expect(page.locator("#new-token")).to_have_count(0)
    assert_accessible(page, f"API tokens, revoked, at {width} px")

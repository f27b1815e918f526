"""A director's path through the RAG status pages, on a laptop (1280 px) and a phone (320 px):
strategy → dashboard → the Red action → its history; then the heat map, the action list (and its
error state) and the BAF risks. axe-core finds nothing on any page, and no page scrolls sideways."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

RED_ACTION = "Review, update, revise and implement Trust Access Policy"
WIDTHS = {"desktop": 1280, "phone": 320}


@pytest.fixture
def red_action(demo):
    """The demo has no Red in Q2 2024/25: make one, as its lead's correction would (with history)."""
    from goals.models import ActionUpdate

    update = ActionUpdate.objects.get(action__title=RED_ACTION, period__year=2024, period__quarter=2)
    update.rag = "red"
    update.rag_reason = "The policy launch is blocked until the new waiting list system goes live."
    update.save()
    return update


@pytest.fixture
def director_on(page, sign_in, red_action):
    """director_on(screen) → the screen's width, with the page at that width and the director signed in."""

    def open_as(screen: str) -> int:
        page.set_viewport_size({"width": WIDTHS[screen], "height": 900})
        sign_in(page, "director")
        return WIDTHS[screen]

    return open_as


def assert_fits(page, width):
    """Nothing is cut off: the page itself never scrolls sideways (wide tables scroll in their box)."""
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


@pytest.mark.parametrize("screen", sorted(WIDTHS))
def test_a_director_goes_from_the_dashboard_to_a_red_action_and_its_history(
    page, live_server, director_on, assert_accessible, screen
):
    width = director_on(screen)
    page.get_by_role("link", name="Step Up To Great").first.click()
    page.get_by_role("link", name="Dashboard", exact=True).click()

    expect(page).to_have_url(re.compile(r"/strategies/step-up-to-great/dashboard/2024-Q2/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("RAG status, Q2 2024/25")
    expect(page.locator(".app-key-figures__item--red .app-key-figures__number")).to_have_text("1")
    expect(page.locator(".app-key-figures__item--amber .app-key-figures__number")).to_have_text("4")
    red_and_amber = page.locator("section[aria-labelledby=red-and-amber]")
    expect(red_and_amber.locator("tbody tr").first).to_contain_text("Red")
    expect(red_and_amber).to_contain_text("The policy launch is blocked")
    expect(red_and_amber).to_contain_text("Sharon Murphy, Director of Finance")
    assert_fits(page, width)
    assert_accessible(page, f"dashboard ({screen})")

    red_and_amber.get_by_role("link", name=RED_ACTION).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(RED_ACTION)
    timeline = page.locator(".app-rag-timeline")
    expect(timeline).to_contain_text("Q2 2024/25")
    expect(timeline).to_contain_text("Red")
    page.get_by_text("History of this update").click()
    history = page.locator(".app-history").first
    expect(history).to_contain_text("RAG: Green → Red")
    expect(history).to_contain_text("The policy launch is blocked")
    assert_fits(page, width)
    assert_accessible(page, f"action page with its history open ({screen})")


@pytest.mark.parametrize("screen", sorted(WIDTHS))
def test_the_other_status_pages_and_the_filter_error_state_are_accessible_and_fit(
    page, live_server, director_on, assert_accessible, screen
):
    width = director_on(screen)
    page.goto(f"{live_server.url}/strategies/step-up-to-great/dashboard/2024-Q2/")

    page.get_by_role("link", name="Heat map").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Heat map to Q2 2024/25")
    expect(page.locator("table.app-heat-map th[scope=row]").first).to_contain_text("Great Outcomes")
    assert_fits(page, width)
    assert_accessible(page, f"heat map ({screen})")

    page.get_by_role("link", name="BAF risks").first.click()
    expect(page.locator("table.app-risk-table tbody tr")).to_have_count(9)
    expect(page.get_by_text("Not placed: score only")).to_be_visible()
    assert_fits(page, width)
    assert_accessible(page, f"BAF risks ({screen})")

    page.get_by_role("link", name="BAF 01").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Without timely access to services")
    assert_fits(page, width)
    assert_accessible(page, f"BAF risk history ({screen})")

    page.goto(f"{live_server.url}/actions/?strategy=step-up-to-great&quarter=2024-Q2")
    expect(page.locator(".app-result-count")).to_have_text("17 actions.")
    page.get_by_text("Filter and search").click()
    page.get_by_label("Red", exact=True).check()
    page.get_by_label("Amber", exact=True).check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator(".app-result-count")).to_have_text("5 actions match the filters.")
    expect(page).to_have_url(re.compile(r"rag=red&rag=amber"))
    assert_fits(page, width)
    assert_accessible(page, f"action list, filtered ({screen})")

    # The SRO filter is typed: part of a name, no list of every person (the filters stay open).
    page.get_by_label("SRO", exact=True).fill("murphy")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"sro=murphy"))
    expect(page.locator(".app-filter-summary")).to_contain_text("Name contains “murphy”")
    expect(page.locator(".app-result-count")).to_have_text(re.compile(r"^\d+ actions? match(es)? the filters\.$"))
    assert_accessible(page, f"action list, filtered by SRO ({screen})")

    page.goto(f"{live_server.url}/actions/?strategy=step-up-to-great&quarter=2024-Q2&rag=purple")
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    assert_fits(page, width)
    assert_accessible(page, f"action list with a filter error ({screen})")


def test_the_quarter_switcher_and_downloads_work_in_the_browser(page, live_server, red_action, sign_in):
    sign_in(page, "director")
    page.goto(f"{live_server.url}/strategies/step-up-to-great/dashboard/2024-Q2/")
    page.get_by_label("Quarter").select_option("2024-Q3")
    page.get_by_role("button", name="Show quarter").click()
    expect(page).to_have_url(re.compile(r"/dashboard/2024-Q3/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("RAG status, Q3 2024/25")

    page.goto(f"{live_server.url}/actions/?strategy=step-up-to-great&quarter=2024-Q2&rag=red")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download these actions as CSV").click()
    assert download.value.suggested_filename == "step-up-to-great-actions-2024-Q2.csv"
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert RED_ACTION in text and text.count("\n") == 2

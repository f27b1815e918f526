"""A strategy admin sets up a strategy in Chromium without /admin/: creates it (after an error),
adds two goals, an objective and an action with its SRO and lead, edits the success statements
(add, reorder, remove), reorders the goals with the buttons (one with the keyboard alone) and
archives a goal, then restores it. axe-core at 1280 and 320 px on every new page and the error
state; no page scrolls sideways."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_quarterly_cycle import tab_to

PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's


@pytest.fixture
def empty_install(transactional_db):
    """Only the admin's account and the people the strategy will name."""
    from goals.core import permissions
    from goals.models import Person
    from tests import factories

    admin = factories.UserFactory(username="admin", first_name="Ada", last_name="Admin")
    admin.groups.add(permissions.ensure_role_groups()[permissions.STRATEGY_ADMINS])
    Person.objects.create(key="julian", name="Julian Hartley", job_title="Chief Executive")
    Person.objects.create(key="lee", name="Lee Lead", job_title="Improvement Lead")
    return admin


def check_page(page, assert_accessible, name):
    """axe-core finds nothing at 1280 and at 320 px, and nothing scrolls sideways at 320."""
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page, f"{name} at {width} px")
        assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{name} at {width} px"
    page.set_viewport_size({"width": 1280, "height": 900})


def statements(page):
    return page.locator("textarea[name=statement]").evaluate_all("boxes => boxes.map(box => box.value)")


def test_an_admin_sets_up_a_strategy(page, live_server, empty_install, sign_in, assert_accessible):
    sign_in(page, "admin", PASSWORD)
    page.get_by_role("link", name="Create a strategy").click()
    expect(page.get_by_role("heading", name="Create a strategy", level=1)).to_be_visible()
    check_page(page, assert_accessible, "create a strategy")

    # An error first: nothing typed is lost.
    page.get_by_label("Strategy name").fill("Improvement Strategy")
    page.get_by_role("button", name="Create strategy").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary.get_by_role("link", name="Enter the organisation")).to_be_visible()
    expect(page.get_by_label("Strategy name")).to_have_value("Improvement Strategy")
    assert page.title().startswith("Error: ")
    check_page(page, assert_accessible, "create a strategy with an error")

    page.get_by_label("Organisation").fill("Leeds Teaching Hospitals")
    page.get_by_label("Senior responsible owner (SRO)").select_option(label="Julian Hartley, Chief Executive")
    page.get_by_label("Highlight report").check()
    page.get_by_role("button", name="Create strategy").click()
    expect(page.get_by_role("heading", name="Set up Improvement Strategy", level=1)).to_be_visible()
    check_page(page, assert_accessible, "set-up page")

    for title in ("Safer care", "Patient experience"):
        page.get_by_role("link", name="Add a goal").click()
        page.get_by_label("Title").fill(title)
        page.get_by_role("button", name="Add goal").click()
    expect(page.get_by_role("heading", name="Goal 2. Patient experience")).to_be_visible()

    page.get_by_role("link", name="Add an objective to goal 1").click()
    check_page(page, assert_accessible, "add an objective")
    page.get_by_label("Title").fill("Reduce falls")
    page.get_by_role("group", name="Lead directors").get_by_label("Julian Hartley").check()
    page.get_by_role("button", name="Add objective").click()

    page.get_by_role("link", name="Add an action to Reduce falls").click()
    check_page(page, assert_accessible, "add an action")
    page.get_by_label("Title").fill("Falls collaborative on every ward")
    page.get_by_role("group", name="SROs").get_by_label("Julian Hartley").check()
    page.get_by_role("group", name="Programme leads").get_by_label("Lee Lead").check()
    page.get_by_role("button", name="Add action").click()
    action = page.locator("li[id^=action-]")
    expect(action).to_contain_text("SRO: Julian Hartley; leads: Lee Lead")

    # The success statements: add, reorder, remove, save.
    page.get_by_role("link", name="Change the success statements").click()
    check_page(page, assert_accessible, "success statements")
    page.get_by_label("Statement 1").fill("Falls have come down")
    page.get_by_role("button", name="Add a statement").click()
    page.get_by_label("Statement 2").fill("Staff would recommend us")
    page.get_by_role("button", name="Add a statement").click()
    page.get_by_label("Statement 3").fill("A statement to drop")
    page.get_by_role("button", name="Move up statement 2").click()
    assert statements(page) == ["Staff would recommend us", "Falls have come down", "A statement to drop"]
    page.get_by_role("button", name="Remove statement 3").click()
    page.get_by_role("button", name="Save statements").click()
    expect(page.get_by_text("Success statements saved.")).to_be_visible()
    listed = page.locator("#success-statements + ol li")
    expect(listed).to_have_text(["Staff would recommend us", "Falls have come down"])

    # Reorder the goals with the buttons, the second time with the keyboard alone.
    page.get_by_role("button", name="Move down Safer care").click()
    expect(page.get_by_role("heading", name="Goal 1. Patient experience")).to_be_visible()
    move_up = page.get_by_role("button", name="Move up Safer care")
    tab_to(page, move_up, limit=200)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Goal 1. Safer care")).to_be_visible()

    # The action's edit page shows its history; its move and delete pages are accessible.
    action.get_by_role("link", name="Edit").click()
    expect(page.get_by_text("History of changes")).to_be_visible()
    check_page(page, assert_accessible, "edit an action")
    page.go_back()
    action.get_by_role("link", name="Delete").click()
    expect(page.get_by_text("You are about to delete this action.")).to_be_visible()
    check_page(page, assert_accessible, "delete an action")
    page.get_by_role("link", name="Cancel").click()
    page.get_by_role("link", name="Add a metric").click()
    check_page(page, assert_accessible, "add a metric")
    page.get_by_role("link", name="Cancel").click()

    # Archive a goal, then restore it.
    page.get_by_role("button", name="Archive Patient experience").click()
    expect(page.get_by_text("The goal has been archived.")).to_be_visible()
    check_page(page, assert_accessible, "set-up page with an archived goal")
    page.get_by_role("link", name="Improvement Strategy").first.click()
    expect(page.get_by_role("link", name="1. Safer care")).to_be_visible()
    expect(page.get_by_role("link", name="2. Patient experience")).to_have_count(0)
    page.get_by_role("link", name="Set up this strategy").click()
    page.get_by_role("button", name="Restore Patient experience").click()
    expect(page.get_by_text("The goal has been restored.")).to_be_visible()

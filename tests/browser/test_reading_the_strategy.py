"""A director signs in and reads the real strategies; axe-core finds nothing on any page."""

from playwright.sync_api import expect


def test_sign_in_page_and_its_error_state_are_accessible(page, live_server, demo, assert_accessible):
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/login/?next=/")
    assert_accessible(page, "sign in")
    page.get_by_label("Username").fill("director")
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    expect(page.get_by_label("Username")).to_have_value("director")
    assert_accessible(page, "sign in with an error")


def test_a_director_reads_every_page_and_each_is_accessible(page, live_server, demo, sign_in, assert_accessible):
    sign_in(page, "director")
    expect(page.get_by_role("heading", name="Strategies", level=1)).to_be_visible()
    assert_accessible(page, "strategy list")

    page.get_by_role("link", name="Step Up To Great").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Step Up To Great")
    expect(page.get_by_text("create high quality, compassionate care and wellbeing for all")).to_be_visible()
    assert_accessible(page, "strategy")

    page.locator("table a").first.click()
    expect(page.get_by_role("heading", name="Access to Services")).to_be_visible()
    assert_accessible(page, "goal")

    page.get_by_role("link", name="Review, update, revise and implement Trust Access Policy").click()
    expect(page.get_by_text("The Access to Treatment Policy has been fully updated")).to_be_visible()
    # The action page names each quarter in its RAG timeline too: look for the update's heading.
    expect(page.get_by_role("heading", name="Q2 2024/25")).to_be_visible()
    assert_accessible(page, "action")

    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="LTHT Improvement Strategy").click()
    expect(page.get_by_text("Patients as equal partners")).to_be_visible()
    assert_accessible(page, "LTHT strategy")


def test_the_pages_work_with_the_keyboard_alone(page, live_server, demo):
    page.goto(f"{live_server.url}/login/")
    page.keyboard.press("Tab")
    expect(page.locator(".nhsuk-skip-link")).to_be_focused()
    page.get_by_label("Username").focus()
    page.keyboard.type("director")
    page.keyboard.press("Tab")
    page.keyboard.type("strategy-demo")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Strategies", level=1)).to_be_visible()

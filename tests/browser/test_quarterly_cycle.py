"""The quarterly cycle in Chromium on the real demo data: the lead submits Red without a reason
(error shown, text kept), then with one; the SRO approves; the secretary sees it in the tracker.
Once with the mouse, once with the keyboard alone; axe-core on every page and error state."""

import datetime
import re

from playwright.sync_api import expect

from goals.interchange.demo import DEMO_DEADLINE_DAYS

ACTION = "1. Review, update, revise and implement Trust Access Policy"
PROGRESS = "Policy approved by the Executive Board; awareness sessions planned for January."
REASON = "Awareness sessions slipped a month: the trainer is on leave until 6 January."


def tab_to(page, locator, limit=80):
    """Press Tab until `locator` has the focus, as a keyboard user would."""
    for _ in range(limit):
        if locator.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {locator}")


def sign_in_with_keyboard(page, live_server, username):
    page.goto(f"{live_server.url}/login/")
    tab_to(page, page.get_by_label("Username"))
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type("strategy-demo")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Strategies", level=1)).to_be_visible()


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def test_lead_submits_sro_approves_secretary_tracks(page, live_server, demo, sign_in, assert_accessible):
    # The lead, before the deadline: My updates, the first action, Red without a reason.
    sign_in(page, "lead")
    page.get_by_role("link", name="My updates").click()
    expect(page.get_by_role("heading", name="My updates", level=1)).to_be_visible()
    expect(page.get_by_text("Step Up To Great: Q3 2024/25")).to_be_visible()
    deadline = datetime.date.today() + datetime.timedelta(days=DEMO_DEADLINE_DAYS)  # the demo's, from today
    expect(page.get_by_text(re.compile(rf"Deadline {deadline:%A} {deadline.day} {deadline:%B %Y}"))).to_be_visible()
    assert_accessible(page, "my updates")

    page.get_by_role("link", name=ACTION).click()
    expect(page.get_by_text("Last quarter: Q2 2024/25")).to_be_visible()
    assert_accessible(page, "update form")
    page.get_by_label("Red").check()
    page.get_by_label("Progress this quarter").fill(PROGRESS)
    page.get_by_role("button", name="Submit for approval").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("link", name="Give a reason for an Amber or Red rating")).to_be_visible()
    expect(page.get_by_label("Progress this quarter")).to_have_value(PROGRESS)
    expect(page.get_by_label("Red")).to_be_checked()
    assert page.title().startswith("Error: ")
    assert_accessible(page, "update form with an error")

    summary.get_by_role("link", name="Give a reason for an Amber or Red rating").click()
    expect(page.get_by_label("Reason for the rating")).to_be_focused()
    page.get_by_label("Reason for the rating").fill(REASON)
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.get_by_text(re.compile("submitted for approval. Sharon Murphy will be emailed"))).to_be_visible()
    expect(page.get_by_role("row", name=re.compile(ACTION)).get_by_text("Submitted")).to_be_visible()
    assert_accessible(page, "my updates after submitting")

    # The evidence form of the highlight report, and its error state.
    page.get_by_role("link", name=re.compile("Identifying the barriers to equitable access")).click()
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Describe the evidence from this quarter")
    assert_accessible(page, "evidence form with an error")
    sign_out(page)

    # The SRO, between meetings: To review, return without a comment (refused), then approve.
    sign_in(page, "sro")
    page.get_by_role("link", name="To review").click()
    expect(page.get_by_role("heading", name="To review", level=1)).to_be_visible()
    assert_accessible(page, "to review")
    page.get_by_role("link", name=ACTION).click()
    expect(page.locator(".nhsuk-summary-list").get_by_text(REASON)).to_be_visible()
    assert_accessible(page, "update to review")
    page.get_by_role("button", name="Return to lead").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Say what the lead should change")
    assert_accessible(page, "review with an error")
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_text(re.compile(r"Update on action 1\.1\.1 approved\."))).to_be_visible()
    expect(page.get_by_text("Nothing is waiting for your review.")).to_be_visible()
    sign_out(page)

    # The board secretary, chasing: the tracker shows it approved; the rest are missing.
    sign_in(page, "secretary")
    page.get_by_role("link", name="Tracker", exact=True).click()
    expect(page.get_by_role("heading", name="Q3 2024/25 tracker")).to_be_visible()
    row = page.get_by_role("row", name=re.compile(ACTION))
    expect(row.get_by_text("Approved")).to_be_visible()
    expect(row.get_by_role("link", name="Lee Lead")).to_be_visible()  # the lead, to email
    expect(row.get_by_text("Sharon Murphy")).to_have_count(2)  # the SRO, and who changed it last
    assert_accessible(page, "tracker")
    page.get_by_role("link", name="Show only missing updates").click()
    expect(page.get_by_role("row", name=re.compile(ACTION))).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile("Review and where necessary update Directorate"))).to_be_visible()
    assert_accessible(page, "tracker filtered to missing")

    # The update's page shows its history to the secretary.
    page.goto(f"{live_server.url}/tracker/")
    page.get_by_role("link", name=ACTION).click()
    expect(page.get_by_role("heading", name="History")).to_be_visible()
    expect(page.get_by_text("Sharon Murphy: Approved")).to_be_visible()
    assert_accessible(page, "update history")


def test_the_programme_office_pages_and_their_errors_are_accessible(
    page, live_server, demo, sign_in, assert_accessible
):
    sign_in(page, "secretary")
    page.goto(f"{live_server.url}/quarters/")
    expect(page.get_by_role("heading", name="Quarters", level=1)).to_be_visible()
    assert_accessible(page, "quarters")

    page.get_by_role("link", name="Change deadline of Q3 2024/25").click()
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("2")
    page.get_by_role("button", name="Change deadline").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter the deadline as a real date")
    assert_accessible(page, "deadline with an error")

    page.goto(f"{live_server.url}/quarters/")
    page.get_by_role("link", name="Lock Q3 2024/25").click()
    expect(page.get_by_text(re.compile("17 actions have not submitted yet"))).to_be_visible()
    assert_accessible(page, "lock")
    page.get_by_role("button", name="Lock quarter").click()
    expect(page.get_by_text("Q3 2024/25 locked.")).to_be_visible()

    page.get_by_role("link", name="Re-open Q3 2024/25").click()
    page.get_by_role("button", name="Re-open quarter").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Give the reason for re-opening the quarter")
    assert_accessible(page, "re-open with an error")
    page.get_by_label("Reason for re-opening").fill("Late Access update agreed by the Chair.")
    page.get_by_role("button", name="Re-open quarter").click()
    expect(page.get_by_text("Late Access update agreed by the Chair.")).to_be_visible()

    page.get_by_role("link", name="Open a quarter of Step Up To Great").click()
    page.get_by_role("button", name="Open quarter").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter the submission deadline")
    assert_accessible(page, "open a quarter with an error")


def test_the_same_journey_with_the_keyboard_alone(page, live_server, demo):
    sign_in_with_keyboard(page, live_server, "lead")
    tab_to(page, page.get_by_role("link", name="My updates"))
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_role("link", name=ACTION))
    page.keyboard.press("Enter")

    tab_to(page, page.get_by_label("Green"))
    page.keyboard.press("ArrowDown")  # Amber
    page.keyboard.press("ArrowDown")  # Red
    expect(page.get_by_label("Red")).to_be_checked()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Progress this quarter")).to_be_focused()
    page.keyboard.type(PROGRESS)
    tab_to(page, page.get_by_role("button", name="Submit for approval"))
    page.keyboard.press("Enter")

    # The error summary takes the focus; its link takes the user to the field.
    expect(page.locator(".nhsuk-error-summary")).to_be_focused()
    tab_to(page, page.get_by_role("link", name="Give a reason for an Amber or Red rating"))
    page.keyboard.press("Enter")
    expect(page.get_by_label("Reason for the rating")).to_be_focused()
    expect(page.get_by_label("Progress this quarter")).to_have_value(PROGRESS)
    page.keyboard.type(REASON)
    tab_to(page, page.get_by_role("button", name="Submit for approval"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("row", name=re.compile(ACTION)).get_by_text("Submitted")).to_be_visible()
    tab_to(page, page.get_by_role("button", name="Sign out"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/login/$"))  # signed out before the next sign-in

    sign_in_with_keyboard(page, live_server, "sro")
    tab_to(page, page.get_by_role("link", name="To review"))
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_role("link", name=ACTION))
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_role("button", name="Approve"))
    page.keyboard.press("Enter")
    expect(page.get_by_text(re.compile(r"Update on action 1\.1\.1 approved\."))).to_be_visible()
    tab_to(page, page.get_by_role("button", name="Sign out"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/login/$"))  # signed out before the next sign-in

    sign_in_with_keyboard(page, live_server, "secretary")
    tab_to(page, page.get_by_role("link", name="Tracker", exact=True))
    page.keyboard.press("Enter")
    expect(page.get_by_role("row", name=re.compile(ACTION)).get_by_text("Approved")).to_be_visible()
    tab_to(page, page.get_by_label("Show"))
    page.keyboard.press("ArrowDown")  # Missing (not submitted yet)
    tab_to(page, page.get_by_role("button", name="Apply filter"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"state=missing"))
    expect(page.get_by_role("row", name=re.compile(ACTION))).to_have_count(0)

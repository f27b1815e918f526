"""Success-measure evidence through the quarterly cycle in Chromium on the demo data: the lead
submits it, the SRO returns it with a comment (after forgetting the comment once), the lead
resubmits, the SRO approves; the tracker and the reminders count it. axe-core at 1280 and 320 px
on every page and error state of the way."""

import datetime
import re

from playwright.sync_api import expect

from goals.cycle import notifications
from goals.models import MeasureEvidence, SuccessMeasure

WIDTHS = (1280, 320)
EVIDENCE = "Waits over 52 weeks fell from 40 to 12 this quarter."


def check_both_widths(page, assert_accessible, what):
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page, f"{what} at {width} px")
    page.set_viewport_size({"width": 1280, "height": 900})


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def open_first_evidence(page):
    table = page.get_by_role("table", name=re.compile("Evidence: we know we are great when"))
    table.get_by_role("link").first.click()


def counts_for(username: str):
    today = datetime.date.today() + datetime.timedelta(days=14)  # the demo's deadline day
    reminders = notifications.reminders(today=today)
    return next(r for r in reminders if r.person.user and r.person.user.username == username)


def test_evidence_goes_round_the_cycle(page, live_server, demo, sign_in, assert_accessible):
    measure_count = SuccessMeasure.objects.filter(
        objective__goal__strategy__slug="step-up-to-great", objective__title__icontains="access"
    ).count()
    assert measure_count > 0
    lead_reminder = counts_for("lead")
    evidence_due = [i for i in lead_reminder.to_write if i.label.startswith("Evidence: ")]
    assert len(evidence_due) == measure_count  # the reminder counts the evidence due, not only actions
    assert len(lead_reminder.to_write) == 4 + measure_count

    # The lead submits the evidence.
    sign_in(page, "lead")
    page.get_by_role("link", name="My updates").click()
    open_first_evidence(page)
    page.get_by_label("Evidence from this quarter").fill(EVIDENCE)
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.get_by_text("Evidence submitted for approval.")).to_be_visible()
    evidence = MeasureEvidence.objects.get(
        period__strategy__slug="step-up-to-great", period__year=2024, period__quarter=3
    )
    assert evidence.state == "submitted"
    sign_out(page)

    # The SRO finds it in To review and returns it, first without a comment.
    assert [i.label for i in counts_for("sro").to_review] == [f"Evidence: {evidence.measure.title}"]
    sign_in(page, "sro")
    page.get_by_role("link", name="To review").click()
    expect(page.get_by_text("1 piece of success-measure evidence waiting")).to_be_visible()
    check_both_widths(page, assert_accessible, "to review with evidence")
    page.get_by_role("table", name=re.compile("success-measure evidence waiting")).get_by_role("link").click()
    expect(page.get_by_role("heading", name="Your decision")).to_be_visible()
    check_both_widths(page, assert_accessible, "evidence with the decision form")
    page.get_by_role("button", name="Return with a comment").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Say what should change in the evidence")
    check_both_widths(page, assert_accessible, "evidence decision with an error")
    page.get_by_label("Comment for the lead").fill("Add where the figures come from.")
    page.get_by_role("button", name="Return with a comment").click()
    expect(page.get_by_text("returned; its writers will be emailed your comment")).to_be_visible()
    sign_out(page)

    # The lead sees it returned with the comment, and resubmits.
    sign_in(page, "lead")
    page.get_by_role("link", name="My updates").click()
    expect(page.get_by_text("Add where the figures come from.")).to_be_visible()
    check_both_widths(page, assert_accessible, "my updates with returned evidence")
    open_first_evidence(page)
    page.get_by_label("Evidence from this quarter").fill(EVIDENCE + " Source: the waiting list report.")
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.get_by_text("Evidence submitted for approval.")).to_be_visible()
    sign_out(page)

    # The SRO approves.
    sign_in(page, "sro")
    page.get_by_role("link", name="To review").click()
    page.get_by_role("table", name=re.compile("success-measure evidence waiting")).get_by_role("link").click()
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("approved.")).to_be_visible()
    evidence.refresh_from_db()
    assert evidence.state == "approved"
    sign_out(page)

    # The tracker counts it; the missing filter leaves it out; the reminder no longer asks for it.
    sign_in(page, "secretary")
    page.get_by_role("link", name="Tracker", exact=True).click()
    table = page.locator("#tracker-evidence")
    expect(table.get_by_role("row", name=re.compile("Approved"))).to_have_count(1)
    check_both_widths(page, assert_accessible, "tracker with evidence")
    page.get_by_role("link", name="Show only missing updates").click()
    expect(page.locator("#tracker-evidence").get_by_text("Approved")).to_have_count(0)
    assert len(counts_for("lead").to_write) == 4 + measure_count - 1

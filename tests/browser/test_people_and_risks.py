"""The people directory and the BAF register in Chromium on the real demo data, on a laptop
(1280 px) and a phone (320 px): the admin changes David Williams's job title from a date, adds a
person and a BAF risk; the secretary scores a Q3 2024/25 risk. axe-core on every new page and on
each error state."""

import re

import pytest
from playwright.sync_api import expect

WIDTHS = {"desktop": 1280, "phone": 320}


@pytest.mark.parametrize("screen", sorted(WIDTHS))
def test_admin_keeps_people_and_risks_secretary_scores(page, live_server, demo, sign_in, assert_accessible, screen):
    page.set_viewport_size({"width": WIDTHS[screen], "height": 900})
    sign_in(page, "admin")
    page.goto(f"{live_server.url}/strategies/step-up-to-great/")
    page.get_by_role("link", name="People", exact=True).click()
    expect(page.get_by_role("heading", name="People", level=1)).to_be_visible()
    assert_accessible(page, "people")

    page.get_by_label("Search by name, job title or email").fill("Williams")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="David Williams").click()
    expect(page.get_by_role("heading", name="David Williams", level=1)).to_be_visible()
    assert_accessible(page, "person")

    page.get_by_role("link", name="Change job title").click()
    page.get_by_label("New job title").fill("Chief Strategy Officer")
    page.get_by_role("button", name="Change job title").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter the date the title applies from")
    expect(page.get_by_label("New job title")).to_have_value("Chief Strategy Officer")
    assert_accessible(page, "change job title with an error")
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("10")
    page.get_by_label("Year").fill("2024")
    page.get_by_role("button", name="Change job title").click()
    expect(page.get_by_text("David Williams is Chief Strategy Officer from 1 October 2024.")).to_be_visible()
    expect(page.get_by_text("Before any dated change")).to_be_visible()
    assert_accessible(page, "person with dated titles")

    page.get_by_role("link", name="Edit details").click()
    assert_accessible(page, "edit person")
    page.goto(f"{live_server.url}/strategies/step-up-to-great/people/add/")
    page.get_by_label("Job title").fill("Head of BAF")
    page.get_by_role("button", name="Add person").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter the person's full name")
    expect(page.get_by_label("Job title")).to_have_value("Head of BAF")
    assert_accessible(page, "add person with an error")
    page.get_by_label("Full name").fill(f"Rita Risk {screen}")
    page.get_by_role("button", name="Add person").click()
    expect(page.get_by_role("heading", name=f"Rita Risk {screen}", level=1)).to_be_visible()
    page.get_by_role("link", name="Delete").click()
    expect(page.get_by_role("heading", name=re.compile("^Delete"), level=1)).to_be_visible()
    assert_accessible(page, "delete person")
    page.get_by_role("link", name="Cancel").click()
    page.get_by_role("link", name="Archive").click()
    assert_accessible(page, "archive person")

    # The BAF register.
    page.goto(f"{live_server.url}/strategies/step-up-to-great/")
    page.get_by_role("link", name="BAF risk register").click()
    expect(page.get_by_role("heading", name="BAF risks", level=1)).to_be_visible()
    assert_accessible(page, "register")
    page.get_by_role("link", name="Add a BAF risk").click()
    page.get_by_label("BAF number").fill("01")
    page.get_by_role("button", name="Add risk").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter the risk")
    assert_accessible(page, "add risk with an error")
    number = "10" if screen == "desktop" else "11"
    page.get_by_label("BAF number").fill(number)
    page.get_by_label("Risk", exact=True).fill("Digital systems fail")
    page.get_by_label("Great Care").check()
    page.get_by_label("Target score").fill("8")
    page.get_by_role("button", name="Add risk").click()
    expect(page.get_by_role("heading", name=f"BAF {number}", level=1)).to_be_visible()
    assert_accessible(page, "risk")
    page.get_by_role("link", name="Edit").click()
    assert_accessible(page, "edit risk")
    page.go_back()
    page.get_by_role("link", name="Archive").click()
    assert_accessible(page, "archive risk")
    page.get_by_role("button", name="Archive").click()
    expect(page.get_by_text(f"BAF {number} archived.")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    # The secretary scores BAF 01 for the open quarter.
    sign_in(page, "secretary")
    page.goto(f"{live_server.url}/strategies/step-up-to-great/quarters/2024-Q3/baf/")
    expect(page.get_by_role("heading", name="Score BAF risks: Q3 2024/25", level=1)).to_be_visible()
    assert_accessible(page, "score BAF risks")
    page.get_by_role("row", name=re.compile(r"^01 ")).get_by_role("link").click()
    page.get_by_label("4 – Likely").check()
    page.get_by_role("button", name="Save score").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Choose the consequence")
    expect(page.get_by_label("4 – Likely")).to_be_checked()
    assert_accessible(page, "score form with an error")
    page.get_by_label("5 – Catastrophic").check()
    page.get_by_label("Rationale").fill("Demand keeps rising.")
    page.get_by_role("button", name="Save score").click()
    expect(page.get_by_text(re.compile(r"BAF 01 scored 20 \(4 × 5\) for Q3 2024/25"))).to_be_visible()
    expect(page.get_by_text("8 of 9 risks not scored yet.")).to_be_visible()
    assert_accessible(page, "score BAF risks after scoring")

    # The tracker lists the risks still to score beside the updates.
    page.goto(f"{live_server.url}/strategies/step-up-to-great/quarters/2024-Q3/tracker/")
    expect(page.get_by_role("heading", name="BAF risks not scored: 8")).to_be_visible()
    assert_accessible(page, "tracker with the risks not scored")

"""A strategy admin sets up a strategy from a workbook, on a laptop (1280 px) and a phone (320 px):
a workbook with errors (each listed in the error summary with its cell), then a good one, the
preview of what it creates, and Confirm. axe-core finds nothing on any page or error state."""

import copy
import re

import pytest
from playwright.sync_api import expect

from tests.interchange.workbooks import SMALL_ROWS, SMALL_STRATEGY_ROWS, filled_template, small_workbook

WIDTHS = {"desktop": 1280, "phone": 320}


def check_at_both_widths(page, assert_accessible, context):
    for width in WIDTHS.values():
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page, f"{context} at {width} px")


@pytest.mark.parametrize("screen", sorted(WIDTHS))
def test_admin_uploads_a_workbook_with_errors_then_a_good_one(
    page, live_server, demo, sign_in, assert_accessible, tmp_path, screen
):
    page.set_viewport_size({"width": WIDTHS[screen], "height": 900})
    rows = copy.deepcopy(SMALL_ROWS)
    rows["Actions"][0][8] = "Jo Blogs"
    rows["Risks"][0][4] = 30
    bad, good = tmp_path / "bad.xlsx", tmp_path / "good.xlsx"
    bad.write_bytes(filled_template(rows, SMALL_STRATEGY_ROWS))
    good.write_bytes(small_workbook())

    sign_in(page, "admin")
    page.get_by_role("link", name="Set up a strategy from a workbook").click()
    expect(page.get_by_role("heading", name="Import a workbook", level=1)).to_be_visible()
    check_at_both_widths(page, assert_accessible, "upload page")

    page.locator("input[type=file]").set_input_files(str(bad))
    page.get_by_role("button", name="Check the workbook").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text('Actions!I2: unknown person "Jo Blogs" — did you mean "Jo Bloggs"?')
    expect(summary).to_contain_text("Risks!E2: must be from 1 to 25, not 30")
    assert page.title().startswith("Error: ")
    check_at_both_widths(page, assert_accessible, "upload page with errors")

    page.locator("input[type=file]").set_input_files(str(good))
    page.get_by_role("button", name="Check the workbook").click()
    expect(page.get_by_role("heading", name="Check and confirm", level=1)).to_be_visible()
    expect(page.get_by_text(re.compile(r"This workbook creates a new strategy, Small Trust Strategy"))).to_be_visible()
    expect(page.get_by_role("row", name=re.compile(r"^Actions 5 0 0"))).to_be_visible()
    check_at_both_widths(page, assert_accessible, "preview")

    page.get_by_role("button", name="Confirm and import").click()
    expect(page.get_by_role("heading", name=re.compile("Small Trust Strategy"), level=1)).to_be_visible()
    expect(page.get_by_text(re.compile(r"Imported good.xlsx: 21 created"))).to_be_visible()
    check_at_both_widths(page, assert_accessible, "strategy page after the import")

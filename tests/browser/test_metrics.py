"""Metrics in the browser: the summary icon dashboard, a metric's SPC chart with its text
alternative and data table, and the programme office's forms with their error states. axe-core
finds nothing on any of them."""

import re

from playwright.sync_api import expect

from goals.models import Metric

FALLS = "Falls per 1,000 bed days (illustrative)"


def test_a_director_reads_the_summary_table_and_the_falls_chart(page, live_server, demo, sign_in, assert_accessible):
    sign_in(page, "director")
    page.get_by_role("link", name="Metrics", exact=True).click()
    expect(page.get_by_role("heading", name="Metrics", level=1)).to_be_visible()
    assert_accessible(page, "metrics index")

    page.get_by_role("link", name="LTHT Improvement Strategy").click()
    table = page.get_by_role("table", name="Summary of metrics")
    falls_row = table.get_by_role("row").filter(has_text=FALLS)
    expect(falls_row).to_contain_text("Special cause – improving, low values")
    expect(falls_row).to_contain_text("Hit or miss")
    expect(
        table.get_by_role("row").filter(has_text="Staff who have completed LIM Foundation training")
    ).to_contain_text("620 people")
    assert_accessible(page, "summary table")

    page.get_by_role("link", name=FALLS).click()
    chart = page.get_by_role("img", name=f"SPC chart: {FALLS}")
    expect(chart).to_be_visible()
    expect(chart).to_have_accessible_description(
        re.compile(r"36 points from Apr 2021 to Mar 2024.*improving, low values")
    )
    expect(page.get_by_text("18 points in a row below the mean")).to_be_visible()
    expect(page.get_by_role("link", name="Add a value")).to_have_count(0)
    assert_accessible(page, "metric page")

    page.get_by_text("Show the data as a table").click()
    data = page.get_by_role("table", name=re.compile("^Values"))
    expect(data).to_be_visible()
    expect(data.get_by_role("row")).to_have_count(37)  # a header and 36 months
    assert_accessible(page, "metric page with its data table open")

    page.goto(f"{live_server.url}/metrics/ltht-improvement-strategy/lim-foundation-trained/")
    expect(page.get_by_role("img", name="Run chart: Staff who have completed LIM Foundation training")).to_be_visible()
    expect(page.get_by_text("Too few points for SPC limits: a run chart (1 of 12 points)").first).to_be_visible()
    assert_accessible(page, "a run chart of one value")


def test_the_goal_page_lists_its_metrics(page, live_server, demo, sign_in, assert_accessible):
    sign_in(page, "director")
    goal = Metric.objects.get(key="falls-per-1000-bed-days").goal
    page.goto(f"{live_server.url}{goal.get_absolute_url()}")
    expect(page.get_by_role("table", name="Metrics of this goal")).to_contain_text(FALLS)
    assert_accessible(page, "goal page with metrics")


def test_the_programme_office_adds_a_value_and_uploads_a_file(page, live_server, demo, sign_in, assert_accessible):
    falls = Metric.objects.get(key="falls-per-1000-bed-days")
    sign_in(page, "secretary")
    page.goto(f"{live_server.url}/metrics/{falls.strategy.slug}/{falls.key}/")

    page.get_by_role("link", name="Add a value").click()
    assert_accessible(page, "add a value")
    page.get_by_label("Month").fill("15/04/2024")
    page.get_by_label("Value (per 1,000 bed days)").fill("lots")
    page.get_by_role("button", name="Save value").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("is not the first day of a month")
    expect(page.get_by_label("Month")).to_have_value("15/04/2024")
    assert_accessible(page, "add a value with errors")
    summary.get_by_role("link", name=re.compile("is not a number")).click()
    expect(page.get_by_label("Value (per 1,000 bed days)")).to_be_focused()

    page.get_by_label("Month").fill("Apr 2024")
    page.get_by_label("Value (per 1,000 bed days)").fill("5.7")
    page.get_by_role("button", name="Save value").click()
    expect(page.get_by_role("status")).to_contain_text("Apr 2024: value added.")
    assert_accessible(page, "metric page after adding a value")
    assert falls.values.count() == 37

    page.get_by_role("link", name="Upload values from a CSV file").click()
    assert_accessible(page, "upload")
    page.locator("input[type=file]").set_input_files(
        files=[
            {
                "name": "falls.csv",
                "mimeType": "text/csv",
                "buffer": b"date,value\n01/05/2024,5.9\n31/06/2024,6.1\n01/07/2024,six\n",
            }
        ]
    )
    page.get_by_role("button", name="Upload values").click()
    expect(summary).to_contain_text('Row 3, date: "31/06/2024" is not a date')
    expect(summary).to_contain_text('Row 4, value: "six" is not a number')
    assert_accessible(page, "upload with errors")
    assert falls.values.count() == 37  # nothing written

    page.locator("input[type=file]").set_input_files(
        files=[{"name": "falls.csv", "mimeType": "text/csv", "buffer": b"date,value\n01/05/2024,5.9\n"}]
    )
    page.get_by_role("button", name="Upload values").click()
    expect(page.get_by_role("status")).to_contain_text("File uploaded: 1 value added, 0 updated.")
    assert falls.values.count() == 38

    page.get_by_text("Show the data as a table").click()
    page.get_by_role("link", name="Change the value for May 2024").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change the value for May 2024")
    assert_accessible(page, "change a value")

"""The board secretary prepares, previews, downloads and publishes the quarterly board pack; a
director reads it. axe-core finds nothing on any page or error state."""

from playwright.sync_api import expect


def test_the_secretary_previews_downloads_and_publishes_the_pack(page, live_server, demo, sign_in, assert_accessible):
    sign_in(page, "secretary")
    page.get_by_role("link", name="Board packs").first.click()
    expect(page.get_by_role("heading", name="Board packs", level=1)).to_be_visible()
    assert_accessible(page, "board packs")

    page.get_by_role("link", name="Step Up To Great").click()
    expect(page.get_by_role("heading", name="Board packs: Step Up To Great")).to_be_visible()
    assert_accessible(page, "pack page")

    page.get_by_label("Quarter").select_option("2024-Q2")
    page.get_by_label("Progress report").check()
    page.get_by_role("button", name="Show this pack").click()
    expect(page.get_by_role("heading", name="Q2 2024/25 progress report")).to_be_visible()

    with page.expect_download() as download:
        page.get_by_role("link", name="PDF of the Q2 2024/25 progress report").click()
    assert download.value.suggested_filename == "step-up-to-great-2024-Q2-progress.pdf"

    page.get_by_role("link", name="Preview the pack").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Quarter 2 progress report 2024/25")
    expect(page.locator(".report-table--actions tbody tr:not(.report-table__group)")).to_have_count(17)
    expect(page.get_by_text("SRO – David Williams, Executive Director of Strategy and Partnerships")).to_be_visible()
    assert_accessible(page, "progress preview")

    page.get_by_role("link", name="Back to the board packs of Step Up To Great").click()
    page.get_by_role("button", name="Publish the progress report for Q2 2024/25").click()
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text("published (version 1)")
    expect(page.get_by_text("is published (version 1)")).to_be_visible()
    assert_accessible(page, "after publishing")

    row = page.get_by_role("row", name="Q2 2024/25 progress report, version 1")
    with page.expect_download() as download:
        row.get_by_role("link", name="Word of the Q2 2024/25 progress report version 1").click()
    assert download.value.suggested_filename == "step-up-to-great-2024-Q2-progress.docx"
    row.get_by_text("SHA-256 checksums").click()
    expect(row.locator("code")).to_have_count(4)


def test_publishing_a_pack_someone_has_just_published_shows_why_not(
    page, context, live_server, demo, sign_in, assert_accessible
):
    sign_in(page, "secretary")
    url = f"{live_server.url}/reports/step-up-to-great/?quarter=2023-Q1&layout=highlight"
    page.goto(url)
    other = context.new_page()
    other.goto(url)
    other.get_by_role("button", name="Publish the highlight report for Q1 2023/24").click()
    expect(other.locator(".nhsuk-notification-banner--success")).to_be_visible()

    page.get_by_role("button", name="Publish the highlight report for Q1 2023/24").click()
    banner = page.locator(".nhsuk-notification-banner").first
    expect(banner).to_contain_text("There is a problem")
    expect(banner).to_contain_text("already published (version 1). Re-open the quarter before you publish it again.")
    assert_accessible(page, "publishing refused")


def test_a_wrong_choice_shows_the_error_summary(page, live_server, demo, sign_in, assert_accessible):
    sign_in(page, "secretary")
    page.goto(f"{live_server.url}/reports/step-up-to-great/?quarter=1999-Q1&layout=poster")
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    expect(page.get_by_role("link", name="Choose one of the quarters listed")).to_be_visible()
    assert_accessible(page, "pack page with errors")


def test_a_director_reads_the_highlight_preview_and_cannot_publish(page, live_server, demo, sign_in, assert_accessible):
    sign_in(page, "director")
    page.goto(f"{live_server.url}/reports/step-up-to-great/?quarter=2023-Q1&layout=highlight")
    expect(page.get_by_role("button", name="Publish the highlight report for Q1 2023/24")).to_have_count(0)
    page.get_by_role("link", name="Preview the pack").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Quarter 1 Highlight Report 2023/24")
    expect(page.get_by_role("columnheader", name="Evidence from this Quarter (Q1 2023/24)").first).to_be_visible()
    expect(page.get_by_text("Lead Director: Dr Anne Scott, Director of Nursing").first).to_be_visible()
    assert_accessible(page, "highlight preview")


def test_the_pack_page_works_with_the_keyboard_alone(page, live_server, demo, sign_in):
    sign_in(page, "secretary")
    page.goto(f"{live_server.url}/reports/step-up-to-great/")
    page.get_by_label("Quarter").focus()
    page.keyboard.press("End")  # the oldest quarter
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # the layout radio that has focus
    page.get_by_role("button", name="Show this pack").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Q1 2023/24", exact=False).first).to_be_visible()
    page.get_by_role("link", name="Preview the pack").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("2023/24")

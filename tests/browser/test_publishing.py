"""The board secretary fills in the cover sheet and publishes the pack in the background: the Board
packs page shows it queued, rendering, then published (it refreshes itself); the PDF's first page
is the cover sheet. axe-core at 1280 and 320 px on the new pages and the form's error state.

The worker is stood in for by the test: publishing is queued with a backend that runs nothing, and
the test runs the queued task itself (reports.services.publication_render) while the page waits."""

import io
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

pytestmark = pytest.mark.browser

WIDTHS = (1280, 320)


def check_at_both_widths(page, assert_accessible, name):
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page, f"{name} at {width} px")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_the_secretary_fills_in_the_cover_sheet_and_publishes_in_the_background(
    page, live_server, demo, sign_in, assert_accessible, settings
):
    from reports.models import Publication, PublicationStatus
    from reports.services import publication_render

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    sign_in(page, "secretary")
    page.goto(f"{live_server.url}/reports/step-up-to-great/?quarter=2024-Q3&layout=progress")
    page.get_by_role("link", name="Fill in the cover sheet").click()
    expect(page.get_by_role("heading", name="Cover sheet", level=1)).to_be_visible()
    expect(page.locator("#id_title")).to_have_value("Step Up To Great – Q3 2024/25 progress report")
    check_at_both_widths(page, assert_accessible, "cover sheet form")

    page.locator("#id_title").fill("")
    page.locator("#id_meeting").fill("Trust Board (public)")
    page.get_by_role("button", name="Save the cover sheet").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter the paper title")
    expect(page.locator("#id_meeting")).to_have_value("Trust Board (public)")
    check_at_both_widths(page, assert_accessible, "cover sheet errors")

    page.locator("#id_title").fill("Step Up To Great: quarter 3 progress")
    page.locator("#id_agenda_item").fill("12.1")
    page.get_by_label("Discussion").check()
    page.get_by_label("Reasonable").check()
    page.locator("#id_recommendation").fill("The board is asked to note the progress.")
    page.get_by_role("button", name="Save the cover sheet").click()
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text("Cover sheet")

    # publish: warnings first (the quarter is still open, nothing rated), then publish anyway
    page.get_by_role("button", name="Publish the progress report for Q3 2024/25").click()
    expect(page.get_by_text("This pack is not complete")).to_be_visible()
    check_at_both_widths(page, assert_accessible, "publish confirmation")
    page.get_by_role("button", name="Publish anyway").click()
    row = page.get_by_role("row", name="Q3 2024/25 progress report, version 1")
    expect(row).to_contain_text("Queued")

    publication = Publication.objects.get(period__year=2024, period__quarter=3, layout="progress")
    Publication.objects.filter(pk=publication.pk).update(status=PublicationStatus.RENDERING)
    expect(row).to_contain_text("Rendering", timeout=10_000)  # the page refreshes itself
    check_at_both_widths(page, assert_accessible, "pack page while rendering")
    Publication.objects.filter(pk=publication.pk).update(status=PublicationStatus.QUEUED)
    # The worker's part, here in the test's thread: the page leaves first, so its self-refreshes do not
    # hold the in-memory test database while the render writes to it; then it comes back.
    pack_url = page.url
    page.goto("about:blank")
    assert publication_render(publication_id=publication.pk).status == PublicationStatus.PUBLISHED
    page.goto(pack_url)
    expect(row).to_contain_text("Published", timeout=10_000)

    with page.expect_download() as download:
        row.get_by_role("link", name="PDF of the Q3 2024/25 progress report version 1").click()
    first_page = PdfReader(io.BytesIO(Path(download.value.path()).read_bytes())).pages[0].extract_text()
    assert "Board paper cover sheet" in first_page and "Step Up To Great: quarter 3 progress" in first_page
    check_at_both_widths(page, assert_accessible, "pack page published")

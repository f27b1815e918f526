"""The board secretary fills in the cover sheet and publishes the pack in the background: the Board
packs page shows it queued, then rendering once a worker has taken it, then published, refreshing
itself (the test never reloads it); the PDF's first page is the cover sheet. axe-core at 1280 and
320 px on the new pages, the form's error state and the pack page while rendering and published.

The background work is done by a real `manage.py db_worker` process the test starts, with the
database task backend, on the live server's own test database: a file on SQLite (tests/settings.py),
the test database of this xdist worker on PostgreSQL. The worker (tests/browser/publishing_worker.py)
renders only once the test has seen "Rendering" on the page and lets it go on; it is stopped before
the test ends, so the tables are flushed (and the database dropped) with nobody else connected."""

import io
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote, urlsplit, urlunsplit

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

pytestmark = pytest.mark.browser

WIDTHS = (1280, 320)
WORKER = Path(__file__).with_name("publishing_worker.py")
WORKER_ID = "browser-test-worker"


def check_at_both_widths(page, assert_accessible, name):
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page, f"{name} at {width} px")
    page.set_viewport_size({"width": 1280, "height": 900})


def database_environment(connection) -> dict:
    """What points manage.py at the database this test runs on (with its xdist suffix, if any)."""
    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        assert not connection.is_in_memory_db(), "a second process cannot open an in-memory database"
        return {"SQLITE_PATH": str(name)}
    url = urlsplit(os.environ["DATABASE_URL"])
    return {"DATABASE_URL": urlunsplit(url._replace(path="/" + quote(name)))}


@pytest.fixture
def db_worker(transactional_db, live_server, settings, tmp_path):
    """A real `manage.py db_worker` on the live server's database, once `start()` is called; publishing
    queues for it (the database task backend). It renders once `release()` is called; `log()` is what
    it printed. Stopped (SIGTERM, as a deployment stops it) before the database is flushed."""
    from django.db import connection

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    gate, log_path, processes = tmp_path / "render", tmp_path / "db_worker.log", []
    env = {name: value for name, value in os.environ.items() if name not in ("DATABASE_URL", "TASKS_BACKEND")}
    env.update(
        database_environment(connection),
        DJANGO_SETTINGS_MODULE="tests.settings",
        # as in the test process (tests/conftest.py): the test database has no cache tables
        CHART_CACHE_BACKEND="django.core.cache.backends.locmem.LocMemCache",
        PAGE_CACHE_BACKEND="django.core.cache.backends.locmem.LocMemCache",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        PYTHONUNBUFFERED="1",
    )
    options = ["--no-reload", "--no-startup-delay", "--interval", "0.2", "--worker-id", WORKER_ID]

    def start():
        with log_path.open("w") as log:
            command = [sys.executable, str(WORKER), str(gate), *options]
            processes.append(subprocess.Popen(command, cwd=settings.BASE_DIR, env=env, stdout=log, stderr=log))

    def log():
        return log_path.read_text() if log_path.exists() else "(not started)"

    yield SimpleNamespace(start=start, release=gate.touch, log=log)
    gate.touch()
    for process in processes:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    print(f"db_worker printed:\n{log()}")  # shown when the test fails


def test_the_secretary_fills_in_the_cover_sheet_and_publishes_in_the_background(
    page, live_server, demo, db_worker, sign_in, assert_accessible
):
    from django_tasks_db.models import DBTaskResult

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
    status = row.locator(".nhsuk-tag")
    # no worker is running yet: the pack waits in the queue and the page checks again by itself
    expect(status).to_have_text("Queued")
    expect(page.locator("[data-refresh-seconds]")).to_be_visible()

    db_worker.start()
    expect(status).to_have_text("Rendering", timeout=60_000)  # the worker took it; the page refreshed itself
    # axe takes longer than the page waits before it refreshes: it reads the same page in a second tab
    # that is not sent the refresh script
    still = page.context.new_page()
    still.route("**/refresh*.js", lambda route: route.abort())
    still.goto(page.url)
    expect(still.get_by_role("row", name="Q3 2024/25 progress report, version 1").locator(".nhsuk-tag")).to_have_text(
        "Rendering"
    )
    check_at_both_widths(still, assert_accessible, "pack page while rendering")
    still.close()
    db_worker.release()
    expect(status).to_have_text("Published", timeout=120_000)  # the page refreshed itself again
    expect(page.locator("[data-refresh-seconds]")).to_have_count(0)

    with page.expect_download() as download:
        row.get_by_role("link", name="PDF of the Q3 2024/25 progress report version 1").click()
    first_page = PdfReader(io.BytesIO(Path(download.value.path()).read_bytes())).pages[0].extract_text()
    assert "Board paper cover sheet" in first_page and "Step Up To Great: quarter 3 progress" in first_page
    check_at_both_widths(page, assert_accessible, "pack page published")

    task = DBTaskResult.objects.get(task_path="reports.services.publication_render_task")
    assert (task.status, task.worker_ids) == ("SUCCESSFUL", [WORKER_ID]), db_worker.log()

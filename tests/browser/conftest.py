"""Browser tests: Playwright driving Debian's Chromium (Playwright cannot download its own here)
against pytest-django's live server, with axe-core for accessibility."""

import os
import shutil

import pytest
from axe_playwright_python.sync_playwright import Axe

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def axe():
    return Axe()


@pytest.fixture
def assert_accessible(axe):
    """Run axe-core on the page as it is now; fail with the report on any violation."""

    def check(page, context=""):
        results = axe.run(page)
        assert results.violations_count == 0, f"{context or page.url}\n{results.generate_report()}"

    return check


@pytest.fixture
def demo(transactional_db):
    from goals.interchange.demo import load_demo

    load_demo()


@pytest.fixture
def sign_in(live_server):
    def do(page, username, password="strategy-demo"):
        page.goto(f"{live_server.url}/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()

    return do

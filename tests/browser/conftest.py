"""Browser tests: Playwright driving Debian's Chromium (Playwright cannot download its own here)
against pytest-django's live server, with axe-core for accessibility.

Headless runs use Debian's `chromium-headless-shell` when it is installed (`make setup` installs it):
the same Blink engine without the full browser's user interface, a fifth less CPU a test. `--headed`
runs, and machines without it, use `chromium`; CHROMIUM_PATH chooses another."""

import os
import shutil

import pytest
from axe_playwright_python.sync_playwright import Axe


def chromium(headed: bool) -> str:
    """The Chromium executable to drive."""
    found = None if headed else shutil.which("chromium-headless-shell")
    return os.environ.get("CHROMIUM_PATH") or found or shutil.which("chromium") or "/usr/bin/chromium"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, pytestconfig):
    return {
        **browser_type_launch_args,
        "executable_path": chromium(headed=pytestconfig.getoption("headed")),
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
        # The NHS.UK header lays out its menu on the animation frame after a resize: let two frames
        # pass, so axe reads the page as a person sees it, not half re-laid-out.
        page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
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


# --- A real OpenID Connect provider (tests/oidc_provider.mjs, npm's oidc-provider) ---------------

OIDC_ACCOUNTS = {
    "ann.able@trust-a.nhs.uk": {"email": "ann.able@trust-a.nhs.uk", "email_verified": True, "name": "Ann Able"},
    "stranger@elsewhere.nhs.uk": {"email": "stranger@elsewhere.nhs.uk", "email_verified": True, "name": "Sam Stranger"},
}


@pytest.fixture
def oidc_provider(live_server, settings):
    """The provider on a free 127.0.0.1 port, with one client whose redirect URI is the live server's
    callback, and the accounts above; the app's single sign-on settings point at its discovery URL."""
    import socket
    import subprocess
    import threading
    from pathlib import Path
    from types import SimpleNamespace

    from goals.accounts import oidc

    node = shutil.which("node") or shutil.which("nodejs")
    assert node, "Node.js is needed for the single sign-on tests (make setup installs it)"
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    root = Path(__file__).resolve().parents[2]
    env = {
        **os.environ,
        "OIDC_TEST_PORT": str(port),
        "OIDC_TEST_CLIENT_ID": "strategy-tracker-tests",
        "OIDC_TEST_CLIENT_SECRET": "a-test-secret-that-is-long-enough-0123456789",
        "OIDC_TEST_REDIRECT_URI": f"{live_server.url}/sso/callback/",
        "OIDC_TEST_ACCOUNTS": __import__("json").dumps(OIDC_ACCOUNTS),
    }
    process = subprocess.Popen(
        [node, str(root / "tests" / "oidc_provider.mjs")],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output, ready = [], threading.Event()

    def read():  # keeps draining the provider's output, so it never blocks on a full pipe
        for line in process.stdout:
            output.append(line)
            if line.startswith("ready "):
                ready.set()

    threading.Thread(target=read, daemon=True).start()
    if not ready.wait(timeout=30):
        process.kill()
        raise RuntimeError("the OIDC provider did not start:\n" + "".join(output))
    issuer = next(line for line in output if line.startswith("ready ")).split()[1]
    settings.OIDC_RP_CLIENT_ID = env["OIDC_TEST_CLIENT_ID"]
    settings.OIDC_RP_CLIENT_SECRET = env["OIDC_TEST_CLIENT_SECRET"]
    settings.OIDC_OP_DISCOVERY_URL = f"{issuer}/.well-known/openid-configuration"
    settings.OIDC_RP_SCOPES = "openid email profile"
    oidc.discovery_document.cache_clear()
    try:
        yield SimpleNamespace(issuer=issuer, accounts=OIDC_ACCOUNTS)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        oidc.discovery_document.cache_clear()

"""Another user's page latency during a flood of wrong passwords, with the lockout off and on.

    .venv/bin/python benchmarks/login_flood.py [--threads 6] [--seconds 15] [--requests 30]

Starts the app under gunicorn (2 workers × 4 threads, as in production) on a free 127.0.0.1 port with a
fresh SQLite database in a temporary directory and the product's real password hasher (PBKDF2, not
the tests' cheap one). A signed-in reader requests the strategy list over and over: first on a quiet
server, then while --threads attacker threads post wrong passwords for one username for at most
--seconds. Run twice: AXES_ENABLED=0 (every wrong password is hashed, as before the lockout) and
AXES_ENABLED=1 (after AXES_FAILURE_LIMIT failures the username is locked from that address and each
further attempt is refused before hashing). Prints a Markdown table and the load average; nothing
leaves 127.0.0.1, and every server is stopped at the end.
"""

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.harness import percentile  # noqa: E402

PASSWORD = "flood-benchmark-password-1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare_database(path: str) -> None:
    env = {**os.environ, "SQLITE_PATH": path, "DJANGO_SETTINGS_MODULE": "strategy_tracker.settings"}
    script = (
        "import django; django.setup()\n"
        "from django.core.management import call_command; call_command('migrate', verbosity=0)\n"
        "from django.contrib.auth import get_user_model\n"
        "User = get_user_model()\n"
        f"for name in ('reader', 'victim'): User.objects.create_user(name, password={PASSWORD!r})\n"
    )
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, check=True)


class Server:
    def __init__(self, database: str, axes_enabled: bool, failure_limit: int):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "SQLITE_PATH": database,
            "DEBUG": "0",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "AXES_ENABLED": "1" if axes_enabled else "0",
            "AXES_FAILURE_LIMIT": str(failure_limit),
            "LOG_LEVEL": "ERROR",
            "SECURITY_LOG_LEVEL": "ERROR",
        }
        command = [
            str(ROOT / ".venv/bin/gunicorn"),
            "strategy_tracker.wsgi",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            "2",
            "--threads",
            "4",
            "--log-level",
            "error",
        ]
        self.process = subprocess.Popen(command, cwd=ROOT, env=env)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                requests.get(f"{self.url}/login/", timeout=10)
                return
            except requests.RequestException:
                time.sleep(0.5)
        self.stop()
        raise RuntimeError("gunicorn did not start")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def signed_in_session(url: str, username: str, password: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{url}/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = session.post(
        f"{url}/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{url}/login/"},
        timeout=60,
        allow_redirects=False,
    )
    if username == "reader" and response.status_code != 302:
        raise RuntimeError(f"reader could not sign in: {response.status_code}")
    return session


def time_pages(session: requests.Session, url: str, count: int, stop_at: float | None = None) -> list[float]:
    timings = []
    for _ in range(count):
        if stop_at is not None and time.monotonic() > stop_at:
            break
        start = time.perf_counter()
        response = session.get(f"{url}/", timeout=60)
        timings.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"the reader's page answered {response.status_code}")
    return timings


def flood(url: str, stop_at: float, counts: dict, lock: threading.Lock) -> None:
    session = requests.Session()
    page = session.get(f"{url}/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    while time.monotonic() < stop_at:
        try:
            response = session.post(
                f"{url}/login/",
                data={"username": "victim", "password": "wrong", "csrfmiddlewaretoken": token},
                headers={"Referer": f"{url}/login/"},
                timeout=max(0.5, stop_at - time.monotonic()),
                allow_redirects=False,
            )
            key = response.status_code
        except requests.RequestException:
            key = "timeout"
        with lock:
            counts[key] = counts.get(key, 0) + 1


def run(database: str, *, axes_enabled: bool, failure_limit: int, threads: int, seconds: float, count: int) -> dict:
    server = Server(database, axes_enabled, failure_limit)
    try:
        reader = signed_in_session(server.url, "reader", PASSWORD)
        time_pages(reader, server.url, 3)  # warm up
        quiet = time_pages(reader, server.url, count)
        counts: dict = {}
        lock = threading.Lock()
        stop_at = time.monotonic() + seconds
        attackers = [threading.Thread(target=flood, args=(server.url, stop_at, counts, lock)) for _ in range(threads)]
        for attacker in attackers:
            attacker.start()
        # Let the flood build up; with the lockout on, until the attacked username is locked.
        build_up_until = time.monotonic() + (seconds / 2 if axes_enabled else 2.0)
        while time.monotonic() < build_up_until and not (axes_enabled and counts.get(429)):
            time.sleep(0.2)
        load = os.getloadavg()[0]
        during = time_pages(reader, server.url, count, stop_at=stop_at)
        for attacker in attackers:
            attacker.join()
        return {"quiet": quiet, "during": during, "attempts": counts, "load": load}
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=6)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument(
        "--failure-limit",
        type=int,
        default=5,
        help="AXES_FAILURE_LIMIT for the run (the product's default is 30; a lower one locks within the time bound, "
        "and what a locked attempt costs does not depend on it)",
    )
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(
        f"{args.threads} attacker threads for at most {args.seconds:.0f} s; reader: {args.requests} page requests; "
        f"AXES_FAILURE_LIMIT={args.failure_limit}\n"
    )
    print(
        "| lockout | reader quiet median / p95 ms | reader during flood median / p95 ms | slowdown (median) |"
        " wrong-password posts answered | load average |"
    )
    print("|---|---:|---:|---:|---|---:|")
    with tempfile.TemporaryDirectory() as directory:
        for axes_enabled in (False, True):
            database = str(Path(directory) / f"flood-{int(axes_enabled)}.sqlite3")
            prepare_database(database)
            result = run(
                database,
                axes_enabled=axes_enabled,
                failure_limit=args.failure_limit,
                threads=args.threads,
                seconds=args.seconds,
                count=args.requests,
            )
            quiet, during = result["quiet"], result["during"]
            attempts = ", ".join(f"{key}: {value}" for key, value in sorted(result["attempts"].items(), key=str))
            print(
                f"| {'on' if axes_enabled else 'off'} "
                f"| {statistics.median(quiet):.0f} / {percentile(quiet, 0.95):.0f} "
                f"| {statistics.median(during):.0f} / {percentile(during, 0.95):.0f} "
                f"| {statistics.median(during) / statistics.median(quiet):.1f}× "
                f"| {attempts} | {result['load']:.1f} |",
                flush=True,
            )
    print(f"\nload average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()

"""Throughput of one page under many concurrent readers: gunicorn (3 workers, DEBUG off) on
127.0.0.1 against PostgreSQL, with a generated trust (benchmarks/scale.py's shape, 2,000 actions by
default) and N client threads requesting the page as one signed-in reader for a bounded time.

    .venv/bin/python benchmarks/throughput.py [--page dashboard] [--actions 2000] [--clients 50]
        [--seconds 30] [--database st_scale]

Creates the scratch PostgreSQL database if it is missing and generates the trust once (it is
reused by later runs; never dropped). The page shows the last published quarter. Prints the
responses per second, errors, the median response time and the load average: the client threads
share the machine with the server, so compare runs made one after the other.
"""

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.load import HOST, PY, database_url, stop  # noqa: E402

PREPARE = """
import json
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from benchmarks.generator import generate_trust
from benchmarks.scale import shape
from goals.models import Strategy

settings = shape({actions})
strategy = Strategy.objects.filter(slug=settings["slug"]).first()
if strategy is None:
    generate_trust(**settings)
    strategy = Strategy.objects.get(slug=settings["slug"])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
call_command("createcachetable", verbosity=0)
published = list(strategy.periods.chronological())[-2]
kwargs = {{"slug": strategy.slug, "quarter": published.slug}}
urls = {{
    "dashboard": reverse("goals:dashboard", kwargs=kwargs),
    "heat-map": reverse("goals:heat_map", kwargs=kwargs),
    "strategy": strategy.get_absolute_url(),
}}
user, _ = get_user_model().objects.get_or_create(
    username="throughput-benchmark", defaults={{"is_superuser": True, "is_staff": True}}
)
client = Client()
client.force_login(user)
print(json.dumps({{"session": client.cookies["sessionid"].value, "url": urls["{page}"]}}))
"""


def environment(database: str) -> dict:
    """The app's settings for this run; one secret key for the session made here and the server."""
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "ALLOW_INSECURE_SECRET_KEY"}}
    return env | {
        "DATABASE_URL": database_url(database),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "0",
        "ALLOWED_HOSTS": HOST,
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "STATIC_MANIFEST": "0",
        "LOG_LEVEL": "ERROR",
        "DATABASE_CONN_MAX_AGE": "60",
    }


def prepare(database: str, env: dict, actions: int, page: str) -> dict:
    exists = subprocess.run(
        ["psql", "-h", HOST, "-U", "postgres", "-tAc", f"select 1 from pg_database where datname = '{database}'"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not exists:
        subprocess.run(["createdb", "-h", HOST, "-U", "postgres", database], check=True)
    subprocess.run([PY, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    code = PREPARE.format(actions=actions, page=page)
    shell = subprocess.run(
        [PY, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return json.loads(shell.stdout.strip().splitlines()[-1])


def start(env: dict, port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "strategy_tracker.wsgi", "--bind", f"{HOST}:{port}"]
        + ["--workers", "3", "--timeout", "60"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    for _ in range(120):
        try:
            urllib.request.urlopen(f"http://{HOST}:{port}/health/", timeout=2)
            return server
        except OSError:
            time.sleep(0.5)
    stop(server)
    raise SystemExit("gunicorn did not answer /health/ within 60 s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--page", choices=["dashboard", "heat-map", "strategy"], default="dashboard")
    parser.add_argument("--actions", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--database", default="st_scale")
    parser.add_argument("--port", type=int, default=8790)
    args = parser.parse_args()

    env = environment(args.database)
    found = prepare(args.database, env, args.actions, args.page)
    url = f"http://{HOST}:{args.port}{found['url']}"
    headers = {"Cookie": f"sessionid={found['session']}"}

    def get() -> int:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=120) as response:
            response.read()
            return response.status

    server = start(env, args.port)
    try:
        for _ in range(10):  # each worker's first request (and the page's first computation)
            if get() != 200:
                raise SystemExit(f"{url} did not answer 200")
        answered, times, errors = [], [], []
        until = time.monotonic() + args.seconds

        def reader():
            while time.monotonic() < until:
                start_time = time.perf_counter()
                try:
                    answered.append(get())
                    times.append(time.perf_counter() - start_time)
                except OSError as error:
                    errors.append(error)

        load_before = os.getloadavg()[0]
        threads = [threading.Thread(target=reader) for _ in range(args.clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        ok = answered.count(200)
        print(
            f"{args.page}, {args.actions:,} actions, {args.clients} clients, {args.seconds} s: "
            f"{ok / args.seconds:.1f} responses/s ({ok} × 200, {len(answered) - ok} other, {len(errors)} errors), "
            f"median {statistics.median(times) * 1000:.0f} ms; load average {load_before:.1f} → {os.getloadavg()[0]:.1f}"
        )
    finally:
        stop(server)


if __name__ == "__main__":
    main()

"""Load test: N signed-in users for a bounded time against gunicorn + PostgreSQL, on 127.0.0.1 only.

    .venv/bin/python benchmarks/load.py [--users 50] [--seconds 120] [--database st_load]

Creates the scratch PostgreSQL database (default st_load, on 127.0.0.1:5432 as postgres) if it is
missing, migrates it and loads the demo (idempotent), opens a quarter for the leads to write in if
none is open, starts gunicorn on 127.0.0.1 (3 workers, DEBUG off) and runs locust headless
(benchmarks/locustfile.py: directors and the programme office reading, leads saving drafts) for
--seconds. Prints requests, failures, status codes, median and p95 per page and overall, the load
average, and whether every draft the server said it saved is in the database. Never drops a
database. benchmarks/fault.py reuses these steps and adds faults.
"""

import argparse
import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
HOST = "127.0.0.1"
PGHOST = "postgres@127.0.0.1:5432"


def database_url(name: str) -> str:
    return f"postgres://{PGHOST}/{name}"


def app_env(database: str) -> dict:
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


PREPARE = """
import json
from goals.core.choices import PeriodState
from goals.interchange.demo import load_demo
from goals.models import Action, Metric, Period, Strategy
from django.contrib.auth import get_user_model
load_demo()
strategy = Strategy.objects.filter(slug="step-up-to-great").first() or Strategy.objects.order_by("pk").first()
period = Period.objects.filter(strategy=strategy, state=PeriodState.OPEN).first()
if period is None:  # the scratch database only: the quarter after the latest, open for writing
    latest = Period.objects.filter(strategy=strategy).order_by("-year", "-quarter").first()
    year, quarter = (latest.year + (latest.quarter == 4), latest.quarter % 4 + 1) if latest else (2025, 1)
    period, _ = Period.objects.get_or_create(strategy=strategy, year=year, quarter=quarter)
    period.state = PeriodState.OPEN
    period.save()
lead = get_user_model().objects.get(username="lead")
actions = list(Action.objects.filter(objective__goal__strategy=strategy).order_by("pk")[:12])
for action in actions:
    action.leads.add(lead.person)
metric = Metric.objects.select_related("strategy").order_by("pk").first()
print(json.dumps({
    "slug": strategy.slug, "period": period.slug if period else None,
    "actions": [a.pk for a in actions],
    "metric": f"{metric.strategy.slug}/{metric.key}" if metric else None,
}))
"""


def prepare(database: str) -> dict:
    """The scratch database, migrated, with the demo and an open quarter; what the users visit."""
    exists = subprocess.run(
        ["psql", "-h", HOST, "-U", "postgres", "-tAc", f"select 1 from pg_database where datname = '{database}'"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not exists:
        subprocess.run(["createdb", "-h", HOST, "-U", "postgres", database], check=True)
    env = app_env(database)
    subprocess.run([PY, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    shell = subprocess.run(
        [PY, "manage.py", "shell", "-c", PREPARE], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    found = json.loads(shell.stdout.strip().splitlines()[-1])
    slug, period = found["slug"], found["period"]
    pages = [
        ("/", "/"),
        (f"/strategies/{slug}/", "strategy"),
        (f"/strategies/{slug}/dashboard/", "dashboard"),
        (f"/strategies/{slug}/heat-map/", "heat map"),
        ("/actions/", "actions"),
        (f"/metrics/{slug}/", "metrics"),
        ("/reports/", "board packs"),
    ]
    if found["metric"]:
        pages.append((f"/metrics/{found['metric']}/", "metric (SPC chart)"))
    update_urls = [f"/actions/{pk}/quarters/{period}/update/" for pk in found["actions"]] if period else []
    return {"pages": pages, "update_urls": update_urls, "password": "strategy-demo"}


def start_gunicorn(database: str, port: int, workers: int = 3) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "strategy_tracker.wsgi",
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            str(workers),
            "--timeout",
            "60",
        ],
        cwd=ROOT,
        env=app_env(database),
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


def stop(server: subprocess.Popen) -> None:
    """Stop the gunicorn this script started (its own process group, by id)."""
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def run_locust(plan: dict, port: int, users: int, seconds: int, results: Path) -> subprocess.Popen:
    """Locust headless against 127.0.0.1 only, stopped after `seconds` (it writes `results`)."""
    env = os.environ | {"LOAD_PLAN": json.dumps(plan), "LOAD_RESULTS": str(results)}
    return subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "locust"),
            "-f",
            str(ROOT / "benchmarks" / "locustfile.py"),
            "--headless",
            "--host",
            f"http://{HOST}:{port}",
            "--users",
            str(users),
            "--spawn-rate",
            str(max(1, users // 10)),
            "--run-time",
            f"{seconds}s",
            "--stop-timeout",
            "10",
            "--csv",
            str(results.with_suffix("")),
            "--only-summary",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def stats(results: Path) -> dict:
    """Overall and per-page figures from locust's CSV, with the status tallies."""
    import csv

    with open(str(results.with_suffix("")) + "_stats.csv") as table:
        rows = list(csv.DictReader(table))
    tallies = json.loads(results.read_text())
    statuses = Counter()
    for _second, status, n in tallies["status_by_second"]:
        statuses[status] += n
    pages = {
        row["Name"]: {
            "requests": int(row["Request Count"]),
            "failures": int(row["Failure Count"]),
            "median_ms": float(row["50%"] or 0),
            "p95_ms": float(row["95%"] or 0),
        }
        for row in rows
    }
    return {"pages": pages, "statuses": dict(statuses), "tallies": tallies}


def drafts_kept(database: str, sent: list) -> tuple[int, int]:
    """(updates with a draft the server confirmed saving, of those, the ones whose confirmed draft, or
    a later one sent for the same update, is what the database holds). A later save replaces an
    earlier one; a save the server could not confirm (a 503 while the database restarted) may still
    have been committed, so it counts as later, never as lost."""
    held = set(
        subprocess.run(
            [
                "psql",
                "-h",
                HOST,
                "-U",
                "postgres",
                "-d",
                database,
                "-tAc",
                "select substring(progress from 'load-[0-9a-f]+') from goals_actionupdate where progress like '%load-%'",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
    )
    since_confirmed: dict[str, list[str]] = {}
    for url, marker, confirmed in sent:
        if confirmed:
            since_confirmed[url] = [marker]
        elif url in since_confirmed:
            since_confirmed[url].append(marker)
    kept = 0
    for url, markers in since_confirmed.items():
        if held.intersection(markers):
            kept += 1
        else:
            print(f"missing draft of {url}: {markers[0]}", file=sys.stderr)
    return len(since_confirmed), kept


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def report(figures: dict, *, users: int, seconds: int, kept: tuple[int, int], load: str) -> None:
    total = figures["pages"].get("Aggregated", {})
    print(f"\n{users} users for {seconds} s: {total.get('requests', 0)} requests, {total.get('failures', 0)} failures")
    print("status codes:", dict(sorted(figures["statuses"].items())))
    print(f"overall median {total.get('median_ms', 0):.0f} ms, p95 {total.get('p95_ms', 0):.0f} ms")
    print("\n| page | requests | failures | median ms | p95 ms |\n|---|---|---|---|---|")
    for name, page in figures["pages"].items():
        if name != "Aggregated":
            print(
                f"| {name} | {page['requests']} | {page['failures']} | {page['median_ms']:.0f} | {page['p95_ms']:.0f} |"
            )
    print(f"\nupdates with a confirmed draft: {kept[0]}, draft still in the database: {kept[1]}")
    print(f"load average (1, 5, 15 min) at the end: {load}")


def arguments(description: str, *, seconds: int, port: int) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=seconds)
    parser.add_argument("--database", default="st_load")
    parser.add_argument("--port", type=int, default=port)
    return parser


@contextmanager
def serving(args):
    """(plan, gunicorn process, where locust writes its tallies) for the run; gunicorn stopped after."""
    plan = prepare(args.database)
    server = start_gunicorn(args.database, args.port)
    try:
        with tempfile.TemporaryDirectory() as scratch:
            yield plan, server, Path(scratch) / "results.json"
    finally:
        stop(server)


def main() -> None:
    args = arguments(__doc__.splitlines()[0], seconds=120, port=8765).parse_args()
    with serving(args) as (plan, _server, results):
        run_locust(plan, args.port, args.users, args.seconds, results).wait(timeout=args.seconds + 60)
        figures = stats(results)
    kept = drafts_kept(args.database, figures["tallies"]["saved_drafts"])
    report(figures, users=args.users, seconds=args.seconds, kept=kept, load=load_average())
    sys.exit(0 if figures["pages"].get("Aggregated", {}).get("failures", 1) == 0 and kept[0] == kept[1] else 1)


if __name__ == "__main__":
    main()

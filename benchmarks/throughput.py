"""Throughput of the floor, the dashboard and the action list under gunicorn + PostgreSQL, at 2,000
actions and 50 concurrent clients, for one checkout or several side by side in one run.

    .venv/bin/python benchmarks/throughput.py [--tree PATH ...] [--seconds 30] [--clients 50]
        [--rounds 1] [--actions 2000] [--workers 3] [--port 8780] [--fresh] [--prepare-only]

Each --tree is a checkout with its own `.venv/` (`make setup` in it); without one, this checkout.
For each, in its own scratch PostgreSQL database on 127.0.0.1:5432 (`st_throughput_<folder name>`,
created if missing, reused after; --fresh drops and re-creates it), with that checkout's own
migrations and generator (through its manage.py): migrate, createcachetable, the trust of
benchmarks/scale.py's shape for --actions (8 quarters, the last open; generated once, about two
minutes), ANALYZE, and a signed-in superuser (its session cookie made with the SECRET_KEY gunicorn
is given). --prepare-only stops there. Then gunicorn from that checkout (3 sync workers, DEBUG off,
SECRET_KEY set, on 127.0.0.1 only; benchmarks/floor/floor_wsgi.py adds the floor in front of the
checkout's URLs). Every checkout is served at once (idle workers cost nothing) and the pages are
measured in turns, the checkouts' order reversed every other round, so each comparison is of
neighbouring half-minutes on a machine others share.

Pages: the floor (a trivial view, as in scale.py: what any signed-in request costs), the dashboard
and the action list (page 1), both of the last published quarter. Each page gets three warm-up
requests (each must answer 200), then `wrk` (C, one thread: far lighter on 2 cores than locust;
`apt-get install wrk`) runs --clients connections for --seconds, with the session cookie and
`Accept-Encoding: gzip` as a browser sends; then the script waits for the workers to serve the
connections still queued (to clients gone) before the next page. Prints a Markdown table of the
runs: requests/s, median and p95 latency, errors (no answer, time-outs, any status but 200), the
CPU time per request of the gunicorn workers and of their PostgreSQL backends (read from /proc: what
the page costs, whatever else runs), the CPU others used meanwhile (in cores, of 2), and the 1-minute
load average before and after; then, with several checkouts or rounds, each page's requests/s and
CPU per request relative to the first checkout, and to its floor. Database connections are kept
for the whole run (DATABASE_CONN_MAX_AGE=600) so each backend's CPU is counted. Drops only its own
scratch databases, and only with --fresh.
"""

import argparse
import http.client
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.load import HOST, app_env, load_average, stop  # noqa: E402
from benchmarks.scale import shape  # noqa: E402

FLOOR_APP = ROOT / "benchmarks" / "floor"
TICK = os.sysconf("SC_CLK_TCK")
PAGES = ("floor", "dashboard", "action list")

PREPARE = """
import json, os
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from benchmarks.generator import generate_trust
from goals.models import Action, Strategy

call_command("migrate", interactive=False, verbosity=0)
call_command("createcachetable", verbosity=0)
shape = json.loads(os.environ["THROUGHPUT_SHAPE"])
strategy = Strategy.objects.filter(slug=shape["slug"]).first()
generated = strategy is None
if generated:
    with transaction.atomic():
        strategy = generate_trust(**shape).strategy
with connection.cursor() as cursor:
    cursor.execute("ANALYZE")
user, _ = get_user_model().objects.get_or_create(
    username="throughput-benchmark", defaults={"is_superuser": True, "is_staff": True}
)
client = Client()
client.force_login(user)
periods = list(strategy.periods.chronological())
reported = periods[-2]
kwargs = {"slug": strategy.slug, "quarter": reported.slug}
print(json.dumps({
    "cookie": f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}",
    "generated": generated,
    "actions": Action.objects.filter(objective__goal__strategy=strategy).count(),
    "quarters": len(periods),
    "last": f"{periods[-1].slug} ({periods[-1].state})",
    "pages": {
        "floor": "/benchmark-floor/",
        "dashboard": reverse("goals:dashboard", kwargs=kwargs),
        "action list": f"{reverse('goals:action_list')}?strategy={strategy.slug}&quarter={reported.slug}",
    },
}))
"""

# wrk's report, as one JSON line: its summary and latency percentiles, and the responses that were not
# 200 (counted in each thread; wrk itself counts only 4xx and 5xx).
WRK_SCRIPT = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) not_ok = 0 end
function response(status, headers, body) if status ~= 200 then not_ok = not_ok + 1 end end
function done(summary, latency, requests)
  local not_ok = 0
  for _, thread in ipairs(threads) do not_ok = not_ok + thread:get("not_ok") end
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "connect": %d, "read": %d, "write": %d, "timeout": %d, '
    .. '"not_ok": %d, "p50_us": %d, "p95_us": %d, "max_us": %d}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.timeout, not_ok,
    latency:percentile(50), latency:percentile(95), latency.max))
end
"""


@dataclass
class Tree:
    path: Path
    label: str
    database: str
    port: int
    env: dict = field(default_factory=dict)
    plan: dict = field(default_factory=dict)
    server: subprocess.Popen | None = None


def git(tree: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(tree), *args], capture_output=True, text=True, check=True).stdout.strip()


def psql(sql: str, database: str = "postgres") -> str:
    return subprocess.run(
        ["psql", "-h", HOST, "-U", "postgres", "-d", database, "-tAc", sql], capture_output=True, text=True, check=True
    ).stdout.strip()


def describe(path: Path, index: int, prefix: str, port: int) -> Tree:
    for needed in (".venv/bin/gunicorn", "manage.py", "benchmarks/generator.py"):
        if not (path / needed).exists():
            raise SystemExit(f"{path} has no {needed} (a checkout of the project with `make setup` run in it)")
    commit = git(path, "rev-parse", "--short=7", "HEAD")
    dirty = "+" if git(path, "status", "--porcelain", "--untracked-files=no") else ""
    name = re.sub(r"[^a-z0-9_]", "_", path.name.lower())
    return Tree(path, f"{path.name} ({commit}{dirty})", f"{prefix}_{name}", port + index)


def prepare(tree: Tree, actions: int, fresh: bool) -> None:
    """The tree's scratch database, migrated by the tree itself, with the trust and a signed-in user."""
    exists = psql(f"select 1 from pg_database where datname = '{tree.database}'")
    if exists and fresh:
        subprocess.run(["dropdb", "-h", HOST, "-U", "postgres", "--force", tree.database], check=True)
    if not exists or fresh:
        subprocess.run(["createdb", "-h", HOST, "-U", "postgres", tree.database], check=True)
    tree.env = app_env(tree.database) | {"DATABASE_CONN_MAX_AGE": "600"}
    manage = [str(tree.path / ".venv" / "bin" / "python"), "manage.py"]
    start = time.perf_counter()
    shell = subprocess.run(
        manage + ["shell", "-c", PREPARE],
        cwd=tree.path,
        env=tree.env | {"THROUGHPUT_SHAPE": json.dumps(shape(actions))},
        check=True,
        capture_output=True,
        text=True,
    )
    tree.plan = json.loads(shell.stdout.strip().splitlines()[-1])
    made = "generated" if tree.plan["generated"] else "reused"
    print(
        f"{tree.label}: database {tree.database}, trust {made} ({tree.plan['actions']:,} actions, "
        f"{tree.plan['quarters']} quarters, last {tree.plan['last']}), ready in {time.perf_counter() - start:.0f} s",
        file=sys.stderr,
        flush=True,
    )


def serve(tree: Tree, workers: int) -> None:
    """Start gunicorn for the tree (answering is awaited by `answering`)."""
    tree.server = subprocess.Popen(
        [
            str(tree.path / ".venv" / "bin" / "gunicorn"),
            "floor_wsgi:application",
            "--pythonpath",
            str(FLOOR_APP),
            "--bind",
            f"{HOST}:{tree.port}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--timeout",
            "60",
        ],
        cwd=tree.path,
        env=tree.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def answering(tree: Tree) -> None:
    for _ in range(360):
        if tree.server.poll() is not None:
            raise SystemExit(f"gunicorn for {tree.label} exited ({tree.server.returncode})")
        try:
            if get(tree.port, "/health/", "")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"gunicorn for {tree.label} did not answer /health/ within 3 minutes")


def get(port: int, url: str, cookie: str) -> tuple[int, int]:
    """(status, body bytes) of one GET, redirects not followed."""
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        connection.request("GET", url, headers={"Cookie": cookie, "Accept-Encoding": "gzip"})
        response = connection.getresponse()
        return response.status, len(response.read())
    finally:
        connection.close()


def cpu_seconds(pids) -> dict[int, float]:
    """User + system CPU seconds of each process still running."""
    found = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        found[pid] = (int(fields[11]) + int(fields[12])) / TICK
    return found


def workers_of(master: int) -> list[int]:
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == master:
                    children.append(int(entry.name))
            except OSError:
                continue
    return children


def backends_of(database: str) -> list[int]:
    return [int(pid) for pid in psql(f"select pid from pg_stat_activity where datname = '{database}'").split()]


def machine_busy() -> float:
    """CPU seconds the whole machine has been busy (all cores)."""
    ticks = [int(n) for n in Path("/proc/stat").read_text().splitlines()[0].split()[1:9]]
    return (sum(ticks) - ticks[3] - ticks[4]) / TICK


def used(before: dict[int, float], after: dict[int, float]) -> float:
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(tree: Tree, page: str, clients: int, seconds: int, script: Path) -> dict:
    url, cookie = tree.plan["pages"][page], tree.plan["cookie"]
    for _ in range(3):
        status, _size = get(tree.port, url, cookie)
        if status != 200:
            raise SystemExit(f"{tree.label} answered {status} to {url} (expected 200, signed in)")
    load_before = load_average().split()[0]
    app_pids = workers_of(tree.server.pid)
    app_before, db_before = cpu_seconds(app_pids), cpu_seconds(backends_of(tree.database))
    busy_before, wrk_before, wall = machine_busy(), children_cpu(), time.perf_counter()
    run = subprocess.run(
        [
            "wrk",
            "--threads",
            "1",
            "--connections",
            str(clients),
            "--duration",
            f"{seconds}s",
            "--timeout",
            "60s",
            "--script",
            str(script),
            "--header",
            f"Cookie: {cookie}",
            "--header",
            "Accept-Encoding: gzip",
            f"http://{HOST}:{tree.port}{url}",
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 120,
    )
    wall, wrk_cpu, busy = time.perf_counter() - wall, children_cpu() - wrk_before, machine_busy() - busy_before
    app = used(app_before, cpu_seconds(set(app_pids) | set(workers_of(tree.server.pid))))
    db = used(db_before, cpu_seconds(backends_of(tree.database)))
    found = json.loads([line for line in run.stdout.splitlines() if line.startswith("{")][-1])
    drained = drain(tree)
    requests = max(found["requests"], 1)
    return {
        "tree": tree.label,
        "page": page,
        "requests": found["requests"],
        "rps": found["requests"] / (found["duration_us"] / 1e6),
        "median_ms": found["p50_us"] / 1000,
        "p95_ms": found["p95_us"] / 1000,
        "errors": found["connect"] + found["read"] + found["write"] + found["timeout"] + found["not_ok"],
        "app_ms": app * 1000 / requests,
        "db_ms": db * 1000 / requests,
        "others": max(0.0, busy - app - db - wrk_cpu) / wall,
        "load": f"{load_before} → {load_average().split()[0]}",
        "drained_s": drained,
    }


def drain(tree: Tree, limit: float = 180) -> float:
    """Seconds until the workers are idle again: when wrk stops, the connections gunicorn had queued
    are still served (to clients gone), and must not count against the next page."""
    start = time.perf_counter()
    idle = 0
    while idle < 2 and time.perf_counter() - start < limit:
        pids = workers_of(tree.server.pid)
        before = cpu_seconds(pids)
        time.sleep(0.5)
        idle = idle + 1 if used(before, cpu_seconds(pids)) < 0.02 else 0
    return time.perf_counter() - start


def print_runs(results: list[dict]) -> None:
    print(
        "| page | checkout | requests/s | requests | median ms | p95 ms | errors | app CPU ms/req "
        "| PostgreSQL CPU ms/req | others' CPU (cores) | load average (1 min) |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for r in results:
        print(
            f"| {r['page']} | {r['tree']} | {r['rps']:.1f} | {r['requests']:,} | {r['median_ms']:,.0f} | "
            f"{r['p95_ms']:,.0f} | {r['errors']} | {r['app_ms']:.1f} | {r['db_ms']:.1f} | {r['others']:.2f} | "
            f"{r['load']} |"
        )


def print_comparison(results: list[dict], trees: list[Tree]) -> None:
    """Each page's median requests/s and CPU per request over the rounds, relative to the first tree."""
    first = trees[0].label
    print(f"\nRelative to {first} (medians over the rounds; CPU = app + PostgreSQL per request):\n")
    print("| page | checkout | requests/s | × requests/s | CPU ms/req | × less CPU | × floor's requests/s |")
    print("|---|---|---:|---:|---:|---:|---:|")

    def median(tree: str, page: str, key) -> float:
        return statistics.median(key(r) for r in results if r["tree"] == tree and r["page"] == page)

    def rps(r):
        return r["rps"]

    def cpu(r):
        return r["app_ms"] + r["db_ms"]

    for page in PAGES:
        for tree in trees:
            t = tree.label
            print(
                f"| {page} | {t} | {median(t, page, rps):.1f} | {median(t, page, rps) / median(first, page, rps):.2f} "
                f"| {median(t, page, cpu):.1f} | {median(first, page, cpu) / median(t, page, cpu):.2f} "
                f"| {median(t, page, rps) / median(t, 'floor', rps):.2f} |"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tree", action="append", type=Path, help="a checkout to serve (repeat to compare)")
    parser.add_argument("--seconds", type=int, default=30, help="per page and checkout, each round")
    parser.add_argument("--clients", type=int, default=50, help="concurrent connections")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--actions", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--port", type=int, default=8780, help="the first checkout's; the next ones count up")
    parser.add_argument("--database-prefix", default="st_throughput")
    parser.add_argument("--fresh", action="store_true", help="drop and re-create the scratch databases")
    parser.add_argument("--prepare-only", action="store_true", help="make the databases ready, measure nothing")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk")
    paths = [p.resolve() for p in (args.tree or [ROOT])]
    trees = [describe(path, i, args.database_prefix, args.port) for i, path in enumerate(paths)]
    started = time.perf_counter()
    if len({tree.database for tree in trees}) < len(trees):
        raise SystemExit("two checkouts in folders of the same name: give each its own folder name")
    for tree in trees:
        prepare(tree, args.actions, args.fresh)
    if args.prepare_only:
        return
    results = []
    try:
        for tree in trees:
            serve(tree, args.workers)
        for tree in trees:
            answering(tree)
        print(f"gunicorn answering after {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
        print(
            f"\n{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: {args.actions:,} actions, {args.clients} "
            f"clients for {args.seconds} s per page, {args.workers} sync gunicorn workers, PostgreSQL "
            f"{psql('show server_version')}, wrk on the same {os.cpu_count()} cores; load average "
            f"{load_average()}\n",
            flush=True,
        )
        with tempfile.TemporaryDirectory() as scratch:
            script = Path(scratch) / "report.lua"
            script.write_text(WRK_SCRIPT)
            for round_ in range(args.rounds):
                order = trees if round_ % 2 == 0 else trees[::-1]
                for page in PAGES:
                    for tree in order:
                        results.append(measure(tree, page, args.clients, args.seconds, script))
                        r = results[-1]
                        print(
                            f"  round {round_ + 1}, {page}, {tree.label}: {r['rps']:.1f} requests/s "
                            f"(queue served in {r['drained_s']:.0f} s after)",
                            file=sys.stderr,
                            flush=True,
                        )
    finally:
        for tree in trees:
            if tree.server is not None:
                stop(tree.server)
    print_runs(results)
    if len(trees) > 1 or args.rounds > 1:
        print_comparison(results, trees)
    print(f"\nload average at the end: {load_average()}; {time.perf_counter() - started:.0f} s in all")


if __name__ == "__main__":
    main()

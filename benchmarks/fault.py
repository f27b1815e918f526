"""Faults under load: a PostgreSQL restart and a killed gunicorn worker while 50 users work.

    .venv/bin/python benchmarks/fault.py [--users 50] [--seconds 90] [--database st_load]

Sets up as benchmarks/load.py does (scratch database, gunicorn on 127.0.0.1, locust headless),
then, under load: at --restart-at seconds restarts the local PostgreSQL cluster
(pg_ctlcluster … restart) and waits for pg_isready; at --kill-at seconds kills one gunicorn worker
with SIGKILL (the master starts another). Afterwards it makes sure PostgreSQL is running and
reports, from every response's status and second:
- during the restart (from its start to 5 s after pg_isready): responses by status: no 500s,
  only 503s (the "try again in a minute" page) besides successes;
- after it: errors (any status >= 400, or no answer) other than in the 3 s around the killed worker;
- around the killed worker: what its in-flight requests got;
- whether every draft the server said it saved is in the database; p95; the load average.
Exit status 0 when there were no 500s and no errors after the restart and every draft is kept.
"""

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.load import arguments, drafts_kept, load_average, report, run_locust, serving, stats

GRACE_SECONDS = 5  # after pg_isready, requests already waiting on the restart still finish
KILL_WINDOW_SECONDS = 3


def cluster_version() -> str:
    return sorted(os.listdir("/etc/postgresql"))[-1]


def pg_ready(timeout: float = 60) -> bool:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if subprocess.run(["pg_isready", "-h", "127.0.0.1", "-p", "5432", "-q"]).returncode == 0:
            return True
        time.sleep(0.2)
    return False


def restart_postgresql() -> tuple[float, float]:
    started = time.time()
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", cluster_version(), "main", "restart"],
        check=True,
        capture_output=True,
    )
    if not pg_ready():
        raise SystemExit("PostgreSQL did not come back within 60 s")
    return started, time.time()


def ensure_postgresql_running() -> None:
    if not pg_ready(timeout=5):
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", cluster_version(), "main", "start"], capture_output=True
        )
        if not pg_ready():
            raise SystemExit("PostgreSQL is not running: start it with pg_ctlcluster … main start")


def gunicorn_workers(master: int) -> list[int]:
    workers = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == master:
                workers.append(int(entry.name))
    return sorted(workers)


def _sum(tallies: list, inside) -> Counter:
    counts = Counter()
    for second, status, n in tallies:
        if inside(second):
            counts[status] += n
    return counts


def main() -> None:
    parser = arguments(__doc__.splitlines()[0], seconds=90, port=8766)
    parser.add_argument("--restart-at", type=int, default=25)
    parser.add_argument("--kill-at", type=int, default=60)
    args = parser.parse_args()
    try:
        with serving(args) as (plan, server, results):
            began = time.time()
            locust = run_locust(plan, args.port, args.users, args.seconds, results)
            time.sleep(max(0, began + args.restart_at - time.time()))
            restart_start, restart_ready = restart_postgresql()
            time.sleep(max(0, began + args.kill_at - time.time()))
            killed_at = time.time()
            victim = gunicorn_workers(server.pid)[0]
            os.kill(victim, signal.SIGKILL)
            locust.wait(timeout=args.seconds + 60)
            figures = stats(results)
    finally:
        ensure_postgresql_running()
    tallies = figures["tallies"]["status_by_second"]
    restart_end = restart_ready + GRACE_SECONDS
    during = _sum(tallies, lambda s: int(restart_start) <= s <= restart_end)
    around_kill = _sum(tallies, lambda s: int(killed_at) <= s <= killed_at + KILL_WINDOW_SECONDS)
    after = _sum(
        tallies,
        lambda s: s > restart_end and not (int(killed_at) <= s <= killed_at + KILL_WINDOW_SECONDS),
    )
    errors_after = sum(n for status, n in after.items() if status >= 400 or status == 0)
    server_errors = sum(n for _s, status, n in tallies if status == 500)
    kept = drafts_kept(args.database, figures["tallies"]["saved_drafts"])
    report(figures, users=args.users, seconds=args.seconds, kept=kept, load=load_average())
    print(f"\nPostgreSQL restart: {restart_ready - restart_start:.1f} s until pg_isready")
    print("  responses during the restart (+5 s):", dict(sorted(during.items())))
    print(f"  500s in the whole run: {server_errors}")
    print(f"  errors after the restart (outside the killed worker's {KILL_WINDOW_SECONDS} s): {errors_after}")
    print(
        f"killed gunicorn worker {victim}: responses in the {KILL_WINDOW_SECONDS} s after:",
        dict(sorted(around_kill.items())),
    )
    print("PostgreSQL running afterwards:", pg_ready(timeout=5))
    sys.exit(0 if server_errors == 0 and errors_after == 0 and kept[0] == kept[1] else 1)


if __name__ == "__main__":
    main()

"""What the page benchmarks (pages.py, cycle.py) share: a Django set up on its own database, a page
timed through the test client, and the Markdown table they print."""

import os
import statistics
import time

TARGET_P95_MS = 150  # per page, on the 2-core development machine (docs/performance.md)


def setup_django(database: str) -> str:
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("ALLOW_INSECURE_SECRET_KEY", "1")  # a local measurement, never served
    if os.environ.get("DATABASE_URL"):
        where = "PostgreSQL (" + os.environ["DATABASE_URL"].rsplit("/", 1)[-1] + ")"
    else:
        os.environ["SQLITE_PATH"] = database
        where = f"SQLite ({database})"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "strategy_tracker.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    return where


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))]


def count_queries(client, url: str) -> int:
    from django.db import connection

    connection.force_debug_cursor = True
    try:
        connection.queries_log.clear()
        client.get(url)
        return len(connection.queries_log)
    finally:
        connection.force_debug_cursor = False


def measure(client, url: str, requests: int) -> dict:
    """Wall-clock and CPU time of `requests` requests (after three warm-up requests)."""
    for _ in range(3):
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
    queries = count_queries(client, url)
    wall, cpu = [], []
    for _ in range(requests):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return {
        "median": statistics.median(wall),
        "p95": percentile(wall, 0.95),
        "cpu": statistics.median(cpu),
        "queries": queries,
        "size": len(response.content),
    }


def print_page_table(rows, requests: int) -> list[str]:
    """Measure each (label, client, url) and print a Markdown table row for it as soon as it is
    measured; returns the labels whose p95 is at or over the target."""
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores\n")
    print("| page | median ms | p95 ms | CPU ms (median) | queries | size |")
    print("|---|---:|---:|---:|---:|---:|")
    misses = []
    for label, client, url in rows:
        try:
            m = measure(client, url, requests)
        except Exception as error:  # another page failing must not hide these figures
            print(f"| {label} | failed: {str(error).splitlines()[0][:80]} | | | | |", flush=True)
            continue
        print(
            f"| {label} | {m['median']:.0f} | {m['p95']:.0f} | {m['cpu']:.0f} | {m['queries']} | "
            f"{m['size'] / 1024:.0f} KB |",
            flush=True,
        )
        if m["p95"] >= TARGET_P95_MS:
            misses.append(label)
    return misses


def print_misses(misses: list[str]) -> None:
    print(f"\nload average after: {os.getloadavg()[0]:.1f}")
    if misses:
        print(f"p95 at or over {TARGET_P95_MS} ms: {', '.join(misses)}")

"""The read API's action fact table at a large trust, streamed page by page as Power BI reads it:
2,000 actions × 12 quarters = 24,000 rows, pages of --limit rows followed by their `next` links,
then the same table as one CSV download.

    .venv/bin/python benchmarks/api.py [--limit 1000] [--database /tmp/api-benchmark.sqlite3]

Uses the trust of benchmarks/pages.py (generated into its own SQLite file, never db.sqlite3;
reused when the file already holds it). Requests go through Django's test client with a personal
access token of a director, DEBUG off. Prints a Markdown table: total time, slowest page,
CPU time of the process, queries per page, rows, bytes, and the peak memory Python allocated
while reading (tracemalloc, on a second run), with the load average.
"""

import argparse
import os
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.harness import setup_django  # noqa: E402


def read_json_pages(client, headers, limit: int) -> dict:
    from django.db import connection

    url, pages, rows, size, slowest, queries = f"/api/v1/facts/actions?limit={limit}", 0, 0, 0, 0.0, set()
    start = time.perf_counter()
    while url:
        connection.queries_log.clear()
        began = time.perf_counter()
        response = client.get(url, **headers)
        slowest = max(slowest, time.perf_counter() - began)
        assert response.status_code == 200, response.content[:200]
        body = response.json()
        queries.add(len(connection.queries))
        pages, rows, size, url = pages + 1, rows + len(body["results"]), size + len(response.content), body["next"]
    return {
        "seconds": time.perf_counter() - start,
        "pages": pages,
        "rows": rows,
        "bytes": size,
        "slowest": slowest,
        "queries": queries,
    }


def read_csv(client, headers) -> dict:
    from django.db import connection

    connection.queries_log.clear()
    start = time.perf_counter()
    response = client.get("/api/v1/facts/actions?format=csv", **headers)
    size = rows = 0
    for chunk in response.streaming_content:
        size += len(chunk)
        rows += chunk.count(b"\r\n")
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "rows": rows - 1, "bytes": size, "queries": len(connection.queries)}


def measured(fn):
    """(result with its CPU seconds, peak bytes Python allocated): timed on a first run, the memory
    traced on a second (tracemalloc slows Python down several times)."""
    cpu = time.process_time()
    result = fn()
    result["cpu"] = time.process_time() - cpu
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return result, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=1000)
    parser.add_argument("--database", default="/tmp/api-benchmark.sqlite3")
    args = parser.parse_args()
    os.environ["API_RATE"] = "100000/min"  # the benchmark measures reading, not the throttle
    where = setup_django(args.database)

    import logging

    from django.db import connection
    from django.test import Client

    from api.tokens import token_create
    from benchmarks.pages import director, trust

    logging.getLogger("api.requests").setLevel(logging.WARNING)  # not a line per page on the console
    trust()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token_create(name='Benchmark', by=director()).secret}"}
    client = Client()
    connection.force_debug_cursor = True  # count queries with DEBUG off
    read_json_pages(client, headers, args.limit)  # warm-up: imports, first queries
    pages, pages_peak = measured(lambda: read_json_pages(client, headers, args.limit))
    table, csv_peak = measured(lambda: read_csv(client, headers))
    print(f"Database: {where}; load average {' '.join(f'{v:.2f}' for v in os.getloadavg())}\n")
    print("| Read | Rows | Total (CPU) | Slowest page | Queries per page | Size | Peak memory |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    print(
        f"| JSON, {pages['pages']} pages of {args.limit} | {pages['rows']:,} "
        f"| {pages['seconds']:.1f} s ({pages['cpu']:.1f} s) "
        f"| {pages['slowest'] * 1000:.0f} ms | {'/'.join(str(q) for q in sorted(pages['queries']))} "
        f"| {pages['bytes'] / 1e6:.1f} MB | {pages_peak / 1e6:.1f} MB |"
    )
    print(
        f"| CSV, whole table | {table['rows']:,} | {table['seconds']:.1f} s ({table['cpu']:.1f} s) "
        f"| – | {table['queries']} in all "
        f"| {table['bytes'] / 1e6:.1f} MB | {csv_peak / 1e6:.1f} MB |"
    )


if __name__ == "__main__":
    main()

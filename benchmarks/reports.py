"""How long the board pack takes to build, per format: the demo quarter and a generated
300-action quarter. Targets (docs/performance.md): PDF of 300 actions under 5 s, Word under 2 s.

    .venv/bin/python benchmarks/reports.py [--repeat 3] [--pack generated-progress ...] [--format pdf ...]

Runs against a throwaway SQLite database in a temporary directory (never db.sqlite3), so it can
run beside the app. Prints a Markdown table: the builder's time and query count, then each
renderer's best and slowest wall-clock seconds of --repeat warm runs, the best CPU seconds of this
process (what to compare on a shared machine: others' work inflates the wall clock), and the first
run's seconds (it also loads fonts, imports and templates, which a new app process pays once), plus
the output's size and, for the PDF, its pages. Then the time to publish the pack (lock the quarter,
render every format, store the files with their checksums), rolled back after each run. The load average is printed before and after: compare
runs only under similar load.
"""

import argparse
import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import harness  # noqa: E402

GENERATED = {  # 5 goals × 6 objectives × 10 actions = 300 actions, two quarters so RAG moves
    "goals": 5,
    "objectives_per_goal": 6,
    "actions_per_objective": 10,
    "quarters": 2,
    "risks": 12,
    "measures_per_objective": 2,
    "people": 40,
    "open_last": False,
}
FORMATS = ("html", "pdf", "docx", "xlsx")
PACKS = {  # name: (label, strategy, quarter, layout)
    "demo-progress": ("Step Up To Great Q2 2024/25 progress", "step-up-to-great", "2024-Q2", "progress"),
    "demo-highlight": ("Step Up To Great Q1 2023/24 highlight", "step-up-to-great", "2023-Q1", "highlight"),
    "generated-progress": ("Generated 300 actions, progress", "benchmark-trust", "2022-Q2", "progress"),
    "generated-highlight": ("Generated 300 actions, highlight", "benchmark-trust", "2022-Q2", "highlight"),
}


def setup_django(directory: str) -> None:
    """Django on a throwaway SQLite file in `directory`, whatever DATABASE_URL says."""
    os.environ.pop("DATABASE_URL", None)
    harness.setup_django(str(Path(directory) / "benchmark.sqlite3"))


def best_of(repeat: int, fn):
    """(first run's seconds, best and slowest wall-clock seconds, best CPU seconds, result) of
    `repeat` timed runs after a first one (imports, fonts, templates: what a new process pays)."""
    start = time.perf_counter()
    fn()
    first = time.perf_counter() - start
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return first, min(walls), max(walls), min(cpus), result


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def pages(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def measure(label: str, period, layout: str, repeat: int, formats=FORMATS, publish=False) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reports.builder import build_report
    from reports.renderers import render

    with CaptureQueriesContext(connection) as queries:
        build_report(period=period, layout=layout)
    first, best, slowest, cpu, report = best_of(repeat, lambda: build_report(period=period, layout=layout))
    rows = [
        f"| {label} | builder | {best:.3f} | {slowest:.3f} | {cpu:.3f} | {first:.3f} | "
        f"{len(queries.captured_queries)} queries, {len(report.actions)} actions |"
    ]
    for name in formats:
        first, best, slowest, cpu, content = best_of(repeat, lambda name=name: render(report, name))
        detail = f"{len(content) / 1024:.0f} KB" + (f", {pages(content)} pages" if name == "pdf" else "")
        rows.append(f"| {label} | {name} | {best:.3f} | {slowest:.3f} | {cpu:.3f} | {first:.3f} | {detail} |")
    if publish:
        first, best, slowest, cpu, _ = best_of(repeat, lambda: publish_rolled_back(period, layout))
        rows.append(
            f"| {label} | publish | {best:.3f} | {slowest:.3f} | {cpu:.3f} | {first:.3f} | "
            f"builder + {len(FORMATS)} formats rendered and stored, rolled back |"
        )
    return rows


def publish_rolled_back(period, layout: str) -> None:
    """What the programme office's Publish button does (lock, render every format, store with checksums),
    inside a transaction that is rolled back so that it can be measured again."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from reports.services import publication_publish

    with transaction.atomic():
        publication_publish(period=period, layout=layout, by=get_user_model().objects.get(username="secretary"))
        transaction.set_rollback(True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per measurement (best is reported)")
    parser.add_argument("--pack", action="append", choices=PACKS, help="only these packs (default: all)")
    parser.add_argument("--format", action="append", choices=FORMATS, help="only these formats (default: all)")
    parser.add_argument("--no-publish", action="store_true", help="do not time publishing")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        setup_django(directory)
        from benchmarks.generator import generate_trust
        from goals.interchange.demo import load_demo
        from reports.builder import report_period

        load_demo()
        generate_trust(**GENERATED, slug="benchmark-trust")
        print(f"load average before: {load_average()}", flush=True)
        rows = [
            f"| pack | step | best s (of {args.repeat}) | slowest s | best CPU s | first run s | notes |",
            "|---|---|---|---|---|---|---|",
        ]
        for name in args.pack or PACKS:
            label, strategy, quarter, layout = PACKS[name]
            rows += measure(
                label,
                report_period(strategy, quarter),
                layout,
                args.repeat,
                args.format or FORMATS,
                publish=not args.no_publish,
            )
        print("\n".join(rows))
        print(f"load average after: {load_average()}")


if __name__ == "__main__":
    main()

"""How long the board pack takes to build, per format: the demo quarter and a generated
300-action quarter. Targets (docs/performance.md): PDF of 300 actions under 5 s, Word under 2 s.

    .venv/bin/python benchmarks/reports.py [--repeat 3]

Runs against a throwaway SQLite database in a temporary directory (never db.sqlite3), so it can
run beside the app. Prints a Markdown table: the builder's time and query count, then each
renderer's best time of --repeat warm runs (one untimed run first loads fonts and imports, which
a running app process pays once), plus the output's size and, for the PDF, its pages.
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


def setup_django(directory: str) -> None:
    os.environ["SQLITE_PATH"] = str(Path(directory) / "benchmark.sqlite3")
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "strategy_tracker.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def best_of(repeat: int, fn):
    fn()  # warm-up: imports, fonts, template loading
    timings, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        timings.append(time.perf_counter() - start)
    return min(timings), result


def pages(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def measure(label: str, period, layout: str, repeat: int) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reports.builder import build_report
    from reports.renderers import render

    with CaptureQueriesContext(connection) as queries:
        build_report(period=period, layout=layout)
    build_time, report = best_of(repeat, lambda: build_report(period=period, layout=layout))
    rows = [f"| {label} | builder | {build_time:.3f} | {len(queries.captured_queries)} queries, {len(report.actions)} actions |"]
    for name in FORMATS:
        seconds, content = best_of(repeat, lambda name=name: render(report, name))
        detail = f"{len(content) / 1024:.0f} KB" + (f", {pages(content)} pages" if name == "pdf" else "")
        rows.append(f"| {label} | {name} | {seconds:.3f} | {detail} |")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per measurement (best is reported)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        setup_django(directory)
        from goals.demo import load_demo
        from reports.builder import report_period
        from tests.generator import generate_trust

        load_demo()
        generate_trust(**GENERATED, slug="benchmark-trust")
        rows = ["| pack | step | seconds (best of %d) | notes |" % args.repeat, "|---|---|---|---|"]
        rows += measure("Step Up To Great Q2 2024/25 progress", report_period("step-up-to-great", "2024-Q2"),
                        "progress", args.repeat)
        rows += measure("Step Up To Great Q1 2023/24 highlight", report_period("step-up-to-great", "2023-Q1"),
                        "highlight", args.repeat)
        rows += measure("Generated 300 actions, progress", report_period("benchmark-trust", "2022-Q2"),
                        "progress", args.repeat)
        rows += measure("Generated 300 actions, highlight", report_period("benchmark-trust", "2022-Q2"),
                        "highlight", args.repeat)
        print("\n".join(rows))


if __name__ == "__main__":
    main()

"""How long the metric pages and charts take: a 36-point and a 120-point metric page, the
summary table of 10 and of 100 metrics (48 values each), and the chart alone as SVG and PNG.

    .venv/bin/python benchmarks/metrics.py [--repeat 5]

Runs against a throwaway SQLite database in a temporary directory (never db.sqlite3). Prints a
Markdown table: best of --repeat warm runs (one untimed run first), queries per request, size.
"""

import argparse
import datetime
import importlib.util
import random
import tempfile
from decimal import Decimal
from pathlib import Path

# setup_django (throwaway SQLite) and best_of come from the board-pack benchmark beside this file.
_spec = importlib.util.spec_from_file_location("benchmark_reports", Path(__file__).with_name("reports.py"))
_reports_benchmark = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_reports_benchmark)
setup_django, best_of = _reports_benchmark.setup_django, _reports_benchmark.best_of


def make_strategy(slug: str, metrics: int, points: int):
    from goals.models import Metric, MetricValue, Strategy

    rng = random.Random(6)
    strategy = Strategy.objects.create(slug=slug, name=slug, organisation="Benchmark trust")
    rows = Metric.objects.bulk_create(
        [Metric(strategy=strategy, key=f"m{n}", name=f"Metric {n:03d} (illustrative)", improvement="down",
                target=Decimal(6), unit="per 1,000 bed days") for n in range(metrics)]
    )
    MetricValue.objects.bulk_create(
        [MetricValue(metric=m, date=datetime.date(2015 + i // 12, i % 12 + 1, 1),
                     value=Decimal(f"{rng.gauss(7 if i < points // 2 else 5.8, 0.22):.2f}"),
                     annotation="Change introduced" if i == points // 2 else "")
         for m in rows for i in range(points)],
        batch_size=2000,
    )
    return strategy, rows[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        setup_django(directory)
        from django.db import connection, reset_queries
        from django.test import Client
        from django.test.utils import override_settings

        from goals import charts, metrics, roles
        from tests.factories import UserFactory

        user = UserFactory(username="bench")
        user.groups.add(roles.ensure_role_groups()[roles.DIRECTORS])
        client = Client()
        client.force_login(user)
        rows = []
        with override_settings(DEBUG=True, ALLOWED_HOSTS=["testserver"]):
            for slug, count, points in (("small", 10, 48), ("large", 100, 48), ("long", 1, 36), ("longer", 1, 120)):
                strategy, first = make_strategy(slug, count, points)
                targets = []
                if count > 1:
                    targets.append((f"summary table, {count} metrics × {points} values", f"/metrics/{slug}/"))
                else:
                    targets.append((f"metric page, {points} values", f"/metrics/{slug}/{first.key}/"))
                for label, url in targets:
                    def get(url=url):
                        reset_queries()
                        response = client.get(url)
                        assert response.status_code == 200, response.status_code
                        return response, len(connection.queries)

                    seconds, (response, queries) = best_of(args.repeat, get)
                    rows.append((label, f"{seconds * 1000:.0f} ms", str(queries), f"{len(response.content) // 1024} KB"))
                if count == 1:
                    summary = metrics.metric_detail(slug, first.key)
                    seconds, svg = best_of(args.repeat, lambda: charts.spc_chart_svg(summary))
                    rows.append((f"spc_chart_svg, {points} values", f"{seconds * 1000:.0f} ms", "0",
                                 f"{len(svg) // 1024} KB"))
                    seconds, png = best_of(args.repeat, lambda: charts.spc_chart_png(summary))
                    rows.append((f"spc_chart_png, {points} values", f"{seconds * 1000:.0f} ms", "0",
                                 f"{len(png) // 1024} KB"))
        print("| what | best time | queries | size |\n|---|---|---|---|")
        for row in rows:
            print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()

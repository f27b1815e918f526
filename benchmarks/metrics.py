"""How long the metric pages and charts take: a 36-point and a 120-point metric page, the
summary table of 10 and of 100 metrics (48 values each), and the chart alone as SVG and PNG,
each with the chart drawn (chart cache emptied before every run) and served from the cache.

    .venv/bin/python benchmarks/metrics.py [--repeat 5]

Runs against a throwaway SQLite database in a temporary directory (never db.sqlite3). Prints a
Markdown table: best and slowest of --repeat runs after a first one, queries per request, size.
"""

import argparse
import datetime
import random
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# setup_django (throwaway SQLite) and best_of come from the board-pack benchmark beside this file.
from benchmarks.reports import best_of, setup_django


def make_strategy(slug: str, metrics: int, points: int):
    from goals.models import Metric, MetricValue, Strategy

    rng = random.Random(6)
    strategy = Strategy.objects.create(slug=slug, name=slug, organisation="Benchmark trust")
    rows = Metric.objects.bulk_create(
        [
            Metric(
                strategy=strategy,
                key=f"m{n}",
                name=f"Metric {n:03d} (illustrative)",
                improvement="down",
                target=Decimal(6),
                unit="per 1,000 bed days",
            )
            for n in range(metrics)
        ]
    )
    MetricValue.objects.bulk_create(
        [
            MetricValue(
                metric=m,
                date=datetime.date(2015 + i // 12, i % 12 + 1, 1),
                value=Decimal(f"{rng.gauss(7 if i < points // 2 else 5.8, 0.22):.2f}"),
                annotation="Change introduced" if i == points // 2 else "",
            )
            for m in rows
            for i in range(points)
        ],
        batch_size=2000,
    )
    return strategy, rows[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        setup_django(directory)
        from django.core.cache import caches
        from django.db import connection, reset_queries
        from django.test import Client
        from django.test.utils import override_settings

        from goals.core import permissions
        from goals.metrics import charts, selectors
        from tests.factories import UserFactory

        chart_cache = caches["charts"]
        user = UserFactory(username="bench")
        user.groups.add(permissions.ensure_role_groups()[permissions.DIRECTORS])
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

                    for how, fn in (
                        ("charts drawn", lambda get=get: (chart_cache.clear(), get())[1]),
                        ("charts cached", get),
                    ):
                        _, best, slowest, _, (response, queries) = best_of(args.repeat, fn)
                        rows.append(
                            (
                                f"{label}, {how}",
                                f"{best * 1000:.0f}–{slowest * 1000:.0f} ms",
                                str(queries),
                                f"{len(response.content) // 1024} KB",
                            )
                        )
                if count == 1:
                    summary = selectors.metric_detail(slug, first.key)
                    for name, draw in (
                        ("spc_chart_svg", charts.spc_chart_svg),
                        ("spc_chart_png", charts.spc_chart_png),
                    ):
                        for how, fn in (
                            ("drawn", lambda draw=draw, summary=summary: (chart_cache.clear(), draw(summary))[1]),
                            ("cached", lambda draw=draw, summary=summary: draw(summary)),
                        ):
                            _, best, slowest, _, chart = best_of(args.repeat, fn)
                            rows.append(
                                (
                                    f"{name}, {points} values, {how}",
                                    f"{best * 1000:.1f}–{slowest * 1000:.1f} ms",
                                    "0",
                                    f"{len(chart) // 1024} KB",
                                )
                            )
        print(f"| what | best–slowest of {args.repeat} | queries | size |\n|---|---|---|---|")
        for row in rows:
            print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()

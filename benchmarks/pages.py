"""Server time of the RAG status pages and the strategy pages at a large trust:
2,000 actions × 12 quarters (24,000 updates less the open quarter's missing ones), 20 BAF risks.

    .venv/bin/python benchmarks/pages.py [--requests 40] [--database /tmp/pages-benchmark.sqlite3]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/strategy_tracker_pages_bench .venv/bin/python benchmarks/pages.py

The trust is generated into its own SQLite file (never db.sqlite3; reused when it already holds the
trust, so a second run starts at once), or into the PostgreSQL database DATABASE_URL names (its
tables are created if missing; use a database of its own). Each page is requested through
Django's test client as a signed-in director with DEBUG off (templates cached, as in production):
three untimed warm-up requests, then --requests timed ones. Prints a Markdown table of median and
p95 server (wall-clock) time, the median CPU time of the process (what the page costs, whatever
else the machine is doing), the query count and the response size. Target (docs/performance.md): p95 under
150 ms per page on the 2-core development machine.
"""

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.harness import print_misses, print_page_table, setup_django  # noqa: E402

TRUST = {  # 10 goals × 10 objectives × 20 actions = 2,000 actions, 12 quarters
    "goals": 10,
    "objectives_per_goal": 10,
    "actions_per_objective": 20,
    "quarters": 12,
    "risks": 20,
    "measures_per_objective": 1,
    "people": 200,
    "slug": "benchmark-trust",
}


def trust():
    """The generated trust, made once per database, with fresh planner statistics: after a bulk
    load PostgreSQL's autovacuum would run ANALYZE within a minute; without it the planner takes
    the tables for empty and one dashboard query goes from 4 ms to 100 ms."""
    from django.db import connection

    from benchmarks.generator import generate_trust
    from goals.models import Strategy

    strategy = Strategy.objects.filter(slug=TRUST["slug"]).first()
    if strategy is None:
        start = time.perf_counter()
        generate_trust(**TRUST)
        print(f"generated the trust in {time.perf_counter() - start:.1f} s", file=sys.stderr)
        strategy = Strategy.objects.get(slug=TRUST["slug"])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return strategy


def director():
    from django.contrib.auth import get_user_model

    from goals.core import permissions

    user, _ = get_user_model().objects.get_or_create(username="benchmark-director")
    user.groups.add(permissions.ensure_role_groups()[permissions.DIRECTORS])
    return user


def pages(strategy) -> list[tuple[str, str]]:
    from django.urls import reverse

    from goals.models import Action, ActionUpdate

    periods = list(strategy.periods.chronological())
    latest = periods[-1].slug  # the open quarter: a mix of approved, submitted, draft and missing
    reported = periods[-2].slug  # a complete quarter
    goal = strategy.goals.order_by("order").first()
    action = Action.objects.filter(objective__goal__strategy=strategy).order_by("pk").first()
    red = ActionUpdate.objects.filter(period=periods[-2], rag="red").values_list("action_id", flat=True).first()
    actions = reverse("goals:action_list")
    query = f"strategy={strategy.slug}&quarter={reported}"
    slug = strategy.slug
    return [
        ("Dashboard (open quarter)", reverse("goals:dashboard", kwargs={"slug": slug, "quarter": latest})),
        ("Dashboard (reported quarter)", reverse("goals:dashboard", kwargs={"slug": slug, "quarter": reported})),
        ("Heat map (8 quarters)", reverse("goals:heat_map", kwargs={"slug": slug, "quarter": reported})),
        ("Action list, page 1", f"{actions}?{query}"),
        ("Action list, Red and Amber, worst first", f"{actions}?{query}&rag=red&rag=amber&sort=-rag"),
        ("Action list, text search", f"{actions}?{query}&q=slippage&movement=deteriorated"),
        ("Action list, last page by movement", f"{actions}?{query}&sort=movement&page=80"),
        ("Download CSV (2,000 rows)", f"{reverse('goals:action_list_csv')}?{query}"),
        ("Download Excel (2,000 rows)", f"{reverse('goals:action_list_xlsx')}?{query}"),
        ("BAF risks", reverse("goals:risks", kwargs={"slug": slug, "quarter": reported})),
        ("BAF risk history", reverse("goals:risk_history", kwargs={"slug": slug, "number": "01"})),
        ("Action page (timeline, history)", reverse("goals:action_detail", kwargs={"pk": red or action.pk})),
        ("Strategy list", reverse("goals:strategy_list")),
        ("Strategy page", strategy.get_absolute_url()),
        ("Goal page (200 actions)", goal.get_absolute_url()),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=40, help="timed requests per page (at least 30)")
    parser.add_argument("--database", default="/tmp/strategy-tracker-pages-benchmark.sqlite3", help="SQLite file")
    args = parser.parse_args()
    if args.requests < 30:
        parser.error("--requests must be at least 30")
    where = setup_django(args.database)

    from django.test import Client

    from goals.models import Action, ActionUpdate

    strategy = trust()
    client = Client()
    client.force_login(director())
    print(
        f"{where}: {Action.objects.filter(objective__goal__strategy=strategy).count():,} actions, "
        f"{strategy.periods.count()} quarters, {ActionUpdate.objects.filter(period__strategy=strategy).count():,} "
        f"updates; {args.requests} timed requests per page\n"
    )
    misses = print_page_table([(label, client, url) for label, url in pages(strategy)], args.requests)
    print_misses(misses)


if __name__ == "__main__":
    main()

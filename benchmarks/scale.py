"""How each page's cost grows with the trust: the same pages measured at 200, 2,000 and 20,000
actions (8 quarters each) side by side in one run, with a trivial view as the floor and Django
admin's ActionUpdate changelist over the same strategy as the reference.

    .venv/bin/python benchmarks/scale.py [--requests 5] [--large-requests 3] [--sizes 200 2000 20000]
        [--database /tmp/strategy-tracker-scale-benchmark.sqlite3] [--pages strategy heat dashboard]

The three trusts are generated once into their own SQLite file (never db.sqlite3) and reused by
later runs: the 20,000-action trust takes a few minutes to generate. Each page is requested through
Django's test client as a signed-in superuser with DEBUG off (templates cached, as in production):
three untimed warm-up requests (one for the pack preview at the largest size), then a few timed
ones. Prints, per page and size, the median CPU milliseconds of this process (time.process_time:
what the page costs, whatever else the shared machine is doing), the query count and the response
size; then the ratio of 20,000 to 2,000 (target ≤ 1.3 for every page whose output does not grow
with the data) and each page's cost relative to the floor and to the admin changelist.

The quarter pages show the last published quarter unless labelled "open quarter" (the generator
leaves the last quarter open). The strategy page, heat map, dashboard and action list are read from the pages'
cache once computed; their rows ending ", cache emptied" empty it before each timed request (what
the first request after a write costs). --pages measures only some pages (and the floor and admin).

The pack preview is measured twice: built (the pages cache emptied before each request, so it
reads, assembles and renders the pack, and stores it) and cached (the quarter is published, so a
second preview reads it from the pages cache). Then the pack's own steps, per size and layout:
read (`read_pack`), assemble (`assemble_report`) and render (`preview_html`), median CPU ms.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.harness import setup_django  # noqa: E402

QUARTERS = 8
# Rows so labelled empty the pages' cache (goals.core.caching) before each timed request: what the
# first request after a write costs. The other rows of these pages are measured warm, as readers meet them.
COLD = ", cache emptied"


def shape(actions: int) -> dict:
    """10 goals × 10 objectives × N actions (N = actions / 100), one person per ten actions."""
    return {
        "goals": 10,
        "objectives_per_goal": 10,
        "actions_per_objective": max(1, actions // 100),
        "quarters": QUARTERS,
        "risks": 20,
        "measures_per_objective": 1,
        "people": max(10, actions // 10),
        "slug": f"scale-{actions}",
    }


def trust(actions: int):
    from benchmarks.generator import generate_trust
    from goals.models import Strategy

    settings = shape(actions)
    strategy = Strategy.objects.filter(slug=settings["slug"]).first()
    if strategy is None:
        start = time.perf_counter()
        generate_trust(**settings)
        print(f"generated {actions:,} actions in {time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)
        strategy = Strategy.objects.get(slug=settings["slug"])
    return strategy


def floor(request):
    """The trivial view: what any signed-in request costs (sessions, middleware, auth)."""
    from django.http import HttpResponse

    return HttpResponse("ok")


def _urlpatterns():
    from django.urls import include, path

    return [path("benchmark-floor/", floor, name="benchmark_floor"), path("", include("strategy_tracker.urls"))]


def pages(strategy) -> list[tuple[str, str]]:
    from django.urls import reverse

    periods = list(strategy.periods.chronological())
    reported = periods[-2]  # a complete published quarter
    slug = strategy.slug
    kwargs = {"slug": slug, "quarter": reported.slug}
    open_quarter = {"slug": slug, "quarter": periods[-1].slug}  # some updates submitted
    return [
        ("Floor (trivial view)", "/benchmark-floor/"),
        ("Admin ActionUpdate changelist", f"/admin/goals/actionupdate/?period__strategy__id__exact={strategy.pk}"),
        ("Action list, page 1", f"{reverse('goals:action_list')}?strategy={slug}&quarter={reported.slug}"),
        (f"Action list, page 1{COLD}", f"{reverse('goals:action_list')}?strategy={slug}&quarter={reported.slug}"),
        ("Strategy page", strategy.get_absolute_url()),
        (f"Strategy page{COLD}", strategy.get_absolute_url()),
        ("Heat map (published quarter)", reverse("goals:heat_map", kwargs=kwargs)),
        (f"Heat map (published quarter){COLD}", reverse("goals:heat_map", kwargs=kwargs)),
        ("Heat map (open quarter)", reverse("goals:heat_map", kwargs=open_quarter)),
        ("Dashboard (published quarter)", reverse("goals:dashboard", kwargs=kwargs)),
        (f"Dashboard (published quarter){COLD}", reverse("goals:dashboard", kwargs=kwargs)),
        ("Dashboard (open quarter)", reverse("goals:dashboard", kwargs=open_quarter)),
        ("BAF risks", reverse("goals:risks", kwargs=kwargs)),
        ("Tracker (open quarter)", reverse("goals:tracker", kwargs={"slug": slug, "period": periods[-1].slug})),
        ("Pack preview (HTML, progress)", reverse("reports:pack_preview", kwargs={**kwargs, "layout": "progress"})),
        ("Pack preview, cached", reverse("reports:pack_preview", kwargs={**kwargs, "layout": "progress"})),
    ]


def fresh_pages_cache() -> None:
    """Forget every computed page (goals.core.caching), so the next request computes its own."""
    from django.core.cache import caches

    caches["pages"].clear()


def measure(client, url: str, requests: int, warm: int, before=None) -> dict:
    """Median CPU ms, queries and size of `requests` requests after `warm` untimed ones; `before()`
    runs before each timed request, untimed."""
    from django.db import connection

    for _ in range(warm):
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
    connection.force_debug_cursor = True
    cpu = []
    try:
        for _ in range(requests):
            if before:
                before()
            connection.queries_log.clear()
            start = time.process_time()
            response = client.get(url)
            cpu.append((time.process_time() - start) * 1000)
            queries = len(connection.queries_log)
    finally:
        connection.force_debug_cursor = False
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    return {"cpu": statistics.median(cpu), "queries": queries, "size": len(response.content)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 2000, 20000])
    parser.add_argument("--requests", type=int, default=5, help="timed requests per page below 20,000 actions")
    parser.add_argument("--large-requests", type=int, default=3, help="timed requests per page at 20,000 actions")
    parser.add_argument("--database", default="/tmp/strategy-tracker-scale-benchmark.sqlite3", help="SQLite file")
    parser.add_argument(
        "--pages", nargs="+", default=[], help="measure only the pages whose label contains one of these words"
    )
    args = parser.parse_args()
    os.environ.pop("DATABASE_URL", None)
    where = setup_django(args.database)

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    sys.modules[__name__].urlpatterns = _urlpatterns()
    settings.ROOT_URLCONF = __name__
    settings.ALLOWED_HOSTS = ["*"]

    strategies = {size: trust(size) for size in args.sizes}
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    user, _ = get_user_model().objects.get_or_create(
        username="scale-benchmark", defaults={"is_superuser": True, "is_staff": True}
    )
    client = Client()
    client.force_login(user)

    load_before = os.getloadavg()
    print(f"{where}; {QUARTERS} quarters per trust; load average {load_before[0]:.1f} on {os.cpu_count()} cores")
    print("CPU ms = median process CPU time per request (time.process_time), not wall time\n")
    results: dict[tuple[str, int], dict | str] = {}

    def chosen(label: str) -> bool:
        always = label.startswith(("Floor", "Admin"))  # the floor and the reference of every ratio
        return always or not args.pages or any(word.lower() in label.lower() for word in args.pages)

    labels = [label for label, _ in pages(strategies[args.sizes[0]]) if chosen(label)]
    for size, strategy in strategies.items():
        large = size >= 20000
        for label, url in pages(strategy):
            if not chosen(label):
                continue
            built = label == "Pack preview (HTML, progress)"
            cold = built or label.endswith(COLD)
            requests = 1 if (built and large) else (args.large_requests if large else args.requests)
            warm = 1 if label.startswith("Pack") else 3
            try:
                results[(label, size)] = measure(client, url, requests, warm, fresh_pages_cache if cold else None)
            except Exception as error:  # one page failing must not hide the others
                results[(label, size)] = f"failed: {str(error).splitlines()[0][:60]}"
            print(f"  measured {label} at {size:,}", file=sys.stderr, flush=True)

    sizes = args.sizes
    header = " | ".join(f"{s:,}: CPU ms / queries / KB" for s in sizes)
    print(f"| page | {header} | ratio {sizes[-1]:,}/{sizes[-2]:,} | × floor | × admin |" if len(sizes) > 1 else "")
    print("|---|" + "---:|" * len(sizes) + "---:|---:|---:|")
    largest = sizes[-1]
    for label in labels:
        cells = []
        for size in sizes:
            m = results[(label, size)]
            cells.append(m if isinstance(m, str) else f"{m['cpu']:.0f} / {m['queries']} / {m['size'] / 1024:.0f}")
        last, before = results[(label, sizes[-1])], results[(label, sizes[-2])] if len(sizes) > 1 else None
        fl, ad = results[("Floor (trivial view)", largest)], results[("Admin ActionUpdate changelist", largest)]
        ok = all(isinstance(x, dict) for x in (last, before, fl, ad))
        ratio = f"{last['cpu'] / before['cpu']:.2f}" if ok else ""
        x_floor = f"{last['cpu'] / fl['cpu']:.1f}" if ok else ""
        x_admin = f"{last['cpu'] / ad['cpu']:.2f}" if ok else ""
        print(f"| {label} | {' | '.join(cells)} | {ratio} | {x_floor} | {x_admin} |")
    print(f"\nload average before {load_before[0]:.1f}, after {os.getloadavg()[0]:.1f}")
    if chosen("Pack"):
        pack_steps(strategies, args.requests, args.large_requests)


def pack_steps(strategies: dict, requests: int, large_requests: int) -> None:
    """The pack preview's steps, per size and layout: median CPU ms of read, assemble, render."""
    from reports.builder import assemble_report, read_pack, report_period
    from reports.cover import cover_sheet_snapshot, with_cover_sheet
    from reports.renderers.html import preview_html

    def cpu(fn, repeat):
        times, result = [], None
        for _ in range(repeat):
            start = time.process_time()
            result = fn()
            times.append((time.process_time() - start) * 1000)
        return result, statistics.median(times)

    load = os.getloadavg()[0]
    print(f"\nPack preview by step, median CPU ms (load average {load:.1f})\n")
    print("| layout | actions | read | assemble | render | total | KB |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for layout in ("progress", "highlight"):
        for size, strategy in strategies.items():
            repeat = large_requests if size >= 20000 else requests
            period = report_period(strategy.slug, list(strategy.periods.chronological())[-2].slug)
            data, read_ms = cpu(lambda period=period: read_pack(period), repeat)
            report, assemble_ms = cpu(lambda data=data, layout=layout: assemble_report(data, layout=layout), repeat)
            report = with_cover_sheet(report, cover_sheet_snapshot(period=period, layout=layout))
            html, render_ms = cpu(lambda report=report: preview_html(report), repeat)
            total = read_ms + assemble_ms + render_ms
            print(
                f"| {layout} | {size:,} | {read_ms:.0f} | {assemble_ms:.0f} | {render_ms:.0f} | {total:.0f} | "
                f"{len(html) / 1024:.0f} |"
            )
    print(f"\nload average after {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()

"""Server time of the quarterly-cycle pages and of a lead's save at a large trust: the
same generated trust as benchmarks/pages.py (2,000 actions × 12 quarters, 200 people, so each
lead has about 10 actions and each SRO about 10 to review).

    .venv/bin/python benchmarks/cycle.py [--requests 40] [--database /tmp/cycle-benchmark.sqlite3]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/strategy_tracker_cycle_bench .venv/bin/python benchmarks/cycle.py

Pages are requested through Django's test client, DEBUG off, three untimed warm-ups then
--requests timed ones (benchmarks/harness.py). Prints a Markdown table of median and p95 server
time, median CPU time, queries and size. Target: p95 under 150 ms per page on the 2-core machine.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.harness import percentile, print_misses, print_page_table, setup_django  # noqa: E402
from benchmarks.pages import trust  # noqa: E402


def user_for(username: str, *, person=None, group=None):
    from django.contrib.auth import get_user_model

    from goals.core import permissions

    user, _ = get_user_model().objects.get_or_create(username=username)
    if group:
        user.groups.add(permissions.ensure_role_groups()[group])
    if person is not None and person.user_id != user.pk:
        type(person).objects.filter(user=user).update(user=None)
        person.user = user
        person.save(update_fields=["user"])
    return user


def pages(strategy, people) -> list[tuple[str, str, str]]:
    from django.urls import reverse

    from goals.models import Action, SuccessMeasure

    period = strategy.periods.chronological().last()  # the open quarter
    action = Action.objects.filter(objective__goal__strategy=strategy, leads=people["lead"]).order_by("pk").first()
    measure_ = SuccessMeasure.objects.filter(objective=action.objective).first()
    tracker = reverse("goals:tracker", kwargs={"slug": strategy.slug, "period": period.slug})
    return [
        ("lead", "My updates (10 actions)", reverse("goals:my_updates")),
        (
            "lead",
            "Update page (form, last quarter, history)",
            reverse("goals:update_edit", kwargs={"pk": action.pk, "period": period.slug}),
        ),
        ("lead", "Evidence page", reverse("goals:evidence_edit", kwargs={"pk": measure_.pk, "period": period.slug})),
        ("sro", "To review", reverse("goals:to_review")),
        ("programme_office", "Tracker, page 1 of 2,000 actions", tracker),
        ("programme_office", "Tracker, missing only", f"{tracker}?state=missing"),
        ("programme_office", "Tracker, last page sorted by state", f"{tracker}?sort=state&page=40"),
        ("programme_office", "Quarters", reverse("goals:period_list")),
    ]


def time_saves(strategy, lead, count: int) -> tuple[float, float]:
    """Median and p95 ms of update_save on the lead's action (a draft save, version checked)."""
    from goals.cycle import services
    from goals.models import Action, ActionUpdate

    period = strategy.periods.chronological().last()
    action = Action.objects.filter(objective__goal__strategy=strategy, leads__user=lead).order_by("pk").first()
    timings = []
    for i in range(count):
        current = ActionUpdate.objects.filter(action=action, period=period).first()
        if current is not None and current.state not in services.EDITABLE_UPDATE_STATES:
            ActionUpdate.objects.filter(pk=current.pk).update(state="draft")
        version = current.version if current else 0
        start = time.perf_counter()
        services.update_save(
            action=action, period=period, fields={"progress": f"Benchmark save {i}."}, version=version, by=lead
        )
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings), percentile(timings, 0.95)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=40, help="timed requests per page (at least 30)")
    parser.add_argument("--database", default="/tmp/strategy-tracker-cycle-benchmark.sqlite3", help="SQLite file")
    args = parser.parse_args()
    if args.requests < 30:
        parser.error("--requests must be at least 30")
    where = setup_django(args.database)

    from django.test import Client

    from goals.core import permissions
    from goals.models import Action, Person

    strategy = trust()
    sro = Person.objects.filter(sro_actions__objective__goal__strategy=strategy).order_by("pk").first()
    leads = Person.objects.filter(led_actions__objective__goal__strategy=strategy).exclude(pk=sro.pk)
    lead = leads.order_by("pk").first()
    users = {
        "lead": user_for("benchmark-lead", person=lead),
        "sro": user_for("benchmark-sro", person=sro),
        "programme_office": user_for("benchmark-programme-office", group=permissions.PROGRAMME_OFFICE),
    }
    clients = {}
    for role, user in users.items():
        clients[role] = Client()
        clients[role].force_login(user)
    print(
        f"{where}: {Action.objects.filter(objective__goal__strategy=strategy).count():,} actions; "
        f"lead leads {lead.led_actions.count()}, SRO owns {sro.sro_actions.count()}; "
        f"{args.requests} timed requests per page\n"
    )
    misses = print_page_table(
        [(label, clients[role], url) for role, label, url in pages(strategy, {"lead": lead})], args.requests
    )
    median, p95 = time_saves(strategy, users["lead"], args.requests)
    print(f"| `update_save` (service, draft) | {median:.0f} | {p95:.0f} | | | |")
    print_misses(misses)


if __name__ == "__main__":
    main()

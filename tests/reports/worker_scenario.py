"""Run by tests/reports/test_publishing.py in a process of its own, against a SQLite file (the
argument) and the database task backend: `queue` makes a small trust and queues the publication of
its open quarter (nothing is rendered: the request's part only); `status` prints the publication's
status and its number of stored files.

    python tests/reports/worker_scenario.py queue|status /tmp/x.sqlite3
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def main(step: str, database: str) -> None:
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("TASKS_BACKEND", None)
    os.environ["SQLITE_PATH"] = database
    os.environ["DJANGO_SETTINGS_MODULE"] = "strategy_tracker.settings"
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from goals.core import permissions
    from goals.core.choices import PeriodState
    from goals.models import Period
    from reports.models import Publication
    from reports.services import publication_publish

    if step == "queue":
        from benchmarks.generator import generate_trust

        call_command("migrate", verbosity=0)
        call_command("createcachetable", verbosity=0)  # as `make migrate` and the deployment do
        trust = generate_trust(goals=1, objectives_per_goal=1, actions_per_objective=2, quarters=1, slug="worker-trust")
        user = get_user_model().objects.create_user("worker-secretary")
        user.groups.add(permissions.ensure_role_groups()[permissions.PROGRAMME_OFFICE])
        period = Period.objects.get(strategy=trust.strategy, state=PeriodState.OPEN)
        publication = publication_publish(period=period, layout="progress", by=user)
        print(publication.status)
    else:
        publication = Publication.objects.get()
        print(publication.status, publication.files.count(), publication.period.state)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

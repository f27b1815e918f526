"""`manage.py db_worker` as tests/browser/test_publishing.py runs it, in a process of its own, with one
difference: a pack is rendered only once the file GATE exists (the test creates it after the Board
packs page has shown the pack as rendering), so the page can be seen in that state however fast the
render is. The publication is marked rendering before the wait, as the product does; after the wait,
the product's own code renders and stores it. The database and settings come from the environment,
as for manage.py.

    python tests/browser/publishing_worker.py GATE [db_worker options]
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GATE_TIMEOUT_SECONDS = 120  # after that the render goes ahead: a forgotten gate never hangs the worker


def main(gate: Path, options: list[str]) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()
    from django.core.management import execute_from_command_line

    from reports import services

    build_report = services.build_report

    def build_report_once_the_gate_opens(**kwargs):
        deadline = time.monotonic() + GATE_TIMEOUT_SECONDS
        while not gate.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        return build_report(**kwargs)

    services.build_report = build_report_once_the_gate_opens
    execute_from_command_line(["manage.py", "db_worker", *options])


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2:])

"""The settings the tests run with: the application's own, with the development secret key allowed
(the tests run with DEBUG off, as production does, but have no SECRET_KEY to keep).

On SQLite the test database is a file in the temporary directory, not Django's shared in-memory
database, so that a second process can open the very database the live server uses: the real
`manage.py db_worker` of tests/browser/test_publishing.py. One file per test process (pytest-django
adds _gw0, _gw1, … under xdist); Django removes it when the run ends."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("ALLOW_INSECURE_SECRET_KEY", "1")

from strategy_tracker.settings import *  # noqa: F403
from strategy_tracker.settings import DATABASES

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"strategy-tracker-tests-{os.getpid()}.sqlite3")
    }

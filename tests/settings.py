"""The settings the tests run with: the application's own, with the development secret key allowed
(the tests run with DEBUG off, as production does, but have no SECRET_KEY to keep)."""

import os

os.environ.setdefault("ALLOW_INSECURE_SECRET_KEY", "1")

from strategy_tracker.settings import *  # noqa: F403

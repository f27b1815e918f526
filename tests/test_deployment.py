"""Production settings come from the environment and pass Django's deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from strategy_tracker.settings import database_from_url

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "x" * 20 + "a-long-random-production-secret-key-value",
    "ALLOWED_HOSTS": "strategy.example.nhs.uk",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
    "SECURE_HSTS_PRELOAD": "1",
}


def test_check_deploy_is_clean_with_production_settings():
    # A deployment has neither the test database nor the browser tests' async override.
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env |= PRODUCTION_ENV
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


def test_database_url_for_postgresql():
    db = database_from_url("postgres://tracker:s%40cret@db.internal:5433/strategy")
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "strategy",
        "tracker",
        "s@cret",
        "db.internal",
        "5433",
    )


def test_database_url_refuses_unknown_schemes():
    with pytest.raises(ValueError, match="unsupported scheme 'mysql'"):
        database_from_url("mysql://root@localhost/x")


def run_manage(*args, **env_changes):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    for name in ("SECRET_KEY", "ALLOW_INSECURE_SECRET_KEY", "DJANGO_SETTINGS_MODULE"):
        env.pop(name, None)
    env |= env_changes
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_the_process_refuses_to_start_without_a_secret_key_when_debug_is_off():
    result = run_manage("check", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
    assert run_manage("check", DEBUG="1").returncode == 0  # development keeps working


def test_database_url_options_reach_the_driver_and_connections_are_health_checked():
    db = database_from_url("postgres://tracker:pw@db.internal:5432/strategy?sslmode=require&connect_timeout=5")
    assert db["OPTIONS"] == {"sslmode": "require", "connect_timeout": 5}
    assert db["CONN_HEALTH_CHECKS"] is True and db["CONN_MAX_AGE"] == 60


def test_connections_are_health_checked_by_default(settings):
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True

"""Every page carries a strict Content-Security-Policy and a Permissions-Policy; signed-in pages are
`Cache-Control: private, no-store`; no page has an inline script, style element or style attribute;
the documented production settings pass `check --deploy --fail-level WARNING`."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.metrics.test_chart_safety import falls_with_text  # noqa: F401  (fixture)

ROOT = Path(__file__).resolve().parent.parent.parent
INLINE = [
    re.compile(r"<script(?![^>]*\bsrc=)[^>]*>"),  # a script element without src
    re.compile(r"<style\b"),
    re.compile(r"\sstyle=\""),
    re.compile(r"\son[a-z]+=\""),  # event-handler attributes
]


def pages(cycle, metric):
    slug, quarter = "better-care", "2024-Q3"
    return [
        reverse("goals:strategy_list"),
        reverse("goals:strategy_detail", args=[slug]),
        reverse("goals:action_detail", args=[cycle.action.pk]),
        reverse("goals:dashboard", args=[slug, quarter]),
        reverse("goals:heat_map", args=[slug, quarter]),
        reverse("goals:risks", args=[slug, quarter]),
        reverse("goals:action_list"),
        reverse("goals:tracker", args=[slug, quarter]),
        reverse("goals:period_list"),
        reverse("goals:metric_list", args=[slug]),
        reverse("goals:metric_detail", args=[slug, metric.key]),
        reverse("goals:metric_values_upload", args=[slug, metric.key]),
        reverse("reports:pack_index"),
        reverse("reports:pack", args=[slug]),
        reverse("reports:pack_preview", args=[slug, quarter, "progress"]),
    ]


def assert_strict(response, url):
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy, url
    assert "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy, url
    assert "camera=()" in response["Permissions-Policy"], url


@pytest.mark.django_db
def test_signed_in_pages_are_strict_uncached_and_have_nothing_inline(client, cycle, secretary, falls_with_text):  # noqa: F811
    client.force_login(secretary)
    for url in pages(cycle, falls_with_text):
        check_page(client, url)
    client.force_login(cycle.lead)
    check_page(client, reverse("goals:update_edit", args=[cycle.action.pk, "2024-Q3"]))


def check_page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert_strict(response, url)
    assert response["Cache-Control"] == "private, no-store", url
    html = response.content.decode()
    for pattern in INLINE:
        assert not pattern.search(html), (url, pattern.pattern, pattern.search(html)[0])


@pytest.mark.django_db
def test_the_sign_in_page_is_strict_too(client):
    response = client.get(reverse("login"))
    assert_strict(response, "login")
    assert not any(pattern.search(response.content.decode()) for pattern in INLINE)


@pytest.mark.django_db
def test_the_palette_stylesheet_needs_no_sign_in(client):
    response = client.get(reverse("goals:palette_css"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/css")
    assert ".app-width-37 { width: 37%; }" in response.content.decode()


def documented_environment() -> dict:
    """The `export NAME=value` lines of docs/deployment.md (its production steps)."""
    text = (ROOT / "docs" / "deployment.md").read_text()
    env = {}
    for line in re.findall(r"^export (.+)$", text, re.M):
        for name, value in re.findall(r'([A-Z_]+)=("[^"]*"|\S+)', line):
            env[name] = value.strip('"')
    return env


def test_the_documented_production_settings_pass_check_deploy():
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.pop("ALLOW_INSECURE_SECRET_KEY", None)
    documented = documented_environment()
    assert {"SECRET_KEY", "ALLOWED_HOSTS", "SECURE_HSTS_SECONDS"} <= set(documented)
    documented.pop("DATABASE_URL", None)  # no database server here; check --deploy needs none
    documented["SECRET_KEY"] = "a-long-random-production-secret-key-value-" + "x" * 30
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env | documented,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr

"""The container build and compose file: a multi-stage image whose runtime has no Node, Chromium or
compilers; PostgreSQL, two web replicas behind a proxy, started by one command."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def stages():
    text = (ROOT / "Dockerfile").read_text()
    found, current = {}, None
    for line in text.splitlines():
        if line.startswith("FROM "):
            current = line.split()[-1]
            found[current] = [line]
        elif current:
            found[current].append(line)
    return {name: "\n".join(lines) for name, lines in found.items()}


def test_the_image_is_built_in_stages_and_the_runtime_has_no_build_tools():
    built = stages()
    assert list(built) == ["assets", "build", "runtime"]
    assert "node:" in built["assets"] and "npm ci" in built["assets"]
    assert "--no-dev" in built["build"] and "STATIC_MANIFEST=1" in built["build"] and "collectstatic" in built["build"]
    runtime = built["runtime"].lower()
    for absent in ("node", "npm", "chromium", "playwright", "gcc", "build-essential", "make setup"):
        assert absent not in runtime.replace("node_modules", ""), absent
    assert "gunicorn" in runtime and "user tracker" in runtime


def test_compose_runs_postgresql_two_web_replicas_behind_a_proxy():
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    services = compose["services"]
    assert services["db"]["image"].startswith("postgres:")
    assert services["web"]["deploy"]["replicas"] == 2
    assert services["web"]["environment"]["DATABASE_URL"].startswith("postgres://")
    assert "SECRET_KEY" in services["web"]["environment"]
    assert services["proxy"]["image"].startswith("nginx:") and "web" in services["proxy"]["depends_on"]
    migrate = " ".join(services["migrate"]["command"])
    assert "manage.py migrate --noinput" in migrate and "manage.py createcachetable" in migrate
    assert services["worker"]["command"] == ["python", "manage.py", "db_worker"]
    nginx = (ROOT / "deploy" / "nginx.conf").read_text()
    assert "server web:8000" in nginx and "X-Forwarded-Proto" in nginx


def test_the_deployment_docs_no_longer_run_make_setup_on_a_server():
    docs = (ROOT / "docs" / "deployment.md").read_text()
    assert "docker compose up --build -d" in docs
    assert "\nmake setup" not in docs and "pg_dump" in docs and "pg_restore" in docs

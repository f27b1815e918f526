# Strategy Tracker: `make run` (set up, load the demo, serve) and `make test` (set up, run every test).
# Every target is idempotent and works on a fresh Debian/Ubuntu machine with Python 3.11: run as root
# it installs the missing system packages itself; otherwise it says which to install.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := .venv
PYTHON ?= python3.11
HOST ?= 127.0.0.1
PORT ?= 8000
# chromium drives the browser tests (chromium-headless-shell when headless: the same engine, less CPU); pango/harfbuzz are WeasyPrint's (PDF); fonts for the packs;
# poppler-utils (pdfinfo, pdftotext) reads the packs back in the tests.
APT_PACKAGES := chromium chromium-headless-shell libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation2 poppler-utils
UV := $(or $(shell command -v uv 2>/dev/null),$(CURDIR)/.tools/bin/uv)
PY := .venv/bin/python
# Local targets run with DEBUG off unless told otherwise; without a SECRET_KEY they may use the
# public development key (production sets SECRET_KEY and never runs these targets).
DEV := ALLOW_INSECURE_SECRET_KEY=$${ALLOW_INSECURE_SECRET_KEY:-1}

.PHONY: setup system-packages uv venv assets migrate demo run test test-fast lint check clean

setup: system-packages venv assets ## Install everything into .venv/ and node_modules/, assets ready

system-packages:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	command -v npm >/dev/null 2>&1 || missing="$$missing nodejs npm"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing system packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else \
	    echo "Missing system packages:$$missing"; echo "Install them with: sudo apt-get install$$missing"; exit 1; \
	  fi; \
	fi

$(UV):
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 ($(PYTHON)) is required"; exit 1; }
	$(PYTHON) -m venv .tools && .tools/bin/pip install -q uv

uv: $(UV)

venv: $(UV)
	$(UV) sync --frozen --python $(PYTHON) --quiet

assets:
	@test -f node_modules/nhsuk-frontend/package.json && npm ls --silent >/dev/null 2>&1 || npm ci --no-audit --no-fund --loglevel=error
	$(PY) scripts/vendor_frontend.py
	@mkdir -p staticfiles  # collectstatic's target; WhiteNoise expects it to exist

migrate: setup
	$(DEV) $(PY) manage.py migrate --noinput
	$(DEV) $(PY) manage.py createcachetable  # the shared caches: SPC charts and computed pages (settings.CACHES)

demo: migrate ## Import the demo strategies and users (idempotent)
	$(DEV) $(PY) manage.py load_demo  # with the published packs of the quarters it imports as published

run: demo ## Serve the app with the demo data on http://$(HOST):$(PORT), and the background worker beside it
	export DEBUG=$${DEBUG:-1}; \
	$(PY) manage.py db_worker --queue-name '*' & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

test: setup ## Every test: unit, view, import/export, reports and browser (axe)
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest $(PYTEST_ARGS)

test-fast: venv ## The tests without the browser
	$(PY) -m pytest -m "not browser" $(PYTEST_ARGS)

lint: venv ## Lint, formatting and the architecture contracts (pyproject.toml)
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/lint-imports

check: ## Django's deploy checks with production-like settings
	DEBUG=0 SECRET_KEY=$$(head -c 48 /dev/urandom | base64) ALLOWED_HOSTS=example.nhs.uk \
	  SECURE_SSL_REDIRECT=1 SECURE_HSTS_SECONDS=31536000 SECURE_HSTS_INCLUDE_SUBDOMAINS=1 SECURE_HSTS_PRELOAD=1 \
	  $(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf .venv .tools node_modules static/vendor static/root staticfiles

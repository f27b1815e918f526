# syntax=docker/dockerfile:1
# Strategy Tracker: a production image. Three stages:
#   assets  (Node)   npm ci: NHS.UK frontend
#   build   (Python) the virtual environment (runtime dependencies only, no test tools) and the
#                    static files, vendored and collected (hashed names, STATIC_MANIFEST=1)
#   runtime (Python) the app, its virtual environment and static files, WeasyPrint's libraries and
#                    fonts: no Node, no Chromium, no compilers; gunicorn as an unprivileged user.
# Build and run everything with `docker compose up --build` (compose.yaml, docs/deployment.md).

FROM node:20-bookworm-slim AS assets
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

FROM python:3.11-slim-bookworm AS build
ENV UV_PROJECT_ENVIRONMENT=/app/.venv UV_PYTHON_DOWNLOADS=never UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy
RUN pip install --no-cache-dir uv
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project
COPY . .
COPY --from=assets /src/node_modules ./node_modules
# The NHS.UK files into static/, then every static file collected with hashed names. collectstatic
# reads settings, which want a SECRET_KEY when DEBUG is off: this step alone may use the public one.
RUN python scripts/vendor_frontend.py \
 && mkdir -p staticfiles \
 && STATIC_MANIFEST=1 ALLOW_INSECURE_SECRET_KEY=1 /app/.venv/bin/python manage.py collectstatic --noinput \
 && rm -rf node_modules

FROM python:3.11-slim-bookworm AS runtime
# WeasyPrint (PDF packs) needs Pango and HarfBuzz; Liberation fonts for the packs.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation2 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /app tracker
WORKDIR /app
COPY --from=build /app/.venv /app/.venv
COPY --from=build /app/staticfiles /app/staticfiles
COPY --from=build /app/static/root /app/static/root
COPY manage.py pyproject.toml ./
COPY strategy_tracker strategy_tracker
COPY goals goals
COPY reports reports
COPY templates templates
COPY fixtures fixtures
ENV PATH=/app/.venv/bin:$PATH PYTHONUNBUFFERED=1 DEBUG=0 STATIC_MANIFEST=1 MPLCONFIGDIR=/tmp/matplotlib
USER tracker
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/health/', timeout=4).status == 200 else 1)"
CMD ["gunicorn", "strategy_tracker.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60", "--access-logfile", "-"]

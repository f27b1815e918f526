"""The read API, version 1: django-ninja operations over api.selectors. Every operation needs a
personal access token (`Authorization: Bearer <token>`), reads what the token's user may read,
and answers one page of rows: `{count, page, limit, next, results}`. The fact tables also answer
CSV (`?format=csv`) with the same columns."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from typing import Literal

from django.http import HttpRequest, StreamingHttpResponse
from django.utils.text import slugify
from ninja import NinjaAPI, Query, Schema
from ninja.errors import AuthenticationError, Throttled

from api import schemas, selectors
from api.auth import TokenAuth, TokenRateThrottle
from api.selectors import DEFAULT_LIMIT, MAX_LIMIT, BadFilter, Filters, Page, Window
from goals.core.downloads import safe_cell

api = NinjaAPI(
    title="Strategy Tracker read API",
    version="1",
    description=(
        "Read-only: strategies, their structure, what was reported each quarter, BAF risks, metrics "
        "with their SPC analysis, published packs, and flat fact tables for Power BI. "
        "Send a personal access token as `Authorization: Bearer <token>`."
    ),
    auth=TokenAuth(),
    throttle=[TokenRateThrottle()],
    docs_url=None,  # the documentation page is api.views.api_docs: local, NHS.UK styled
    urls_namespace="api:v1",
)


@api.exception_handler(BadFilter)
def bad_filter(request, error):
    return api.create_response(request, {"detail": str(error)}, status=400)


@api.exception_handler(AuthenticationError)
def unauthorised(request, error):
    response = api.create_response(request, {"detail": "A valid, unrevoked API token is required."}, status=401)
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(Throttled)
def throttled(request, error):
    response = api.create_response(request, {"detail": "Too many requests for this token."}, status=429)
    response["Retry-After"] = str(max(1, int(error.wait or 1)))
    return response


class ListParams(Schema):
    strategy: str | None = None  # a strategy's slug
    quarter: str | None = None  # "2024-Q2" or "Q2 2024/25"
    page: int = 1
    limit: int = DEFAULT_LIMIT


class UpdateParams(ListParams):
    state: Literal["approved", "submitted"] | None = None


class FactParams(ListParams):
    format: Literal["json", "csv"] = "json"


ERRORS = {400: schemas.Error, 401: schemas.Error, 429: schemas.Error}


def _next_link(request: HttpRequest, page: Page) -> str | None:
    if not page.has_next:
        return None
    query = request.GET.copy()
    query["page"] = str(page.window.page + 1)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def _answer(request: HttpRequest, selector: Callable[..., Page], params: ListParams, **extra) -> dict:
    filters = Filters.parse(params.strategy, params.quarter)
    page = selector(request.auth.user, filters, Window(params.page, params.limit), **extra)
    return {
        "count": page.count,
        "page": page.window.page,
        "limit": page.window.limit,
        "next": _next_link(request, page),
        "results": page.results,
    }


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return safe_cell(value)


def _csv_lines(columns: list[str], pages: Iterator[Page]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    yield "\ufeff" + buffer.getvalue()  # a byte-order mark: Excel reads accented names right
    for page in pages:
        buffer.seek(0)
        buffer.truncate()
        writer.writerows([_cell(row[c]) for c in columns] for row in page.results)
        yield buffer.getvalue()


def _fact_answer(request: HttpRequest, selector, schema: type[Schema], params: FactParams, name: str):
    if params.format == "json":
        return _answer(request, selector, params)
    filters = Filters.parse(params.strategy, params.quarter)
    user = request.auth.user
    if "page" in request.GET:  # one page, as the JSON
        pages = iter([selector(user, filters, Window(params.page, params.limit))])
    else:  # every page, read MAX_LIMIT rows at a time
        pages = _every_page(selector, user, filters)
    response = StreamingHttpResponse(
        _csv_lines(list(schema.model_fields), pages), content_type="text/csv; charset=utf-8"
    )
    filename = "-".join(part for part in (name, params.strategy, params.quarter) if part)
    response["Content-Disposition"] = f'attachment; filename="{slugify(filename)}.csv"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _every_page(selector, user, filters: Filters) -> Iterator[Page]:
    number = 1
    while True:
        page = selector(user, filters, Window(number, MAX_LIMIT))
        yield page
        if not page.has_next:
            return
        number += 1


# --- Structure ---------------------------------------------------------------------------------


@api.get("/strategies", response={200: schemas.page_schema(schemas.Strategy), **ERRORS}, tags=["Structure"])
def strategies(request, params: Query[ListParams]):
    """The strategies the token's user may read."""
    return _answer(request, selectors.strategies, params)


@api.get("/goals", response={200: schemas.page_schema(schemas.Goal), **ERRORS}, tags=["Structure"])
def goals(request, params: Query[ListParams]):
    return _answer(request, selectors.goals, params)


@api.get("/objectives", response={200: schemas.page_schema(schemas.Objective), **ERRORS}, tags=["Structure"])
def objectives(request, params: Query[ListParams]):
    return _answer(request, selectors.objectives, params)


@api.get("/actions", response={200: schemas.page_schema(schemas.Action), **ERRORS}, tags=["Structure"])
def actions(request, params: Query[ListParams]):
    """Actions with their full numbers, SROs and programme leads."""
    return _answer(request, selectors.actions, params)


@api.get("/quarters", response={200: schemas.page_schema(schemas.Quarter), **ERRORS}, tags=["Structure"])
def quarters(request, params: Query[ListParams]):
    return _answer(request, selectors.quarters, params)


# --- Reported each quarter -----------------------------------------------------------------------


@api.get("/action-updates", response={200: schemas.page_schema(schemas.ActionUpdate), **ERRORS}, tags=["Reported"])
def action_updates(request, params: Query[UpdateParams]):
    """Approved updates (or `state=submitted`); drafts are never read through the API."""
    return _answer(request, selectors.action_updates, params, state=params.state)


@api.get("/evidence", response={200: schemas.page_schema(schemas.Evidence), **ERRORS}, tags=["Reported"])
def evidence(request, params: Query[UpdateParams]):
    """Approved success-measure evidence (or `state=submitted`); never drafts."""
    return _answer(request, selectors.evidence, params, state=params.state)


@api.get("/risks", response={200: schemas.page_schema(schemas.Risk), **ERRORS}, tags=["Risks"])
def risks(request, params: Query[ListParams]):
    """The BAF risks; their quarterly scores are the risk fact table."""
    return _answer(request, selectors.risks, params)


@api.get("/metrics", response={200: schemas.page_schema(schemas.Metric), **ERRORS}, tags=["Metrics"])
def metrics(request, params: Query[ListParams]):
    """Metrics with their latest value and SPC analysis (Making Data Count)."""
    return _answer(request, selectors.metrics, params)


@api.get("/publications", response={200: schemas.page_schema(schemas.Publication), **ERRORS}, tags=["Reported"])
def publications(request, params: Query[ListParams]):
    """Published board packs, each file with its SHA-256 and download link (the download needs
    a signed-in session)."""
    answer = _answer(request, selectors.publications, params)
    for publication in answer["results"]:
        for file in publication["files"]:
            file["download"] = request.build_absolute_uri(file["download"])
    return answer


# --- Fact tables (Power BI) ----------------------------------------------------------------------


@api.get(
    "/facts/actions",
    response={200: schemas.page_schema(schemas.ActionFact), **ERRORS},
    tags=["Facts"],
    openapi_extra={"responses": {200: {"content": {"text/csv": {"schema": {"type": "string"}}}}}},
)
def action_facts(request, params: Query[FactParams]):
    """One row per action per quarter: RAG, previous RAG, movement, update state. `format=csv`
    answers every page as CSV (or one page when `page` is given)."""
    return _fact_answer(request, selectors.action_facts, schemas.ActionFact, params, "action-facts")


@api.get(
    "/facts/risks",
    response={200: schemas.page_schema(schemas.RiskFact), **ERRORS},
    tags=["Facts"],
    openapi_extra={"responses": {200: {"content": {"text/csv": {"schema": {"type": "string"}}}}}},
)
def risk_facts(request, params: Query[FactParams]):
    """One row per BAF risk per scored quarter: score, likelihood, consequence, band, direction."""
    return _fact_answer(request, selectors.risk_facts, schemas.RiskFact, params, "risk-facts")


@api.get(
    "/facts/metric-values",
    response={200: schemas.page_schema(schemas.MetricValueFact), **ERRORS},
    tags=["Facts"],
    openapi_extra={"responses": {200: {"content": {"text/csv": {"schema": {"type": "string"}}}}}},
)
def metric_value_facts(request, params: Query[FactParams]):
    """One row per metric value with its SPC verdict: mean, limits, special cause, variation."""
    return _fact_answer(request, selectors.metric_value_facts, schemas.MetricValueFact, params, "metric-value-facts")

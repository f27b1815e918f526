"""The RAG status pages: strategy dashboard, heat map, action list (with CSV and Excel downloads)
and BAF risks. Read-only for everyone: any signed-in user of the trust may read them
(LoginRequiredMiddleware), every view answers GET/HEAD only (other methods get 405), and objects
are fetched by slug, quarter and number under their strategy (404 otherwise)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_safe
from django_tables2 import RequestConfig

from goals.core import downloads
from goals.core.quarters import Quarter, parse_quarter
from goals.status import action_list as action_list_reads
from goals.status import dashboard, shared
from goals.status import heat_map as heat_map_reads
from goals.status import risks as risk_reads
from goals.status.tables import ActionTable

ACTIONS_PER_PAGE = 25


def _breadcrumbs(strategy, label: str) -> list:
    return [
        ("Strategies", reverse("goals:strategy_list")),
        (strategy.name, strategy.get_absolute_url()),
        (label, None),
    ]


def _latest(request: HttpRequest, slug: str, url_name: str) -> HttpResponse:
    """Send /…/dashboard/ (or ?quarter=2024-Q2 from the quarter switcher) to the quarter's own
    URL, so what a director shares always names its quarter."""
    try:
        quarter = parse_quarter(request.GET["quarter"]) if request.GET.get("quarter") else None
    except ValueError:
        quarter = None
    status = shared.status_period(slug, quarter)
    if status.period is None:
        return render(
            request,
            "status/no_quarters.html",
            {"strategy": status.strategy, "breadcrumbs": _breadcrumbs(status.strategy, "Status")},
        )
    return redirect(url_name, slug=slug, quarter=status.period.as_quarter)


@require_safe
def dashboard_latest(request: HttpRequest, slug: str) -> HttpResponse:
    return _latest(request, slug, "goals:dashboard")


def _status_page(request, template: str, status, page: str, label: str, **context) -> HttpResponse:
    """Render one of the status pages of a strategy and quarter, with its navigation."""
    return render(
        request,
        template,
        {
            "status": status,
            "strategy": status.strategy,
            "page": page,
            "breadcrumbs": _breadcrumbs(status.strategy, f"{label} {status.period.label}"),
            **context,
        },
    )


@require_safe
def strategy_dashboard(request: HttpRequest, slug: str, quarter: Quarter) -> HttpResponse:
    data = dashboard.strategy_dashboard(slug=slug, quarter=quarter)
    status = data.status
    # Built when drawn: a page whose HTML is cached reads neither the figures nor the tables.
    red_and_amber = SimpleLazyObject(
        lambda: ActionTable(
            data.red_and_amber.rows,
            people=data.people,
            orderable=False,
            sequence=("rag", "title", "rag_reason", "sros"),
            exclude=("number", "previous_rag", "movement", "update_state"),
            caption=f"Red and Amber actions, {status.period.label}",
        )
    )
    moved = SimpleLazyObject(
        lambda: ActionTable(
            data.moved.rows,
            people=data.people,
            orderable=False,
            sequence=("movement", "title", "previous_rag", "rag", "sros"),
            exclude=("number", "rag_reason", "update_state"),
            caption=f"Actions whose rating changed since {status.previous_quarter.label}",
        )
    )
    return _status_page(
        request,
        "status/strategy_dashboard.html",
        status,
        "dashboard",
        "RAG status",
        dashboard=data,
        red_and_amber_table=red_and_amber,
        moved_table=moved,
    )


@require_safe
def heat_map_latest(request: HttpRequest, slug: str) -> HttpResponse:
    return _latest(request, slug, "goals:heat_map")


@require_safe
def heat_map(request: HttpRequest, slug: str, quarter: Quarter) -> HttpResponse:
    data = heat_map_reads.heat_map(slug=slug, quarter=quarter)
    return _status_page(request, "status/heat_map.html", data.status, "heat_map", "Heat map to", heat_map=data)


@require_safe
def risks_latest(request: HttpRequest, slug: str) -> HttpResponse:
    return _latest(request, slug, "goals:risks")


@require_safe
def risks(request: HttpRequest, slug: str, quarter: Quarter) -> HttpResponse:
    register = risk_reads.risk_register(slug=slug, quarter=quarter)
    return _status_page(request, "status/risks.html", register.status, "risks", "BAF risks", register=register)


@require_safe
def risk_history(request: HttpRequest, slug: str, number: str) -> HttpResponse:
    history = risk_reads.risk_history(slug=slug, number=number)
    strategy = history.risk.strategy
    return render(
        request,
        "status/risk_history.html",
        {
            "history": history,
            "strategy": strategy,
            "breadcrumbs": [
                *_breadcrumbs(strategy, "")[:2],
                ("BAF risks", reverse("goals:risks_latest", kwargs={"slug": strategy.slug})),
                (f"BAF {history.risk.number}", None),
            ],
        },
    )


@require_safe
def action_list(request: HttpRequest) -> HttpResponse:
    actions = action_list_reads.action_list(request.GET, user=request.user)
    status = actions.status

    def paginated_table():
        table = ActionTable(
            actions.queryset,
            people=None,
            count=actions.count(),
            caption=f"Actions of {status.strategy.name}, {status.period.label}",
        )
        RequestConfig(request, paginate={"per_page": ACTIONS_PER_PAGE}).configure(table)
        table.people = actions.people_of(row.record.pk for row in table.page.object_list)  # the page's rows only
        return table

    # Built when drawn: when the list's HTML for this query is cached, no row is read.
    table = SimpleLazyObject(paginated_table)
    return _status_page(
        request,
        "status/action_list.html",
        status,
        "actions",
        "Actions",
        actions=actions,
        filterset=actions.filterset,
        form=actions.filterset.form,
        table=table,
    )


@require_safe
def action_list_download(request: HttpRequest, file_format: str) -> HttpResponse:
    actions = action_list_reads.action_list(request.GET, user=request.user)
    rows = actions.row_list()
    status = actions.status
    filename = f"{status.strategy.slug}-actions-{status.period.slug}.{file_format}"
    if file_format == "csv":
        return downloads.action_list_csv(rows, filename, quarter=status.period.label)
    return downloads.action_list_xlsx(rows, filename, quarter=status.period.label)

"""Metric pages: the summary icon dashboard of a strategy, a metric's SPC chart and data, and
the forms that add, change and upload values.

Every signed-in user reads (LoginRequiredMiddleware). Writing is for strategy admins and the
programme office (goals.core.permissions.may_edit_metrics): anyone else gets 403 and nothing
changes; the services check again. Objects are fetched through their strategy and metric in the
URL, so a value of another metric answers 404.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from goals.core import permissions
from goals.metrics import analysis
from goals.metrics.forms import MetricValueForm, MetricValuesUploadForm
from goals.models import Metric, Strategy


def _crumbs(strategy: Strategy, *trail) -> list[tuple[str, str | None]]:
    return [
        ("Strategies", reverse("goals:strategy_list")),
        (strategy.name, strategy.get_absolute_url()),
        ("Metrics", reverse("goals:metric_list", args=[strategy.slug])),
        *trail,
    ]


def _metric_url(metric: Metric) -> str:
    return reverse("goals:metric_detail", args=[metric.strategy.slug, metric.key])


def _metric_for_writing(request: HttpRequest, slug: str, key: str) -> Metric:
    metric = get_object_or_404(Metric.objects.select_related("strategy"), strategy__slug=slug, key=key)
    if not permissions.may_edit_metrics(request.user, metric.strategy):
        raise PermissionDenied("Only strategy admins and the programme office can change metric values.")
    return metric


@require_safe
def metric_index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "metrics/metric_index.html",
        {
            "strategies": analysis.metric_index(),
            "breadcrumbs": [("Strategies", reverse("goals:strategy_list")), ("Metrics", None)],
        },
    )


@require_safe
def metric_list(request: HttpRequest, slug: str) -> HttpResponse:
    strategy = get_object_or_404(Strategy, slug=slug)
    return render(
        request,
        "metrics/metric_list.html",
        {
            "strategy": strategy,
            "summaries": analysis.metric_summaries(strategy),
            "breadcrumbs": _crumbs(strategy)[:-1] + [("Metrics", None)],
        },
    )


@require_safe
def metric_detail(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    summary = analysis.metric_detail(slug, key)
    strategy = summary.metric.strategy
    return render(
        request,
        "metrics/metric_detail.html",
        {
            "summary": summary,
            "metric": summary.metric,
            "strategy": strategy,
            "can_edit": permissions.may_edit_metrics(request.user, strategy),
            "breadcrumbs": _crumbs(strategy, (summary.metric.name, None)),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def metric_value_add(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    metric = _metric_for_writing(request, slug, key)
    return _value_form(request, metric, None)


@require_http_methods(["GET", "HEAD", "POST"])
def metric_value_edit(request: HttpRequest, slug: str, key: str, pk: int) -> HttpResponse:
    metric = _metric_for_writing(request, slug, key)
    value = analysis.metric_value_for_edit(slug, key, pk)
    return _value_form(request, metric, value)


def _value_form(request: HttpRequest, metric: Metric, value) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = MetricValueForm(data, metric=metric, instance=value)
    if form.is_bound and form.is_valid():
        try:
            saved = analysis.metric_value_save(metric=metric, metric_value=value, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            label = analysis.date_label(metric, saved.date)
            messages.success(request, f"{label}: {'value changed' if value else 'value added'}.")
            return redirect(_metric_url(metric))
    title = f"Change the value for {analysis.date_label(metric, value.date)}" if value else "Add a value"
    return render(
        request,
        "metrics/value_form.html",
        {
            "form": form,
            "metric": metric,
            "title": title,
            "breadcrumbs": _crumbs(metric.strategy, (metric.name, _metric_url(metric)), (title, None)),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def metric_values_upload(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    metric = _metric_for_writing(request, slug, key)
    if request.method == "POST":
        form = MetricValuesUploadForm(request.POST, request.FILES)
    else:
        form = MetricValuesUploadForm()
    if form.is_bound and form.is_valid():
        try:
            result = analysis.metric_values_import_csv(metric=metric, file=form.cleaned_data["file"], by=request.user)
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, f"File uploaded: {result}.")
            return redirect(_metric_url(metric))
    return render(
        request,
        "metrics/upload_form.html",
        {
            "form": form,
            "metric": metric,
            "columns": analysis.CSV_COLUMNS,
            "breadcrumbs": _crumbs(metric.strategy, (metric.name, _metric_url(metric)), ("Upload values", None)),
        },
    )

"""Workbook onboarding pages: download the template or a strategy's workbook, upload one, see what
it will change, confirm.

Strategy admins of the strategy only (goals.interchange.onboarding.may_upload): anyone else gets
403 and nothing changes. An upload waiting for confirmation lives in the user's session, so a
preview of another user's upload answers 404.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from goals.core.downloads import XLSX_TYPE
from goals.interchange import onboarding
from goals.interchange.forms import WorkbookUploadForm
from goals.interchange.workbook import export_workbook, template_workbook
from goals.models import Strategy


def _strategy(request: HttpRequest, slug: str | None) -> Strategy | None:
    strategy = get_object_or_404(Strategy, slug=slug) if slug else None
    if not onboarding.may_upload(request.user, strategy):
        raise PermissionDenied("Only a strategy admin of this strategy can do this.")
    return strategy


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _crumbs(strategy: Strategy | None, *trail) -> list:
    first = [("Strategies", reverse("goals:strategy_list"))]
    if strategy:
        first.append((strategy.name, strategy.get_absolute_url()))
    return [*first, *trail]


@require_safe
def workbook_template(request: HttpRequest) -> HttpResponse:
    _strategy(request, None)
    return _xlsx(template_workbook(), "strategy-workbook-template.xlsx")


@require_safe
def workbook_export(request: HttpRequest, slug: str) -> HttpResponse:
    strategy = _strategy(request, slug)
    return _xlsx(export_workbook(strategy), f"{strategy.slug}.xlsx")


@require_http_methods(["GET", "POST"])
def workbook_upload(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    strategy = _strategy(request, slug)
    form = WorkbookUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        content = form.cleaned_data["workbook"].read()
        try:
            onboarding.workbook_check(content=content, strategy=strategy, by=request.user)
        except onboarding.WorkbookRefused as refused:
            form.add_error("workbook", ValidationError([str(error) for error in refused.errors]))
        else:
            digest = onboarding.keep_upload(
                request.session, content=content, filename=form.cleaned_data["workbook"].name, strategy=strategy
            )
            return redirect("goals:workbook_preview", digest=digest)
    return render(
        request,
        "interchange/workbook_upload.html",
        {
            "form": form,
            "strategy": strategy,
            "breadcrumbs": _crumbs(strategy, ("Import a workbook", None)),
        },
    )


@require_http_methods(["GET", "POST"])
def workbook_preview(request: HttpRequest, digest: str) -> HttpResponse:
    pending = onboarding.pending_upload(request.session, digest)
    if pending is None:
        raise Http404("No workbook is waiting for confirmation here.")
    strategy = _strategy(request, pending["strategy"])
    upload_url = (
        reverse("goals:workbook_upload", args=[strategy.slug]) if strategy else reverse("goals:workbook_upload_new")
    )
    try:
        if request.method == "POST":
            result = onboarding.workbook_import(content=pending["content"], strategy=strategy, by=request.user)
            onboarding.forget_upload(request.session)
            messages.success(
                request,
                f"Imported {pending['filename']}: {result.created} created, {result.updated} changed, "
                f"{result.unchanged} left as they were.",
            )
            return redirect(result.strategy.get_absolute_url())
        preview = onboarding.workbook_preview(content=pending["content"], strategy=strategy, by=request.user)
    except onboarding.WorkbookRefused as refused:
        onboarding.forget_upload(request.session)
        form = WorkbookUploadForm()
        form.add_error(None, ValidationError([str(error) for error in refused.errors]))
        return render(
            request,
            "interchange/workbook_upload.html",
            {"form": form, "strategy": strategy, "breadcrumbs": _crumbs(strategy, ("Import a workbook", None))},
            status=409,
        )
    return render(
        request,
        "interchange/workbook_preview.html",
        {
            "preview": preview,
            "filename": pending["filename"],
            "strategy": strategy,
            "upload_url": upload_url,
            "breadcrumbs": _crumbs(strategy, ("Import a workbook", upload_url), ("Check and confirm", None)),
        },
    )

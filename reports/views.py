"""The board-pack pages. Every view needs a signed-in user (LoginRequiredMiddleware).

Who may do what:
- any signed-in user: list the published packs and download them (served from the database as
  they were stored, never rendered again);
- the programme office, strategy admins and directors: choose a quarter and layout, preview the pack
  in the browser and download it freshly rendered in each format;
- the programme office and strategy admins: publish (POST; reports.services.publication_publish).
"""

import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header, urlencode
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from goals.core import permissions
from goals.core.choices import PeriodState, ReportLayout
from goals.core.history import history_of
from goals.core.quarters import Quarter
from goals.core.security import security_event
from goals.cycle.services import WorkflowError

from . import selectors, services
from .builder import LAYOUTS, build_report, report_period
from .cover import cover_sheet_initial, report_with_cover_sheet
from .forms import CoverSheetForm, PackChoiceForm
from .models import PublicationStatus
from .renderers import FORMAT_NAMES, output_format


def _attachment(content: bytes, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    # A downloaded HTML pack is opened from disk; if a browser ever shows it from here, nothing runs.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox"
    return response


def _require_preview(request: HttpRequest, strategy) -> None:
    if not permissions.may_preview_pack(request.user, strategy):
        raise PermissionDenied(
            "Only the programme office, strategy admins and directors can preview unpublished packs."
        )


def _pack_for(request: HttpRequest, slug: str, quarter: Quarter, layout: str):
    """The period and layout named in the URL, for a user who may preview (403/404 otherwise)."""
    period = report_period(slug, quarter)
    _require_preview(request, period.strategy)
    if layout not in LAYOUTS:
        raise Http404("No such layout")
    return period, layout


def _pack_url(period, layout: str) -> str:
    query = urlencode({"quarter": period.slug, "layout": layout})
    return f"{reverse('reports:pack', args=[period.strategy.slug])}?{query}"


@require_safe
def pack_index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "reports/pack_index.html",
        {"strategies": selectors.pack_strategies(user=request.user), "breadcrumbs": [("Board packs", None)]},
    )


@require_safe
def pack(request: HttpRequest, slug: str) -> HttpResponse:
    """A strategy's board packs: choose, preview, download and publish; the published packs."""
    strategy = selectors.pack_strategy(slug)
    periods = selectors.pack_periods(strategy)
    can_preview = permissions.may_preview_pack(request.user, strategy)
    form = chosen = None
    if can_preview and periods:
        initial = {"quarter": periods[0].slug, "layout": strategy.default_layout}
        form = PackChoiceForm(request.GET if "quarter" in request.GET else None, periods=periods, initial=initial)
        if form.is_bound and form.is_valid():
            chosen = form.chosen()
        elif not form.is_bound:
            chosen = periods[0], strategy.default_layout
    publications = selectors.publications(strategy)
    altered = [file for publication in publications for file in publication.file_list if not file.is_intact]
    for file in altered:
        security_event(
            "published_file_altered",
            request=request,
            level=logging.WARNING,
            published_file=file.pk,
            file_name=file.filename,
        )
    context = {
        "in_progress": any(p.status in services.IN_PROGRESS for p in publications),
        "strategy": strategy,
        "periods": periods,
        "form": form,
        "can_preview": can_preview,
        "can_publish": permissions.may_publish_pack(request.user, strategy),
        "publications": publications,
        "altered_files": altered,
        "formats": [(name, output_format(name)) for name in FORMAT_NAMES],
        "breadcrumbs": [("Board packs", reverse("reports:pack_index")), (strategy.name, None)],
    }
    if chosen:
        period, layout = chosen
        period.strategy = strategy
        versions = [
            p
            for p in publications
            if p.period_id == period.pk and p.layout == layout and p.status == PublicationStatus.PUBLISHED
        ]
        context.update(
            warnings=selectors.publication_warnings(period, layout)
            if permissions.may_publish_pack(request.user, strategy)
            else [],
            period=period,
            layout=layout,
            layout_label=ReportLayout(layout).label,
            versions=versions,
            already_published=bool(versions) and period.state == PeriodState.PUBLISHED,
        )
    return render(request, "reports/pack.html", context)


@require_safe
def pack_preview(request: HttpRequest, slug: str, quarter: Quarter, layout: str) -> HttpResponse:
    period, layout = _pack_for(request, slug, quarter, layout)
    report = selectors.pack_preview(period, layout)
    return render(
        request,
        "reports/preview.html",
        {
            "report": report,
            "period": period,
            "formats": [(name, output_format(name)) for name in FORMAT_NAMES],
            "back_url": _pack_url(period, layout),
            "breadcrumbs": [
                ("Board packs", reverse("reports:pack_index")),
                (period.strategy.name, reverse("reports:pack", args=[slug])),
                (f"{report.quarter_label} {report.layout_label.lower()}", None),
            ],
        },
    )


@require_safe
def pack_download(request: HttpRequest, slug: str, quarter: Quarter, layout: str, format_name: str) -> HttpResponse:
    """The pack rendered now, as an attachment (step-up-to-great-2024-Q2-progress.pdf)."""
    period, layout = _pack_for(request, slug, quarter, layout)
    if format_name not in FORMAT_NAMES:
        raise Http404("No such format")
    spec = output_format(format_name)
    report = report_with_cover_sheet(build_report(period=period, layout=layout), period)
    return _attachment(spec.render(report), content_type=spec.content_type, filename=report.filename(spec.extension))


def _publishing(request: HttpRequest, slug: str, quarter: Quarter, layout: str):
    """The period and layout to publish, for the programme office (403/404 otherwise)."""
    period = report_period(slug, quarter)
    if not permissions.may_publish_pack(request.user, period.strategy):
        raise PermissionDenied("Only the programme office or a strategy admin can publish a board pack.")
    if layout not in LAYOUTS:
        raise Http404("No such layout")
    return period


@require_safe
def pack_publish_confirm(request: HttpRequest, slug: str, quarter: Quarter, layout: str) -> HttpResponse:
    """The confirmation before publishing: what is missing from the pack."""
    period = _publishing(request, slug, quarter, layout)
    warnings = selectors.publication_warnings(period, layout)
    return render(
        request,
        "reports/publish_confirm.html",
        {
            "period": period,
            "layout": layout,
            "layout_label": ReportLayout(layout).label,
            "warnings": warnings,
            "back_url": _pack_url(period, layout),
            "breadcrumbs": [
                ("Board packs", reverse("reports:pack_index")),
                (period.strategy.name, _pack_url(period, layout)),
                ("Publish", None),
            ],
        },
    )


@require_POST
def pack_publish(request: HttpRequest, slug: str, quarter: Quarter, layout: str) -> HttpResponse:
    """Publish; what is missing from the pack is recorded with the publication."""
    period = _publishing(request, slug, quarter, layout)
    warnings = selectors.publication_warnings(period, layout)
    try:
        publication = services.publication_publish(period=period, layout=layout, by=request.user, warnings=warnings)
    except WorkflowError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _publication_message(publication))
    return redirect(_pack_url(period, layout))


def _publication_message(publication) -> str:
    name = f"{publication.get_layout_display()} for {publication.period.label}"
    if publication.status == PublicationStatus.PUBLISHED:
        return f"{name} published (version {publication.version}). Its files are stored and will not change."
    if publication.status == PublicationStatus.FAILED:
        return f"{name} could not be published: {publication.failure_reason}"
    return (
        f"{name} is being published (version {publication.version}): the files are made in the background. "
        "This page shows when it is done."
    )


@require_POST
def publication_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue a failed publication again (the programme office or a strategy admin)."""
    publication = selectors.publication(pk)
    if not permissions.may_publish_pack(request.user, publication.period.strategy):
        raise PermissionDenied("Only the programme office or a strategy admin can publish a board pack.")
    try:
        publication = services.publication_retry(publication=publication, by=request.user)
    except WorkflowError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _publication_message(publication))
    return redirect(_pack_url(publication.period, publication.layout))


@require_safe
def published_download(request: HttpRequest, pk: int, format_name: str) -> HttpResponse:
    """A published file exactly as stored when it was published (any signed-in user). Its bytes are
    checked against the SHA-256 recorded when it was published: altered bytes are never served."""
    stored = selectors.published_file(pk, format_name)
    if not stored.content_matches():
        security_event(
            "published_file_altered",
            request=request,
            level=logging.WARNING,
            published_file=stored.pk,
            file_name=stored.filename,
        )
        return render(
            request,
            "reports/published_file_altered.html",
            {"file": stored, "breadcrumbs": [("Board packs", reverse("reports:pack_index")), (stored.filename, None)]},
            status=409,
        )
    response = _attachment(bytes(stored.content), content_type=stored.content_type, filename=stored.filename)
    response["ETag"] = f'"{stored.sha256}"'
    response["Cache-Control"] = "private, max-age=31536000, immutable"
    return response


COVER_SHEET_HISTORY_FIELDS = (
    "meeting",
    "meeting_date",
    "agenda_item",
    "title",
    "lead_director",
    "author",
    "purpose",
    "assurance_level",
    "previously_considered_by",
    "recommendation",
    "equality_impact",
)


@require_http_methods(["GET", "HEAD", "POST"])
def cover_sheet_edit(request: HttpRequest, slug: str, quarter: Quarter, layout: str) -> HttpResponse:
    """The board paper's cover sheet of one quarter's pack: the programme office fills it in."""
    period = report_period(slug, quarter)
    if not permissions.may_publish_pack(request.user, period.strategy):
        raise PermissionDenied("Only the programme office or a strategy admin can fill in the cover sheet.")
    if layout not in LAYOUTS:
        raise Http404("No such layout")
    sheet = selectors.cover_sheet(period, layout)
    form = CoverSheetForm(
        request.POST if request.method == "POST" else None,
        instance=sheet,
        strategy=period.strategy,
        initial=None if sheet.pk else cover_sheet_initial(period, layout),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.cover_sheet_save(
                sheet=form.save(commit=False),
                goals=form.cleaned_data["goals"],
                risks=form.cleaned_data["risks"],
                by=request.user,
            )
        except WorkflowError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, f"Cover sheet of the {period.label} {ReportLayout(layout).label.lower()} saved.")
            return redirect(_pack_url(period, layout))
    return render(
        request,
        "reports/cover_sheet_form.html",
        {
            "form": form,
            "period": period,
            "layout_label": ReportLayout(layout).label,
            "history": history_of(sheet if sheet.pk else None, COVER_SHEET_HISTORY_FIELDS),
            "back_url": _pack_url(period, layout),
            "breadcrumbs": [
                ("Board packs", reverse("reports:pack_index")),
                (period.strategy.name, _pack_url(period, layout)),
                ("Cover sheet", None),
            ],
        },
    )

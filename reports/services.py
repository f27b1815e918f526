"""Publishing a board pack: the one write of the reports app.

`publication_publish` locks the quarter if it is still open (goals.cycle.services.period_lock, which
also records people's names and titles as they were) and queues the publication with its cover
sheet frozen; the background worker (`publication_render`, through reports.tasks) renders every
format once from one `Report`, stores the bytes with their SHA-256, who and when, and marks the
quarter published, all in one transaction (a failure stores nothing and can be retried).
Published files are never rendered again: they are served from the database as they were stored.

Publishing the same layout of a quarter twice is refused until the quarter is re-opened
(goals.cycle.services.period_reopen); publishing it again then makes the next version and the earlier
versions stay, unchanged.

Refusals, as in goals.cycle.services: PermissionDenied (not the programme office or a strategy admin) and
WorkflowError (the quarter is not ready, or this pack is already published).
"""

import hashlib
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django_tasks import task

from goals.core import permissions
from goals.core.choices import PeriodState, ReportLayout
from goals.core.history import save_with_history
from goals.cycle.services import WorkflowError, period_lock
from goals.models import Period

from .builder import LAYOUTS, build_report
from .cover import cover_sheet_snapshot, with_cover_sheet
from .models import CoverSheet, Publication, PublicationSource, PublicationStatus, PublishedFile
from .renderers import FORMAT_NAMES, output_format

log = logging.getLogger(__name__)

IN_PROGRESS = (PublicationStatus.QUEUED, PublicationStatus.RENDERING)


def _next_version(period: Period, layout: str) -> int:
    """The version the next publication of this quarter's layout takes."""
    published = Publication.objects.filter(period=period, layout=layout)
    return (published.aggregate(Max("version"))["version__max"] or 0) + 1


def publication_publish(*, period: Period, layout: str, by, warnings: list[str] | None = None) -> Publication:
    """Publish the quarter's pack in `layout`: the quarter is locked (if open) and a publication is
    queued, here and now; the background worker (reports.tasks.publication_render) renders every
    format, stores them with their checksums and marks it published. Returns the publication as it
    is when the request ends (already published when tasks run immediately, as in the tests).
    `warnings`: what the publisher was shown and published anyway (recorded with the publication)."""
    if not permissions.may_publish_pack(by, period.strategy):
        raise PermissionDenied("Only the programme office or a strategy admin can publish a board pack.")
    if layout not in LAYOUTS:
        raise WorkflowError(f"There is no {layout!r} layout: choose {' or '.join(LAYOUTS)}.")
    with transaction.atomic():
        period = Period.objects.select_for_update().get(pk=period.pk)
        label = ReportLayout(layout).label.lower()
        publications = Publication.objects.filter(period=period, layout=layout)
        published = publications.filter(status=PublicationStatus.PUBLISHED)
        if period.state == PeriodState.PLANNED:
            raise WorkflowError(f"{period.label} has not been opened yet: there is nothing to publish.")
        if period.state == PeriodState.PUBLISHED and published.exists():
            latest = published.aggregate(Max("version"))["version__max"]
            raise WorkflowError(
                f"The {label} for {period.label} is already published (version {latest}). "
                f"Re-open the quarter before you publish it again."
            )
        if publications.filter(status__in=IN_PROGRESS).exists():
            raise WorkflowError(f"The {label} for {period.label} is already being published: wait for it to finish.")
        if period.state == PeriodState.OPEN:
            period = period_lock(period=period, by=by)
        publication = Publication(
            period=period,
            layout=layout,
            version=_next_version(period, layout),
            published_by=by,
            status=PublicationStatus.QUEUED,
            cover_sheet=cover_sheet_snapshot(period=period, layout=layout),
            warnings=list(warnings or []),
        )
        try:
            publication.full_clean()
            with transaction.atomic():
                publication.save()
        except (ValidationError, IntegrityError):  # someone published it in the same moment (SQLite has no row lock)
            raise WorkflowError(f"The {label} for {period.label} was published by someone else just now.")
    _enqueue_render(publication)
    publication.refresh_from_db()
    return publication


def publication_retry(*, publication: Publication, by) -> Publication:
    """Queue a failed publication again (same version: nothing of it was stored)."""
    if not permissions.may_publish_pack(by, publication.period.strategy):
        raise PermissionDenied("Only the programme office or a strategy admin can publish a board pack.")
    updated = Publication.objects.filter(pk=publication.pk, status=PublicationStatus.FAILED).update(
        status=PublicationStatus.QUEUED, failure_reason="", finished_at=None
    )
    if not updated:
        raise WorkflowError("Only a publication that failed can be tried again.")
    _enqueue_render(publication)
    publication.refresh_from_db()
    return publication


def _enqueue_render(publication: Publication) -> None:
    publication_render_task.enqueue(publication.pk)


@task()
def publication_render_task(publication_id: int) -> str:
    """The background task (`manage.py db_worker` runs it): `publication_render`; its status."""
    return publication_render(publication_id=publication_id).status


def publication_render(*, publication_id: int) -> Publication:
    """The worker's part: render every format from one Report, then store them all, the status and the
    quarter's state in one transaction. A failure stores nothing and records the reason: the
    publication can be retried. A publication that is not queued (already done) is left alone."""
    with transaction.atomic():
        publication = Publication.objects.select_for_update().get(pk=publication_id)
        if publication.status != PublicationStatus.QUEUED:
            return publication
        publication.status = PublicationStatus.RENDERING
        publication.save(update_fields=["status"])
    try:
        period = Period.objects.select_related("strategy__sro").get(pk=publication.period_id)
        report = build_report(period=period, layout=publication.layout)
        report = with_cover_sheet(report, publication.cover_sheet)
        rendered = []
        for name in FORMAT_NAMES:
            spec = output_format(name)
            rendered.append((name, spec, spec.render(report)))
        with transaction.atomic():
            # The quarter as it is now, not as it was read before rendering: re-opened meanwhile, the
            # pack may no longer be what the quarter reports, so nothing is published.
            period = Period.objects.select_for_update().get(pk=period.pk)
            if period.state not in (PeriodState.LOCKED, PeriodState.PUBLISHED):
                raise WorkflowError(
                    f"{period.label} was re-opened while its pack was being rendered: publish it again once it is locked."
                )
            for name, spec, content in rendered:
                stored = PublishedFile(
                    publication=publication,
                    format=name,
                    filename=report.filename(spec.extension, publication.version),
                    content_type=spec.content_type,
                    content=content,
                    size=len(content),
                    sha256=hashlib.sha256(content).hexdigest(),
                )
                stored.full_clean()
                stored.save()
            publication.status = PublicationStatus.PUBLISHED
            publication.published_at = publication.finished_at = timezone.now()
            publication.save(update_fields=["status", "published_at", "finished_at"])
            if period.state != PeriodState.PUBLISHED:
                period.state = PeriodState.PUBLISHED
                label = ReportLayout(publication.layout).label.lower()
                save_with_history(
                    period, by=publication.published_by, reason=f"Published the {label}, version {publication.version}"
                )
    except Exception as error:  # any failure: nothing was stored; say why, so it can be retried
        log.exception("Publishing %s failed", publication)
        Publication.objects.filter(pk=publication.pk).update(
            status=PublicationStatus.FAILED,
            failure_reason=f"{type(error).__name__}: {error}"[:2000],
            finished_at=timezone.now(),
        )
    publication.refresh_from_db()
    return publication


def published_file_checksum_matches(stored: PublishedFile) -> bool:
    """Whether a stored file's bytes still have the SHA-256 recorded when it was published."""
    return hashlib.sha256(bytes(stored.content)).hexdigest() == stored.sha256


def cover_sheet_save(*, sheet: CoverSheet, goals, risks, by) -> CoverSheet:
    """Save the cover sheet of a quarter's pack (new or changed) with who changed it; the goals and
    BAF risks it links to must be the strategy's own."""
    if not permissions.may_publish_pack(by, sheet.period.strategy):
        raise PermissionDenied("Only the programme office or a strategy admin can fill in the cover sheet.")
    strategy_id = sheet.period.strategy_id
    if any(goal.strategy_id != strategy_id for goal in goals) or any(risk.strategy_id != strategy_id for risk in risks):
        raise WorkflowError("Link the cover sheet only to this strategy's goals and BAF risks.")
    sheet.full_clean(exclude=["goals", "risks"])
    with transaction.atomic():
        save_with_history(
            sheet, by=by, reason="Cover sheet filled in" if sheet._state.adding else "Cover sheet changed"
        )
        sheet.goals.set(goals)
        sheet.risks.set(risks)
    return sheet


def publications_record_imported(*, strategy=None) -> list[Publication]:
    """Every quarter that came in as published (by import) without a pack gets one, in each layout,
    built from the imported data, labelled as published by import, with its files' checksums.
    Rendered here and now (a management step, not a request). Run again, it changes nothing."""
    periods = Period.objects.filter(state=PeriodState.PUBLISHED).select_related("strategy__sro")
    if strategy is not None:
        periods = periods.filter(strategy=strategy)
    made = []
    for period in periods.order_by("strategy__name", "year", "quarter"):
        for layout in LAYOUTS:
            if Publication.objects.filter(period=period, layout=layout).exists():
                continue
            publication = Publication.objects.create(
                period=period,
                layout=layout,
                version=1,
                status=PublicationStatus.QUEUED,
                source=PublicationSource.IMPORT,
                cover_sheet=cover_sheet_snapshot(period=period, layout=layout),
            )
            made.append(publication_render(publication_id=publication.pk))
    return made

"""Publishing a board pack: the one write of the reports app.

`publication_publish` locks the quarter if it is still open (goals.cycle.services.period_lock, which
also records people's names and titles as they were), renders every format once from one
`Report`, stores the bytes with their SHA-256, who and when, and marks the quarter published.
Published files are never rendered again: they are served from the database as they were stored.

Publishing the same layout of a quarter twice is refused until the quarter is re-opened
(goals.cycle.services.period_reopen); publishing it again then makes the next version and the earlier
versions stay, unchanged.

Refusals, as in goals.cycle.services: PermissionDenied (not the programme office or a strategy admin) and
WorkflowError (the quarter is not ready, or this pack is already published).
"""

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max

from goals.core import permissions
from goals.core.choices import PeriodState, ReportLayout
from goals.core.history import save_with_history
from goals.cycle.services import WorkflowError, period_lock
from goals.models import Period

from .builder import LAYOUTS, build_report
from .models import Publication, PublishedFile
from .renderers import FORMAT_NAMES, output_format


@transaction.atomic
def publication_publish(*, period: Period, layout: str, by) -> Publication:
    """Publish the quarter's pack in `layout`: every format rendered once, stored and checksummed."""
    if not permissions.may_publish_pack(by, period.strategy):
        raise PermissionDenied("Only the programme office or a strategy admin can publish a board pack.")
    if layout not in LAYOUTS:
        raise WorkflowError(f"There is no {layout!r} layout: choose {' or '.join(LAYOUTS)}.")
    period = Period.objects.select_for_update().get(pk=period.pk)
    label = ReportLayout(layout).label.lower()
    published = Publication.objects.filter(period=period, layout=layout)
    if period.state == PeriodState.PLANNED:
        raise WorkflowError(f"{period.label} has not been opened yet: there is nothing to publish.")
    if period.state == PeriodState.PUBLISHED and published.exists():
        latest = published.aggregate(Max("version"))["version__max"]
        raise WorkflowError(
            f"The {label} for {period.label} is already published (version {latest}). "
            f"Re-open the quarter before you publish it again."
        )
    if period.state == PeriodState.OPEN:
        period = period_lock(period=period, by=by)

    period = Period.objects.select_related("strategy__sro").get(pk=period.pk)
    version = (published.aggregate(Max("version"))["version__max"] or 0) + 1
    report = build_report(period=period, layout=layout)
    publication = Publication(period=period, layout=layout, version=version, published_by=by)
    try:
        publication.full_clean()
        publication.save()
    except (ValidationError, IntegrityError):  # someone published it in the same moment (SQLite has no row lock)
        raise WorkflowError(f"The {label} for {period.label} was published by someone else just now.")
    for name in FORMAT_NAMES:
        spec = output_format(name)
        content = spec.render(report)
        stored = PublishedFile(
            publication=publication,
            format=name,
            filename=report.filename(spec.extension, version),
            content_type=spec.content_type,
            content=content,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
        )
        stored.full_clean()
        stored.save()

    if period.state != PeriodState.PUBLISHED:
        period.state = PeriodState.PUBLISHED
        save_with_history(period, by=by, reason=f"Published the {label}, version {version}")
    return publication


def published_file_checksum_matches(stored: PublishedFile) -> bool:
    """Whether a stored file's bytes still have the SHA-256 recorded when it was published."""
    return hashlib.sha256(bytes(stored.content)).hexdigest() == stored.sha256

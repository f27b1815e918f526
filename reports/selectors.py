"""Reads for the board-pack pages; each returns evaluated data with a fixed number of queries."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.safestring import SafeString

from goals.core import permissions
from goals.core.caching import strategy_cached
from goals.core.choices import PeriodState
from goals.core.movement import DEFAULT_RISK_BANDS
from goals.models import Period, Strategy

from .builder import build_report
from .cover import cover_sheet_snapshot, with_cover_sheet
from .models import CoverSheet, Publication, PublishedFile, StoredSHA256
from .renderers.html import preview_html

# The quarters whose packs no longer change unless the quarter is re-opened (which raises the
# strategy's data version): their previews are kept in the pages cache.
SETTLED_STATES = (PeriodState.LOCKED, PeriodState.PUBLISHED)


def pack_strategies(*, user) -> list[Strategy]:
    """Every strategy the user may see, with its number of published packs (one query)."""
    return list(
        Strategy.objects.filter(permissions.strategy_scope(user))
        .annotate(publication_count=Count("periods__publications"))
        .order_by("name")
    )


def pack_strategy(slug: str) -> Strategy:
    return get_object_or_404(Strategy.objects.select_related("sro"), slug=slug)


def pack_periods(strategy: Strategy) -> list[Period]:
    """The quarters a pack can be made for (opened at least once), newest first."""
    return list(strategy.periods.exclude(state=PeriodState.PLANNED).order_by("-year", "-quarter"))


def publications(strategy: Strategy) -> list[Publication]:
    """Every published pack of the strategy, newest quarter and version first, with its files'
    names, sizes and checksums (not their bytes), each verified: the database works out the SHA-256
    of the stored bytes (`stored_sha256`, `is_intact`). Two queries."""
    files = PublishedFile.objects.defer("content").annotate(stored_sha256=StoredSHA256("content")).order_by("format")
    return list(
        Publication.objects.filter(period__strategy=strategy)
        .select_related("period", "published_by")
        .prefetch_related(Prefetch("files", queryset=files, to_attr="file_list"))
        .order_by("-period__year", "-period__quarter", "layout", "-version")
    )


def published_file(publication_pk: int, format_name: str) -> PublishedFile:
    """One stored file of a publication, bytes included (404 if there is none)."""
    return get_object_or_404(PublishedFile, publication_id=publication_pk, format=format_name)


def publication(pk: int) -> Publication:
    """One publication with its quarter and strategy (404 if there is none)."""
    return get_object_or_404(Publication.objects.select_related("period__strategy"), pk=pk)


def cover_sheet(period: Period, layout: str) -> CoverSheet:
    """The cover sheet of a quarter's pack, or a new unsaved one for it."""
    found = CoverSheet.objects.filter(period=period, layout=layout).first()
    return found or CoverSheet(period=period, layout=layout)


def publication_warnings(period: Period, layout: str) -> list[str]:
    """What is missing from the quarter's pack, for the confirmation before publishing (four queries):
    updates not approved; for the progress report actions not rated and BAF risks not scored; for the
    highlight report success measures without approved evidence."""
    from goals.core.choices import ActionStatus, ReportLayout, UpdateState
    from goals.models import Action, ActionUpdate, MeasureEvidence, Risk, RiskScore, SuccessMeasure

    strategy_id = period.strategy_id
    actions = Action.objects.filter(
        objective__goal__strategy_id=strategy_id, status=ActionStatus.ACTIVE, archived_at__isnull=True
    )
    updates = ActionUpdate.objects.filter(period=period, action__in=actions)
    not_rated = actions.exclude(
        pk__in=updates.filter(state=UpdateState.APPROVED).exclude(rag="").values("action_id")
    ).count()
    not_approved = updates.exclude(state=UpdateState.APPROVED).count()
    risks = Risk.objects.filter(strategy_id=strategy_id, archived_at__isnull=True)
    not_scored = risks.exclude(pk__in=RiskScore.objects.filter(period=period).values("risk_id")).count()
    warnings = []
    if layout != ReportLayout.PROGRESS:  # the highlight report shows neither ratings nor scores
        not_rated = not_scored = 0
    if not_rated:
        warnings.append(f"{not_rated} action{'s' if not_rated != 1 else ''} not rated (shown as “Not rated”)")
    if not_approved:
        warnings.append(f"{not_approved} update{'s' if not_approved != 1 else ''} not approved by the SRO")
    if not_scored:
        warnings.append(f"{not_scored} BAF risk{'s' if not_scored != 1 else ''} not scored this quarter")
    if layout == ReportLayout.HIGHLIGHT:
        measures = SuccessMeasure.objects.filter(objective__goal__strategy_id=strategy_id, archived_at__isnull=True)
        approved = MeasureEvidence.objects.filter(period=period, state=UpdateState.APPROVED).values("measure_id")
        missing = measures.exclude(pk__in=approved).count()
        if missing:
            warnings.append(f"{missing} success measure{'s' if missing != 1 else ''} without approved evidence")
    return warnings


@dataclass(frozen=True)
class PackPreview:
    """A pack as the browser preview shows it: what the page around it prints, and its HTML."""

    title: str
    layout: str
    layout_label: str
    quarter_label: str
    period_state: str
    html: SafeString  # written by the pack's templates, which escape every value


def pack_preview(period: Period, layout: str) -> PackPreview:
    """The quarter's pack in `layout` as it would be published now, with its cover sheet (two
    queries), built (reports.builder) and rendered (reports.renderers.html.preview_html).

    A locked or published quarter's is computed once and then read from the pages cache
    (goals.core.caching), shared by every process, until its strategy's data version moves (any
    write to what the pack shows, re-opening the quarter included). The key also holds what the
    pack prints that the data version does not cover: the cover sheet as printed (a reports model,
    read afresh for every preview: editing it makes a new key), the layout, the day (the key to the
    pack says when it was produced) and the risk bands in force (a setting). Nothing in it depends
    on who is reading."""
    cover = cover_sheet_snapshot(period=period, layout=layout)

    def compute() -> PackPreview:
        report = with_cover_sheet(build_report(period=period, layout=layout), cover)
        return PackPreview(
            title=report.title,
            layout=report.layout,
            layout_label=report.layout_label,
            quarter_label=report.quarter_label,
            period_state=report.period_state,
            html=preview_html(report),
        )

    if period.state not in SETTLED_STATES:
        return compute()
    bands = getattr(settings, "RISK_BANDS", DEFAULT_RISK_BANDS)
    parts = (period.pk, layout, sorted(cover.items()), timezone.localdate().isoformat(), bands)
    return strategy_cached(period.strategy, "pack-preview", *parts, compute=compute)

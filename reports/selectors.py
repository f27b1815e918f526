"""Reads for the board-pack pages; each returns evaluated data with a fixed number of queries."""

from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404

from goals.core.choices import PeriodState
from goals.models import Period, Strategy

from .models import Publication, PublishedFile, StoredSHA256


def pack_strategies() -> list[Strategy]:
    """Every strategy with its number of published packs (one query)."""
    return list(Strategy.objects.annotate(publication_count=Count("periods__publications")).order_by("name"))


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

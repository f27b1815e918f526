"""Every API endpoint reads a page with a pinned number of queries, the same for a small generated
trust and one with 10× the actions and twice the quarters (and more metrics, values and packs)."""

import datetime
import hashlib
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from benchmarks.generator import generate_trust
from goals.models import Metric, MetricValue
from reports.models import Publication, PublicationStatus, PublishedFile
from tests.strategy.test_views import LARGE, SMALL

# Every request: the token (1), its last use (1), the user's roles (1).
PINNED_QUERIES = {
    "strategies": 5,  # + count, page
    "goals": 5,
    "objectives": 5,
    "actions": 7,  # + SROs, leads
    "quarters": 5,
    "action-updates": 5,
    "action-updates?state=submitted": 5,
    "evidence": 5,
    "risks": 6,  # + their goals
    "metrics": 6,  # + the page's values
    "publications": 6,  # + their files
    "facts/actions": 11,  # quarters, action keys, archived updates, actions, updates, SROs, leads, people
    "facts/risks": 6,  # + previous scores
    "facts/metric-values": 7,  # + the page's metrics, their values
    "facts/actions?format=csv&page=1&limit=1000": 11,
    "facts/risks?format=csv&page=1&limit=1000": 6,
    "facts/metric-values?format=csv&page=1&limit=1000": 7,
}


def _with_metrics_and_packs(trust, metrics: int, points: int):
    for n in range(metrics):
        metric = Metric.objects.create(strategy=trust.strategy, key=f"m{n}", name=f"Metric {n}", improvement="up")
        MetricValue.objects.bulk_create(
            MetricValue(metric=metric, date=datetime.date(2020 + i // 12, i % 12 + 1, 1), value=Decimal(50 + i % 7))
            for i in range(points)
        )
    for period in trust.periods:
        publication = Publication.objects.create(
            period=period, layout="progress", version=1, status=PublicationStatus.PUBLISHED
        )
        for format_name in ("pdf", "docx"):
            content = f"{period} {format_name}".encode()
            PublishedFile.objects.create(
                publication=publication,
                format=format_name,
                filename=f"pack.{format_name}",
                content_type="application/octet-stream",
                content=content,
                size=len(content),
                sha256=hashlib.sha256(content).hexdigest(),
            )
    return trust


def _count(client, url, headers) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, **headers)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, url
    return len(context.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", sorted(PINNED_QUERIES))
def test_query_count_is_pinned_and_does_not_grow_with_the_data(client, director, bearer, endpoint):
    headers = bearer(director)
    url = f"/api/v1/{endpoint}"
    small_trust = _with_metrics_and_packs(generate_trust(**SMALL, slug="small-trust"), metrics=2, points=14)
    small = _count(client, url, headers)
    _with_metrics_and_packs(generate_trust(**LARGE, slug="large-trust", seed=2), metrics=6, points=40)
    large = _count(client, url, headers)
    assert small_trust and small == large == PINNED_QUERIES[endpoint]


@pytest.mark.django_db
def test_the_whole_table_as_csv_reads_a_thousand_rows_at_a_time(client, director, bearer):
    """Without `page`, the CSV is every row, read as pages of 1,000: the queries of one page per
    1,000 rows (the large trust's 1,440 action-quarters and the small one's 72: two pages)."""
    headers = bearer(director)
    generate_trust(**SMALL, slug="small-trust")
    generate_trust(**LARGE, slug="large-trust", seed=2)
    per_page = PINNED_QUERIES["facts/actions"] - 3
    assert _count(client, "/api/v1/facts/actions?format=csv", headers) == 3 + 2 * per_page

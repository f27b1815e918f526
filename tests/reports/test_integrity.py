"""Published files are verified against their SHA-256 when served and when listed: altered bytes
are refused with a clear page (never served), logged as a security event and shown to the
programme office on the Board packs page."""

import hashlib
import logging

import pytest
from django.urls import reverse

from reports.models import Publication, PublicationStatus, PublishedFile

pytestmark = pytest.mark.django_db
ORIGINAL = b"%PDF-1.7 the pack as the board saw it"


@pytest.fixture
def published(cycle):
    publication = Publication.objects.create(
        period=cycle.previous, layout="progress", version=1, status=PublicationStatus.PUBLISHED
    )
    for fmt, content in (("pdf", ORIGINAL), ("html", b"<p>pack</p>")):
        PublishedFile.objects.create(
            publication=publication,
            format=fmt,
            filename=f"better-care-2024-Q2-progress.{fmt}",
            content_type="application/octet-stream",
            content=content,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
        )
    return publication


def alter(publication):
    # Behind the application's back (the model refuses to change a published file).
    PublishedFile.objects.filter(publication=publication, format="pdf").update(content=b"%PDF-1.7 doctored figures")


def download(publication, fmt="pdf"):
    return reverse("reports:published_download", args=[publication.pk, fmt])


def pack_page(publication):
    return reverse("reports:pack", args=[publication.period.strategy.slug])


def test_an_intact_file_is_served(client, cycle, published):
    client.force_login(cycle.lead)
    response = client.get(download(published))
    assert response.status_code == 200 and response.content == ORIGINAL


def test_an_altered_file_is_refused_with_a_clear_page_and_logged(client, cycle, published, caplog):
    alter(published)
    client.force_login(cycle.lead)
    with caplog.at_level(logging.WARNING, logger="security"):
        response = client.get(download(published))
    assert response.status_code == 409
    content = response.content.decode()
    assert "This published file has been altered" in content
    assert b"doctored" not in response.content and "ETag" not in response
    events = [record for record in caplog.records if getattr(record, "event", "") == "published_file_altered"]
    assert len(events) == 1 and events[0].file_name == "better-care-2024-Q2-progress.pdf"
    # The other, untouched file is still served.
    assert client.get(download(published, "html")).status_code == 200


def test_the_board_packs_page_verifies_every_listed_file(client, cycle, secretary, published, caplog):
    client.force_login(secretary)
    page = client.get(pack_page(published)).content.decode()
    assert "Published files have been altered" not in page
    assert download(published) in page
    alter(published)
    with caplog.at_level(logging.WARNING, logger="security"):
        page = client.get(pack_page(published)).content.decode()
    assert "Published files have been altered" in page
    assert "better-care-2024-Q2-progress.pdf" in page
    assert download(published) not in page and download(published, "html") in page
    assert "withheld, it no longer matches its checksum" in page
    assert [r.event for r in caplog.records if getattr(r, "event", "") and r.levelno >= logging.WARNING] == [
        "published_file_altered"
    ]


def test_readers_see_the_file_withheld_without_the_programme_office_warning(client, cycle, published):
    alter(published)
    client.force_login(cycle.lead)
    page = client.get(pack_page(published)).content.decode()
    assert "withheld, it no longer matches its checksum" in page
    assert "Published files have been altered" not in page

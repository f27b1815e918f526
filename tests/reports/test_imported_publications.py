"""Quarters imported as published get a real publication built from the imported data, labelled as
published by import with its checksums; their packs print names and titles as they were then."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from goals.core.choices import PeriodState
from reports.models import Publication, PublicationSource
from reports.services import published_file_checksum_matches
from tests.reports.conftest import pdf_text

pytestmark = pytest.mark.django_db


def test_the_demo_published_quarters_get_their_packs_by_import(demo_data, client, director):
    call_command("publish_imported", stdout=io.StringIO())
    publications = Publication.objects.filter(period__strategy__slug="step-up-to-great").select_related("period")
    quarters = {(p.period.slug, p.layout) for p in publications}
    assert {("2023-Q1", "highlight"), ("2024-Q2", "progress")} <= quarters
    for publication in publications:
        assert publication.source == PublicationSource.IMPORT and publication.status == "published"
        assert publication.period.state == PeriodState.PUBLISHED and publication.published_by is None
        assert publication.files.count() == 4
        assert all(published_file_checksum_matches(f) for f in publication.files.all())
    q1 = publications.get(period__year=2023, period__quarter=1, layout="highlight")
    text = pdf_text(bytes(q1.files.get(format="pdf").content))
    assert "David Williams, Group Director of Strategy & Partnerships" in text
    assert "Executive Director of Strategy and Partnerships" not in text
    client.force_login(director)
    page = client.get(reverse("reports:pack", args=["step-up-to-great"])).content.decode()
    assert "Published by import" in page and "SHA-256 checksums" in page
    # run again, nothing new
    count = Publication.objects.count()
    call_command("publish_imported", stdout=io.StringIO())
    assert Publication.objects.count() == count

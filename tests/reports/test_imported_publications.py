"""Quarters imported as published get a real publication built from the imported data, labelled as
published by import with its checksums; their packs print names and titles as they were then. The
demo's come from `load_demo` itself."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from goals.core.choices import PeriodState
from reports.models import Publication, PublicationSource
from reports.services import published_file_checksum_matches
from tests.reports.conftest import pdf_text

pytestmark = pytest.mark.django_db

SEED_TITLE = "Step Up To Great Strategy – 2021/24 & Leicestershire Partnership Trust Strategic Plan – 2023/24"


def test_load_demo_publishes_the_quarters_imported_as_published(client):
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "Step Up To Great Q1 2023/24 Highlight report: published" in out.getvalue()
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
    assert " ".join(SEED_TITLE.split()) in " ".join(text.split())

    client.force_login(get_user_model().objects.get(username="director"))  # the demo's director
    page = client.get(reverse("reports:pack", args=["step-up-to-great"])).content.decode()
    assert "Q1 2023/24 highlight report, version 1" in page
    assert "Q2 2024/25 progress report, version 1" in page
    assert page.count("Published by import") == publications.count()
    assert "SHA-256 checksums" in page and q1.files.get(format="pdf").sha256 in page

    # run again: nothing new, nothing rendered; publish_imported finds nothing to do either
    count = Publication.objects.count()
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert Publication.objects.count() == count and ": published" not in out.getvalue()
    out = io.StringIO()
    call_command("publish_imported", stdout=out)
    assert Publication.objects.count() == count and out.getvalue() == ""


def test_load_demo_without_packs_publishes_nothing():
    call_command("load_demo", "--without-packs", stdout=io.StringIO())
    assert Publication.objects.count() == 0

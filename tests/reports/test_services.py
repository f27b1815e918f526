"""Publishing a board pack: locks the quarter, renders every format once, stores the bytes with
their SHA-256, who and when; refuses a second publishing until the quarter is re-opened, and then
makes version 2 while version 1 stays exactly as it was."""

import hashlib

import pytest
from django.core.exceptions import PermissionDenied

from goals.core.choices import PeriodState, UpdateState
from goals.cycle import services as goal_services
from goals.models import ActionUpdate, Period, PersonTitle
from reports.models import Publication, PublishedFile
from reports.renderers import docx as docx_renderer
from reports.renderers import html as html_renderer
from reports.renderers import pdf as pdf_renderer
from reports.renderers import xlsx as xlsx_renderer
from reports.services import publication_publish, published_file_checksum_matches
from tests import factories

FORMATS = {"pdf", "docx", "xlsx", "html"}


@pytest.fixture
def q3(cycle):
    """Q3 2024/25 of "Better Care", open, with the lead's update submitted."""
    factories.ActionUpdateFactory(
        action=cycle.action,
        period=cycle.period,
        rag="amber",
        rag_reason="Staff short.",
        progress="First text of the quarter.",
        state=UpdateState.SUBMITTED,
    )
    return cycle.period


@pytest.fixture
def render_calls(monkeypatch):
    """Counts each renderer's calls (they still render)."""
    calls = dict.fromkeys(FORMATS, 0)
    modules = {
        "pdf": (pdf_renderer, "render_pdf"),
        "docx": (docx_renderer, "render_docx"),
        "xlsx": (xlsx_renderer, "render_xlsx"),
        "html": (html_renderer, "render_html"),
    }
    for name, (module, attribute) in modules.items():
        original = getattr(module, attribute)

        def counted(report, name=name, original=original):
            calls[name] += 1
            return original(report)

        monkeypatch.setattr(module, attribute, counted)
    return calls


def test_publishing_locks_the_quarter_renders_every_format_once_and_stores_it(q3, secretary, render_calls):
    publication = publication_publish(period=q3, layout="progress", by=secretary)
    q3.refresh_from_db()
    assert q3.state == PeriodState.PUBLISHED
    assert PersonTitle.objects.filter(period=q3).exists()  # locking recorded names and titles as they were
    assert (publication.version, publication.published_by, publication.layout) == (1, secretary, "progress")
    assert publication.published_at is not None
    assert render_calls == dict.fromkeys(FORMATS, 1)
    files = {f.format: f for f in publication.files.all()}
    assert set(files) == FORMATS
    for name, stored in files.items():
        content = bytes(stored.content)
        assert stored.sha256 == hashlib.sha256(content).hexdigest() and stored.size == len(content) > 0
        assert stored.filename == f"better-care-2024-Q3-progress.{name}"
    assert files["pdf"].content_type == "application/pdf"
    assert b"First text of the quarter." in bytes(files["html"].content)
    assert q3.history.first().history_change_reason == "Published the progress report, version 1"


def test_publishing_the_same_pack_twice_without_reopening_is_refused(q3, secretary):
    publication_publish(period=q3, layout="progress", by=secretary)
    with pytest.raises(goal_services.WorkflowError, match="already published \\(version 1\\). Re-open the quarter"):
        publication_publish(period=q3, layout="progress", by=secretary)
    assert Publication.objects.count() == 1 and PublishedFile.objects.count() == 4


def test_the_other_layout_of_a_published_quarter_can_still_be_published(q3, secretary):
    publication_publish(period=q3, layout="progress", by=secretary)
    highlight = publication_publish(period=q3, layout="highlight", by=secretary)
    assert (highlight.layout, highlight.version) == ("highlight", 1)


def test_reopening_and_publishing_again_makes_version_2_and_version_1_never_changes(q3, secretary):
    first = publication_publish(period=q3, layout="progress", by=secretary)
    before = {f.format: (bytes(f.content), f.sha256) for f in first.files.all()}

    goal_services.period_reopen(period=q3, reason="Correction agreed by the chair.", by=secretary)
    ActionUpdate.objects.filter(period=q3).update(progress="Corrected text after re-opening.")
    second = publication_publish(period=Period.objects.get(pk=q3.pk), layout="progress", by=secretary)

    assert second.version == 2
    assert {f.filename for f in second.files.all()} == {f"better-care-2024-Q3-progress-v2.{n}" for n in FORMATS}
    assert b"Corrected text after re-opening." in bytes(second.files.get(format="html").content)
    for stored in PublishedFile.objects.filter(publication=first):
        assert (bytes(stored.content), stored.sha256) == before[stored.format]
        assert published_file_checksum_matches(stored)
    assert b"First text of the quarter." in before["html"][0]


def test_a_quarter_published_by_import_can_have_its_pack_published(cycle, secretary):
    publication = publication_publish(period=cycle.previous, layout="highlight", by=secretary)
    cycle.previous.refresh_from_db()
    assert publication.version == 1 and cycle.previous.state == PeriodState.PUBLISHED


def test_a_planned_quarter_cannot_be_published(cycle, secretary):
    planned = factories.PeriodFactory(strategy=cycle.strategy, year=2025, quarter=1, state=PeriodState.PLANNED)
    with pytest.raises(goal_services.WorkflowError, match="has not been opened"):
        publication_publish(period=planned, layout="progress", by=secretary)
    assert not Publication.objects.exists()


def test_an_unknown_layout_is_refused(q3, secretary):
    with pytest.raises(goal_services.WorkflowError, match="no 'poster' layout"):
        publication_publish(period=q3, layout="poster", by=secretary)


def test_an_admin_may_publish(q3, admin_user):
    assert publication_publish(period=q3, layout="progress", by=admin_user).published_by == admin_user


@pytest.mark.parametrize("who", ["director", "lead", "sro"])
def test_only_the_secretary_or_an_admin_may_publish_and_a_refusal_writes_nothing(q3, cycle, director, who):
    user = director if who == "director" else getattr(cycle, who)
    with pytest.raises(PermissionDenied):
        publication_publish(period=q3, layout="progress", by=user)
    q3.refresh_from_db()
    assert q3.state == PeriodState.OPEN
    assert not Publication.objects.exists() and not PublishedFile.objects.exists()
    assert not PersonTitle.objects.filter(period=q3).exists()


def test_a_stored_file_refuses_to_change_or_be_deleted(q3, secretary):
    from reports.models import PublishedFileIsFrozen

    stored = publication_publish(period=q3, layout="progress", by=secretary).files.get(format="pdf")
    stored.content = b"tampered"
    with pytest.raises(PublishedFileIsFrozen):
        stored.save()
    with pytest.raises(PublishedFileIsFrozen):
        stored.delete()
    assert published_file_checksum_matches(PublishedFile.objects.get(pk=stored.pk))


def test_publishing_the_same_version_at_the_same_moment_is_refused_cleanly(q3, secretary, monkeypatch):
    from reports import services as report_services

    real_next_version = report_services._next_version

    def numbered_while_someone_else_publishes(period, layout):
        version = real_next_version(period, layout)
        Publication.objects.create(period=q3, layout="progress", version=1, published_by=secretary)
        return version

    monkeypatch.setattr(report_services, "_next_version", numbered_while_someone_else_publishes)
    with pytest.raises(goal_services.WorkflowError, match="published by someone else just now"):
        publication_publish(period=q3, layout="progress", by=secretary)
    assert not PublishedFile.objects.exists()

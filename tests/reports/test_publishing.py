"""Publishing in the background: the request locks the quarter and queues the publication; the
worker renders every format and stores them all or nothing. The tests run tasks immediately
(tests/conftest.py); one test runs a real `db_worker` process on a SQLite file."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from goals.core.choices import PeriodState
from goals.cycle.services import WorkflowError
from reports import services as report_services
from reports.models import Publication, PublicationStatus, PublishedFile
from reports.renderers import OutputFormat
from reports.services import publication_publish, publication_retry
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def q3(cycle):
    factories.ActionUpdateFactory(action=cycle.action, period=cycle.period, rag="green")
    return cycle.period


@pytest.fixture
def broken_word(monkeypatch):
    """The Word renderer fails (as a crashed library would) until the test lets it work again."""
    real = report_services.output_format

    def output_format(name):
        spec = real(name)
        if name != "docx":
            return spec

        def render(report):
            raise RuntimeError("the Word renderer ran out of memory")

        return OutputFormat(spec.extension, spec.content_type, spec.label, render)

    monkeypatch.setattr(report_services, "output_format", output_format)
    return lambda: monkeypatch.setattr(report_services, "output_format", real)


def test_publishing_freezes_the_default_cover_sheet_with_the_publication(q3, cycle, secretary):
    cycle.strategy.sro = factories.PersonFactory(name="Zara Ahmed", job_title="Chief Executive")
    cycle.strategy.save()
    publication = publication_publish(period=q3, layout="progress", by=secretary)
    assert publication.status == PublicationStatus.PUBLISHED and publication.finished_at is not None
    assert publication.cover_sheet["title"] == "Better Care – Q3 2024/25 progress report"
    assert publication.cover_sheet["lead_director"] == "Zara Ahmed, Chief Executive"


def test_a_failed_render_stores_nothing_says_why_and_can_be_retried(q3, secretary, broken_word):
    publication = publication_publish(period=q3, layout="progress", by=secretary)
    assert publication.status == PublicationStatus.FAILED
    assert "the Word renderer ran out of memory" in publication.failure_reason
    assert not PublishedFile.objects.exists()
    q3.refresh_from_db()
    assert q3.state == PeriodState.LOCKED  # locked by the request, not published
    # publishing again while it is failed is a retry, not a second version
    broken_word()
    retried = publication_retry(publication=publication, by=secretary)
    assert (retried.pk, retried.version, retried.status) == (publication.pk, 1, PublicationStatus.PUBLISHED)
    assert retried.failure_reason == "" and PublishedFile.objects.filter(publication=retried).count() == 4
    q3.refresh_from_db()
    assert q3.state == PeriodState.PUBLISHED


def test_only_a_failed_publication_is_retried(q3, secretary, director):
    publication = publication_publish(period=q3, layout="progress", by=secretary)
    with pytest.raises(WorkflowError, match="Only a publication that failed"):
        publication_retry(publication=publication, by=secretary)
    Publication.objects.filter(pk=publication.pk).update(status=PublicationStatus.FAILED)
    with pytest.raises(PermissionDenied):
        publication_retry(publication=publication, by=director)
    assert Publication.objects.get(pk=publication.pk).status == PublicationStatus.FAILED


def test_a_pack_being_published_is_not_queued_twice(q3, secretary, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # nothing runs
    publication = publication_publish(period=q3, layout="progress", by=secretary)
    assert publication.status == PublicationStatus.QUEUED
    with pytest.raises(WorkflowError, match="already being published"):
        publication_publish(period=q3, layout="progress", by=secretary)
    assert Publication.objects.count() == 1


def test_the_pack_page_shows_the_status_refreshes_while_queued_and_offers_a_retry(client, q3, secretary, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    client.force_login(secretary)
    response = client.post(reverse("reports:pack_publish", args=["better-care", q3.slug, "progress"]), follow=True)
    page = response.content.decode()
    assert "is being published (version 1)" in page
    assert 'data-refresh-seconds="3"' in page and "js/refresh.js" in page and "Queued" in page
    Publication.objects.update(status=PublicationStatus.FAILED, failure_reason="RuntimeError: out of memory")
    page = client.get(reverse("reports:pack", args=["better-care"])).content.decode()
    assert "data-refresh-seconds" not in page and "Failed" in page and "RuntimeError: out of memory" in page
    assert reverse("reports:publication_retry", args=[Publication.objects.get().pk]) in page


def test_retrying_needs_the_secretary(client, q3, secretary, director, settings):
    immediate = settings.TASKS
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    publication = publication_publish(period=q3, layout="progress", by=secretary)
    settings.TASKS = immediate
    Publication.objects.filter(pk=publication.pk).update(status=PublicationStatus.FAILED)
    url = reverse("reports:publication_retry", args=[publication.pk])
    assert client.post(url).status_code == 302 and "/login" in client.post(url)["Location"].lower()
    client.force_login(director)
    assert client.post(url).status_code == 403
    client.force_login(secretary)
    assert client.post(reverse("reports:publication_retry", args=[publication.pk + 99])).status_code == 404
    assert Publication.objects.get().status == PublicationStatus.FAILED
    client.post(url)
    assert Publication.objects.get().status == PublicationStatus.PUBLISHED


def test_submit_emails_are_queued_through_the_task_backend(cycle, settings, mailoutbox):
    from goals.core.mail import send_email_task

    result = send_email_task.enqueue(
        subject="Update submitted",
        body="Plain",
        from_email="a@example.nhs.uk",
        to=["b@example.nhs.uk"],
        alternatives=[["<p>HTML</p>", "text/html"]],
    )
    assert result.return_value == 1
    assert mailoutbox[-1].subject == "Update submitted" and mailoutbox[-1].alternatives[0][1] == "text/html"


def test_a_real_db_worker_process_publishes_a_queued_pack(tmp_path):
    """The request's part in one process (the database backend: only queued), then `manage.py
    db_worker --batch` in another renders and stores it."""
    database = str(tmp_path / "worker.sqlite3")
    scenario = Path(__file__).with_name("worker_scenario.py")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TASKS_BACKEND")}
    env["SQLITE_PATH"] = database
    run = dict(cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=300)
    queued = subprocess.run([sys.executable, str(scenario), "queue", database], **run)
    assert queued.returncode == 0, queued.stderr
    assert queued.stdout.strip().splitlines()[-1] == "queued"
    worker = subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-reload", "--no-startup-delay"], **run
    )
    assert worker.returncode == 0, worker.stderr
    status = subprocess.run([sys.executable, str(scenario), "status", database], **run)
    assert status.stdout.split() == ["published", "4", "published"], status.stderr


def test_a_quarter_reopened_while_its_pack_renders_is_not_published(q3, secretary, settings):
    from goals.cycle.services import period_reopen

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # the worker is late
    publication = publication_publish(period=q3, layout="progress", by=secretary)
    q3.refresh_from_db()
    period_reopen(period=q3, reason="A late correction", by=secretary)
    rendered = report_services.publication_render(publication_id=publication.pk)
    assert rendered.status == PublicationStatus.FAILED
    assert "was re-opened while its pack was being rendered" in rendered.failure_reason
    assert not PublishedFile.objects.exists()
    q3.refresh_from_db()
    assert q3.state == PeriodState.OPEN  # not put back to published by the worker's older copy

"""The board-pack pages: who may see, download and publish what; downloads are attachments with
sensible names; published files are served from the database, never re-rendered; query counts do
not grow with the data."""

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from benchmarks.generator import generate_trust
from goals.core.choices import PeriodState, UpdateState
from goals.models import Period
from reports.models import Publication, PublishedFile
from reports.renderers import docx as docx_renderer
from reports.renderers import html as html_renderer
from reports.renderers import pdf as pdf_renderer
from reports.renderers import xlsx as xlsx_renderer
from reports.services import publication_publish
from tests import factories

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html; charset=utf-8",
}


@pytest.fixture
def q3(cycle):
    factories.ActionUpdateFactory(
        action=cycle.action, period=cycle.period, rag="green", progress="Waits are down.", state=UpdateState.SUBMITTED
    )
    return cycle.period


def urls(period, layout="progress"):
    slug, quarter = period.strategy.slug, period.slug
    return {
        "index": reverse("reports:pack_index"),
        "pack": reverse("reports:pack", args=[slug]),
        "preview": reverse("reports:pack_preview", args=[slug, quarter, layout]),
        "pdf": reverse("reports:pack_download", args=[slug, quarter, layout, "pdf"]),
        "xlsx": reverse("reports:pack_download", args=[slug, quarter, layout, "xlsx"]),
        "publish": reverse("reports:pack_publish", args=[slug, quarter, layout]),
    }


@pytest.mark.parametrize("page_name", ["index", "pack", "preview", "pdf"])
def test_anonymous_users_are_sent_to_sign_in(client, q3, page_name):
    url = urls(q3)[page_name]
    response = client.get(url)
    assert response.status_code == 302 and response["Location"] == f"{reverse('login')}?next={url}"


def test_anonymous_users_cannot_publish(client, q3):
    response = client.post(urls(q3)["publish"])
    assert response.status_code == 302 and not Publication.objects.exists()


def test_every_signed_in_user_sees_the_published_packs_but_not_the_preparation(client, cycle, q3, secretary):
    publication_publish(period=q3, layout="progress", by=secretary)
    client.force_login(cycle.lead)
    content = client.get(urls(q3)["pack"]).content.decode()
    assert "Q3 2024/25 progress report, version 1" in content
    assert reverse("reports:published_download", args=[Publication.objects.get().pk, "pdf"]) in content
    assert "Prepare a pack" not in content and "Publish the" not in content
    assert "Better Care" in client.get(urls(q3)["index"]).content.decode()


@pytest.mark.parametrize("page_name", ["preview", "pdf", "xlsx"])
def test_a_user_without_a_role_cannot_preview_or_download_an_unpublished_pack(client, cycle, q3, page_name):
    client.force_login(cycle.lead)
    assert client.get(urls(q3)[page_name]).status_code == 403


def test_a_director_can_prepare_preview_and_download_but_not_publish(client, q3, director):
    client.force_login(director)
    page = client.get(urls(q3)["pack"])
    content = page.content.decode()
    assert "Prepare a pack" in content and urls(q3)["preview"] in content
    assert "Publish the" not in content
    preview = client.get(urls(q3)["preview"])
    assert preview.status_code == 200 and "Waits are down." in preview.content.decode()
    response = client.post(urls(q3)["publish"])
    assert response.status_code == 403
    q3.refresh_from_db()
    assert q3.state == PeriodState.OPEN and not Publication.objects.exists() and not PublishedFile.objects.exists()


@pytest.mark.parametrize("name", ["pdf", "docx", "xlsx", "html"])
def test_downloads_are_attachments_with_sensible_file_names(client, q3, director, name):
    client.force_login(director)
    response = client.get(reverse("reports:pack_download", args=["better-care", "2024-Q3", "progress", name]))
    assert response.status_code == 200
    assert response["Content-Type"] == CONTENT_TYPES[name]
    assert response["Content-Disposition"] == f'attachment; filename="better-care-2024-Q3-progress.{name}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert len(response.content) > 1000


def test_the_secretary_publishes_with_a_post_and_sees_it_listed(client, q3, secretary):
    client.force_login(secretary)
    assert (
        "Publish the progress report for Q3 2024/25"
        in client.get(urls(q3)["pack"] + "?quarter=2024-Q3&layout=progress").content.decode()
    )
    response = client.post(urls(q3)["publish"])
    assert response.status_code == 302
    assert response["Location"] == urls(q3)["pack"] + "?quarter=2024-Q3&layout=progress"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Progress report for Q3 2024/25 published (version 1). Its files are stored and will not change."
    ]
    publication = Publication.objects.get()
    assert (publication.published_by, publication.files.count()) == (secretary, 4)
    page = client.get(response["Location"]).content.decode()
    assert "is published (version 1)" in page and "Publish the" not in page
    assert reverse("goals:period_reopen", args=["better-care", "2024-Q3"]) in page


def test_publishing_twice_shows_why_and_writes_nothing(client, q3, secretary):
    client.force_login(secretary)
    client.post(urls(q3)["publish"])
    response = client.post(urls(q3)["publish"], follow=True)
    assert (
        "already published (version 1). Re-open the quarter before you publish it again." in response.content.decode()
    )
    assert Publication.objects.count() == 1


def test_publishing_needs_a_post_and_a_csrf_token(q3, secretary):
    client = Client(enforce_csrf_checks=True)
    client.force_login(secretary)
    assert client.get(urls(q3)["publish"]).status_code == 405
    assert client.post(urls(q3)["publish"]).status_code == 403
    assert not Publication.objects.exists()
    q3.refresh_from_db()
    assert q3.state == PeriodState.OPEN


def test_published_files_are_served_from_the_database_and_never_rendered_again(
    client, cycle, q3, secretary, monkeypatch
):
    publication = publication_publish(period=q3, layout="progress", by=secretary)

    def no_rendering(report):
        raise AssertionError("a published file was rendered again")

    for module, name in [
        (pdf_renderer, "render_pdf"),
        (docx_renderer, "render_docx"),
        (xlsx_renderer, "render_xlsx"),
        (html_renderer, "render_html"),
    ]:
        monkeypatch.setattr(module, name, no_rendering)
    client.force_login(cycle.lead)  # any signed-in user may download a published pack
    for stored in publication.files.all():
        response = client.get(reverse("reports:published_download", args=[publication.pk, stored.format]))
        assert response.status_code == 200
        assert response.content == bytes(stored.content)
        assert response["Content-Disposition"] == f'attachment; filename="{stored.filename}"'
        assert response["ETag"] == f'"{stored.sha256}"'


def test_published_files_cannot_be_changed_through_the_download_url(client, q3, secretary):
    publication = publication_publish(period=q3, layout="progress", by=secretary)
    client.force_login(secretary)
    url = reverse("reports:published_download", args=[publication.pk, "pdf"])
    assert client.post(url).status_code == 405
    assert client.delete(url).status_code == 405


def test_unknown_strategies_quarters_layouts_formats_and_files_answer_404(client, q3, director):
    client.force_login(director)
    for url in [
        reverse("reports:pack", args=["no-such-strategy"]),
        reverse("reports:pack_preview", args=["better-care", "2019-Q1", "progress"]),
        reverse("reports:pack_preview", args=["better-care", "not-a-quarter", "progress"]),
        reverse("reports:pack_preview", args=["better-care", "2024-Q3", "poster"]),
        reverse("reports:pack_download", args=["better-care", "2024-Q3", "progress", "exe"]),
        reverse("reports:published_download", args=[999999, "pdf"]),
    ]:
        assert client.get(url).status_code == 404, url


def test_a_quarter_of_another_strategy_is_not_found_under_this_one(client, q3, director):
    other = factories.StrategyFactory(name="Other Care", slug="other-care")
    factories.PeriodFactory(strategy=other, year=2023, quarter=4, state=PeriodState.LOCKED)
    client.force_login(director)
    assert client.get(reverse("reports:pack_preview", args=["better-care", "2023-Q4", "progress"])).status_code == 404


def test_a_wrong_choice_on_the_pack_page_gets_a_clear_message(client, q3, director):
    client.force_login(director)
    response = client.get(urls(q3)["pack"] + "?quarter=1999-Q1&layout=poster")
    content = response.content.decode()
    assert response.status_code == 200
    assert "Choose one of the quarters listed" in content and "Choose the progress or the highlight report" in content
    assert "nhsuk-error-summary" in content


def test_a_strategy_with_no_open_quarter_says_so(client, director):
    factories.StrategyFactory(name="New Strategy", slug="new-strategy")
    client.force_login(director)
    content = client.get(reverse("reports:pack", args=["new-strategy"])).content.decode()
    assert "has been opened yet" in content and "No pack of New Strategy has been published yet." in content


# --- Query counts ------------------------------------------------------------------------------

SMALL = {"goals": 3, "objectives_per_goal": 2, "actions_per_objective": 3, "quarters": 4}
LARGE = {"goals": 6, "objectives_per_goal": 5, "actions_per_objective": 6, "quarters": 8}  # 10× the actions
# session, user, groups (navigation), then the page's own reads
PINNED_QUERIES = {"pack": 7, "preview": 20, "xlsx": 20}  # preview and download: +1 for the cover sheet


def _page_url(trust, page):
    period = Period.objects.filter(strategy=trust.strategy).order_by("-year", "-quarter")[1]
    return {
        "pack": reverse("reports:pack", args=[trust.strategy.slug]),
        "preview": reverse("reports:pack_preview", args=[trust.strategy.slug, period.slug, "progress"]),
        "xlsx": reverse("reports:pack_download", args=[trust.strategy.slug, period.slug, "progress", "xlsx"]),
    }[page]


def _query_count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("page_name", sorted(PINNED_QUERIES))
def test_query_count_is_pinned_and_does_not_grow_with_the_data(client, director, secretary, page_name):
    small = generate_trust(**SMALL, slug="small-trust")
    large = generate_trust(**LARGE, slug="large-trust", seed=2)
    for trust, publications in ((small, 1), (large, 3)):  # published packs listed on the pack page
        for period in Period.objects.filter(strategy=trust.strategy, state=PeriodState.PUBLISHED)[:publications]:
            Publication.objects.create(period=period, layout="progress", version=1, published_by=secretary)
    client.force_login(director)
    small_count = _query_count(client, _page_url(small, page_name))
    large_count = _query_count(client, _page_url(large, page_name))
    assert (small_count, large_count) == (PINNED_QUERIES[page_name], PINNED_QUERIES[page_name])


def test_the_django_admin_can_look_at_publications_but_not_change_or_delete_them(client, q3, secretary):
    publication = publication_publish(period=q3, layout="progress", by=secretary)
    client.force_login(factories.UserFactory(username="root", is_staff=True, is_superuser=True))
    assert client.get(reverse("admin:reports_publication_change", args=[publication.pk])).status_code == 200
    assert (
        client.post(reverse("admin:reports_publication_delete", args=[publication.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert client.get(reverse("admin:reports_publication_add")).status_code == 403
    assert Publication.objects.filter(pk=publication.pk).exists()

"""The board paper's cover sheet: the programme office fills it in (defaults from the strategy and
quarter), it prints as page 1 of every format and is frozen with the publication."""

import io

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from benchmarks.generator import generate_trust
from reports.builder import build_report, report_period
from reports.cover import report_with_cover_sheet
from reports.models import CoverSheet
from reports.renderers import render
from reports.services import publication_publish
from tests import factories
from tests.reports.conftest import pdf_text

pytestmark = pytest.mark.django_db

URL_ARGS = ["better-care", "2024-Q3", "progress"]


@pytest.fixture
def sro(cycle):
    person = factories.PersonFactory(name="Zara Ahmed", job_title="Chief Executive")
    cycle.strategy.sro = person
    cycle.strategy.save()
    return person


def filled_in(cycle, **overrides):
    risk = cycle.strategy.risks.filter(number="03").first() or factories.RiskFactory(
        strategy=cycle.strategy, number="03", title="Workforce supply"
    )
    data = {
        "meeting": "Trust Board (public)",
        "meeting_date": "2025-01-28",
        "agenda_item": "12.1",
        "title": "Better Care: Q3 progress",
        "lead_director": "",
        "author": "Programme office",
        "purpose": "assurance",
        "assurance_level": "limited",
        "goals": [cycle.objective.goal.pk],
        "risks": [risk.pk],
        "previously_considered_by": "Executive team, 14 January 2025",
        "recommendation": "The board is asked to note the progress.",
        "equality_impact": "None identified.",
    }
    data.update(overrides)
    return data


def test_the_form_starts_from_the_strategy_and_quarter(client, cycle, secretary, sro):
    client.force_login(secretary)
    page = client.get(reverse("reports:cover_sheet_edit", args=URL_ARGS)).content.decode()
    assert 'value="Better Care – Q3 2024/25 progress report"' in page
    assert f'<option value="{sro.pk}" selected>' in page
    for label in ("Decision", "Discussion", "Assurance", "Information", "Substantial", "Reasonable"):
        assert label in page
    assert "Title on the pack&#x27;s cover (optional)" in page


def test_the_pack_title_starts_from_the_quarter_and_the_secretary_sets_it_per_pack(client, cycle, secretary):
    cycle.period.pack_title = "Better Care Strategy 2024/27 and Annual Plan 2024/25"
    cycle.period.save()
    client.force_login(secretary)
    url = reverse("reports:cover_sheet_edit", args=URL_ARGS)
    assert 'value="Better Care Strategy 2024/27 and Annual Plan 2024/25"' in client.get(url).content.decode()
    # before the cover sheet is filled in, the pack prints the quarter's title
    report = report_with_cover_sheet(build_report(period=cycle.period, layout="progress"), cycle.period)
    assert "Better Care Strategy 2024/27 and Annual Plan 2024/25" in pdf_text(render(report, "pdf"))

    client.post(url, filled_in(cycle, pack_title="Better Care – Quarter 3 assurance"))
    assert CoverSheet.objects.get().pack_title == "Better Care – Quarter 3 assurance"
    report = report_with_cover_sheet(build_report(period=cycle.period, layout="progress"), cycle.period)
    assert report.cover_title == "Better Care – Quarter 3 assurance"
    html = render(report, "html").decode()
    assert '<span class="report-cover__pack-title">Better Care – Quarter 3 assurance</span>' in html
    assert "Annual Plan" not in html
    highlight = report_with_cover_sheet(build_report(period=cycle.period, layout="highlight"), cycle.period)
    assert highlight.cover_title == "Better Care Strategy 2024/27 and Annual Plan 2024/25"  # the other pack's own

    # emptied: the strategy's name and years
    client.post(url, filled_in(cycle, pack_title=""))
    report = report_with_cover_sheet(build_report(period=cycle.period, layout="progress"), cycle.period)
    assert report.cover_title == ""
    assert '<h1 class="report-cover__title" id="report-title">Better Care' in render(report, "html").decode()


def test_the_secretary_fills_it_in_and_it_prints_first_in_every_format(client, cycle, secretary, sro):
    client.force_login(secretary)
    response = client.post(reverse("reports:cover_sheet_edit", args=URL_ARGS), filled_in(cycle, lead_director=sro.pk))
    assert response.status_code == 302
    sheet = CoverSheet.objects.get()
    assert sheet.history.first().history_user == secretary
    report = report_with_cover_sheet(build_report(period=cycle.period, layout="progress"), cycle.period)
    pdf = pdf_text(render(report, "pdf"))
    assert pdf.index("Board paper cover sheet") < pdf.index("At a glance")
    assert "Trust Board (public)" in pdf and "28 January 2025" in pdf and "Limited" in pdf
    assert "Zara Ahmed, Chief Executive" in pdf and "BAF 03: Workforce supply" in pdf
    document = Document(io.BytesIO(render(report, "docx")))
    assert document.paragraphs[1].text == "Better Care: Q3 progress"
    assert document.tables[0].rows[0].cells[0].text == "Meeting"
    workbook = load_workbook(io.BytesIO(render(report, "xlsx")))
    assert workbook.sheetnames[0] == "Cover sheet"
    html = render(report, "html").decode()
    assert html.index('class="report-cover-sheet"') < html.index('class="report-cover__title"')
    preview = client.get(reverse("reports:pack_preview", args=URL_ARGS)).content.decode()
    assert "Board paper cover sheet" in preview and "The board is asked to note the progress." in preview


def test_errors_show_the_nhs_error_summary_and_keep_what_was_typed(client, cycle, secretary):
    client.force_login(secretary)
    response = client.post(
        reverse("reports:cover_sheet_edit", args=URL_ARGS),
        filled_in(cycle, title="", meeting_date="2025-02-31", purpose=""),
    )
    page = response.content.decode()
    assert response.status_code == 200 and "nhsuk-error-summary" in page
    assert "Enter the paper title" in page and "Choose the purpose of the paper" in page
    assert "Trust Board (public)" in page and "The board is asked to note the progress." in page
    assert not CoverSheet.objects.exists()


def test_changes_are_in_the_history_on_the_page(client, cycle, secretary):
    client.force_login(secretary)
    url = reverse("reports:cover_sheet_edit", args=URL_ARGS)
    client.post(url, filled_in(cycle))
    client.post(url, filled_in(cycle, agenda_item="9.2", risks=[]))
    page = client.get(url).content.decode()
    assert "Cover sheet changed" in page and "12.1" in page and "9.2" in page


def test_the_publication_keeps_the_cover_sheet_as_it_was(client, cycle, secretary):
    client.force_login(secretary)
    url = reverse("reports:cover_sheet_edit", args=URL_ARGS)
    client.post(url, filled_in(cycle))
    publication = publication_publish(period=cycle.period, layout="progress", by=secretary)
    client.post(url, filled_in(cycle, title="Changed afterwards"))
    publication.refresh_from_db()
    assert publication.cover_sheet["title"] == "Better Care: Q3 progress"
    assert "Better Care: Q3 progress" in pdf_text(bytes(publication.files.get(format="pdf").content))


def test_only_the_secretary_and_only_this_strategy(client, cycle, director, secretary):
    url = reverse("reports:cover_sheet_edit", args=URL_ARGS)
    assert client.get(url).status_code == 302
    client.force_login(director)
    assert client.get(url).status_code == 403
    assert client.post(url, filled_in(cycle)).status_code == 403
    client.force_login(secretary)
    assert client.get(reverse("reports:cover_sheet_edit", args=["no-such", "2024-Q3", "progress"])).status_code == 404
    other = factories.StrategyFactory(slug="other")
    other_goal = factories.GoalFactory(strategy=other, order=1, key="x", title="Elsewhere")
    response = client.post(url, filled_in(cycle, goals=[other_goal.pk]))
    assert response.status_code == 200 and not CoverSheet.objects.exists()


@pytest.mark.parametrize("size", [{"goals": 2, "quarters": 2}, {"goals": 6, "quarters": 6}])
def test_the_form_page_reads_a_fixed_number_of_queries(client, secretary, count_queries, size):
    generate_trust(objectives_per_goal=2, actions_per_objective=3, slug="trust", **size)
    period = report_period("trust", "2022-Q2")
    client.force_login(secretary)
    queries = count_queries(client, reverse("reports:cover_sheet_edit", args=["trust", period.slug, "progress"]))
    assert queries == 8

"""What every renderer shows beyond the demo packs: changes since the previous quarter in both
layouts, metrics with their charts, and a draft mark while the quarter is open."""

import datetime
import io

import pytest
from docx import Document
from openpyxl import load_workbook

from reports.builder import build_report, report_period
from reports.renderers import render
from tests import factories
from tests.reports.conftest import html_rows, normalise, pdf_text, xlsx_sheet


@pytest.fixture
def moved(rated):
    """`rated` plus a BAF risk whose score went from 12 to 16 between Q1 and Q2."""
    risk = factories.RiskFactory(strategy=rated.strategy, number="01", title="Waits grow beyond the target")
    risk.goals.add(rated.goals[0])
    factories.RiskScoreFactory(risk=risk, period=rated.q1, score=12)
    factories.RiskScoreFactory(risk=risk, period=rated.q2, score=16)
    return rated


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return normalise("\n".join(parts))


@pytest.mark.parametrize("layout", ["progress", "highlight"])
def test_both_layouts_show_rag_and_risk_score_movement_in_every_format(moved, layout):
    report = build_report(period=report_period("better-care", "2024-Q2"), layout=layout)
    changes = html_rows(render(report, "html"), "report-table--changes")
    worse = next(row for row in changes if row[1].endswith("1: Open a single point of access"))
    assert worse[0] == "Access" and worse[2:] == ["G Green", "R Red", "↓ Deteriorated"]
    assert ["01", "Waits grow beyond the target", "12", "16", "↑ Score increased"] in changes

    text = pdf_text(render(report, "pdf"))
    assert "RAG ratings that moved since Q1 2024/25" in text and "↓ Deteriorated" in text
    assert "BAF risk scores that moved since Q1 2024/25" in text and "↑ Score increased" in text

    word = docx_text(render(report, "docx"))
    assert (
        "RAG ratings that moved since Q1 2024/25" in word and "↓ Deteriorated" in word and "↑ Score increased" in word
    )

    workbook = render(report, "xlsx")
    worse = next(r for r in xlsx_sheet(workbook, "Actions") if r["Action"] == "Open a single point of access")
    assert (worse["Previous RAG"], worse["RAG"], worse["Change"]) == ("Green", "Red", "Deteriorated")
    risk = xlsx_sheet(workbook, "Risks")[0]
    assert (risk["Previous score"], risk["Score"], risk["Direction"]) == (12, 16, "Score increased")


def test_metrics_are_drawn_in_every_format(rated):
    metric = factories.MetricFactory(
        strategy=rated.strategy,
        key="falls",
        name="Falls per 1,000 bed days (illustrative)",
        goal=rated.goals[1],
        improvement="down",
        target=6,
    )
    for month in range(14):
        factories.MetricValueFactory(
            metric=metric,
            date=datetime.date(2023 + (month + 3) // 12, (month + 3) % 12 + 1, 1),
            value=7 + (month % 4) / 2,
        )
    report = build_report(period=report_period("better-care", "2024-Q2"), layout="progress")
    html = render(report, "html").decode()
    assert html.count("<svg") == 1 and "Falls per 1,000 bed days (illustrative)" in html
    assert "Falls per 1,000 bed days (illustrative)" in pdf_text(render(report, "pdf"))
    document = Document(io.BytesIO(render(report, "docx")))
    assert len(document.inline_shapes) == 1
    assert document.inline_shapes[0]._inline.docPr.get("descr").startswith("SPC chart of Falls per 1,000 bed days")
    rows = xlsx_sheet(render(report, "xlsx"), "Metrics")
    assert len(rows) == 14 and rows[0]["Metric"] == "Falls per 1,000 bed days (illustrative)"
    assert rows[-1]["Mean"] is not None and rows[-1]["Upper process limit"] is not None


def test_a_pack_of_an_open_quarter_says_it_is_a_draft(rated):
    report = build_report(period=report_period("better-care", "2024-Q3"), layout="progress")
    assert "Draft. Q3 2024/25 is still open" in pdf_text(render(report, "pdf"))
    assert "Draft. Q3 2024/25 is still open" in docx_text(render(report, "docx"))
    locked = build_report(period=report_period("better-care", "2024-Q2"), layout="progress")
    assert "Draft." not in render(locked, "html").decode()


def test_the_excel_workbook_has_its_sheets_and_a_frozen_filterable_header(rated):
    workbook = load_workbook(
        io.BytesIO(render(build_report(period=report_period("better-care", "2024-Q2"), layout="progress"), "xlsx"))
    )
    assert workbook.sheetnames == ["Actions", "Risks", "Success measures", "About"]
    actions = workbook["Actions"]
    assert actions.freeze_panes == "A2" and actions.auto_filter.ref == "A1:N9"
    about = {row[0]: row[1] for row in workbook["About"].iter_rows(values_only=True)}
    assert about["Quarter"] == "Q2 2024/25 (Jul, Aug and Sep 24)" and about["Compared with"] == "Q1 2024/25"

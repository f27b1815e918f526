"""Both demo packs as accessible documents: the PDF is tagged PDF/UA-1 (read back with pikepdf:
language, title, marked content, a structure tree with headings, table headers and list items,
bookmarks, figures with their text alternative), and the Word file has its title and language,
heading styles, header rows marked and alternative text on every chart."""

import datetime
import io
import shutil
import subprocess
import tempfile
from collections import Counter
from pathlib import Path

import pikepdf
import pytest
from docx import Document
from docx.oxml.ns import qn

from reports.builder import build_report, report_period
from reports.renderers import render
from tests import factories

pytestmark = pytest.mark.django_db


def structure(content: bytes):
    """(the catalog's facts, Counter of structure types, figures' /Alt texts, the headings' text-less
    order) of a PDF, read with pikepdf."""
    pdf = pikepdf.open(io.BytesIO(content))
    root = pdf.Root
    types, alts = Counter(), []

    def walk(element):
        if isinstance(element, pikepdf.Dictionary):
            if "/S" in element:
                types[str(element.S)] += 1
                if element.S == "/Figure":
                    alts.append(str(element.get("/Alt", "")))
            kids = element.get("/K")
        else:
            return
        if isinstance(kids, pikepdf.Array):
            for kid in kids:
                walk(kid)
        elif isinstance(kids, pikepdf.Dictionary):
            walk(kids)

    walk(root.StructTreeRoot)
    with pdf.open_metadata() as meta:
        title = meta.get("dc:title")
    facts = {
        "lang": str(root.get("/Lang", "")),
        "marked": bool(root.MarkInfo.get("/Marked")) if "/MarkInfo" in root else False,
        "title": title,
        "display_title": bool(root.get("/ViewerPreferences", {}).get("/DisplayDocTitle", False)),
        "outlines": "/Outlines" in root and int(root.Outlines.get("/Count", 0)) != 0,
        "version": pdf.pdf_version,
    }
    return facts, types, alts


@pytest.mark.parametrize("name", ["progress", "highlight"])
def test_the_demo_pdf_is_tagged_with_language_title_headings_table_headers_and_lists(demo_packs, name):
    pack = demo_packs[name]
    facts, types, _ = structure(pack.pdf)
    assert facts["lang"] == "en-GB"
    assert facts["marked"] is True
    assert facts["title"] == pack.report.title and facts["display_title"]
    assert facts["outlines"], "bookmarks are made from the headings"
    assert facts["version"] == "1.7"
    assert types["/Document"] == 1
    assert types["/H1"] >= 1 and types["/H2"] >= 5 and types["/H3"] >= 5
    assert types["/Table"] >= 5 and types["/TH"] >= 20 and types["/TD"] >= 20
    assert types["/L"] >= 1 and types["/LI"] >= 5


def test_the_progress_pdf_has_a_header_cell_per_column_of_each_action_table(demo_packs):
    _, types, _ = structure(demo_packs["progress"].pdf)
    # 13 tables (risks and actions per goal, the key): each header row has its TH cells
    assert types["/THead"] == types["/Table"]
    assert types["/TH"] >= 4 * types["/THead"]


@pytest.mark.skipif(not shutil.which("pdfinfo"), reason="pdfinfo (poppler-utils) is not installed")
@pytest.mark.parametrize("name", ["progress", "highlight"])
def test_pdfinfo_says_the_demo_pdf_is_tagged(demo_packs, name):
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "pack.pdf"
        path.write_bytes(demo_packs[name].pdf)
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Tagged:          yes" in info
    assert f"Title:           {demo_packs[name].report.title}" in info


def test_a_chart_is_a_figure_with_its_text_alternative(rated):
    metric = factories.MetricFactory(
        strategy=rated.strategy, key="falls", name="Falls per 1,000 bed days (illustrative)", goal=rated.goals[1]
    )
    for month in range(14):
        factories.MetricValueFactory(
            metric=metric, date=datetime.date(2023 + (month + 3) // 12, (month + 3) % 12 + 1, 1), value=7 + month % 3
        )
    report = build_report(period=report_period("better-care", "2024-Q2"), layout="progress")
    _, types, alts = structure(render(report, "pdf"))
    assert types["/Figure"] == 1
    assert alts and "Falls per 1,000 bed days" in alts[0]


@pytest.mark.parametrize("name", ["progress", "highlight"])
def test_the_demo_word_pack_has_title_language_heading_styles_and_header_rows(demo_packs, name):
    pack = demo_packs[name]
    document = Document(io.BytesIO(pack.docx))
    assert document.core_properties.title == pack.report.title
    assert document.core_properties.language == "en-GB"
    language = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert language.find(qn("w:lang")).get(qn("w:val")) == "en-GB"
    styles = {p.style.name for p in document.paragraphs}
    assert {"Title", "Heading 1", "Heading 2"} <= styles

    def header_marked(table):
        properties = table.rows[0]._tr.trPr
        return properties is not None and properties.find(qn("w:tblHeader")) is not None

    # every data table (the cover band has one row, the RAG tiles two: layout, not data) marks its header row
    data_tables = [table for table in document.tables if len(table.rows) > 2]
    assert len(data_tables) >= 5 and all(header_marked(table) for table in data_tables)
    # Word refreshes the contents' page numbers when the file is opened
    assert document.settings.element.find(qn("w:updateFields")).get(qn("w:val")) == "true"


def test_every_chart_picture_in_word_has_alternative_text(rated):
    metric = factories.MetricFactory(strategy=rated.strategy, key="waits", name="Waits (illustrative)")
    for month in range(14):
        factories.MetricValueFactory(
            metric=metric, date=datetime.date(2023 + (month + 3) // 12, (month + 3) % 12 + 1, 1), value=3 + month % 2
        )
    report = build_report(period=report_period("better-care", "2024-Q2"), layout="progress")
    document = Document(io.BytesIO(render(report, "docx")))
    assert document.inline_shapes
    for shape in document.inline_shapes:
        assert shape._inline.docPr.get("descr")

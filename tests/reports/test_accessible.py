"""Both demo packs as accessible documents: the PDF is tagged PDF/UA-1 (read back with pikepdf:
language, title, marked content, a structure tree with headings, table headers and list items,
bookmarks, figures with their text alternative), and the Word file has its title and language,
heading styles, header rows marked and alternative text on every chart."""

import datetime
import io
import re
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


def _plain(attributes) -> dict:
    return {key: int(value) if isinstance(value, int) else str(value) for key, value in attributes.items()}


def tagged_elements(content: bytes):
    """Every structure element of a PDF as (type, parent's type, attributes), and its link annotations
    as (target, flags)."""
    pdf = pikepdf.open(io.BytesIO(content))
    found = []

    def walk(element, parent_type):
        if not isinstance(element, pikepdf.Dictionary) or "/S" not in element:
            return
        kind = str(element.S)
        attributes = element.get("/A")
        found.append((kind, parent_type, _plain(attributes) if isinstance(attributes, pikepdf.Dictionary) else {}))
        kids = element.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            walk(kid, kind)

    for kid in pdf.Root.StructTreeRoot.K:
        walk(kid, "/StructTreeRoot")
    links = [
        (str(annot.get("/Contents", "")), int(annot.get("/F", 0)))
        for page in pdf.pages
        for annot in page.get("/Annots", [])
        if annot.get("/Subtype") == "/Link"
    ]
    return found, links


@pytest.mark.parametrize("name", ["progress", "highlight"])
def test_every_header_cell_says_whether_it_heads_a_column_or_a_row(demo_packs, name):
    elements, _ = tagged_elements(demo_packs[name].pdf)
    headers = [attributes for kind, _, attributes in elements if kind == "/TH"]
    assert len(headers) >= 20
    assert {str(a.get("/Scope")) for a in headers} <= {"/Column", "/Row"}
    # an objective's row over its actions spans the table and heads the cells below it
    assert all(str(a["/Scope"]) == "/Column" for a in headers if a.get("/ColSpan", 1) > 1)


def test_header_rows_head_columns_and_the_other_header_cells_head_rows(demo_packs):
    pdf = pikepdf.open(io.BytesIO(demo_packs["progress"].pdf))
    # the header cells of the header rows (<thead>; the summary's "Goal" among them) head columns; the
    # summary's goal names and its "All goals" head rows
    by_group = Counter()

    def walk(element, group):
        if not isinstance(element, pikepdf.Dictionary) or "/S" not in element:
            return
        if element.S in ("/THead", "/TBody", "/TFoot"):
            group = str(element.S)
        if element.S == "/TH" and element.A.get("/ColSpan", 1) == 1:
            by_group[(group, str(element.A.Scope))] += 1
        kids = element.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            walk(kid, group)

    for kid in pdf.Root.StructTreeRoot.K:
        walk(kid, None)
    assert by_group[("/THead", "/Column")] >= 30 and not by_group[("/THead", "/Row")]
    assert by_group[("/TBody", "/Row")] == len(demo_packs["progress"].report.goals)
    assert by_group[("/TFoot", "/Row")] == 1  # "All goals"
    assert not by_group[("/TBody", "/Column")] and not by_group[("/TFoot", "/Column")]


@pytest.mark.parametrize("name", ["progress", "highlight"])
def test_list_items_are_in_lists_and_lists_hold_only_list_items(demo_packs, name):
    elements, _ = tagged_elements(demo_packs[name].pdf)
    items = [parent for kind, parent, _ in elements if kind == "/LI"]
    assert len(items) >= 5 and set(items) == {"/L"}
    assert {kind for kind, parent, _ in elements if parent == "/L"} <= {"/LI", "/Caption"}


@pytest.mark.parametrize("name", ["progress", "highlight"])
def test_the_links_print_as_they_show(demo_packs, name):
    _, links = tagged_elements(demo_packs[name].pdf)
    assert len(links) >= 5  # the contents
    assert [target for target, flags in links if not flags & 4] == []


def test_every_column_header_of_the_pack_is_in_a_header_row():
    """The PDF's header cells get their /Scope from where they are (reports.renderers.pdf.finish_pdf_ua):
    a column header outside <thead> would be tagged as a row header."""
    templates = Path(__file__).resolve().parents[2] / "templates" / "reports"
    for path in templates.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        outside = re.sub(r"<thead.*?</thead>", "", text, flags=re.DOTALL)
        assert 'scope="col"' not in outside, path

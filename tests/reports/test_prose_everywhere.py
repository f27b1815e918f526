"""One narrative, one reading: the same text gives the same paragraphs, line breaks and bullets on
the pages (action page, update page) and in every board-pack format (HTML, PDF, Word, Excel).

The convention (docs/import-format.md): a single newline is a line break inside a paragraph, a
blank line starts a new paragraph, and lines starting "- ", "* " or "• " are bullets."""

import io

import lxml.html
import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from reports.builder import build_report, report_period
from reports.renderers import render

NARRATIVE = "Line one\nline two\n\n* item\n- second\n• third"
EXPECTED = [("paragraph", ("Line one", "line two")), ("bullets", ("item", "second", "third"))]


@pytest.fixture
def narrated(rated):
    """`rated` with the narrative as the progress of action "better" in Q2 (approved, in the pack)."""
    update = rated.better.updates.get(period=rated.q2)
    update.progress = NARRATIVE
    update.save()
    return rated


def contains(found: list, expected: list) -> bool:
    """Whether `expected` occurs in `found` as consecutive blocks."""
    return any(found[i : i + len(expected)] == expected for i in range(len(found) - len(expected) + 1))


def html_blocks(content) -> list:
    """Every <p> (its lines, split at <br>) and <ul> (its items) of a page, in document order."""
    tree = lxml.html.fromstring(content)
    for br in tree.iter("br"):
        br.tail = "\n" + (br.tail or "")
    found = []
    for element in tree.iter("p", "ul"):
        if element.tag == "ul":
            found.append(("bullets", tuple(li.text_content().strip() for li in element.iter("li"))))
        else:
            found.append(("paragraph", tuple(line.strip() for line in element.text_content().split("\n"))))
    return found


def docx_blocks(content: bytes) -> list:
    """Every paragraph of a Word file (body and table cells), bullets ("List Bullet") grouped."""
    document = Document(io.BytesIO(content))
    paragraphs = list(document.paragraphs)
    paragraphs += [p for table in document.tables for row in table.rows for cell in row.cells for p in cell.paragraphs]
    found = []
    for paragraph in paragraphs:
        if paragraph.style.name == "List Bullet":
            if found and found[-1][0] == "bullets":
                found[-1] = ("bullets", (*found[-1][1], paragraph.text.strip()))
            else:
                found.append(("bullets", (paragraph.text.strip(),)))
        else:
            found.append(("paragraph", tuple(line.strip() for line in paragraph.text.split("\n"))))
    return found


def cell_blocks(text: str) -> list:
    """An Excel cell's text read back: blank lines between blocks, "• " before each bullet."""
    found = []
    for chunk in text.split("\n\n"):
        lines = chunk.split("\n")
        if all(line.startswith("• ") for line in lines):
            found.append(("bullets", tuple(line[2:] for line in lines)))
        else:
            found.append(("paragraph", tuple(lines)))
    return found


@pytest.mark.django_db
def test_the_action_page_and_the_update_page_read_the_narrative_as_the_convention_says(client, narrated, director):
    client.force_login(director)
    action_page = client.get(reverse("goals:action_detail", args=[narrated.better.pk]))
    update_page = client.get(reverse("goals:update_edit", kwargs={"pk": narrated.better.pk, "period": "2024-Q2"}))
    for response in (action_page, update_page):
        assert response.status_code == 200
        found = html_blocks(response.content)
        assert contains(found, EXPECTED), found
        # no bullet left as a literal line (the history shows the text as typed, in its own table)
        assert not any(kind == "paragraph" and "* item" in lines for kind, lines in found)


@pytest.mark.django_db
def test_every_pack_format_reads_the_narrative_as_the_pages_do(narrated):
    report = build_report(period=report_period("better-care", "2024-Q2"), layout="progress")

    assert contains(html_blocks(render(report, "html")), EXPECTED)

    pages = PdfReader(io.BytesIO(render(report, "pdf"))).pages
    lines = [line.strip() for page in pages for line in page.extract_text().splitlines()]
    first = lines.index("Line one")  # a line of its own: not joined to the next
    assert lines[first + 1] == "line two"
    laid_out = [line.strip() for page in pages for line in page.extract_text(extraction_mode="layout").splitlines()]
    assert all(f"• {item}" in laid_out for item in EXPECTED[1][1])
    assert not any("* item" in line for line in laid_out)

    assert contains(docx_blocks(render(report, "docx")), EXPECTED)

    workbook = load_workbook(io.BytesIO(render(report, "xlsx")))
    cells = [c for sheet in workbook for row in sheet.iter_rows(values_only=True) for c in row]
    narrative = next(c for c in cells if isinstance(c, str) and c.startswith("Line one"))
    assert cell_blocks(narrative) == EXPECTED

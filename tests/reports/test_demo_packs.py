"""The demo packs read back from every format: Step Up To Great Q2 2024/25 (progress: all 17
actions, each in its own table row with its RAG and SRO, and all 9 BAF risks with their scores)
and Q1 2023/24 (highlight: every "we know we are great when" row with its evidence and focus).
Expected values come straight from the fixture file, not from the builder."""

import re

import pytest
from docx import Document

from goals.core.choices import RAG_STYLES
from tests.reports.conftest import docx_tables, html_rows, normalise, pdf_text, plain, xlsx_sheet

# The packs are rendered once per module (conftest.demo_packs); the marker makes pytest-django set
# up the test database for it.
pytestmark = pytest.mark.django_db

RAG_TAG = re.compile(r"\b([GARB–]) (Green|Amber|Red|Blue|Not rated)\b")


def sro_text(sros) -> list[str]:
    return [normalise(name) for name, _ in sros] + [normalise(title) for _, title in sros if title]


# --- Q2 2024/25 progress report -----------------------------------------------------------------


def test_the_fixture_really_has_17_actions_13_green_4_amber_and_9_risks(expected_actions, expected_risks):
    assert len(expected_actions) == 17
    assert sorted(a.rag for a in expected_actions).count("green") == 13
    assert [a.rag for a in expected_actions].count("amber") == 4
    assert len(expected_risks) == 9


def test_pdf_has_every_action_in_order_with_its_own_rag_and_sro(demo_packs, expected_actions):
    text = pdf_text(demo_packs["progress"].pdf)
    starts, position = [], -1
    for action in expected_actions:  # two actions share a title: each is found after the one before
        position = text.index(normalise(action.title), position + 1)
        starts.append(position)
    for action, start, end in zip(expected_actions, starts, starts[1:] + [len(text)]):
        row = text[start:end]
        first_tag = RAG_TAG.search(row)
        style = RAG_STYLES[action.rag]
        assert first_tag and first_tag.groups() == (style.letter, style.label), action.title
        for expected in sro_text(action.sros):
            assert expected in row[: first_tag.start()], (action.title, expected)


def test_pdf_has_all_nine_baf_risks_with_their_scores(demo_packs, expected_risks):
    text = pdf_text(demo_packs["progress"].pdf)
    for number, title, score in expected_risks:
        match = re.search(re.escape(f"{number} {normalise(title)}") + r" (\d+) ", text)
        assert match and int(match.group(1)) == score, number


def test_pdf_is_a4_with_contents_page_numbers_running_header_and_page_n_of_m(demo_packs):
    from io import BytesIO

    from pypdf import PdfReader

    reader = PdfReader(BytesIO(demo_packs["progress"].pdf))
    pages = len(reader.pages)
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)
    cover = normalise(reader.pages[0].extract_text())
    assert "Quarter 2 progress report 2024/25" in cover and "Jul, Aug and Sep 24" in cover
    assert "SRO – David Williams, Executive Director of Strategy and Partnerships" in cover
    contents = re.findall(r"(Great Outcomes|Great Care|Great place to work|Part of the community) [. ]+(\d+)", cover)
    assert [goal for goal, _ in contents] == [
        "Great Outcomes",
        "Great Care",
        "Great place to work",
        "Part of the community",
    ]
    for number, (goal, page) in enumerate(contents, start=1):  # each number is the goal's page
        assert f"goal {number} {goal}".lower() in normalise(reader.pages[int(page) - 1].extract_text()).lower()
    for number, page in enumerate(reader.pages[1:], start=2):
        text = normalise(page.extract_text())
        assert f"Page {number} of {pages}" in text
        assert "Step Up To Great" in text and "Q2 2024/25 progress report" in text
    assert "Page 1 of" not in cover  # the cover has no header or footer


def test_pdf_repeats_table_headers_on_every_page_a_table_continues_on(demo_packs, expected_actions):
    from io import BytesIO

    from pypdf import PdfReader

    reader = PdfReader(BytesIO(demo_packs["progress"].pdf))
    header = "No Theme Action and update SRO RAG"
    pages = [normalise(p.extract_text()) for p in reader.pages]
    pages_with_rows = [t for t in pages if any(normalise(a.title) in t for a in expected_actions)]
    assert len(pages_with_rows) >= 5
    continued = [t for t in pages_with_rows if "Progress Q2 2024/25" not in t]
    assert continued, "a progress table should continue onto a following page"
    assert all(header in t for t in pages_with_rows)


def test_word_has_every_action_in_its_own_row_with_rag_shaded_and_sro(demo_packs, expected_actions):
    rows = [row for table in docx_tables(demo_packs["progress"].docx) for row in table if len(row) == 5]
    rows = [row for row in rows if row[0][0][:1].isdigit()]  # action rows (not headers or group rows)
    assert len(rows) == 17
    for action, (number, _theme, update, sro, rag) in zip(expected_actions, rows):
        assert update[0].startswith(normalise(action.title))
        style = RAG_STYLES[action.rag]
        assert number[0] == action.action_number
        assert rag[0].startswith(f"{style.letter} {style.label}") and rag[1] == style.fill.lstrip("#")
        for expected in sro_text(action.sros):
            assert expected in sro[0]


def test_word_has_all_nine_baf_risks_with_their_scores(demo_packs, expected_risks):
    rows = {
        r[0][0]: r
        for table in docx_tables(demo_packs["progress"].docx)
        if table[0][0][0] == "BAF No"
        for r in table[1:]
    }
    for number, title, score in expected_risks:
        assert rows[number][1][0].startswith(normalise(title))
        assert rows[number][2][0].startswith(str(score))


def test_word_uses_real_headings_a4_a_cover_page_and_repeated_header_rows(demo_packs):
    from io import BytesIO

    from docx.oxml.ns import qn

    document = Document(BytesIO(demo_packs["progress"].docx))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert section.different_first_page_header_footer  # the cover has no running header
    assert "Step Up To Great" in section.header.paragraphs[0].text
    assert "PAGE" in section.footer._element.xml and "NUMPAGES" in section.footer._element.xml
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings[0] == ("Title", "Step Up To Great 2021/24")
    assert ("Heading 1", "Goal 1: Great Outcomes") in headings
    assert ("Heading 2", "Board Assurance Framework risks") in headings
    data_tables = [
        t
        for t in document.tables
        if t.rows[0].cells[0]._tc.tcPr.find(qn("w:shd")) is not None
        and t.rows[0].cells[0]._tc.tcPr.find(qn("w:shd")).get(qn("w:fill")) == "005EB8"
        and len(t.rows) > 1
    ]
    assert len(data_tables) >= 9  # summary, four risk tables, four action tables, key
    for table in data_tables:
        first_row = table.rows[0]._tr
        assert first_row.trPr is not None and first_row.trPr.find(qn("w:tblHeader")) is not None


def test_excel_has_one_row_per_action_with_rag_and_a_risks_sheet(demo_packs, expected_actions, expected_risks):
    rows = xlsx_sheet(demo_packs["progress"].xlsx, "Actions")
    assert list(rows[0]) == [
        "Goal",
        "Objective",
        "Number",
        "Theme",
        "Action",
        "SRO",
        "RAG",
        "Previous RAG",
        "Change",
        "Update",
        "Impact",
        "Focus next quarter",
        "Reason for rating",
        "State",
    ]
    assert len(rows) == 17
    for action, row in zip(expected_actions, rows):
        assert (row["Goal"], row["Objective"], row["Number"], row["Action"]) == (
            action.goal,
            action.objective,
            action.action_number,
            action.title,
        )
        assert row["RAG"] == RAG_STYLES[action.rag].label and row["State"] == "Approved"
        for expected in sro_text(action.sros):
            assert expected in row["SRO"]
    risks = xlsx_sheet(demo_packs["progress"].xlsx, "Risks")
    assert [(r["BAF No"], r["Risk title"], r["Score"]) for r in risks] == expected_risks


def test_excel_rag_cells_are_filled_from_the_one_colour_map(demo_packs):
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(demo_packs["progress"].xlsx))["Actions"]
    rag_column = [c.value for c in sheet[1]].index("RAG") + 1
    fills = {
        sheet.cell(row=r, column=rag_column).value: sheet.cell(row=r, column=rag_column).fill.fgColor.rgb
        for r in range(2, sheet.max_row + 1)
    }
    assert fills == {
        "Green": "00" + RAG_STYLES["green"].fill.lstrip("#"),
        "Amber": "00" + RAG_STYLES["amber"].fill.lstrip("#"),
    }


def test_html_has_every_action_row_with_rag_and_sro_and_every_risk(demo_packs, expected_actions, expected_risks):
    rows = [r for r in html_rows(demo_packs["progress"].html, "report-table--actions") if len(r) == 5]
    assert len(rows) == 17
    for action, (number, _theme, update, sro, rag) in zip(expected_actions, rows):
        style = RAG_STYLES[action.rag]
        assert update.startswith(normalise(action.title)) and number == action.action_number
        assert rag.startswith(f"{style.letter} {style.label}")
        for expected in sro_text(action.sros):
            assert expected in sro
    risks = html_rows(demo_packs["progress"].html, "report-table--risks")
    assert [(r[0], r[1], int(r[2].split()[0])) for r in risks] == [(n, normalise(t), s) for n, t, s in expected_risks]


# --- Q1 2023/24 highlight report ------------------------------------------------------------------


def test_the_fixture_has_the_highlight_rows(expected_measures):
    assert len(expected_measures) == 20
    assert all(m.evidence and m.next_focus for m in expected_measures)


def _in_order(text: str, parts: list[str], start: int = 0) -> int:
    for part in parts:
        start = text.index(part, start)
    return start


def test_pdf_highlight_carries_every_measure_with_its_evidence_impact_and_focus(demo_packs, expected_measures):
    text = pdf_text(demo_packs["highlight"].pdf)
    assert (
        "We know we are great when we have/are Evidence from this Quarter (Q1 2023/24) Summary of our focus next quarter"
        in text
    )
    position = 0
    for m in expected_measures:
        position = _in_order(text, ([plain(m.title)[:40]] if m.title else []) + [plain(m.evidence)[:40]], position)
        # A row split across pages prints its focus column before the rest of its evidence: both
        # come after the evidence starts.
        assert plain(m.next_focus)[:40] in text[position:]
        if m.impact:
            assert "Impact: " + plain(m.impact)[:30] in text[position:]


def test_word_highlight_carries_every_measure_in_a_three_column_row(demo_packs, expected_measures):
    rows = [
        r
        for table in docx_tables(demo_packs["highlight"].docx)
        if table[0][0][0] == "We know we are great when we have/are"
        for r in table[1:]
    ]
    assert len(rows) == len(expected_measures)
    for m, (title, evidence, focus) in zip(expected_measures, rows):
        assert title[0] == plain(m.title)
        assert evidence[0].startswith(plain(m.evidence)[:60])
        if m.impact:
            assert "Impact: " + plain(m.impact)[:40] in evidence[0]
        assert focus[0].startswith(plain(m.next_focus)[:60])


def test_excel_and_html_highlight_carry_every_measure(demo_packs, expected_measures):
    rows = xlsx_sheet(demo_packs["highlight"].xlsx, "Success measures")
    assert [(r["Priority"], r["We know we are great when we have/are"] or "") for r in rows] == [
        (m.objective, m.title) for m in expected_measures
    ]
    for m, row in zip(expected_measures, rows):
        assert normalise(row["Evidence from this quarter"]).startswith(plain(m.evidence)[:60])
        assert normalise(row["Summary of our focus next quarter"]).startswith(plain(m.next_focus)[:60])
    html = html_rows(demo_packs["highlight"].html, "report-table--measures")
    assert len(html) == len(expected_measures)
    for m, (title, evidence, focus) in zip(expected_measures, html):
        assert title == plain(m.title) and evidence.startswith(plain(m.evidence)[:60])
        assert ("Impact: " + plain(m.impact)[:40] in evidence) == bool(m.impact)
        assert focus.startswith(plain(m.next_focus)[:60])


def test_highlight_cover_has_sro_as_then_vision_goals_and_success_statements(demo_packs, demo_document):
    text = pdf_text(demo_packs["highlight"].pdf)
    assert "SRO – David Williams, Group Director of Strategy & Partnerships" in text
    assert "Quarter 1 Highlight Report 2023/24" in text and "Apr, May and Jun 23" in text
    strategy = demo_document["strategy"]
    assert normalise(strategy["vision"]) in text
    _in_order(
        text, ["We will know we are successful when:"] + [normalise(s)[:50] for s in strategy["success_statements"]]
    )
    for goal in strategy["goals"]:
        assert normalise(goal["title"]) in text


def test_highlight_priorities_show_commitments_aims_lead_director_and_risk_register_entry(demo_packs):
    text = pdf_text(demo_packs["highlight"].pdf)
    _in_order(
        text,
        [
            "Safe care and reduced harm",
            "Commitments",
            "We will deliver safe care and reduce harm.",
            "Aims",
            "Lead Director: Dr Anne Scott, Director of Nursing",
            "Organisational Risk Register (Apr 23)",
            "A lack of capacity within the workforce model",
            "Ref No: 86",
        ],
    )


def test_the_highlight_says_there_is_no_previous_quarter_to_compare(demo_packs):
    text = pdf_text(demo_packs["highlight"].pdf)
    assert "Changes since the previous quarter" in text
    assert "Q4 2022/23, the quarter before, was not reported" in text

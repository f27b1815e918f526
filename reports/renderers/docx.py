"""The pack as a Word document (python-docx), for boards that finish their papers in Word.

A4 with a cover page; real "Title" and "Heading 1/2/3" styles (so the trust's template, the
navigation pane and a table of contents work); ordinary editable tables whose header rows repeat
on every page (w:tblHeader); RAG cells shaded from goals.core.choices.RAG_STYLES with the letter and
word printed; "Page N of M" in the footer and the strategy and quarter in the header.

User text only ever goes into runs as text (python-docx escapes it); characters XML cannot hold
are dropped first. Narrative text is drawn as goals.core.prose reads it: a paragraph's line breaks
are line breaks in one Word paragraph, each bullet a "List Bullet" paragraph."""

import io

from django.utils import timezone
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_BREAK, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from goals.core import prose
from goals.core.choices import rag_style
from goals.metrics.charts import CHART_NOT_DRAWN

from .office import xml_safe

NHS_BLUE = "005EB8"
NHS_DARK_BLUE = "003087"
TEXT = "212B32"
SECONDARY_TEXT = "4C6272"
PALE_GREY = "F0F4F5"
GROUP_GREY = "E8EDEE"
IMPACT_FILL = "EEF5FC"
FONT = "Arial"

CONTENT_WIDTH = Cm(17.4)  # A4 (21 cm) less 1.8 cm margins


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


# --- low-level helpers ---------------------------------------------------------------------------


def _shade(cell, fill: str) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill.lstrip("#").upper())
    cell._tc.get_or_add_tcPr().append(shd)


def _row_flag(row, tag: str) -> None:
    flag = OxmlElement(tag)
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)


def _paragraph_border_and_fill(paragraph, *, left: str, fill: str) -> None:
    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    edge = OxmlElement("w:left")
    for key, value in (("w:val", "single"), ("w:sz", "18"), ("w:space", "6"), ("w:color", left)):
        edge.set(qn(key), value)
    borders.append(edge)
    p_pr.append(borders)
    shd = OxmlElement("w:shd")
    for key, value in (("w:val", "clear"), ("w:color", "auto"), ("w:fill", fill)):
        shd.set(qn(key), value)
    p_pr.append(shd)


def _field(paragraph, instruction: str, placeholder: str = "1") -> None:
    """A Word field (PAGE, NUMPAGES, TOC …) with a cached result Word refreshes."""
    for kind, text in (
        ("begin", None),
        ("instr", instruction),
        ("separate", None),
        ("text", placeholder),
        ("end", None),
    ):
        run = paragraph.add_run()
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {text} "
            run._r.append(instr)
        elif kind == "text":
            run.text = text
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)


def _set_cell_margins(table, *, top=60, bottom=60, left=90, right=90) -> None:
    tbl_pr = table._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")
    for side, value in (("top", top), ("left", left), ("bottom", bottom), ("right", right)):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(value))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    tbl_pr.append(margins)


# --- the document -------------------------------------------------------------------------------


class _Pack:
    """Builds one document; a class only to keep the document and report together."""

    def __init__(self, report):
        self.report = report
        self.doc = Document()
        self._set_up_page()
        self._set_up_styles()

    # -- set-up
    def _set_up_page(self):
        section = self.doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        section.left_margin = section.right_margin = Cm(1.8)
        section.top_margin, section.bottom_margin = Cm(2.0), Cm(1.8)
        section.header_distance = section.footer_distance = Cm(0.9)
        section.different_first_page_header_footer = True

        report = self.report
        header = section.header.paragraphs[0]
        run = header.add_run(xml_safe(report.strategy_name))
        run.bold = True
        run.font.color.rgb = _rgb(NHS_BLUE)
        header.add_run(f"\t{report.quarter_label} {report.layout_label.lower()}").font.color.rgb = _rgb(SECONDARY_TEXT)
        for run in header.runs:
            run.font.size = Pt(8)

        footer = section.footer.paragraphs[0]
        footer.add_run("OFFICIAL\tPage ")
        _field(footer, "PAGE")
        footer.add_run(" of ")
        _field(footer, "NUMPAGES")
        for run in footer.runs:
            run.font.size = Pt(8)
            run.font.color.rgb = _rgb(SECONDARY_TEXT)

        core = self.doc.core_properties
        core.title = xml_safe(report.title)
        core.author = xml_safe(report.organisation)
        core.subject = f"{report.layout_label}, {report.quarter_label}"
        core.comments = "Produced by Strategy Tracker"
        _document_language_and_field_update(self.doc)

    def _set_up_styles(self):
        styles = self.doc.styles
        normal = styles["Normal"]
        normal.font.name = FONT
        normal.font.size = Pt(10)
        normal.font.color.rgb = _rgb(TEXT)
        normal.paragraph_format.space_after = Pt(4)
        normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
        for name, size, colour in (
            ("Title", 30, NHS_DARK_BLUE),
            ("Subtitle", 18, NHS_BLUE),
            ("Heading 1", 18, NHS_DARK_BLUE),
            ("Heading 2", 13, NHS_DARK_BLUE),
            ("Heading 3", 11, NHS_DARK_BLUE),
        ):
            style = styles[name]
            style.font.name = FONT
            style.font.size = Pt(size)
            style.font.bold = name != "Subtitle"
            style.font.italic = False
            style.font.color.rgb = _rgb(colour)
            rfonts = style.element.rPr.rFonts
            for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                rfonts.attrib.pop(qn(attr), None)
            style.paragraph_format.space_before = Pt({"Heading 1": 0, "Heading 2": 12, "Heading 3": 8}.get(name, 0))
            style.paragraph_format.space_after = Pt(4)
        for name in ("Header", "Footer"):
            tab_stops = styles[name].paragraph_format.tab_stops
            tab_stops.clear_all()
            tab_stops.add_tab_stop(CONTENT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
        title_p_pr = styles["Title"].element.get_or_add_pPr()
        for border in title_p_pr.findall(qn("w:pBdr")):
            title_p_pr.remove(border)
        for name in ("List Bullet",):
            styles[name].font.name = FONT
            styles[name].paragraph_format.space_after = Pt(2)

    # -- small writers
    def para(self, text="", *, style=None, bold=False, colour=None, size=None, container=None):
        paragraph = (container or self.doc).add_paragraph(style=style)
        if text:
            run = paragraph.add_run(xml_safe(text))
            run.bold = bold or None
            if colour:
                run.font.color.rgb = _rgb(colour)
            if size:
                run.font.size = Pt(size)
        return paragraph

    def heading(self, text: str, level: int):
        return self.doc.add_heading(xml_safe(text), level=level)

    def blocks(self, text: str, *, container=None, size=None, first=None):
        """Paragraphs and bullet lists of plain text; `first` is an empty paragraph to fill first."""
        container = container or self.doc
        for block in prose.blocks(text):
            # A bullet list is one paragraph a bullet; a paragraph's lines are line breaks in one.
            for lines in [(line,) for line in block.lines] if block.bullets else [block.lines]:
                style = "List Bullet" if block.bullets else None
                if first is not None:
                    paragraph, first = first, None
                    if style:
                        paragraph.style = self.doc.styles[style]
                else:
                    paragraph = container.add_paragraph(style=style)
                for number, line in enumerate(lines):
                    run = paragraph.add_run(xml_safe(line))
                    if number + 1 < len(lines):
                        run.add_break(WD_BREAK.LINE)
                    if size:
                        run.font.size = Pt(size)
        return first

    def labelled(self, cell, label: str, text: str, *, impact=False, size=9):
        paragraph = cell.add_paragraph()
        run = paragraph.add_run(label)
        run.bold = True
        run.font.size = Pt(size)
        run.font.color.rgb = _rgb(NHS_BLUE if impact else NHS_DARK_BLUE)
        blocks = prose.blocks(text)
        start = len(cell.paragraphs)
        self.blocks(text, container=cell, size=size)
        if impact:
            for shaded in [
                paragraph,
                *cell.paragraphs[start : start + sum(len(b.lines) if b.bullets else 1 for b in blocks)],
            ]:
                _paragraph_border_and_fill(shaded, left=NHS_BLUE, fill=IMPACT_FILL)

    def table(self, headings: list[str], widths: list[float]):
        table = self.doc.add_table(rows=1, cols=len(headings))
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        _set_cell_margins(table)
        header = table.rows[0]
        _row_flag(header, "w:tblHeader")
        _row_flag(header, "w:cantSplit")
        for cell, text, width in zip(header.cells, headings, widths):
            cell.width = Cm(width)
            _shade(cell, NHS_BLUE)
            run = cell.paragraphs[0].add_run(xml_safe(text))
            run.bold = True
            run.font.size = Pt(9)
            run.font.color.rgb = _rgb("FFFFFF")
        for column, width in zip(table.columns, widths):
            column.width = Cm(width)
        table._widths = widths
        return table

    def row(self, table, *, can_split=False):
        row = table.add_row()
        if not can_split:
            _row_flag(row, "w:cantSplit")
        cells = row.cells
        for cell, width in zip(cells, table._widths):
            cell.width = Cm(width)
        return cells

    def text_cell(self, cell, text, *, bold=False, size=9, colour=None):
        paragraph = cell.paragraphs[0]
        run = paragraph.add_run(xml_safe(str(text)))
        run.bold = bold or None
        run.font.size = Pt(size)
        if colour:
            run.font.color.rgb = _rgb(colour)
        return paragraph

    def rag_cell(self, cell, rag: str, *, word=True):
        style = rag_style(rag)
        _shade(cell, style.fill)
        paragraph = cell.paragraphs[0]
        run = paragraph.add_run(style.letter)
        run.bold = True
        run.font.size = Pt(10)
        run.font.color.rgb = _rgb(style.text)
        if word:
            run = paragraph.add_run(f" {style.label}")
            run.font.size = Pt(8.5)
            run.font.color.rgb = _rgb(style.text)
        return paragraph

    def rag_tiles(self, summary):
        if not summary.total:
            self.para("No actions were reported on this quarter.", colour=SECONDARY_TEXT)
            return
        shown = summary.shown
        table = self.doc.add_table(rows=2, cols=len(shown) + 1)
        table.style = self.doc.styles["Table Grid"]
        table.autofit = False
        _set_cell_margins(table)
        for i, rag_count in enumerate([*shown, None]):
            top, bottom = table.rows[0].cells[i], table.rows[1].cells[i]
            top.width = bottom.width = Cm(2.6)
            if rag_count:
                self.rag_cell(top, rag_count.rag)
            else:
                self.text_cell(top, "All actions", bold=True)
            run = bottom.paragraphs[0].add_run(str(rag_count.count if rag_count else summary.total))
            run.bold = True
            run.font.size = Pt(16)
        for column in table.columns:
            column.width = Cm(2.6)
        self.para()

    # -- sections
    def cover(self):
        report = self.report
        band = self.doc.add_table(rows=1, cols=1)
        band.autofit = False
        band.columns[0].width = CONTENT_WIDTH
        cell = band.rows[0].cells[0]
        cell.width = CONTENT_WIDTH
        _shade(cell, NHS_BLUE)
        self.text_cell(cell, report.organisation.upper(), bold=True, size=11, colour="FFFFFF")
        cell.paragraphs[0].paragraph_format.space_before = Pt(14)
        cell.paragraphs[0].paragraph_format.space_after = Pt(14)
        for _ in range(4):
            self.para()
        title = self.doc.add_paragraph(style="Title")
        if report.cover_title:
            title.add_run(xml_safe(report.cover_title))
        else:
            title.add_run(xml_safe(report.strategy_name))
        if report.years and not report.cover_title:
            years = title.add_run(f" {xml_safe(report.years)}")
            years.bold = False
        self.doc.add_paragraph(report.cover_heading, style="Subtitle")
        self.para(f"{report.quarter_label} ({report.months_label})", size=13)
        if report.sro:
            self.para(f"SRO – {report.sro}", bold=True, size=11)
        if report.period_state in ("open", "planned"):
            note = self.para(
                f"Draft. {report.quarter_label} is still open: updates may change before the quarter is locked."
            )
            _paragraph_border_and_fill(note, left="FFEB3B", fill="FFF9C4")
        self.para()
        if report.layout == "progress" and report.actions or report.has_updates:
            self.para("At a glance", bold=True, colour=NHS_DARK_BLUE, size=12)
            self.rag_tiles(report.rag_summary)
        self.para("Contents", bold=True, colour=NHS_DARK_BLUE, size=12)
        contents = self.doc.add_paragraph()
        _field(contents, 'TOC \\o "1-1" \\h \\z \\u', "Summary")
        for goal in report.goals:
            self.para(f"Goal {goal.order}: {goal.title}")
        self.para(KEY_HEADING if report.has_ratings else ABOUT_HEADING)
        hint = self.para(
            "(Word offers to update the fields when it opens this file: choose Yes to add the page numbers. "
            "Otherwise right-click the contents and choose Update Field.)",
            colour=SECONDARY_TEXT,
            size=8,
        )
        hint.runs[0].italic = True
        self.page_break()

    def page_break(self):
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def strategy_intro(self):
        report = self.report
        self.heading("Our vision" if report.vision else "Our strategy", 1)
        if report.vision:
            first = self.para()
            _paragraph_border_and_fill(first, left=NHS_BLUE, fill="FFFFFF")
            self.blocks(report.vision, first=first, size=12)
        self.heading("Our goals", 2)
        for goal in report.goals:
            self.para(goal.title, bold=True, colour=NHS_BLUE, size=11)
            self.blocks(goal.description)
        if report.success_statements:
            self.heading("We will know we are successful when:", 2)
            for statement in report.success_statements:
                self.doc.add_paragraph(xml_safe(statement), style="List Bullet")

    def summary(self):
        report = self.report
        self.heading("Summary", 1)
        if report.layout == "progress" and report.actions or report.has_updates:
            self.heading(f"Actions by RAG rating, {report.quarter_label}", 2)
            rag_counts = report.rag_summary.counts
            table = self.table(
                ["Goal", *(t.style.letter for t in rag_counts), "Total"], [7.4] + [1.6] * len(rag_counts) + [2.0]
            )
            for i, rag_count in enumerate(rag_counts, start=1):
                cell = table.rows[0].cells[i]
                cell.paragraphs[0].runs[0].text = ""
                self.rag_cell(cell, rag_count.rag, word=False)
            for goal in [*report.goals, None]:
                summary = goal.rag_summary if goal else report.rag_summary
                cells = self.row(table)
                self.text_cell(cells[0], goal.title if goal else "All goals", bold=True)
                for cell, rag_count in zip(cells[1:], summary.counts):
                    self.text_cell(cell, rag_count.count or "–", bold=goal is None)
                self.text_cell(cells[-1], summary.total, bold=True)
                if goal is None:
                    for cell in cells:
                        _shade(cell, PALE_GREY)
        self.changes()

    def changes(self):
        report = self.report
        self.heading(f"Changes since {report.previous_label or 'the previous quarter'}", 2)
        if not report.previous_quarter:
            self.para(
                f"There is nothing to compare with: {report.quarter.previous().label}, the quarter before, "
                "was not reported in Strategy Tracker.",
                colour=SECONDARY_TEXT,
            )
            return
        if not report.rag_changes and not report.risk_changes:
            self.para(f"No action's RAG rating and no BAF risk score changed since {report.previous_label}.")
            return
        if report.rag_changes:
            self.para(f"RAG ratings that moved since {report.previous_label}", bold=True, colour=NHS_DARK_BLUE)
            table = self.table(
                ["Goal", "Action", report.previous_label, report.quarter_label, "Change"], [3.4, 7.0, 2.3, 2.3, 2.4]
            )
            for row in report.rag_changes:
                cells = self.row(table)
                self.text_cell(cells[0], row.goal_title)
                self.text_cell(cells[1], f"{row.theme} {row.action_number}: {row.title}")
                self.rag_cell(cells[2], row.previous_rag)
                self.rag_cell(cells[3], row.rag)
                self.text_cell(cells[4], f"{row.movement_arrow} {row.movement_word}")
        else:
            self.para(f"No action's RAG rating changed since {report.previous_label}.")
        if report.risk_changes:
            self.para(f"BAF risk scores that moved since {report.previous_label}", bold=True, colour=NHS_DARK_BLUE)
            table = self.table(
                ["BAF No", "Risk", report.previous_label, report.quarter_label, "Direction"], [1.6, 8.8, 2.2, 2.2, 2.6]
            )
            for risk in report.risk_changes:
                cells = self.row(table)
                self.text_cell(cells[0], risk.number, bold=True)
                self.text_cell(cells[1], risk.title)
                self.text_cell(cells[2], risk.previous_score)
                self.text_cell(cells[3], risk.score)
                self.text_cell(cells[4], f"{risk.arrow} {risk.direction_label}")
        else:
            self.para(f"No BAF risk score changed since {report.previous_label}.")

    def risk_table(self, risks):
        table = self.table(["BAF No", "Risk title", "Current score", "Direction"], [1.6, 10.2, 2.8, 2.8])
        for risk in risks:
            cells = self.row(table)
            self.text_cell(cells[0], risk.number, bold=True)
            self.text_cell(cells[1], risk.title)
            if risk.owner:
                self.para(f"Owner: {risk.owner}", container=cells[1], size=8, colour=SECONDARY_TEXT)
            if risk.score is not None:
                _shade(cells[2], risk.band_fill)
                self.text_cell(cells[2], risk.score, bold=True, size=11, colour=risk.band_text)
                self.para(risk.band_label, container=cells[2], size=8, colour=risk.band_text)
            else:
                self.text_cell(cells[2], "Not scored")
            if risk.target_score:
                self.para(f"Target {risk.target_score}", container=cells[2], size=8)
            self.text_cell(cells[3], f"{risk.arrow} {risk.direction_label}".strip())
            if risk.has_moved:
                self.para(f"was {risk.previous_score}", container=cells[3], size=8, colour=SECONDARY_TEXT)

    def action_table(self, goal):
        report = self.report
        table = self.table(["No", "Theme", "Action and update", "SRO", "RAG"], [1.0, 2.4, 8.4, 3.4, 2.2])
        for objective in goal.objectives:
            if not objective.actions:
                continue
            group = table.add_row()
            _row_flag(group, "w:cantSplit")
            merged = group.cells[0].merge(group.cells[-1])
            _shade(merged, GROUP_GREY)
            self.text_cell(
                merged, objective.title, bold=True, colour=NHS_DARK_BLUE
            ).paragraph_format.keep_with_next = True
            for row in objective.actions:
                cells = self.row(table, can_split=True)
                self.text_cell(cells[0], row.action_number, bold=True)
                self.text_cell(cells[1], row.theme)
                self.text_cell(cells[2], row.title, bold=True)
                if row.state:
                    self.blocks(row.progress, container=cells[2], size=9)
                    if row.rag_reason_blocks:
                        self.labelled(cells[2], "Reason for rating:", row.rag_reason)
                    if row.impact:
                        self.labelled(cells[2], "Impact:", row.impact, impact=True)
                    if row.next_focus:
                        self.labelled(cells[2], "Focus next quarter:", row.next_focus)
                else:
                    self.para(
                        f"No update was reported for {report.quarter_label}.",
                        container=cells[2],
                        size=9,
                        colour=SECONDARY_TEXT,
                    )
                first = True
                for person in row.sros:
                    paragraph = cells[3].paragraphs[0] if first else cells[3].add_paragraph()
                    first = False
                    run = paragraph.add_run(xml_safe(person.name))
                    run.bold = True
                    run.font.size = Pt(9)
                    if person.job_title:
                        run = paragraph.add_run(f"\n{xml_safe(person.job_title)}")
                        run.font.size = Pt(8)
                        run.font.color.rgb = _rgb(SECONDARY_TEXT)
                self.rag_cell(cells[4], row.rag)
                if row.previous_rag is not None and row.movement_word:
                    was = f"\nwas {row.previous_rag_style.letter}" if row.has_moved else ""
                    run = cells[4].paragraphs[0].add_run(f"\n{row.movement_arrow} {row.movement_word}".rstrip() + was)
                    run.font.size = Pt(8)

    def measure_table(self, objective):
        report = self.report
        table = self.table(
            [
                "We know we are great when we have/are",
                f"Evidence from this Quarter ({report.quarter_label})",
                "Summary of our focus next quarter",
            ],
            [4.6, 8.0, 4.8],
        )
        for measure in objective.measures:
            cells = self.row(table, can_split=True)
            self.text_cell(cells[0], measure.title, bold=True)
            first = self.blocks(measure.evidence, container=cells[1], size=9, first=cells[1].paragraphs[0])
            if measure.impact:
                self.labelled(cells[1], "Impact:", measure.impact, impact=True)
            if first is not None and not measure.impact:
                self.text_cell(cells[1], f"No evidence was reported for {report.quarter_label}.", colour=SECONDARY_TEXT)
            self.blocks(measure.next_focus, container=cells[2], size=9, first=cells[2].paragraphs[0])

    def priority_actions(self, objective):
        table = self.table(["No", "Action", "SRO", "RAG"], [1.0, 9.6, 4.4, 2.4])
        for row in objective.actions:
            cells = self.row(table)
            self.text_cell(cells[0], row.action_number, bold=True)
            self.text_cell(cells[1], row.title)
            self.text_cell(cells[2], row.sro_text)
            self.rag_cell(cells[3], row.rag)

    def metrics(self, metrics):
        for metric in metrics:
            self.para(metric.name + (f" ({metric.unit})" if metric.unit else ""), bold=True, colour=NHS_DARK_BLUE)
            chart = metric.chart_png if metric.values else b""
            if chart:
                picture = self.doc.add_picture(io.BytesIO(chart), width=Cm(16))
                picture._inline.docPr.set("descr", xml_safe(metric.description))
            elif metric.values:
                self.para(CHART_NOT_DRAWN, size=9)
            facts = [
                f"Latest: {metric.latest_text} ({metric.latest_label})"
                if metric.latest_text
                else f"No values by the end of {self.report.quarter_label}"
            ]
            if metric.target_text:
                facts.append(f"Target: {metric.target_text}")
            if metric.values:
                facts += [f"Variation: {metric.variation_label}", f"Assurance: {metric.assurance_label}"]
            self.para(" · ".join(facts), size=9)

    def key(self):
        report = self.report
        if not report.has_ratings:
            self.heading(ABOUT_HEADING, 1)
            self.para(produced_by(report))
            return
        self.heading(KEY_HEADING, 1)
        table = self.table(["RAG rating", "Meaning"], [3.4, 14.0])
        for item in report.rag_meanings:
            cells = self.row(table)
            self.rag_cell(cells[0], item.rag)
            self.text_cell(cells[1], item.meaning)
        self.para()
        self.para(
            f"BAF risk scores are likelihood × consequence on a 5 × 5 matrix (1–25). {report.risk_band_text} "
            "Direction of travel compares the score with the previous quarter's: ↑ increased (worse), "
            "↓ decreased (better), → no change."
        )
        note = self.para(
            f"Produced by Strategy Tracker on {timezone.localtime(report.generated_at):%-d %B %Y} from the updates reported for "
            f"{report.quarter_label}. Names and job titles are as they were in {report.quarter_label}.",
            size=8,
            colour=SECONDARY_TEXT,
        )
        note.runs[0].italic = True

    # -- layouts
    def progress(self):
        report = self.report
        self.cover()
        self.summary()
        for goal in report.goals:
            self.page_break()
            self.heading(f"Goal {goal.order}: {goal.title}", 1)
            self.blocks(goal.description)
            if goal.objectives_text:
                self.heading("Objectives", 2)
                self.blocks(goal.objectives_text)
            self.heading("Board Assurance Framework risks", 2)
            if goal.risks:
                self.risk_table(goal.risks)
            else:
                self.para("No BAF risks are linked to this goal.", colour=SECONDARY_TEXT)
            self.heading(f"Progress {report.quarter_label}", 2)
            if goal.actions:
                self.action_table(goal)
                self.heading(f"RAG summary: {goal.title}", 2)
                self.rag_tiles(goal.rag_summary)
            else:
                self.para("This goal has no actions to report on this quarter.", colour=SECONDARY_TEXT)
            self.goal_metrics(goal)
        self.closing()

    def highlight(self):
        report = self.report
        self.cover()
        self.strategy_intro()
        if report.has_updates:  # otherwise the summary is one line: it follows on
            self.page_break()
        self.summary()
        for goal in report.goals:
            self.page_break()
            self.heading(f"Goal {goal.order}: {goal.title}", 1)
            for objective in goal.priorities:
                self.heading(objective.title, 2)
                if objective.commitments:
                    self.heading("Commitments", 3)
                    self.blocks(objective.commitments)
                if objective.aims:
                    self.heading(objective.aims_heading, 3)
                    self.blocks(objective.aims_body)
                if objective.lead_directors:
                    lead = self.para()
                    run = lead.add_run("Lead Director: ")
                    run.bold = True
                    run.font.color.rgb = _rgb(NHS_DARK_BLUE)
                    lead.add_run(xml_safe(objective.lead_text))
                    _paragraph_border_and_fill(lead, left=NHS_BLUE, fill=PALE_GREY)
                if objective.has_risk_register_entry:
                    date = f" ({objective.risk_register_date})" if objective.risk_register_date else ""
                    self.heading(f"Organisational Risk Register{date}", 3)
                    self.blocks(objective.risk_register_entry)
                    if objective.risk_register_reference:
                        self.para(f"Ref No: {objective.risk_register_reference}", colour=SECONDARY_TEXT)
                if objective.measures:
                    self.measure_table(objective)
                if objective.has_updates:
                    self.heading(f"Actions {report.quarter_label}", 3)
                    self.priority_actions(objective)
            if not goal.priorities:
                self.para("This goal has no priorities to report on.", colour=SECONDARY_TEXT)
            self.goal_metrics(goal)
        self.closing()

    def goal_metrics(self, goal):
        if goal.metrics:
            self.heading("Metrics", 2)
            self.metrics(goal.metrics)

    def closing(self):
        """As templates/reports/includes/closing.html: remaining BAF risks, metrics, the key."""
        if self.report.closing_risks:
            self.page_break()
            self.heading(self.report.closing_risks_heading, 1)
            self.risk_table(self.report.closing_risks)
        if self.report.unlinked_metrics:
            self.page_break()
            self.heading("Metrics", 1)
            self.metrics(self.report.unlinked_metrics)
        self.page_break()
        self.key()

    def cover_sheet(self):
        """The board paper's front sheet (reports.cover.CoverSheetData) on page 1."""
        sheet = self.report.cover_sheet
        self.para(xml_safe(self.report.organisation), bold=True, colour=NHS_BLUE, size=11)
        self.doc.add_paragraph(xml_safe(sheet.title), style="Title")
        table = self.doc.add_table(rows=0, cols=2)
        table.style = self.doc.styles["Table Grid"]
        for label, text in sheet.rows():
            cells = table.add_row().cells
            self.text_cell(cells[0], label, bold=True, size=10)
            self.text_cell(cells[1], xml_safe(text or "–"), size=10)
            cells[0].width, cells[1].width = Cm(5.5), CONTENT_WIDTH - Cm(5.5)
        self.page_break()

    def save(self) -> bytes:
        if self.report.cover_sheet:
            self.cover_sheet()
        getattr(self, self.report.layout)()
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()


DOCUMENT_LANGUAGE = "en-GB"
KEY_HEADING = "Key to RAG ratings and risk scores"
ABOUT_HEADING = "About this pack"


def produced_by(report) -> str:
    return (
        f"Produced by Strategy Tracker on {report.generated_at:%-d %B %Y} from the updates reported for "
        f"{report.quarter_label}. Names and job titles are as they were in {report.quarter_label}."
    )


def _document_language_and_field_update(doc) -> None:
    """The document's language (core properties and every style's default run language, which a
    screen reader uses to choose its voice) and `w:updateFields`: Word recomputes the fields when the
    file is opened, so the contents get their page numbers (python-docx cannot lay out pages, so it
    cannot write them itself; Word asks the reader before it updates them)."""
    doc.core_properties.language = DOCUMENT_LANGUAGE
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        run_defaults = defaults.find(qn("w:rPrDefault"))
        properties = run_defaults.find(qn("w:rPr")) if run_defaults is not None else None
        if properties is not None:
            language = properties.find(qn("w:lang"))
            if language is None:
                language = OxmlElement("w:lang")
                properties.append(language)
            language.set(qn("w:val"), DOCUMENT_LANGUAGE)
    settings = doc.settings.element
    if settings.find(qn("w:updateFields")) is None:
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        settings.append(update)


def render_docx(report) -> bytes:
    return _Pack(report).save()

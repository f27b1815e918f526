"""The pack's data as an Excel workbook (openpyxl), for people who sort, filter and re-use it.

Sheets: Actions (one row per action of the quarter: goal, objective, number, theme, action, SRO,
RAG, previous RAG, change, update, impact, focus next quarter, reason for rating, state), Risks
(BAF), Success measures (the highlight report's evidence), Metrics (values with their SPC lines,
when the strategy has metrics) and About (what the workbook is).

Every text cell goes through goals.core.downloads.safe_cell, so nothing anyone typed can start a
formula; RAG cells are filled from goals.core.choices.RAG_STYLES and carry the word too."""

import io

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from goals.core.choices import rag_style
from goals.core.downloads import safe_cell
from goals.core.prose import plain_text

from .office import xml_safe

HEADER_FILL = PatternFill("solid", fgColor="005EB8")
HEADER_FONT = Font(bold=True, color="FFFFFF")
WRAP = Alignment(wrap_text=True, vertical="top")


def _value(value):
    """A cell value: numbers as numbers, text cleaned for XML and neutralised (never a formula)."""
    if value is None or isinstance(value, (int, float)):
        return value
    return safe_cell(xml_safe(value))


def _sheet(workbook, title: str, columns: list[tuple[str, int]], rows: list[list], *, rag_columns=()):
    """A sheet with a frozen, filterable header row; `rag_columns` hold RAG values to shade."""
    sheet = workbook.create_sheet(title=title)
    sheet.append([heading for heading, _ in columns])
    for index, (_, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
        header = sheet.cell(row=1, column=index)
        header.fill, header.font, header.alignment = HEADER_FILL, HEADER_FONT, WRAP
    for row in rows:
        rags = {i: row[i] for i in rag_columns}
        values = [_value(rag_style(v).label if i in rags and v is not None else v) for i, v in enumerate(row)]
        sheet.append(values)
        line = sheet.max_row
        for i in range(len(values)):
            sheet.cell(row=line, column=i + 1).alignment = WRAP
        for i, rag in rags.items():
            if rag is None:
                continue
            style = rag_style(rag)
            cell = sheet.cell(row=line, column=i + 1)
            cell.fill = PatternFill("solid", fgColor=style.fill.lstrip("#"))
            cell.font = Font(bold=True, color=style.text.lstrip("#"))
    sheet.freeze_panes = "A2"
    if rows:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(rows) + 1}"
    return sheet


ACTION_COLUMNS = [
    ("Goal", 24),
    ("Objective", 26),
    ("Number", 8),
    ("Theme", 18),
    ("Action", 48),
    ("SRO", 30),
    ("RAG", 11),
    ("Previous RAG", 13),
    ("Change", 12),
    ("Update", 70),
    ("Impact", 40),
    ("Focus next quarter", 40),
    ("Reason for rating", 40),
    ("State", 12),
]


def _action_rows(report) -> list[list]:
    return [
        [
            a.goal_title,
            a.objective_title,
            a.action_number,
            a.theme,
            a.title,
            a.sro_text,
            a.rag,
            a.previous_rag,
            a.movement_word,
            plain_text(a.progress),
            plain_text(a.impact),
            plain_text(a.next_focus),
            plain_text(a.rag_reason),
            a.state_label,
        ]
        for a in report.actions
    ]


RISK_COLUMNS = [
    ("BAF No", 8),
    ("Risk title", 70),
    ("Goals", 30),
    ("Owner", 28),
    ("Score", 8),
    ("Previous score", 10),
    ("Direction", 16),
    ("Band", 11),
    ("Target score", 10),
]


def _risk_rows(report) -> list[list]:
    return [
        [
            r.number,
            r.title,
            "; ".join(r.goal_titles),
            str(r.owner) if r.owner else "",
            r.score,
            r.previous_score,
            r.direction_label,
            r.band_label,
            r.target_score,
        ]
        for r in report.risks
    ]


MEASURE_COLUMNS = [
    ("Goal", 24),
    ("Priority", 28),
    ("We know we are great when we have/are", 48),
    ("Evidence from this quarter", 80),
    ("Impact", 48),
    ("Summary of our focus next quarter", 48),
]


def _measure_rows(report) -> list[list]:
    return [
        [g.title, o.title, m.title, plain_text(m.evidence), plain_text(m.impact), plain_text(m.next_focus)]
        for g, o, m in report.measures
    ]


METRIC_COLUMNS = [
    ("Metric", 40),
    ("Unit", 12),
    ("Period", 12),
    ("Date", 12),
    ("Value", 10),
    ("Mean", 10),
    ("Lower process limit", 12),
    ("Upper process limit", 12),
    ("Special cause", 40),
]


def _metric_rows(report) -> list[list]:
    return [
        [m.name, m.unit, v.label, v.date, v.value, v.mean, v.lower, v.upper, v.special_cause]
        for m in report.metrics
        for v in m.values
    ]


def _about(workbook, report):
    sheet = workbook.create_sheet(title="About")
    rows = [
        ("Report", report.title),
        ("Organisation", report.organisation),
        ("Strategy", report.cover_title or f"{report.strategy_name} {report.years}".strip()),
        ("Quarter", f"{report.quarter_label} ({report.months_label})"),
        ("Layout", report.layout_label),
        ("SRO", str(report.sro) if report.sro else ""),
        ("Compared with", report.previous_label or "No previous quarter"),
        ("Produced", timezone.localtime(report.generated_at).strftime("%d %B %Y %H:%M")),
        (
            "Note",
            "Names and job titles are as they were in the quarter. Only submitted and approved updates are shown.",
        ),
    ]
    for label, value in rows:
        sheet.append([label, _value(value)])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 90


def _cover_sheet(workbook, sheet_data):
    """The board paper's front sheet as the first sheet: one row per field."""
    sheet = workbook.create_sheet(title="Cover sheet")
    sheet.append(["Cover sheet", _value(sheet_data.title)])
    for label, text in sheet_data.rows():
        sheet.append([label, _value(text)])
    sheet["A1"].font = Font(bold=True)
    for (cell,) in sheet.iter_rows(min_col=1, max_col=1):
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 32
    sheet.column_dimensions["B"].width = 90


def render_xlsx(report) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    if report.cover_sheet:
        _cover_sheet(workbook, report.cover_sheet)
    _sheet(workbook, "Actions", ACTION_COLUMNS, _action_rows(report), rag_columns=(6, 7))
    _sheet(workbook, "Risks", RISK_COLUMNS, _risk_rows(report))
    _sheet(workbook, "Success measures", MEASURE_COLUMNS, _measure_rows(report))
    if report.metrics:
        metrics = _sheet(workbook, "Metrics", METRIC_COLUMNS, _metric_rows(report))
        for row in metrics.iter_rows(min_row=2, min_col=4, max_col=4):
            row[0].number_format = "yyyy-mm-dd"
    _about(workbook, report)
    workbook.properties.title = xml_safe(report.title)
    workbook.properties.creator = "Strategy Tracker"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

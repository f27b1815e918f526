"""Spreadsheet downloads (CSV and Excel) of the action list's filtered rows.

`safe_cell` is the one formula guard for every spreadsheet this project writes — the board-pack
Excel renderer in reports/ should call it too — so user text never runs as a formula.
"""

import csv
import io

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

# A spreadsheet treats a cell starting with one of these as a formula (or, for tab and carriage
# return, as the start of one once pasted). OWASP "CSV injection".
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(text):
    """User text made safe for a spreadsheet cell: text starting with = + - @, a tab or a carriage
    return gets an apostrophe in front, so Excel, LibreOffice and Google Sheets show it as text
    instead of running it. Numbers, dates and None are returned as they are.

    Reuse this for any spreadsheet (CSV, XLSX) that contains text someone typed."""
    if isinstance(text, str) and text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


# (heading, value of a goals.status.shared.ActionRow in a quarter, column width in Excel)
ACTION_COLUMNS = [
    ("Goal", lambda r, quarter: r.goal_title, 30),
    ("Objective", lambda r, quarter: r.objective_title, 30),
    ("Action number", lambda r, quarter: r.action_number, 10),
    ("Action", lambda r, quarter: r.title, 50),
    ("Quarter", lambda r, quarter: quarter, 12),
    ("SRO", lambda r, quarter: r.sro_names, 30),
    ("Programme leads", lambda r, quarter: r.lead_names, 30),
    ("RAG", lambda r, quarter: r.rag_label, 12),
    ("Previous quarter RAG", lambda r, quarter: r.previous_rag_label, 12),
    ("Movement", lambda r, quarter: r.movement_label, 14),
    ("Update state", lambda r, quarter: r.update_state_label, 14),
    ("Reason for rating", lambda r, quarter: r.rag_reason, 50),
    ("Progress this quarter", lambda r, quarter: r.progress, 80),
]


def action_table_rows(rows, *, quarter: str) -> list[list]:
    """Heading row, then one row of cells per ActionRow of `quarter` ("Q2 2024/25"), every text
    cell through safe_cell."""
    return [[heading for heading, _, _ in ACTION_COLUMNS]] + [
        [safe_cell(value(row, quarter)) for _, value, _ in ACTION_COLUMNS] for row in rows
    ]


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def csv_response(table: list[list], filename: str) -> HttpResponse:
    """A CSV attachment, UTF-8 with a byte-order mark so Excel reads names with accents right."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows(table)
    return _attachment(("\ufeff" + buffer.getvalue()).encode("utf-8"), "text/csv; charset=utf-8", filename)


def xlsx_response(table: list[list], filename: str, *, title: str, widths: list[int]) -> HttpResponse:
    """An Excel attachment: one sheet, bold frozen heading row, text cells as text (never formulas)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    heading, *body = table
    sheet.append([_bold(cell, sheet) for cell in heading])
    for row in body:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _attachment(buffer.getvalue(), XLSX_TYPE, filename)


def _bold(value, sheet):
    cell = WriteOnlyCell(sheet, value=value)
    cell.font = Font(bold=True)
    return cell


def action_list_csv(rows, filename: str, *, quarter: str) -> HttpResponse:
    return csv_response(action_table_rows(rows, quarter=quarter), filename)


def action_list_xlsx(rows, filename: str, *, quarter: str) -> HttpResponse:
    return xlsx_response(
        action_table_rows(rows, quarter=quarter),
        filename,
        title="Actions",
        widths=[width for _, _, width in ACTION_COLUMNS],
    )

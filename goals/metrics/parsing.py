"""Parsing what people type and what spreadsheets export: value dates, numbers, CSV files.

Dates: a value is dated by the first day of its month (monthly metrics) or of its NHS quarter
(quarterly metrics: 1 April, 1 July, 1 October, 1 January). ``parse_value_date`` accepts the
forms people type and spreadsheets export (see docs/metrics.md). ``parse_csv`` reads an uploaded
file into checked rows or raises ``CSVImportError`` naming each bad row and column.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from goals.core.choices import Frequency
from goals.core.quarters import parse_quarter, quarter_of
from goals.models import MetricValue

VALUE_DECIMAL_PLACES = 4  # MetricValue.value keeps 4 decimal places; CSV values are rounded to it
VALUE_MAX_ABS = Decimal("1e10")  # MetricValue.value has 14 digits, 4 after the point
CSV_MAX_BYTES = 1_000_000
CSV_MAX_ROWS = 5_000
CSV_COLUMNS = ("date", "value", "annotation")  # annotation is optional
ANNOTATION_LIMIT = MetricValue._meta.get_field("annotation").max_length


_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_UK_DATE = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")
_YEAR_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_MONTH_YEAR = re.compile(r"^(\d{1,2})/(\d{4})$")
_NAMED_MONTH = re.compile(r"^([A-Za-z]{3,9})[\s\-]+(\d{2}|\d{4})$")
_QUARTER = re.compile(r"^(\d{4}-Q[1-4]|Q[1-4]\s+\d{4}/\d{2,4})$", re.IGNORECASE)
_MONTHS = {
    name: i + 1
    for i, name in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])
}
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
QUARTER_START_MONTHS = (4, 7, 10, 1)


def _example(metric_frequency: str) -> str:
    return "01/04/2023 or Q1 2023/24" if metric_frequency == Frequency.QUARTERLY else "01/04/2023 or Apr 2023"


def parse_value_date(text: str, frequency: str) -> date:
    """The date a value is for, from 01/04/2023 (UK day/month/year), 2023-04-01, 2023-04,
    04/2023, Apr 2023, April 2023, Apr-23 or, for quarterly metrics, 2023-Q1 or Q1 2023/24.

    A full date must be the first day of its month (monthly) or of an NHS quarter (quarterly).
    Raises ValueError with a message that says what to write instead.
    """
    raw = (text or "").strip()
    example = _example(frequency)
    if not raw:
        raise ValueError(f"Enter a date, for example {example}")
    day = _parse_date_text(raw, frequency)
    if day is None:
        raise ValueError(f'"{raw}" is not a date: write it as {example}')
    check_period_start(day, frequency, shown=f'"{raw}"')
    return day


def check_period_start(day: date, frequency: str, *, shown: str | None = None) -> None:
    """ValueError unless `day` is the first day of a month (monthly) or NHS quarter (quarterly)."""
    shown = shown or f"{day:%d/%m/%Y}"
    if frequency == Frequency.QUARTERLY:
        if day.day != 1 or day.month not in QUARTER_START_MONTHS:
            quarter = quarter_of(day)
            raise ValueError(
                f"{shown} is not the first day of a quarter: quarterly values are dated by the "
                f"quarter's first day ({quarter.start:%d/%m/%Y} for {quarter.label})"
            )
    elif day.day != 1:
        raise ValueError(
            f"{shown} is not the first day of a month: monthly values are dated by the "
            f"month's first day ({day.replace(day=1):%d/%m/%Y})"
        )


def _parse_date_text(raw: str, frequency: str) -> date | None:
    try:
        if m := _ISO_DATE.match(raw):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := _UK_DATE.match(raw):
            return date(int(m[3]), int(m[2]), int(m[1]))
        if m := _YEAR_MONTH.match(raw):
            return date(int(m[1]), int(m[2]), 1)
        if m := _MONTH_YEAR.match(raw):
            return date(int(m[2]), int(m[1]), 1)
        if m := _NAMED_MONTH.match(raw):
            month = _MONTHS.get(m[1][:3].lower())
            if month is None or (len(m[1]) > 3 and not _is_month_name(m[1])):
                return None
            year = int(m[2]) + (2000 if len(m[2]) == 2 else 0)
            return date(year, month, 1)
        if _QUARTER.match(raw) and frequency == Frequency.QUARTERLY:
            return parse_quarter(raw.upper()).start
    except ValueError:
        return None
    return None


def _is_month_name(word: str) -> bool:
    names = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "sept",
    ]
    return word.lower() in names


def parse_value_number(text: str) -> Decimal:
    """A number from a cell: 7.9, -3, 1,234.5 (thousands commas), 97% (the % is dropped).
    More than 4 decimal places are rounded to 4. Raises ValueError saying what was wrong."""
    raw = (text or "").strip()
    if not raw:
        raise ValueError("Enter a value")
    cleaned = raw[:-1].strip() if raw.endswith("%") else raw
    if _THOUSANDS.match(cleaned):
        cleaned = cleaned.replace(",", "")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f'"{raw}" is not a number') from None
    if not number.is_finite():
        raise ValueError(f'"{raw}" is not a number')
    if abs(number) >= VALUE_MAX_ABS:
        raise ValueError(f'"{raw}" is too large: values must be below 10,000,000,000')
    return number.quantize(Decimal(1).scaleb(-VALUE_DECIMAL_PLACES), rounding=ROUND_HALF_EVEN)


class CSVImportError(ValidationError):
    """The file was refused; `.messages` names each bad row and column. Nothing was written."""


def parse_csv(file, frequency: str) -> list[tuple[int, date, Decimal, str]]:
    """The rows of an uploaded CSV file as (spreadsheet row number, date, value, annotation), or
    ``CSVImportError`` naming every bad row and column."""
    parsed, errors = _parse_csv_rows(_read_csv_rows(file), frequency)
    if errors:
        raise CSVImportError(errors)
    return parsed


def _read_csv_rows(file) -> list[tuple[int, list[str]]]:
    data = file.read() if hasattr(file, "read") else file
    if isinstance(data, str):
        text = data.lstrip("\ufeff")
    else:
        if len(data) > CSV_MAX_BYTES:
            raise CSVImportError([f"The file is larger than {CSV_MAX_BYTES // 1_000_000} MB."])
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise CSVImportError(
                ['The file is not UTF-8 text. In Excel choose "Save as" and the type "CSV UTF-8".']
            ) from None
    if "\x00" in text:
        raise CSVImportError(
            [
                'The file contains NUL characters, so it is not a CSV text file. In Excel choose "Save as" and '
                'the type "CSV UTF-8".'
            ]
        )
    try:
        # Number the records as a spreadsheet numbers its rows (1 = the header), then drop blanks.
        rows = [(number, row) for number, row in enumerate(csv.reader(io.StringIO(text, newline="")), start=1)]
    except csv.Error as error:
        raise CSVImportError([f"The file could not be read as CSV: {error}."]) from None
    rows = [(number, row) for number, row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise CSVImportError(["The file is empty. The first row must name the columns date, value and annotation."])
    if len(rows) - 1 > CSV_MAX_ROWS:
        raise CSVImportError([f"The file has more than {CSV_MAX_ROWS:,} rows; split it into smaller files."])
    return rows


def _parse_csv_rows(rows: list[tuple[int, list[str]]], frequency: str):
    header = [cell.strip().lower() for cell in rows[0][1]]
    errors: list[str] = []
    for required in ("date", "value"):
        if required not in header:
            errors.append(
                f'The file has no "{required}" column. The first row must name the columns '
                "date, value and (optionally) annotation."
            )
    for name in set(header):
        if name and header.count(name) > 1:
            errors.append(f'The column "{name}" appears more than once in the first row.')
    if errors:
        return [], errors
    position = {name: header.index(name) for name in CSV_COLUMNS if name in header}
    if len(rows) == 1:
        return [], ["The file has column names but no values."]

    parsed = []
    seen: dict[date, int] = {}
    for line, row in rows[1:]:
        cells = {name: (row[i].strip() if i < len(row) else "") for name, i in position.items()}
        day = number = None
        try:
            day = parse_value_date(cells["date"], frequency)
        except ValueError as error:
            errors.append(f"Row {line}, date: {error}.")
        try:
            number = parse_value_number(cells["value"])
        except ValueError as error:
            errors.append(f"Row {line}, value: {error}.")
        annotation = cells.get("annotation", "")
        if len(annotation) > ANNOTATION_LIMIT:
            errors.append(f"Row {line}, annotation: longer than {ANNOTATION_LIMIT} characters.")
        if day is not None:
            if day in seen:
                errors.append(
                    f"Row {line}, date: {day:%d/%m/%Y} is already in row {seen[day]}; each date may appear once."
                )
            else:
                seen[day] = line
        if day is not None and number is not None:
            parsed.append((line, day, number, annotation))
    return parsed, errors

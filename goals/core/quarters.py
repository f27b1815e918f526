"""NHS financial-year quarters: plain date maths, no database.

The NHS financial year runs 1 April to 31 March. Q1 = Apr–Jun, Q2 = Jul–Sep, Q3 = Oct–Dec,
Q4 = Jan–Mar of the following calendar year. A quarter is named by the year its financial
year starts: "Q2 2024/25" has the slug "2024-Q2".
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta

_SLUG = re.compile(r"^(?P<year>\d{4})-Q(?P<quarter>[1-4])$")
_LABEL = re.compile(r"^Q(?P<quarter>[1-4])\s+(?P<year>\d{4})/(?P<next>\d{2}|\d{4})$")
_MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@dataclass(frozen=True, order=True)
class Quarter:
    """One quarter of an NHS financial year; `year` is the calendar year the FY starts in."""

    year: int
    quarter: int

    def __post_init__(self):
        if self.quarter not in (1, 2, 3, 4):
            raise ValueError(f"quarter must be 1 to 4, not {self.quarter}")
        if not 1900 <= self.year <= 2999:
            raise ValueError(f"financial year must start between 1900 and 2999, not {self.year}")

    @property
    def slug(self) -> str:
        return f"{self.year}-Q{self.quarter}"

    @property
    def financial_year(self) -> str:
        return f"{self.year}/{(self.year + 1) % 100:02d}"

    @property
    def label(self) -> str:
        return f"Q{self.quarter} {self.financial_year}"

    @property
    def start(self) -> date:
        month = 4 + 3 * (self.quarter - 1)
        year = self.year
        if month > 12:
            month -= 12
            year += 1
        return date(year, month, 1)

    @property
    def end(self) -> date:
        return self.next().start - timedelta(days=1)

    @property
    def months(self) -> list[str]:
        """Month names covered, e.g. ["Apr", "May", "Jun"]."""
        first = self.start.month
        return [_MONTH_NAMES[(first - 1 + i) % 12] for i in range(3)]

    @property
    def months_label(self) -> str:
        """As the packs print it: "Apr, May and Jun 23"."""
        first, second, third = self.months
        return f"{first}, {second} and {third} {self.end.year % 100:02d}"

    def next(self) -> "Quarter":
        return Quarter(self.year + 1, 1) if self.quarter == 4 else Quarter(self.year, self.quarter + 1)

    def previous(self) -> "Quarter":
        return Quarter(self.year - 1, 4) if self.quarter == 1 else Quarter(self.year, self.quarter - 1)

    def __str__(self) -> str:
        return self.label


def quarter_of(day: date) -> Quarter:
    """The financial-year quarter a calendar date falls in."""
    if day.month >= 4:
        return Quarter(day.year, (day.month - 4) // 3 + 1)
    return Quarter(day.year - 1, 4)


def quarter_boundaries(year: int, quarter: int) -> tuple[date, date]:
    q = Quarter(year, quarter)
    return q.start, q.end


def parse_quarter(text: str) -> Quarter:
    """Parse a slug ("2024-Q2") or a label ("Q2 2024/25"); ValueError says what was expected."""
    value = (text or "").strip()
    match = _SLUG.match(value)
    if match:
        return Quarter(int(match["year"]), int(match["quarter"]))
    match = _LABEL.match(value)
    if match:
        year = int(match["year"])
        expected_next = (year + 1) % 100 if len(match["next"]) == 2 else year + 1
        if int(match["next"]) != expected_next:
            raise ValueError(
                f'"{value}" is not a financial year: {year} is followed by '
                f"{year + 1} (write Q{match['quarter']} {year}/{(year + 1) % 100:02d})"
            )
        return Quarter(year, int(match["quarter"]))
    raise ValueError(f'"{value}" is not a quarter: write it as 2024-Q2 or Q2 2024/25')


def deadline_text(deadline: date | None, days_left: int | None) -> str:
    """The one deadline sentence of pages and emails, in lower case (pages capitalise it):
    "deadline Friday 17 January 2025 (3 days left)", "due today", "the deadline (17 January 2025)
    has passed" or "no deadline set". `days_left` is counted from today: 0 on the day, negative after."""
    if deadline is None or days_left is None:
        return "no deadline set"
    if days_left < 0:
        return f"the deadline ({deadline.day} {deadline:%B %Y}) has passed"
    if days_left == 0:
        return "due today"
    return (
        f"deadline {deadline:%A} {deadline.day} {deadline:%B %Y} ({days_left} day{'' if days_left == 1 else 's'} left)"
    )

"""Metrics read as Making Data Count SPC charts: selectors (reads) and services (writes).

Reads
    ``metric_summaries(strategy, *, goal=None, objective=None)`` – every metric of a strategy
    (or of one goal / objective) with its values and SPC analysis, in two queries however many
    metrics and values there are. ``metric_detail(strategy_slug, metric_key)`` – one metric, two
    queries. Both return ``MetricSummary`` objects: plain, evaluated, safe to hand to any renderer
    (pages, the board pack's PDF and Word). ``metric_index()`` lists strategies with metric counts.

Writes
    ``metric_value_save`` (one value, from the form) and ``metric_values_import_csv`` (a CSV
    file, all or nothing). Only strategy admins and the programme office may write
    (``goals.core.permissions.may_edit_metrics``); everyone signed in may read.

Dates: a value is dated by the first day of its month (monthly metrics) or of its NHS quarter
(quarterly metrics: 1 April, 1 July, 1 October, 1 January). ``parse_value_date`` accepts the
forms people type and spreadsheets export (see docs/metrics.md).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404

from goals.core import permissions
from goals.core.choices import Frequency, Improvement
from goals.core.quarters import parse_quarter, quarter_of
from goals.metrics.spc import ASSURANCE_LABELS, VARIATION_LABELS, SPCPoint, SPCResult, analyse
from goals.models import Goal, Metric, MetricValue, Objective, Strategy

MIN_SPC_POINTS = 12  # below this a metric is drawn as a run chart without limits (goals.metrics.spc)
VALUE_DECIMAL_PLACES = 4  # MetricValue.value keeps 4 decimal places; CSV values are rounded to it
VALUE_MAX_ABS = Decimal("1e10")  # MetricValue.value has 14 digits, 4 after the point
CSV_MAX_BYTES = 1_000_000
CSV_MAX_ROWS = 5_000
CSV_COLUMNS = ("date", "value", "annotation")  # annotation is optional
ANNOTATION_LIMIT = MetricValue._meta.get_field("annotation").max_length

RULE_WORDS = {  # short, for the data table; explain_special_causes() writes whole sentences
    "beyond_limits": "beyond a process limit",
    "shift": "shift (a run on one side of the mean)",
    "trend": "trend (a run rising or falling)",
    "two_of_three": "2 of 3 beyond the 2-sigma line",
}
KIND_WORDS = {"improvement": "an improvement", "concern": "a concern", "neither": "neither improvement nor concern"}
RUN_CHART_LABEL = "Too few points for SPC limits: a run chart"


# ---------------------------------------------------------------------------------------------
# Who may write


def _check_can_edit(user, strategy) -> None:
    if not permissions.may_edit_metrics(user, strategy):
        raise PermissionDenied("Only strategy admins and the programme office can change metric values.")


# ---------------------------------------------------------------------------------------------
# Reads


@dataclass(frozen=True)
class MetricRow:
    """One value of a metric with its SPC verdict, for the data table and the chart."""

    value: MetricValue
    point: SPCPoint
    label: str  # "Apr 2023" or "Q1 2023/24"
    reasons: tuple[str, ...]  # the special-cause rules that fired, in words
    value_text: str  # the value as entered, e.g. "7.9"
    mean_text: str  # this point's segment's mean and limits, rounded for print ("" if none)
    lower_text: str
    upper_text: str


@dataclass(frozen=True)
class SpecialCause:
    """A stretch of special-cause points explained in words (one sentence)."""

    kind: str | None  # improvement | concern | neither
    text: str


@dataclass(frozen=True)
class MetricSummary:
    """A metric, its values (oldest first) and their Making Data Count analysis.

    This is the stable shape the pages and the board pack read:
    ``metric``, ``values``, ``analysis`` (goals.metrics.spc.SPCResult), ``latest`` (the newest
    MetricValue or None), ``latest_value`` / ``latest_date`` / ``latest_label``, ``variation`` and
    ``assurance`` codes with ``variation_label`` / ``assurance_label`` (text equivalents of the
    icons), ``rows`` (one MetricRow per value), ``special_causes`` (sentences) and ``description``
    (the chart's text alternative).
    """

    metric: Metric
    values: tuple[MetricValue, ...]
    analysis: SPCResult
    rows: tuple[MetricRow, ...] = field(repr=False)

    @property
    def latest(self) -> MetricValue | None:
        return self.values[-1] if self.values else None

    @property
    def latest_value(self) -> Decimal | None:
        return self.latest.value if self.latest else None

    @property
    def latest_date(self) -> date | None:
        return self.latest.date if self.latest else None

    @property
    def latest_label(self) -> str:
        return date_label(self.metric, self.latest.date) if self.latest else ""

    @property
    def variation(self) -> str | None:
        return self.analysis.variation

    @property
    def assurance(self) -> str | None:
        return self.analysis.assurance

    @property
    def variation_label(self) -> str:
        if self.analysis.variation:
            return VARIATION_LABELS[self.analysis.variation]
        return _too_few_label(len(self.values))

    @property
    def assurance_label(self) -> str:
        if self.analysis.assurance:
            return ASSURANCE_LABELS[self.analysis.assurance]
        if self.metric.target is None:
            return "No target set"
        if self.metric.improvement == Improvement.NEITHER:
            return "No assurance: neither direction is an improvement"
        return _too_few_label(len(self.values))

    @property
    def latest_text(self) -> str:
        """The latest value with its unit ("97%"), or ""."""
        if self.latest is None:
            return ""
        return with_unit(self.metric, format_number(self.latest_value, decimals=value_decimals(self.values)))

    @property
    def target_text(self) -> str:
        return with_unit(self.metric, format_number(self.metric.target))

    @property
    def mean_text(self) -> str:
        return self.format(self.analysis.mean)

    @property
    def median_text(self) -> str:
        return self.format(self.analysis.median)

    @property
    def lower_text(self) -> str:
        return self.format(self.analysis.lower)

    @property
    def upper_text(self) -> str:
        return self.format(self.analysis.upper)

    @property
    def is_run_chart(self) -> bool:
        return self.analysis.is_run_chart

    @property
    def point_count(self) -> int:
        return len(self.values)

    @property
    def special_causes(self) -> list[SpecialCause]:
        return explain_special_causes(self)

    @property
    def description(self) -> str:
        return describe(self)

    def format(self, number: float | Decimal | None) -> str:
        """A derived number (mean, limit) rounded to one place more than the data has."""
        return format_number(number, decimals=derived_decimals(self.values))


def value_decimals(values) -> int:
    """Decimal places the series is printed with: the most any of its values has (7.00 is
    stored as 7.0000, so a series of 7.11, 7, 6.8 prints 7.11, 7.00, 6.80)."""
    return max((max(0, -v.value.normalize().as_tuple().exponent) for v in values), default=0)


def derived_decimals(values) -> int:
    """Decimal places for means and limits: one more than the data's, between 1 and 3."""
    return min(3, max(1, value_decimals(values) + 1))


def _too_few_label(count: int) -> str:
    return f"{RUN_CHART_LABEL} ({count} of {MIN_SPC_POINTS} points)"


def format_number(number: float | Decimal | None, *, decimals: int | None = None) -> str:
    """A number with thousands separated: rounded to `decimals` places when given, else
    without trailing zeros (7.9000 → "7.9")."""
    if number is None:
        return ""
    if decimals is not None:
        return f"{float(number):,.{decimals}f}"
    value = Decimal(number).normalize() if isinstance(number, Decimal) else Decimal(str(number)).normalize()
    if value == value.to_integral_value():
        return f"{int(value):,}"  # normalize() turns 620 into 6.2E+2
    return f"{value:,f}"


def with_unit(metric: Metric, text: str) -> str:
    """ "97%" or "6.5 per 1,000 bed days"."""
    if not metric.unit or not text:
        return text
    return f"{text}{metric.unit}" if metric.unit == "%" else f"{text} {metric.unit}"


def date_label(metric: Metric, day: date) -> str:
    """ "Apr 2023" for a monthly metric, "Q1 2023/24" for a quarterly one."""
    if metric.frequency == Frequency.QUARTERLY:
        return quarter_of(day).label
    return day.strftime("%b %Y")


def summarise(metric: Metric, values) -> MetricSummary:
    """Analyse one metric's values (oldest first) as Making Data Count does."""
    values = tuple(sorted(values, key=lambda v: v.date))
    analysis = analyse(
        [v.value for v in values],
        improvement=metric.improvement,
        target=metric.target,
        min_points=MIN_SPC_POINTS,
        recalculate_at=[i for i, v in enumerate(values) if v.recalculate_limits and i > 0],
    )
    places, decimals = value_decimals(values), derived_decimals(values)
    rows = tuple(
        MetricRow(
            value=v,
            point=p,
            label=date_label(metric, v.date),
            reasons=_reasons(p),
            value_text=format_number(v.value, decimals=places),
            mean_text=format_number(p.mean, decimals=decimals),
            lower_text=format_number(p.lower, decimals=decimals),
            upper_text=format_number(p.upper, decimals=decimals),
        )
        for v, p in zip(values, analysis.points)
    )
    return MetricSummary(metric=metric, values=values, analysis=analysis, rows=rows)


def _reasons(point: SPCPoint) -> tuple[str, ...]:
    words = []
    for rule in point.rules:
        if rule == "beyond_limits":
            words.append("above the upper process limit" if point.side == "high" else "below the lower process limit")
        else:
            words.append(RULE_WORDS[rule])
    return tuple(words)


def _metrics():
    return Metric.objects.select_related("strategy", "goal", "objective__goal")


def metric_summaries(
    strategy: Strategy, *, goal: Goal | None = None, objective: Objective | None = None
) -> list[MetricSummary]:
    """The metrics of `strategy`, each with its values and SPC analysis, ordered by name.

    `goal` keeps the metrics linked to that goal or to one of its objectives; `objective` keeps
    those linked to that objective. Two queries (metrics, then all their values), whatever the
    number of metrics or values. Stable signature: the board pack (reports/) calls it.
    """
    metrics = _metrics().filter(strategy=strategy)
    if goal is not None:
        metrics = metrics.filter(Q(goal=goal) | Q(objective__goal=goal))
    if objective is not None:
        metrics = metrics.filter(objective=objective)
    metric_list = list(metrics.order_by("name", "pk"))
    by_metric: dict[int, list[MetricValue]] = {m.pk: [] for m in metric_list}
    for value in MetricValue.objects.filter(metric__in=metrics.values("pk")).order_by("metric", "date"):
        by_metric[value.metric_id].append(value)
    return [summarise(metric, by_metric[metric.pk]) for metric in metric_list]


def metric_detail(strategy_slug: str, metric_key: str) -> MetricSummary:
    """One metric of a strategy with its values and analysis (404 if there is none). Two queries."""
    metric = get_object_or_404(_metrics(), strategy__slug=strategy_slug, key=metric_key)
    return summarise(metric, metric.values.order_by("date"))


def metric_value_for_edit(strategy_slug: str, metric_key: str, pk: int) -> MetricValue:
    """A value of this strategy's metric, or 404: never another metric's value."""
    return get_object_or_404(
        MetricValue.objects.select_related("metric__strategy"),
        pk=pk,
        metric__key=metric_key,
        metric__strategy__slug=strategy_slug,
    )


def metric_index() -> list[Strategy]:
    """Every strategy with its number of metrics (one query)."""
    return list(Strategy.objects.annotate(metric_count=Count("metrics")).order_by("name"))


# ---------------------------------------------------------------------------------------------
# The analysis in words


def _span(rows: list[MetricRow]) -> str:
    return rows[0].label if len(rows) == 1 else f"{rows[0].label} to {rows[-1].label}"


def explain_special_causes(summary: MetricSummary) -> list[SpecialCause]:
    """Each special cause as a sentence, oldest first: single points beyond a limit, runs
    (shifts, trends) as one sentence each, two-of-three points beyond 2 sigma."""
    rows = summary.rows
    out: list[tuple[int, SpecialCause]] = []
    segment_of = {i: k for k, seg in enumerate(summary.analysis.segments) for i in range(seg.start, seg.end)}

    for row in rows:
        point = row.point
        if "beyond_limits" in point.rules:
            limit = point.upper if point.side == "high" else point.lower
            where = "above the upper" if point.side == "high" else "below the lower"
            out.append(
                (
                    point.index,
                    SpecialCause(
                        point.kind,
                        (
                            f"{row.label}: {row.value_text} is {where} process limit "
                            f"({summary.format(limit)}) – {KIND_WORDS[point.kind]}."
                        ),
                    ),
                )
            )

    def runs(rule, key):
        current: list[MetricRow] = []
        for row in rows:
            if rule in row.point.rules and (
                not current
                or (
                    current[-1].point.index == row.point.index - 1
                    and segment_of[current[-1].point.index] == segment_of[row.point.index]
                    and key(current, row)
                )
            ):
                current.append(row)
                continue
            if current:
                yield current
            current = [row] if rule in row.point.rules else []
        if current:
            yield current

    for run in runs("shift", lambda current, row: current[-1].point.side == row.point.side):
        side = "above" if run[0].point.side == "high" else "below"
        kind = run[0].point.kind
        out.append(
            (
                run[0].point.index,
                SpecialCause(
                    kind,
                    (
                        f"{_span(run)}: {len(run)} points in a row {side} the mean "
                        f"({summary.format(run[0].point.mean)}), a shift – {KIND_WORDS[kind]}."
                    ),
                ),
            )
        )

    def same_direction(current, row):
        if len(current) < 2:
            return True
        before = current[-1].point.value - current[-2].point.value
        return (row.point.value - current[-1].point.value) * before > 0

    for run in runs("trend", same_direction):
        rising = run[-1].point.value > run[0].point.value
        side = "high" if rising else "low"
        kind = _kind_of(side, summary.metric.improvement)
        out.append(
            (
                run[0].point.index,
                SpecialCause(
                    kind,
                    (
                        f"{_span(run)}: {len(run)} points in a row each {'higher' if rising else 'lower'} than the one "
                        f"before, a {'rising' if rising else 'falling'} trend – {KIND_WORDS[kind]}."
                    ),
                ),
            )
        )

    for row in rows:  # only where no other rule already explains the point
        point = row.point
        if point.rules == ("two_of_three",):
            which = "upper" if point.side == "high" else "lower"
            out.append(
                (
                    point.index,
                    SpecialCause(
                        point.kind,
                        (
                            f"{row.label}: {row.value_text} is one of two of three points beyond the {which} "
                            f"2-sigma line – {KIND_WORDS[point.kind]}."
                        ),
                    ),
                )
            )
    out.sort(key=lambda item: item[0])
    return [cause for _, cause in out]


def _kind_of(side: str, improvement: str) -> str:
    if improvement == Improvement.NEITHER:
        return "neither"
    return "improvement" if (side == "high") == (improvement == Improvement.UP) else "concern"


def describe(summary: MetricSummary) -> str:
    """The chart's text alternative: what it shows and what it means, in a few sentences."""
    metric, analysis = summary.metric, summary.analysis
    if not summary.values:
        return f"{metric.name}: no values have been entered yet."
    first, last = summary.rows[0].label, summary.rows[-1].label
    parts = [
        f"{'Run chart' if analysis.is_run_chart else 'SPC chart'} of {metric.name}, "
        f"{metric.get_frequency_display().lower()}, {summary.point_count} "
        f"point{'s' if summary.point_count != 1 else ''} from {first} to {last}.",
        f"Latest value {with_unit(metric, format_number(summary.latest_value))} in {last}.",
    ]
    if analysis.is_run_chart:
        parts.append(
            f"Median {summary.format(analysis.median)}. Fewer than {MIN_SPC_POINTS} points, "
            "so no process limits are drawn and no special cause is judged."
        )
    else:
        since = ""
        if len(analysis.segments) > 1:
            since = f" (limits recalculated from {summary.rows[analysis.segments[-1].start].label})"
        parts.append(
            f"Mean {summary.format(analysis.mean)}, process limits {summary.format(analysis.lower)} "
            f"to {summary.format(analysis.upper)}{since}."
        )
        special = sum(1 for p in analysis.points if p.special_cause)
        parts.append(f"{special} point{'s' if special != 1 else ''} show special cause variation.")
        parts.append(f"Variation: {summary.variation_label}.")
    if metric.target is not None:
        parts.append(
            f"Target {with_unit(metric, format_number(metric.target))}; {metric.get_improvement_display().lower()}."
        )
        if analysis.assurance:
            parts.append(f"Assurance: {summary.assurance_label}.")
    return " ".join(parts)


# ---------------------------------------------------------------------------------------------
# Parsing what people type and what spreadsheets export

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


# ---------------------------------------------------------------------------------------------
# Writes


def metric_value_save(
    *,
    metric: Metric,
    date: date,
    value: Decimal,
    annotation: str = "",
    recalculate_limits: bool = False,
    metric_value: MetricValue | None = None,
    by,
) -> MetricValue:
    """Add a value to `metric`, or change `metric_value` (one of its values).

    Only strategy admins and the programme office may (PermissionDenied otherwise). The date
    must be the first day of the metric's month or quarter and not already used by another
    value (ValidationError naming the field otherwise).
    """
    _check_can_edit(by, metric.strategy)
    if metric_value is not None and metric_value.metric_id != metric.pk:
        raise PermissionDenied("That value belongs to another metric.")
    try:
        check_period_start(date, metric.frequency)
    except ValueError as error:
        raise ValidationError({"date": str(error)}) from None
    row = metric_value or MetricValue(metric=metric)
    row.date = date
    row.value = value
    row.annotation = (annotation or "").strip()
    row.recalculate_limits = bool(recalculate_limits)
    row.full_clean()
    row._history_user = by  # who made the change, when saved outside a request
    row.save()
    return row


@dataclass(frozen=True)
class CSVImportResult:
    created: int
    updated: int

    def __str__(self) -> str:
        return f"{self.created} value{'s' if self.created != 1 else ''} added, {self.updated} updated"


class CSVImportError(ValidationError):
    """The file was refused; `.messages` names each bad row and column. Nothing was written."""


def metric_values_import_csv(*, metric: Metric, file, by) -> CSVImportResult:
    """Load a CSV file of values into `metric`: all rows or none.

    The first row names the columns: ``date`` and ``value`` (required) and ``annotation``
    (optional), in any order and any letter case. Dates as ``parse_value_date`` accepts them
    (UK day/month/year for 01/04/2023); numbers as ``parse_value_number``. A date already held
    by the metric has its value replaced; a date twice in the file is an error. UTF-8, with or
    without a byte-order mark (Excel's "CSV UTF-8"). Errors name the row as a spreadsheet
    numbers it (the header is row 1) and the column.
    """
    _check_can_edit(by, metric.strategy)
    rows = _read_csv_rows(file)
    parsed, errors = _parse_csv_rows(rows, metric.frequency)
    if errors:
        raise CSVImportError(errors)

    existing = {v.date: v for v in metric.values.all()}
    created = updated = 0
    with transaction.atomic():
        for line, day, number, annotation in parsed:
            row = existing.get(day) or MetricValue(metric=metric, date=day)
            is_new = row.pk is None
            if not is_new and row.value == number and row.annotation == annotation:
                continue
            row.value = number
            row.annotation = annotation
            try:
                row.full_clean()
            except ValidationError as error:  # not expected after parsing; named all the same
                raise CSVImportError([f"Row {line}: {message}" for message in error.messages]) from None
            row._history_user = by
            row.save()
            created += is_new
            updated += not is_new
    return CSVImportResult(created=created, updated=updated)


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

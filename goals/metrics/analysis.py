"""A metric's values read as Making Data Count does: ``summarise(metric, values)`` gives a
``MetricSummary`` (values, SPC analysis, rows for the data table), with the analysis in words
(``explain_special_causes``, ``describe``) and the shared number and date formatting.

Reads live in ``goals.metrics.selectors``, writes in ``goals.metrics.services``, parsing of
what people type and upload in ``goals.metrics.parsing``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from goals.core.choices import Frequency, Improvement
from goals.core.quarters import quarter_of
from goals.metrics.spc import ASSURANCE_LABELS, VARIATION_LABELS, SPCPoint, SPCResult, analyse
from goals.models import Metric, MetricValue

MIN_SPC_POINTS = 12  # below this a metric is drawn as a run chart without limits (goals.metrics.spc)

RULE_WORDS = {  # short, for the data table; explain_special_causes() writes whole sentences
    "beyond_limits": "beyond a process limit",
    "shift": "shift (a run on one side of the mean)",
    "trend": "trend (a run rising or falling)",
    "two_of_three": "2 of 3 beyond the 2-sigma line",
}
KIND_WORDS = {"improvement": "an improvement", "concern": "a concern", "neither": "neither improvement nor concern"}
RUN_CHART_LABEL = "Too few points for SPC limits: a run chart"


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
    def baseline_text(self) -> str:
        """Which values the process limits are set from, in words."""
        if not self.metric.baseline:
            return "All values (of each segment)"
        return f"The first {self.metric.baseline} values (of each segment), then fixed"

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
        baseline=metric.baseline,
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
            words.append("above the upper process limit" if _above(point) else "below the lower process limit")
        else:
            words.append(RULE_WORDS[rule])
    return tuple(words)


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
            limit = point.upper if _above(point) else point.lower
            where = "above the upper" if _above(point) else "below the lower"
            kind = _kind_of("high" if _above(point) else "low", summary.metric.improvement)
            out.append(
                (
                    point.index,
                    SpecialCause(
                        kind,
                        (
                            f"{row.label}: {row.value_text} is {where} process limit "
                            f"({summary.format(limit)}) – {KIND_WORDS[kind]}."
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

    for run in runs("shift", lambda current, row: _above(current[-1].point) == _above(row.point)):
        side = "above" if _above(run[0].point) else "below"
        kind = _kind_of("high" if _above(run[0].point) else "low", summary.metric.improvement)
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
            which = "upper" if _above(point) else "lower"
            kind = _kind_of("high" if _above(point) else "low", summary.metric.improvement)
            out.append(
                (
                    point.index,
                    SpecialCause(
                        kind,
                        (
                            f"{row.label}: {row.value_text} is one of two of three points beyond the {which} "
                            f"2-sigma line – {KIND_WORDS[kind]}."
                        ),
                    ),
                )
            )
    out.sort(key=lambda item: item[0])
    return [cause for _, cause in out]


def _above(point: SPCPoint) -> bool:
    """Whether the point lies above its segment's mean (the side a positional rule speaks of;
    ``point.side`` is the side of its verdict, which a conflicting trend may have changed)."""
    return point.value > point.mean


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

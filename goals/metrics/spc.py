"""Statistical process control (SPC) for metric series, as NHS England's "Making Data Count".

An XmR chart (individuals + moving range) shows whether a series has changed more than it
usually varies. ``analyse()`` is a pure function: numbers in, a frozen ``SPCResult`` out.

The method, per segment of the series (see "Steps" below):

* Centre line: the mean of the limit-setting points (the first ``baseline`` points, or all).
* Moving ranges ``|x[i] - x[i-1]|`` between consecutive limit-setting points; their mean is
  the mean moving range ``MR̄``. With ``screen_moving_ranges=True`` any moving range strictly
  above ``3.267 × MR̄`` (the moving-range chart's upper limit) is left out and ``MR̄`` is
  recomputed once from the rest, so one large jump does not widen the limits.
* Process limits: ``mean ± 2.66 × MR̄`` (2.66 = 3 / d₂, d₂ = 1.128 for ranges of two points),
  i.e. three sigma. The 1σ and 2σ lines sit at one and two thirds of that distance.

Special-cause rules (names as recorded on each point, in this order):

* ``beyond_limits`` – a point strictly above the upper or below the lower process limit.
* ``shift`` – ``shift_points`` (default 7, 6–8) or more points in a row strictly on the same side
  of the mean; a point exactly on the mean breaks the run. Every point of the run is flagged.
* ``trend`` – ``trend_points`` (default 7, 6–8) or more points in a row, each strictly higher (or
  each strictly lower) than the one before; an equal value breaks it. Every point is flagged.
* ``two_of_three`` – in any three consecutive points all strictly on the same side of the mean,
  two or three beyond the 2σ line on that side (points beyond the process limit count); only
  the points beyond that line are flagged, not the third one. Three points straddling the mean
  are not a signal, however far two of them lie from it.

Runs and windows never cross a step: each segment is judged as its own process, against its
own mean and limits.

Each signal has a direction: a point beyond a limit, part of a shift or of a two-of-three is
"high" or "low" by its side of the mean; a point in a trend is "high" in a rising and "low" in
a falling trend. With ``improvement`` "up" high is an improvement and low a concern, with
"down" the reverse. A point whose signals disagree (the last point of a rising trend that is
also below the lower limit, improvement "up") is an **improvement**, as Making Data Count's
tool shows it: its ``side`` is the improving one. With "neither" both are "neither" and the
side is the point's side of the mean when a positional rule fired, else the trend's (a turning
point shared by two trends takes the trend it ends: a peak is high, a trough is low).
``variation`` (the variation icon) comes from the latest point.

Assurance (the assurance icon) compares the current process limits with ``target``. "up":
``pass`` when lower limit > target, ``fail`` when upper limit < target; "down": ``pass`` when
upper limit < target, ``fail`` when lower limit > target. Otherwise – including a target
exactly equal to a limit – ``hit_or_miss``. None without a target, for "neither", or for a run
chart.

Below ``min_points`` values (default 12) there are too few points for trustworthy limits: the
result is a run chart with a centre line (mean, and median) but no limits, no special-cause
flags, no variation and no assurance.

Steps: ``recalculate_at`` lists indexes where a new segment starts. Segment ``[start, end)``
gets its own mean and limits from its own points; with ``baseline`` each segment's limits are
set from its own first ``baseline`` points (trial limits from all its points while it has fewer,
fixed once it has that many).
The top-level mean and limits describe the last segment, the current process.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

LIMIT_FACTOR = 2.66  # process limits: mean ± 2.66 × MR̄ (3 sigma)
MR_SCREEN_FACTOR = 3.267  # moving ranges above 3.267 × MR̄ are screened out
RUN_LENGTHS = range(6, 9)  # allowed values of shift_points and trend_points

RULES = ("beyond_limits", "shift", "trend", "two_of_three")
_POSITIONAL_RULES = frozenset({"beyond_limits", "shift", "two_of_three"})

Improvement = Literal["up", "down", "neither"]
Number = float | int | Decimal

VARIATION_LABELS: dict[str, str] = {
    "common_cause": "Common cause – no significant change",
    "improvement_high": "Special cause – improving, high values",
    "improvement_low": "Special cause – improving, low values",
    "concern_high": "Special cause – concerning, high values",
    "concern_low": "Special cause – concerning, low values",
    "neither_high": "Special cause – neither improvement nor concern, high values",
    "neither_low": "Special cause – neither improvement nor concern, low values",
}

ASSURANCE_LABELS: dict[str, str] = {
    "pass": "Consistently passing the target",
    "fail": "Consistently failing the target",
    "hit_or_miss": "Hit or miss – will sometimes meet and sometimes miss the target",
}


@dataclass(frozen=True)
class SPCSegment:
    """One stretch of the series with its own centre line and limits; covers [start, end)."""

    start: int
    end: int
    mean: float
    upper: float | None
    lower: float | None
    upper_one_sigma: float | None
    lower_one_sigma: float | None
    upper_two_sigma: float | None
    lower_two_sigma: float | None
    mean_moving_range: float | None
    median: float


@dataclass(frozen=True)
class SPCPoint:
    """One value with its verdict; mean/upper/lower are its own segment's (for drawing steps)."""

    index: int
    value: float
    moving_range: float | None
    special_cause: bool
    rules: tuple[str, ...]
    side: Literal["high", "low"] | None
    kind: Literal["improvement", "concern", "neither"] | None
    mean: float
    upper: float | None
    lower: float | None


@dataclass(frozen=True)
class SPCResult:
    """The analysis; the top-level lines describe the last segment (the current process)."""

    mean: float | None
    upper: float | None
    lower: float | None
    upper_one_sigma: float | None
    lower_one_sigma: float | None
    upper_two_sigma: float | None
    lower_two_sigma: float | None
    mean_moving_range: float | None
    points: tuple[SPCPoint, ...]
    variation: str | None
    assurance: str | None
    is_run_chart: bool
    segments: tuple[SPCSegment, ...]
    improvement: str
    target: float | None
    median: float | None = None


def analyse(
    values: Sequence[Number],
    *,
    improvement: str = "neither",
    target: Number | None = None,
    baseline: int | None = None,
    shift_points: int = 7,
    trend_points: int = 7,
    screen_moving_ranges: bool = False,
    min_points: int = 12,
    recalculate_at: Iterable[int] = (),
) -> SPCResult:
    """Analyse ``values`` as an XmR chart (see the module docstring for the method)."""
    if improvement not in ("up", "down", "neither"):
        raise ValueError(f"improvement must be 'up', 'down' or 'neither', not {improvement!r}")
    for name, run in (("shift_points", shift_points), ("trend_points", trend_points)):
        if not isinstance(run, int) or run not in RUN_LENGTHS:
            raise ValueError(f"{name} must be 6, 7 or 8, not {run!r}")
    if baseline is not None and (not isinstance(baseline, int) or baseline < 2):
        raise ValueError(f"baseline must be at least 2 points, not {baseline!r}")
    if not isinstance(min_points, int) or min_points < 2:
        raise ValueError(f"min_points must be at least 2, not {min_points!r}")
    xs = [_to_float(v, "values") for v in values]
    target_value = None if target is None else _to_float(target, "target")
    n = len(xs)
    steps = sorted(set(recalculate_at))
    for step in steps:
        if not isinstance(step, int) or not 0 < step < n:
            raise ValueError(f"recalculate_at index {step!r} must be between 1 and {n - 1}")
    is_run_chart = n < min_points
    if n == 0:
        return SPCResult(
            None, None, None, None, None, None, None, None, (), None, None, True, (), improvement, target_value, None
        )

    bounds = list(zip([0, *steps], [*steps, n]))
    segments = tuple(
        _segment(xs, start, end, baseline, screen_moving_ranges, with_limits=not is_run_chart) for start, end in bounds
    )
    rules: list[set[str]] = [set() for _ in xs]
    trend_sides: list[list[str]] = [[] for _ in xs]
    if not is_run_chart:
        for seg in segments:
            _flag_rules(xs, seg, shift_points, trend_points, rules, trend_sides)

    points = []
    for seg in segments:
        for i in range(seg.start, seg.end):
            side = _side(xs[i], seg.mean, rules[i], trend_sides[i], improvement)
            points.append(
                SPCPoint(
                    index=i,
                    value=xs[i],
                    moving_range=None if i == 0 else abs(xs[i] - xs[i - 1]),
                    special_cause=bool(rules[i]),
                    rules=tuple(rule for rule in RULES if rule in rules[i]),
                    side=side,
                    kind=_kind(side, improvement),
                    mean=seg.mean,
                    upper=seg.upper,
                    lower=seg.lower,
                )
            )

    last, latest = segments[-1], points[-1]
    if is_run_chart:
        variation = None
    elif not latest.special_cause:
        variation = "common_cause"
    else:
        variation = f"{latest.kind}_{latest.side}"
    return SPCResult(
        mean=last.mean,
        upper=last.upper,
        lower=last.lower,
        upper_one_sigma=last.upper_one_sigma,
        lower_one_sigma=last.lower_one_sigma,
        upper_two_sigma=last.upper_two_sigma,
        lower_two_sigma=last.lower_two_sigma,
        mean_moving_range=last.mean_moving_range,
        points=tuple(points),
        variation=variation,
        assurance=_assurance(last, improvement, target_value),
        is_run_chart=is_run_chart,
        segments=segments,
        improvement=improvement,
        target=target_value,
        median=last.median,
    )


def _to_float(value: Number, name: str) -> float:
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{name} must be finite numbers, not {value!r}")
    return number


def _segment(
    xs: list[float], start: int, end: int, baseline: int | None, screen: bool, *, with_limits: bool
) -> SPCSegment:
    stop = end if baseline is None else min(end, start + baseline)
    basis = xs[start:stop]
    mean = math.fsum(basis) / len(basis)
    median = statistics.median(basis)
    if not with_limits:
        return SPCSegment(start, end, mean, None, None, None, None, None, None, None, median)
    if len(basis) < 2:
        raise ValueError(f"the segment starting at index {start} needs at least 2 points")
    ranges = [abs(b - a) for a, b in zip(basis, basis[1:])]
    mr_bar = math.fsum(ranges) / len(ranges)
    if screen:
        kept = [mr for mr in ranges if mr <= MR_SCREEN_FACTOR * mr_bar]
        mr_bar = math.fsum(kept) / len(kept)
    width = LIMIT_FACTOR * mr_bar
    return SPCSegment(
        start,
        end,
        mean,
        upper=mean + width,
        lower=mean - width,
        upper_one_sigma=mean + width / 3,
        lower_one_sigma=mean - width / 3,
        upper_two_sigma=mean + 2 * width / 3,
        lower_two_sigma=mean - 2 * width / 3,
        mean_moving_range=mr_bar,
        median=median,
    )


def _flag_rules(
    xs: list[float],
    seg: SPCSegment,
    shift_points: int,
    trend_points: int,
    rules: list[set[str]],
    trend_sides: list[list[str]],
) -> None:
    assert seg.upper is not None and seg.lower is not None
    assert seg.upper_two_sigma is not None and seg.lower_two_sigma is not None
    idx = range(seg.start, seg.end)
    for i in idx:
        if xs[i] > seg.upper or xs[i] < seg.lower:
            rules[i].add("beyond_limits")

    sides = [_sign(xs[i] - seg.mean) for i in idx]
    for first, last, _ in _runs(sides):
        if last - first + 1 >= shift_points:
            for i in range(seg.start + first, seg.start + last + 1):
                rules[i].add("shift")

    # steps[k] is the direction from point start+k to start+k+1.
    steps = [_sign(xs[i + 1] - xs[i]) for i in idx[:-1]]
    for first, last, direction in _runs(steps):
        if last - first + 2 >= trend_points:  # k steps join k + 1 points
            for i in range(seg.start + first, seg.start + last + 2):
                rules[i].add("trend")
                trend_sides[i].append("high" if direction > 0 else "low")  # runs come in order

    for w in range(seg.start, seg.end - 2):
        window = range(w, w + 3)
        if all(xs[i] > seg.mean for i in window):
            beyond = [i for i in window if xs[i] > seg.upper_two_sigma]
        elif all(xs[i] < seg.mean for i in window):
            beyond = [i for i in window if xs[i] < seg.lower_two_sigma]
        else:
            continue  # three points straddling the mean are no signal
        if len(beyond) >= 2:
            for i in beyond:
                rules[i].add("two_of_three")


def _runs(signs: list[int]) -> list[tuple[int, int, int]]:
    """Maximal runs of equal non-zero signs as (first, last, sign); zero breaks a run."""
    runs: list[tuple[int, int, int]] = []
    first = 0
    for k, sign in enumerate(signs):
        if k == 0 or sign != signs[k - 1]:
            first = k
        if sign != 0 and (k == len(signs) - 1 or signs[k + 1] != sign):
            runs.append((first, k, sign))
    return runs


def _sign(difference: float) -> int:
    return (difference > 0) - (difference < 0)


def _side(value: float, mean: float, rules: set[str], trend_sides: list[str], improvement: str) -> str | None:
    sides = list(trend_sides)
    if rules & _POSITIONAL_RULES:
        sides.insert(0, "high" if value > mean else "low")
    if not sides:
        return None  # common cause
    improving = {"up": "high", "down": "low"}.get(improvement)
    if improving in sides:
        return improving  # conflicting signals: the improvement wins
    return sides[0]  # positional rules first, then the first trend (the one the point ends)


def _kind(side: str | None, improvement: str) -> str | None:
    if side is None:
        return None
    if improvement == "neither":
        return "neither"
    return "improvement" if (side == "high") == (improvement == "up") else "concern"


def _assurance(seg: SPCSegment, improvement: str, target: float | None) -> str | None:
    if target is None or improvement == "neither" or seg.upper is None or seg.lower is None:
        return None
    good_side_clear = seg.lower > target if improvement == "up" else seg.upper < target
    bad_side_clear = seg.upper < target if improvement == "up" else seg.lower > target
    if good_side_clear:
        return "pass"
    if bad_side_clear:
        return "fail"
    return "hit_or_miss"

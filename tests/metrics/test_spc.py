"""Worked examples for goals.metrics.spc (Making Data Count XmR charts).

Every expected number is worked out by hand in the comments, never by calling the code.
Constants: limits = mean ± 2.66 × MR̄; sigma = 2.66 × MR̄ / 3.
"""

from decimal import Decimal

import pytest

from goals.metrics.spc import ASSURANCE_LABELS, VARIATION_LABELS, analyse

approx = pytest.approx

# 12 points with no special cause.
# sum = 20+23+21+25+22+19+22+24+21+18+21+25 = 261, mean = 261 / 12 = 21.75
# moving ranges 3,2,4,3,3,3,2,3,3,3,4 = 33, MR̄ = 33 / 11 = 3
# 2.66 × 3 = 7.98, so sigma = 2.66: limits 29.73 / 13.77, 1σ 24.41 / 19.09, 2σ 27.07 / 16.43
STABLE = [20, 23, 21, 25, 22, 19, 22, 24, 21, 18, 21, 25]

# 11 points alternating 20/22 then 33.
# mean = (6×20 + 5×22 + 33) / 12 = 263 / 12 = 21.91667; MRs 10×2 + 13 = 33, MR̄ = 3
# upper = 21.91667 + 7.98 = 29.89667, so 33 is beyond; 20 < mean < 22, so no shift.
HIGH_OUTLIER = [20, 22] * 5 + [20, 33]
# The mirror: 22/20 then 9. mean = (6×22 + 5×20 + 9) / 12 = 241 / 12 = 20.08333
# MRs 10×2 + 13 = 33, MR̄ = 3; lower = 20.08333 − 7.98 = 12.10333, so 9 is beyond.
LOW_OUTLIER = [22, 20] * 5 + [22, 9]


def flagged(result, rule):
    return [p.index for p in result.points if rule in p.rules]


def special(result):
    return [p.index for p in result.points if p.special_cause]


def test_it_computes_mean_moving_range_limits_and_sigma_lines():
    result = analyse(STABLE)
    assert result.mean == approx(21.75)
    assert result.mean_moving_range == approx(3)
    assert result.upper == approx(29.73)
    assert result.lower == approx(13.77)
    assert result.upper_one_sigma == approx(24.41)
    assert result.lower_one_sigma == approx(19.09)
    assert result.upper_two_sigma == approx(27.07)
    assert result.lower_two_sigma == approx(16.43)
    assert result.median == approx(21.5)  # sorted middle pair 21, 22
    assert result.is_run_chart is False
    assert special(result) == []
    assert result.variation == "common_cause"


def test_points_carry_values_moving_ranges_and_their_segment_lines():
    result = analyse([Decimal("20.0"), 23, 21.0, *STABLE[3:]])
    first, second, third = result.points[:3]
    assert (first.index, first.value, first.moving_range) == (0, 20.0, None)
    assert (second.index, second.value, second.moving_range) == (1, 23.0, 3.0)
    assert third.moving_range == 2.0
    assert third.mean == result.mean and third.upper == result.upper
    assert first.rules == () and first.side is None and first.kind is None


def test_a_point_above_the_upper_limit_is_flagged_high():
    result = analyse(HIGH_OUTLIER)
    assert result.mean == approx(21.916667)
    assert result.upper == approx(29.896667)
    assert special(result) == [11]
    assert result.points[11].rules == ("beyond_limits",)
    assert result.points[11].side == "high"


def test_a_point_below_the_lower_limit_is_flagged_low():
    result = analyse(LOW_OUTLIER)
    assert result.lower == approx(12.103333)
    assert special(result) == [11]
    assert result.points[11].rules == ("beyond_limits",)
    assert result.points[11].side == "low"


# Shift: 7 alternating points, then 7 above the mean.
# mean = (4×8 + 3×12 + 4×11 + 3×12) / 14 = 148 / 14 = 10.571; 11 and 12 are all above it.
# MRs 6×4 + 3 + 6×1 = 33, MR̄ = 33/13 = 2.538, 2σ = 10.571 ± 4.50: nothing else fires.
SHIFT_OF_7 = [8, 12, 8, 12, 8, 12, 8, 11, 12, 11, 12, 11, 12, 11]


def test_seven_points_on_one_side_of_the_mean_are_a_shift():
    result = analyse(SHIFT_OF_7)
    assert result.mean == approx(148 / 14)
    assert flagged(result, "shift") == list(range(7, 14))
    assert special(result) == list(range(7, 14))
    assert {p.side for p in result.points[7:]} == {"high"}


def test_six_points_on_one_side_are_not_a_shift_by_default():
    # Without the last point: mean = 137 / 13 = 10.538, six points above it.
    result = analyse(SHIFT_OF_7[:-1])
    assert special(result) == []
    assert result.variation == "common_cause"


def test_shift_points_six_flags_a_run_of_six():
    result = analyse(SHIFT_OF_7[:-1], shift_points=6)
    assert flagged(result, "shift") == list(range(7, 13))


def test_a_point_on_the_mean_breaks_a_shift():
    # mean = (4×5 + 3×16 + 12+13+12 + 11 + 13+12+13) / 14 = 154 / 14 = 11 exactly,
    # so index 10 sits on the mean: 3 above, 1 on, 3 above.
    on_mean = [5, 16, 5, 16, 5, 16, 5, 12, 13, 12, 11, 13, 12, 13]
    result = analyse(on_mean)
    assert result.mean == 11.0
    assert flagged(result, "shift") == []
    # Control: 12 instead of 11 gives mean 155 / 14 = 11.07 and 7 points above it.
    control = analyse(on_mean[:10] + [12] + on_mean[11:])
    assert flagged(control, "shift") == list(range(7, 14))


# Trend: 12 8 12 8 12 then 7..13 rising through the mean (122 / 12 = 10.167).
# MRs 4,4,4,4,5,1,1,1,1,1,1 = 27, MR̄ = 2.4545, 2σ = 10.167 ± 4.353: no other rule fires.
RISING = [12, 8, 12, 8, 12, 7, 8, 9, 10, 11, 12, 13]


def test_seven_rising_points_are_a_high_trend():
    result = analyse(RISING)
    assert flagged(result, "trend") == list(range(5, 12))
    assert special(result) == list(range(5, 12))
    # A point flagged only by a rising trend is "high", even when below the mean.
    assert result.points[5].value < result.mean
    assert {p.side for p in result.points[5:]} == {"high"}


def test_seven_falling_points_are_a_low_trend():
    falling = [20 - v for v in RISING]  # 8 12 8 12 8 13 12 11 10 9 8 7, mean 9.833
    result = analyse(falling)
    assert flagged(result, "trend") == list(range(5, 12))
    assert {p.side for p in result.points[5:]} == {"low"}


def test_six_rising_points_are_not_a_trend_unless_trend_points_is_six():
    # 8 -> 8 breaks, then 8..13 is six points. mean = 123 / 12 = 10.25, MR̄ = 25/11.
    six = [12, 8, 12, 8, 12, 8, 8, 9, 10, 11, 12, 13]
    assert special(analyse(six)) == []
    assert flagged(analyse(six, trend_points=6), "trend") == list(range(6, 12))


def test_equal_consecutive_values_break_a_trend():
    # 7 8 9 10 | 10 11 12 13: eight points but no seven strictly rising.
    # mean = 132 / 13 = 10.154; at most five in a row below it.
    result = analyse([12, 8, 12, 8, 12, 7, 8, 9, 10, 10, 11, 12, 13])
    assert special(result) == []


def test_two_of_three_beyond_two_sigma_on_the_same_side_are_flagged():
    # mean = (5×10 + 5×12 + 16 + 16) / 12 = 142 / 12 = 11.8333
    # MRs 9×2 + 4 + 0 = 22, MR̄ = 2; 2σ = 2 × 2.66 × 2 / 3 = 3.54667
    # upper 2σ = 15.38 < 16; upper limit = 11.8333 + 5.32 = 17.1533 > 16
    result = analyse([10, 12] * 5 + [16, 16])
    assert result.upper_two_sigma == approx(15.38)
    assert result.upper == approx(17.153333)
    assert special(result) == [10, 11]
    assert result.points[10].rules == ("two_of_three",)
    assert result.variation == "neither_high"


def test_two_of_three_flags_only_the_points_beyond():
    # 16 alternating 10/12 then 16 12 16: mean = 220 / 19 = 11.5789
    # MRs 15×2 + 4+4+4 = 42, MR̄ = 42/18 = 7/3; 2σ = 2×2.66×(7/3)/3 = 4.13778
    # upper 2σ = 15.7167: the two 16s are beyond, the 12 between them is not.
    result = analyse([10, 12] * 8 + [16, 12, 16])
    assert result.upper_two_sigma == approx(15.716725)
    assert flagged(result, "two_of_three") == [16, 18]


def test_two_beyond_two_sigma_on_opposite_sides_are_not_flagged():
    # 17 alternating 10/12 (9×10 + 8×12 = 186) then 16 11 6: mean = 219 / 20 = 10.95
    # MRs 16×2 + 6 + 5 + 5 = 48, MR̄ = 48/19; 2.66 × 48/19 = 6.72 exactly, sigma = 2.24
    # 2σ lines 15.43 / 6.47 (16 above, 6 below), limits 17.67 / 4.23 (neither beyond)
    result = analyse([10, 12] * 8 + [10, 16, 11, 6])
    assert result.upper_two_sigma == approx(15.43)
    assert result.lower_two_sigma == approx(6.47)
    assert result.upper == approx(17.67)
    assert result.lower == approx(4.23)
    assert special(result) == []


def test_screening_leaves_out_a_huge_moving_range():
    # MRs 5×2 + 38 + 5×2 = 58, MR̄ = 58/11 = 5.2727; 3.267 × 5.2727 = 17.23 < 38
    # so 38 is left out: MR̄ = 20/10 = 2. mean = (3×10 + 3×12 + 3×50 + 3×52)/12 = 372/12 = 31
    step = [10, 12] * 3 + [50, 52] * 3
    assert analyse(step).mean_moving_range == approx(58 / 11)
    screened = analyse(step, screen_moving_ranges=True)
    assert screened.mean_moving_range == approx(2)
    assert screened.mean == approx(31)
    assert screened.upper == approx(36.32)
    assert screened.lower == approx(25.68)


def test_baseline_limits_come_from_the_first_points_only():
    # baseline 10 12 10 12 10 12: mean 11, MRs 5×2 (12->13 is outside), MR̄ 2
    # upper = 11 + 5.32 = 16.32, so 17 is beyond. (From all 12 points: mean 142/12,
    # MR̄ 22/11 = 2, upper 17.153 and 17 would not be.)
    values = [10, 12, 10, 12, 10, 12, 13, 17, 13, 12, 11, 10]
    result = analyse(values, baseline=6)
    assert result.mean == approx(11)
    assert result.mean_moving_range == approx(2)
    assert result.upper == approx(16.32)
    assert result.lower == approx(5.68)
    assert special(result) == [7]
    assert result.points[7].rules == ("beyond_limits",)
    assert special(analyse(values)) == []


def test_recalculating_gives_each_segment_its_own_limits():
    # first: 10 12 ×3, mean 11, MR̄ 2, upper 16.32; second: 20 24 ×3, mean 22, MR̄ 4,
    # limits 22 ± 10.64 = 32.64 / 11.36. The 12 -> 20 jump belongs to neither.
    values = [10, 12] * 3 + [20, 24] * 3
    result = analyse(values, recalculate_at=[6])
    first, second = result.segments
    assert (first.start, first.end, second.start, second.end) == (0, 6, 6, 12)
    assert first.mean == approx(11) and first.upper == approx(16.32)
    assert first.mean_moving_range == approx(2)
    assert second.mean == approx(22) and second.mean_moving_range == approx(4)
    assert (second.upper, second.lower) == (approx(32.64), approx(11.36))
    assert result.mean == approx(22) and result.upper == approx(32.64)
    assert result.points[0].mean == approx(11) and result.points[6].mean == approx(22)
    assert special(result) == []


def test_baseline_applies_to_each_recalculated_segment():
    # first segment baseline 10 12 10 -> mean 32/3; second segment baseline 20 24 20 -> 64/3
    # (not 22, the mean of all six of its points)
    values = [10, 12] * 3 + [20, 24] * 3
    result = analyse(values, baseline=3, recalculate_at=[6])
    assert result.segments[0].mean == approx(32 / 3)
    assert result.segments[1].mean == approx(64 / 3)
    assert result.segments[1].mean_moving_range == approx(4)  # MRs 4, 4 within the baseline


def test_a_recalculated_segment_fixes_its_limits_from_its_own_first_points():
    # second segment 20 22 20 22 20 22 27, baseline 6: mean 21, MRs 5×2, MR̄ 2,
    # upper 21 + 5.32 = 26.32, so 27 is beyond. Limits from all seven points instead:
    # mean 153/7 = 21.857, MR̄ 15/6 = 2.5, upper 21.857 + 6.65 = 28.507 (27 inside).
    values = [10, 12] * 3 + [20, 22] * 3 + [27]
    result = analyse(values, baseline=6, recalculate_at=[6])
    second = result.segments[1]
    assert second.mean == approx(21) and second.mean_moving_range == approx(2)
    assert second.upper == approx(26.32) and second.lower == approx(15.68)
    assert special(result) == [12]
    assert result.points[12].rules == ("beyond_limits",)


def test_a_segment_shorter_than_the_baseline_has_trial_limits_from_all_its_points():
    # second segment 20 24 20 24 (4 points) with baseline 6: mean 22, MR̄ 4 from all four
    values = [10, 12] * 4 + [20, 24] * 2
    result = analyse(values, baseline=6, recalculate_at=[8])
    assert result.segments[0].mean == approx(11)  # 10 12 10 12 10 12
    assert result.segments[1].mean == approx(22) and result.segments[1].mean_moving_range == approx(4)


def test_two_of_three_straddling_the_mean_are_not_flagged():
    # fixed limits from 10 12 10 12 10 12: mean 11, MR̄ 2, 2σ = 2 × 5.32 / 3 = 3.5467,
    # upper 2σ 14.5467, upper limit 16.32. Then 15 10 15: both 15s are beyond 2σ, but 10 is
    # below the mean, so the three are not on one side: no signal (no other window has two).
    values = [10, 12] * 3 + [15, 10, 15, 12, 10, 12]
    result = analyse(values, baseline=6)
    assert result.upper_two_sigma == approx(14.546667)
    assert special(result) == []


def test_two_of_three_on_one_side_flag_only_the_points_beyond_and_count_points_beyond_the_limit():
    # same limits; 17 12 15: all above the mean 11, 17 beyond the limit 16.32 and 15 beyond
    # 2σ 14.5467 both count; 12 (above the mean, inside 2σ) is not flagged.
    values = [10, 12] * 3 + [17, 12, 15, 12, 10, 12]
    result = analyse(values, baseline=6)
    assert flagged(result, "two_of_three") == [6, 8]
    assert result.points[6].rules == ("beyond_limits", "two_of_three")
    assert result.points[8].rules == ("two_of_three",)


def test_conflicting_signals_show_improvement():
    # fixed limits from 20 22 20 22 20 22: mean 21, MR̄ 2, limits 15.68 / 26.32. Then 1..7:
    # seven points below the lower limit (concern when improvement is up) that rise seven in
    # a row (an improving trend). Making Data Count shows the improvement.
    values = [20, 22] * 3 + [1, 2, 3, 4, 5, 6, 7]
    up = analyse(values, baseline=6, improvement="up")
    assert up.lower == approx(15.68)
    last = up.points[-1]
    assert set(last.rules) == {"beyond_limits", "shift", "trend", "two_of_three"}
    assert (last.side, last.kind) == ("high", "improvement")
    assert up.variation == "improvement_high"
    down = analyse(values, baseline=6, improvement="down")  # low values good: no conflict
    assert (down.points[-1].side, down.points[-1].kind) == ("low", "improvement")
    assert down.variation == "improvement_low"
    neither = analyse(values, baseline=6)  # no improvement: the point's side of the mean
    assert neither.variation == "neither_low"


def test_a_turning_point_takes_the_improving_trend():
    # 1..7 rising then 6..1 falling: the peak 7 ends a rising and starts a falling trend.
    # mean = (28 + 21) / 13 = 3.77; MR̄ 1, limits 3.77 ± 2.66; 7 is beyond the upper limit (high).
    values = [1, 2, 3, 4, 5, 6, 7, 6, 5, 4, 3, 2, 1]
    peak_down = analyse(values, improvement="down").points[6]
    assert "trend" in peak_down.rules
    assert (peak_down.side, peak_down.kind) == ("low", "improvement")


@pytest.mark.parametrize(
    ("values", "improvement", "variation"),
    [
        (STABLE, "up", "common_cause"),
        (HIGH_OUTLIER, "up", "improvement_high"),
        (LOW_OUTLIER, "down", "improvement_low"),
        (HIGH_OUTLIER, "down", "concern_high"),
        (LOW_OUTLIER, "up", "concern_low"),
        (HIGH_OUTLIER, "neither", "neither_high"),
        (LOW_OUTLIER, "neither", "neither_low"),
        (RISING, "down", "concern_high"),
        ([20 - v for v in RISING], "down", "improvement_low"),
    ],
)
def test_variation_comes_from_the_latest_point(values, improvement, variation):
    result = analyse(values, improvement=improvement)
    assert result.variation == variation
    assert variation in VARIATION_LABELS


def test_point_kind_follows_the_improvement_direction():
    assert analyse(HIGH_OUTLIER, improvement="up").points[11].kind == "improvement"
    assert analyse(HIGH_OUTLIER, improvement="down").points[11].kind == "concern"
    assert analyse(HIGH_OUTLIER).points[11].kind == "neither"


@pytest.mark.parametrize(
    ("improvement", "target", "assurance"),
    [
        # STABLE limits: lower 13.77, upper 29.73
        ("up", 10, "pass"),
        ("up", 35, "fail"),
        ("up", 20, "hit_or_miss"),
        ("down", 35, "pass"),
        ("down", 10, "fail"),
        ("down", 20, "hit_or_miss"),
    ],
)
def test_assurance_against_a_target(improvement, target, assurance):
    assert analyse(STABLE, improvement=improvement, target=target).assurance == assurance
    assert assurance in ASSURANCE_LABELS


def test_a_target_exactly_on_a_limit_is_hit_or_miss():
    # Constant values: MR̄ 0, so mean = upper = lower = 5 exactly.
    flat = [5] * 12
    assert analyse(flat, improvement="up", target=5).assurance == "hit_or_miss"
    assert analyse(flat, improvement="down", target=5).assurance == "hit_or_miss"
    assert analyse(flat, improvement="up", target=Decimal("4.9")).assurance == "pass"
    assert analyse(flat, improvement="down", target=4.9).assurance == "fail"
    assert special(analyse(flat)) == []


def test_no_assurance_without_target_for_neither_or_for_a_run_chart():
    assert analyse(STABLE, improvement="up").assurance is None
    assert analyse(STABLE, improvement="neither", target=10).assurance is None
    assert analyse(STABLE[:11], improvement="up", target=10).assurance is None


def test_eleven_points_make_a_run_chart_without_flags():
    result = analyse(list(range(1, 12)), improvement="up", target=3)  # 1..11, mean 6
    assert result.is_run_chart is True
    assert result.mean == approx(6) and result.median == approx(6)
    assert result.upper is None and result.lower is None
    assert result.upper_two_sigma is None and result.lower_one_sigma is None
    assert special(result) == []
    assert result.variation is None and result.assurance is None


def test_twelve_points_get_limits():
    # 1..12: mean 6.5, every MR 1, upper 6.5 + 2.66 = 9.16, lower 3.84,
    # lower 2σ 6.5 − 1.7733 = 4.7267, so 1 is beyond the limit and (with 2, 3, 4) beyond 2σ
    result = analyse(list(range(1, 13)))
    assert result.is_run_chart is False
    assert result.upper == approx(9.16) and result.lower == approx(3.84)
    assert flagged(result, "trend") == list(range(12))
    assert result.points[0].rules == ("beyond_limits", "trend", "two_of_three")
    assert result.points[0].side == "low"  # positional rules win over the rising trend


def test_empty_input_gives_an_empty_run_chart():
    result = analyse([])
    assert result.points == () and result.segments == ()
    assert result.mean is None and result.upper is None and result.median is None
    assert result.is_run_chart is True
    assert result.variation is None and result.assurance is None


@pytest.mark.parametrize(
    "kwargs",
    [
        {"improvement": "sideways"},
        {"shift_points": 5},
        {"shift_points": 9},
        {"trend_points": 5},
        {"trend_points": 9},
        {"baseline": 1},
        {"min_points": 1},
        {"recalculate_at": [0]},
        {"recalculate_at": [12]},
        {"recalculate_at": [11]},  # a last segment of one point has no moving range
    ],
)
def test_bad_arguments_raise_value_error(kwargs):
    with pytest.raises(ValueError):
        analyse(STABLE, **kwargs)


def test_non_finite_values_raise_value_error():
    with pytest.raises(ValueError):
        analyse([1.0, float("nan")] * 6)

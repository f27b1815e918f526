"""Reads of metrics: summaries with their SPC analysis in two queries, the chart in words, and
the parsing of dates and numbers as people type them."""

import datetime
from decimal import Decimal

import pytest
from django.http import Http404

from goals.core.choices import Frequency, Improvement
from goals.metrics import analysis, parsing, selectors
from goals.models import MetricValue
from tests import factories

# 12 stable points (mean 21.75, MR̄ 3, limits 13.77 / 29.73: worked in tests/metrics/test_spc.py).
STABLE = [20, 23, 21, 25, 22, 19, 22, 24, 21, 18, 21, 25]


def month(n: int) -> datetime.date:
    """The first of the n-th month from April 2022."""
    return datetime.date(2022 + (3 + n) // 12, (3 + n) % 12 + 1, 1)


def add_values(metric, numbers, **extra):
    MetricValue.objects.bulk_create(
        [MetricValue(metric=metric, date=month(i), value=Decimal(str(v)), **extra) for i, v in enumerate(numbers)]
    )


@pytest.fixture
def strategy(db):
    return factories.StrategyFactory(slug="better-care", name="Better Care")


@pytest.mark.django_db
def test_summaries_carry_values_analysis_latest_value_and_icon_words(strategy):
    metric = factories.MetricFactory(
        strategy=strategy, name="Staff recommending", unit="%", improvement=Improvement.UP, target=Decimal("10")
    )
    add_values(metric, STABLE)
    [summary] = selectors.metric_summaries(strategy)
    assert summary.metric == metric
    assert [v.value for v in summary.values] == [Decimal(v) for v in STABLE]
    assert summary.analysis.mean == pytest.approx(21.75)
    assert summary.latest_value == Decimal("25") and summary.latest_date == datetime.date(2023, 3, 1)
    assert summary.latest_label == "Mar 2023"
    assert summary.latest_text == "25%"
    assert summary.variation == "common_cause"
    assert summary.variation_label == "Common cause – no significant change"
    # lower limit 13.77 > target 10 and higher is better: the target is consistently met.
    assert summary.assurance == "pass"
    assert summary.assurance_label == "Consistently passing the target"
    assert (summary.mean_text, summary.lower_text, summary.upper_text) == ("21.8", "13.8", "29.7")


@pytest.mark.django_db
def test_summaries_are_ordered_by_name_and_only_of_the_strategy(strategy):
    factories.MetricFactory(strategy=strategy, name="Waiting times")
    factories.MetricFactory(strategy=strategy, name="Appointments")
    factories.MetricFactory(name="Another trust's metric")
    assert [s.metric.name for s in selectors.metric_summaries(strategy)] == ["Appointments", "Waiting times"]


@pytest.mark.django_db
def test_a_goal_keeps_metrics_linked_to_it_or_its_objectives(strategy):
    goal = factories.GoalFactory(strategy=strategy)
    objective = factories.ObjectiveFactory(goal=goal)
    other_goal = factories.GoalFactory(strategy=strategy)
    on_goal = factories.MetricFactory(strategy=strategy, goal=goal, name="A")
    on_objective = factories.MetricFactory(strategy=strategy, objective=objective, name="B")
    factories.MetricFactory(strategy=strategy, goal=other_goal, name="C")
    factories.MetricFactory(strategy=strategy, name="D")
    assert [s.metric for s in selectors.metric_summaries(strategy, goal=goal)] == [on_goal, on_objective]
    assert [s.metric for s in selectors.metric_summaries(strategy, objective=objective)] == [on_objective]


@pytest.mark.django_db
def test_summaries_take_two_queries_however_many_metrics_and_values(strategy, django_assert_num_queries):
    for _n in range(5):
        add_values(factories.MetricFactory(strategy=strategy), STABLE * 3)
    with django_assert_num_queries(2):
        summaries = selectors.metric_summaries(strategy)
        assert sum(len(s.values) for s in summaries) == 180
        assert all(s.metric.strategy.name for s in summaries)
        assert all(s.special_causes is not None for s in summaries)


@pytest.mark.django_db
def test_metric_detail_takes_two_queries_and_404s_for_another_strategy(strategy, django_assert_num_queries):
    metric = factories.MetricFactory(strategy=strategy, key="falls")
    add_values(metric, STABLE)
    with django_assert_num_queries(2):
        summary = selectors.metric_detail("better-care", "falls")
    assert len(summary.rows) == 12
    factories.StrategyFactory(slug="other")
    with pytest.raises(Http404):
        selectors.metric_detail("other", "falls")


@pytest.mark.django_db
def test_a_value_marked_recalculate_starts_a_new_segment(strategy):
    metric = factories.MetricFactory(strategy=strategy)
    add_values(metric, STABLE + [x - 10 for x in STABLE])
    MetricValue.objects.filter(metric=metric, date=month(12)).update(recalculate_limits=True)
    summary = selectors.metric_detail(strategy.slug, metric.key)
    assert [(s.start, s.end) for s in summary.analysis.segments] == [(0, 12), (12, 24)]
    # The second segment is the first shifted down by 10: mean 11.75, same MR̄ 3.
    assert summary.analysis.mean == pytest.approx(11.75)
    assert "limits recalculated from Apr 2023" in summary.description


@pytest.mark.django_db
def test_fewer_than_twelve_values_is_a_run_chart_with_words_instead_of_icons(strategy):
    metric = factories.MetricFactory(strategy=strategy, improvement=Improvement.UP, target=Decimal(20))
    add_values(metric, STABLE[:11])
    [summary] = selectors.metric_summaries(strategy)
    assert summary.is_run_chart
    assert summary.variation is None and summary.assurance is None
    assert summary.variation_label == "Too few points for SPC limits: a run chart (11 of 12 points)"
    assert summary.assurance_label == summary.variation_label
    assert "Run chart" in summary.description and "no process limits" in summary.description


@pytest.mark.django_db
def test_assurance_words_say_why_there_is_no_icon(strategy):
    no_target = factories.MetricFactory(strategy=strategy, name="A", improvement=Improvement.UP)
    neither = factories.MetricFactory(strategy=strategy, name="B", improvement=Improvement.NEITHER, target=5)
    add_values(no_target, STABLE)
    add_values(neither, STABLE)
    first, second = selectors.metric_summaries(strategy)
    assert first.assurance_label == "No target set"
    assert second.assurance_label == "No assurance: neither direction is an improvement"


@pytest.mark.django_db
def test_a_metric_without_values_has_an_empty_summary(strategy):
    factories.MetricFactory(strategy=strategy, name="New")
    [summary] = selectors.metric_summaries(strategy)
    assert summary.latest is None and summary.latest_text == "" and summary.rows == ()
    assert summary.description == "New: no values have been entered yet."
    assert summary.special_causes == []


@pytest.mark.django_db
def test_special_causes_are_explained_in_words(strategy):
    # 11 values alternating 20/22 then 33 (test_spc.py: mean 21.917, upper limit 29.897).
    metric = factories.MetricFactory(strategy=strategy, improvement=Improvement.DOWN)
    add_values(metric, [20, 22] * 5 + [20, 33])
    summary = selectors.metric_detail(strategy.slug, metric.key)
    [cause] = summary.special_causes
    assert cause.kind == "concern"
    # Whole-number data: limits print with one decimal place.
    assert cause.text == "Mar 2023: 33 is above the upper process limit (29.9) – a concern."
    assert summary.rows[11].reasons == ("above the upper process limit",)


@pytest.mark.django_db
def test_a_shift_is_one_sentence_naming_its_span(strategy):
    # 6 points at 10 then 8 points at 14, with a little noise so the moving ranges are not 0:
    # values 10,11,10,11,10,11 then 14,15,14,15,14,15,14,15. mean = (63 + 116) / 14 = 12.786,
    # the 8 high points are a shift above the mean (the 6 low ones are not: 6 < 7).
    metric = factories.MetricFactory(strategy=strategy, improvement=Improvement.UP)
    add_values(metric, [10, 11] * 3 + [14, 15] * 4)
    texts = [c.text for c in selectors.metric_detail(strategy.slug, metric.key).special_causes]
    assert "Oct 2022 to May 2023: 8 points in a row above the mean (12.8), a shift – an improvement." in texts


@pytest.mark.django_db
def test_a_trend_is_one_sentence_naming_its_direction(strategy):
    # 20,21,20,21 then strictly falling 20,19,…,13: from the 21 at index 3 (Jul 2022) every value
    # is lower than the one before – 9 points, a falling trend; lower is better.
    metric = factories.MetricFactory(strategy=strategy, improvement=Improvement.DOWN)
    add_values(metric, [20, 21, 20, 21, 20, 19, 18, 17, 16, 15, 14, 13])
    texts = [c.text for c in selectors.metric_detail(strategy.slug, metric.key).special_causes]
    assert any(
        t.startswith("Jul 2022 to Mar 2023: 9 points in a row each lower than the one before, a falling trend")
        and t.endswith("an improvement.")
        for t in texts
    )


@pytest.mark.django_db
def test_quarterly_metrics_are_labelled_by_quarter(strategy):
    metric = factories.MetricFactory(strategy=strategy, frequency=Frequency.QUARTERLY)
    MetricValue.objects.create(metric=metric, date=datetime.date(2024, 7, 1), value=3)
    assert selectors.metric_detail(strategy.slug, metric.key).latest_label == "Q2 2024/25"


@pytest.mark.parametrize(
    "number, decimals, text",
    [
        (Decimal("7.9000"), None, "7.9"),
        (Decimal("1234.5000"), None, "1,234.5"),
        (Decimal("97.0000"), None, "97"),
        (Decimal("620.0000"), None, "620"),
        (Decimal("1715"), None, "1,715"),
        (Decimal("0.0005"), None, "0.0005"),
        (Decimal("-3"), None, "-3"),
        (21.75, 1, "21.8"),
        (29.896667, 2, "29.90"),
        (None, None, ""),
    ],
)
def test_numbers_print_without_trailing_zeros(number, decimals, text):
    assert analysis.format_number(number, decimals=decimals) == text


@pytest.mark.parametrize(
    "text, frequency, expected",
    [
        ("01/04/2023", Frequency.MONTHLY, datetime.date(2023, 4, 1)),  # Excel, UK day/month/year
        ("1/4/2023", Frequency.MONTHLY, datetime.date(2023, 4, 1)),
        ("2023-04-01", Frequency.MONTHLY, datetime.date(2023, 4, 1)),
        ("2023-04", Frequency.MONTHLY, datetime.date(2023, 4, 1)),
        ("04/2023", Frequency.MONTHLY, datetime.date(2023, 4, 1)),
        ("Apr 2023", Frequency.MONTHLY, datetime.date(2023, 4, 1)),
        ("April 2023", Frequency.MONTHLY, datetime.date(2023, 4, 1)),
        ("Apr-23", Frequency.MONTHLY, datetime.date(2023, 4, 1)),
        (" sept 2023 ", Frequency.MONTHLY, datetime.date(2023, 9, 1)),
        ("01/10/2023", Frequency.QUARTERLY, datetime.date(2023, 10, 1)),
        ("Q3 2023/24", Frequency.QUARTERLY, datetime.date(2023, 10, 1)),
        ("2024-q4", Frequency.QUARTERLY, datetime.date(2025, 1, 1)),
    ],
)
def test_dates_are_read_as_people_write_them(text, frequency, expected):
    assert parsing.parse_value_date(text, frequency) == expected


@pytest.mark.parametrize(
    "text, frequency, message",
    [
        ("", Frequency.MONTHLY, "Enter a date, for example 01/04/2023 or Apr 2023"),
        ("31/02/2023", Frequency.MONTHLY, '"31/02/2023" is not a date: write it as 01/04/2023 or Apr 2023'),
        ("next month", Frequency.MONTHLY, '"next month" is not a date'),
        ("Aprilis 2023", Frequency.MONTHLY, "is not a date"),
        (
            "15/04/2023",
            Frequency.MONTHLY,
            '"15/04/2023" is not the first day of a month: monthly values are dated by the month\'s first day (01/04/2023)',
        ),
        ("Q1 2023/24", Frequency.MONTHLY, "is not a date"),  # a monthly metric needs a month
        (
            "01/05/2023",
            Frequency.QUARTERLY,
            "is not the first day of a quarter: quarterly values are dated by the quarter's first day "
            "(01/04/2023 for Q1 2023/24)",
        ),
    ],
)
def test_bad_dates_say_what_to_write(text, frequency, message):
    with pytest.raises(ValueError, match=None) as raised:
        parsing.parse_value_date(text, frequency)
    assert message in str(raised.value)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("7.9", Decimal("7.9")),
        ("-3", Decimal("-3")),
        ("1,234.5", Decimal("1234.5")),
        ("97%", Decimal("97")),
        (" 0.123456 ", Decimal("0.1235")),
        ("1e3", Decimal("1000")),
    ],
)
def test_numbers_are_read_from_cells(text, expected):
    assert parsing.parse_value_number(text) == expected


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "Enter a value"),
        ("seven", '"seven" is not a number'),
        ("NaN", '"NaN" is not a number'),
        ("1,23", '"1,23" is not a number'),
        ("1e12", "is too large"),
    ],
)
def test_bad_numbers_say_what_was_wrong(text, message):
    with pytest.raises(ValueError) as raised:
        parsing.parse_value_number(text)
    assert message in str(raised.value)

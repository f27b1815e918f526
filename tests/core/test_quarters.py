from datetime import date

import pytest

from goals.core.quarters import Quarter, deadline_text, parse_quarter, quarter_boundaries, quarter_of


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2024, 3, 31), Quarter(2023, 4)),  # last day of FY 2023/24
        (date(2024, 4, 1), Quarter(2024, 1)),  # first day of FY 2024/25
        (date(2024, 6, 30), Quarter(2024, 1)),
        (date(2024, 7, 1), Quarter(2024, 2)),
        (date(2024, 12, 31), Quarter(2024, 3)),
        (date(2025, 1, 1), Quarter(2024, 4)),  # January belongs to the FY that started last April
    ],
)
def test_quarter_of_follows_the_nhs_financial_year(day, expected):
    assert quarter_of(day) == expected


def test_q4_runs_january_to_march_of_the_next_calendar_year():
    assert quarter_boundaries(2024, 4) == (date(2025, 1, 1), date(2025, 3, 31))
    assert quarter_boundaries(2023, 4) == (date(2024, 1, 1), date(2024, 3, 31))  # 2024 is a leap year: still 31 March


def test_q1_runs_april_to_june():
    assert quarter_boundaries(2023, 1) == (date(2023, 4, 1), date(2023, 6, 30))


def test_labels_and_slugs():
    q = Quarter(2024, 2)
    assert q.label == "Q2 2024/25"
    assert q.slug == "2024-Q2"
    assert Quarter(1999, 4).label == "Q4 1999/00"
    assert Quarter(2023, 1).months_label == "Apr, May and Jun 23"
    assert Quarter(2024, 4).months_label == "Jan, Feb and Mar 25"


def test_next_and_previous_cross_the_year_boundary():
    assert Quarter(2024, 4).next() == Quarter(2025, 1)
    assert Quarter(2025, 1).previous() == Quarter(2024, 4)
    assert Quarter(2024, 2).next().previous() == Quarter(2024, 2)


def test_quarters_sort_in_time_order():
    assert sorted([Quarter(2025, 1), Quarter(2024, 4), Quarter(2024, 1)]) == [
        Quarter(2024, 1),
        Quarter(2024, 4),
        Quarter(2025, 1),
    ]


@pytest.mark.parametrize("text", ["2024-Q2", "Q2 2024/25", " Q2 2024/2025 "])
def test_parse_accepts_slugs_and_labels(text):
    assert parse_quarter(text) == Quarter(2024, 2)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2024-Q5", "write it as 2024-Q2 or Q2 2024/25"),
        ("Q2 2024", "write it as 2024-Q2 or Q2 2024/25"),
        ("", "is not a quarter"),
        ("Q2 2024/26", "2024 is followed by 2025 (write Q2 2024/25)"),
    ],
)
def test_parse_refuses_with_a_clear_message(text, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_quarter(text)


def test_quarter_number_is_validated():
    with pytest.raises(ValueError, match="quarter must be 1 to 4"):
        Quarter(2024, 0)


@pytest.mark.parametrize(
    ("days_left", "expected"),
    [
        (7, "deadline Friday 17 January 2025 (7 days left)"),
        (1, "deadline Friday 17 January 2025 (1 day left)"),
        (0, "due today"),
        (-2, "the deadline (17 January 2025) has passed"),
        (None, "no deadline set"),
    ],
)
def test_the_deadline_sentence_is_the_same_for_pages_and_emails(days_left, expected):
    assert deadline_text(date(2025, 1, 17), days_left) == expected
    assert deadline_text(None, None) == "no deadline set"

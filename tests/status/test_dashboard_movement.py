"""Movement since the previous quarter as the status pages compute it: the database expression
(used to filter and sort) must agree with goals.core.movement.rag_movement for every pair of ratings,
including actions with no update the quarter before."""

from itertools import product

import pytest

from goals.core.choices import NOT_RATED, RAG, PeriodState, UpdateState
from goals.core.movement import Movement, rag_movement
from goals.core.quarters import Quarter
from goals.status.shared import action_rows, status_period
from tests import factories

RATINGS = [*RAG.values, NOT_RATED]


@pytest.mark.django_db
def test_the_database_movement_agrees_with_rag_movement_for_every_pair_of_ratings():
    strategy = factories.StrategyFactory(slug="pairs")
    objective = factories.ObjectiveFactory(goal=factories.GoalFactory(strategy=strategy))
    q1 = factories.PeriodFactory(strategy=strategy, year=2024, quarter=1, state=PeriodState.PUBLISHED)
    q2 = factories.PeriodFactory(strategy=strategy, year=2024, quarter=2, state=PeriodState.PUBLISHED)
    expected = {}
    for number, (before, now) in enumerate(product(RATINGS, RATINGS), start=1):
        action = factories.ActionFactory(objective=objective, number=number)
        if before:
            factories.ActionUpdateFactory(action=action, period=q1, rag=before, rag_reason="Why.")
        if now:
            factories.ActionUpdateFactory(action=action, period=q2, rag=now, rag_reason="Why.")
        expected[action.pk] = rag_movement(before, now)
    rows = action_rows(status_period("pairs", Quarter(2024, 2)))
    assert dict(rows.values_list("pk", "movement")) == expected
    assert len(expected) == 25


@pytest.mark.django_db
def test_an_action_without_an_update_last_quarter_is_new(rated):
    rows = {r.pk: r for r in action_rows(status_period("better-care", Quarter(2024, 2)))}
    assert rows[rated.new.pk].previous_rag == NOT_RATED
    assert rows[rated.new.pk].movement == Movement.NEW


@pytest.mark.django_db
def test_a_draft_last_quarter_does_not_count_as_a_rating(rated):
    # Q3: the Q2 draft of "draft" is not a rating, so its Q3 Green is new, not an improvement.
    factories.ActionUpdateFactory(action=rated.draft, period=rated.q3, rag=RAG.GREEN, state=UpdateState.SUBMITTED)
    rows = {r.pk: r for r in action_rows(status_period("better-care", Quarter(2024, 3)))}
    assert rows[rated.draft.pk].movement == Movement.NEW


@pytest.mark.django_db
def test_a_draft_or_missing_update_this_quarter_is_not_rated(rated):
    rows = {r.pk: r for r in action_rows(status_period("better-care", Quarter(2024, 2)))}
    assert (rows[rated.draft.pk].rag, rows[rated.draft.pk].update_state) == (NOT_RATED, UpdateState.DRAFT)
    assert (rows[rated.missing.pk].rag, rows[rated.missing.pk].update_state) == (NOT_RATED, "missing")
    assert rows[rated.draft.pk].movement == rows[rated.missing.pk].movement == Movement.NOT_RATED


@pytest.mark.django_db
def test_movement_is_measured_against_the_calendar_quarter_before_not_the_last_report(rated):
    # Q4 2024/25 follows Q3, where nothing was reported: Red in Q2 and Q4 is "new", not "unchanged".
    q4 = factories.PeriodFactory(strategy=rated.strategy, year=2024, quarter=4, state=PeriodState.OPEN)
    factories.ActionUpdateFactory(action=rated.worse, period=q4, rag=RAG.RED, rag_reason="Still late.")
    rows = {r.pk: r for r in action_rows(status_period("better-care", Quarter(2024, 4)))}
    assert rows[rated.worse.pk].movement == Movement.NEW


@pytest.mark.django_db
def test_each_action_is_one_row_however_many_quarters_it_has(rated):
    rows = list(action_rows(status_period("better-care", Quarter(2024, 2))).values_list("pk", flat=True))
    assert len(rows) == len(set(rows)) == 8

"""The heat map: goals and objectives × the last eight quarters, each cell the worst reported
rating with its letter, in a real table with headers."""

import pytest
from django.urls import reverse

from goals.core.choices import RAG, PeriodState, UpdateState
from goals.core.quarters import Quarter
from goals.status.heat_map import heat_map
from tests import factories


@pytest.mark.django_db
def test_each_cell_shows_the_worst_reported_rating_of_its_actions(rated):
    data = heat_map(slug="better-care", quarter=Quarter(2024, 2))
    assert [p.label for p in data.periods] == ["Q1 2024/25", "Q2 2024/25"]
    rows = {row.title: row for row in data.rows}
    assert [row.kind for row in data.rows] == ["goal", "objective", "goal", "objective"]
    assert [c.rag for c in rows["Access"].cells] == [RAG.RED, RAG.RED]
    assert [c.rag for c in rows["Safety"].cells] == [RAG.GREEN, RAG.BLUE]
    assert rows["Access"].cells[1].summary == "1 Red, 2 Amber, 2 Green"


@pytest.mark.django_db
def test_a_quarter_with_nothing_reported_is_not_rated(rated):
    data = heat_map(slug="better-care", quarter=Quarter(2024, 3))
    assert [c.rag for c in data.rows[0].cells] == [RAG.RED, RAG.RED, ""]
    assert data.rows[0].cells[2].summary == "No reported ratings"


@pytest.mark.django_db
def test_drafts_do_not_colour_the_heat_map(rated):
    factories.ActionUpdateFactory(action=rated.complete, period=rated.q3, rag=RAG.RED, state=UpdateState.DRAFT)
    data = heat_map(slug="better-care", quarter=Quarter(2024, 3))
    assert data.rows[2].cells[2].rag == ""


@pytest.mark.django_db
def test_it_shows_at_most_the_last_eight_quarters_ending_with_the_chosen_one():
    strategy = factories.StrategyFactory(slug="long")
    objective = factories.ObjectiveFactory(goal=factories.GoalFactory(strategy=strategy))
    action = factories.ActionFactory(objective=objective)
    quarter = Quarter(2021, 1)
    for _ in range(10):
        period = factories.PeriodFactory(
            strategy=strategy, year=quarter.year, quarter=quarter.quarter, state=PeriodState.PUBLISHED
        )
        factories.ActionUpdateFactory(action=action, period=period)
        quarter = quarter.next()
    data = heat_map(slug="long", quarter=Quarter(2023, 2))
    assert [p.slug for p in data.periods] == [
        "2021-Q3",
        "2021-Q4",
        "2022-Q1",
        "2022-Q2",
        "2022-Q3",
        "2022-Q4",
        "2023-Q1",
        "2023-Q2",
    ]


@pytest.mark.django_db
def test_the_page_is_a_table_with_row_and_column_headers_and_letters(client, director, rated):
    client.force_login(director)
    content = client.get(
        reverse("goals:heat_map", kwargs={"slug": "better-care", "quarter": "2024-Q2"})
    ).content.decode()
    assert '<th scope="col" class="nhsuk-table__header app-heat-map__quarter">' in content
    assert content.count('<th scope="row"') == 4
    assert '<span aria-hidden="true">R</span><span class="nhsuk-u-visually-hidden">Red</span>' in content
    assert "(1 Red, 2 Amber, 2 Green)" in content
    assert reverse("goals:heat_map_latest", kwargs={"slug": "better-care"}) in content  # the quarter switcher

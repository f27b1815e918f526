"""The action table: one RAG column class drawn with the RAG tag include, SROs named as they
were that quarter, sortable in the database (RAG worst first) and paginated."""

import pytest
from django.db import connection
from django.http import QueryDict
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tables2 import RequestConfig

from goals.core.quarters import Quarter
from goals.status.action_list import action_list
from goals.status.dashboard import strategy_dashboard
from goals.status.tables import ActionTable, RagColumn
from tests import factories


def table_for(query: str, **kwargs) -> ActionTable:
    listed = action_list(QueryDict(query))
    table = ActionTable(listed.queryset, people=listed.people, caption="Actions")
    RequestConfig(RequestFactory().get("/actions/", QueryDict(query)), **kwargs).configure(table)
    return table


def test_the_rag_column_draws_the_tag_with_its_word_and_says_not_rated_for_empty():
    column = RagColumn()
    assert str(column.render("amber")).strip() == '<strong class="nhsuk-tag nhsuk-tag--yellow">Amber</strong>'
    assert "Not rated" in str(column.render(""))
    assert column.value("red") == "Red"


def test_a_compact_rag_column_prints_the_letter_and_keeps_the_word_for_screen_readers():
    html = str(RagColumn(compact=True).render("green"))
    assert '<span aria-hidden="true">G</span><span class="nhsuk-u-visually-hidden">Green</span>' in html


@pytest.mark.django_db
def test_rows_name_sros_as_they_were_that_quarter(rated):
    table = table_for("strategy=better-care&quarter=2024-Q2&rag=red")
    row = table.paginated_rows[0]
    assert row.get_cell("sros") == "Sharon Murphy, Director of Finance"
    assert "Sharon Murphy, Director of Finance" in table.as_html(RequestFactory().get("/actions/"))


@pytest.mark.django_db
def test_sorting_by_rag_puts_red_first_then_amber(rated):
    table = table_for("strategy=better-care&quarter=2024-Q2&sort=rag")
    assert [r.record.rag for r in table.paginated_rows][:4] == ["red", "amber", "amber", ""]
    reverse_table = table_for("strategy=better-care&quarter=2024-Q2&sort=-rag")
    assert reverse_table.paginated_rows[0].record.rag == "blue"


@pytest.mark.django_db
@pytest.mark.parametrize("column", ["number", "title", "movement", "update_state"])
def test_every_orderable_column_sorts_in_the_database(rated, column):
    table = table_for(f"strategy=better-care&quarter=2024-Q2&sort={column}")
    assert len(table.paginated_rows) == 8


@pytest.mark.django_db
def test_the_list_is_paginated_25_to_a_page(client, director, rated):
    for number in range(30):
        factories.ActionFactory(objective=rated.objectives[1], number=100 + number)
    client.force_login(director)
    response = client.get(reverse("goals:action_list"), {"strategy": "better-care", "page": 2})
    table = response.context["table"]
    assert table.paginator.count == 38
    assert len(table.page.object_list) == 13
    assert 'aria-label="Page 1"' in response.content.decode()


@pytest.mark.django_db
def test_the_same_table_draws_the_dashboards_lists(rated):
    data = strategy_dashboard(slug="better-care", quarter=Quarter(2024, 2))
    table = ActionTable(
        data.red_and_amber.rows,
        people=data.people,
        orderable=False,
        exclude=("number", "previous_rag", "movement", "update_state"),
    )
    html = table.as_html(RequestFactory().get("/"))
    assert "The contractor went bust" in html
    assert f'href="{rated.worse.get_absolute_url()}"' in html
    assert "Waits" in html  # the objective, under the title


@pytest.mark.django_db
def test_user_text_in_the_table_is_escaped(rated):
    rated.worse.title = "<script>alert(1)</script>"
    rated.worse.save()
    html = table_for("strategy=better-care&quarter=2024-Q2").as_html(RequestFactory().get("/"))
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.django_db
def test_the_unfiltered_count_leaves_out_archived_actions_without_an_update_that_quarter(client, director, rated):
    from django.utils import timezone

    type(rated.missing).objects.filter(pk__in=[rated.missing.pk, rated.worse.pk]).update(archived_at=timezone.now())
    client.force_login(director)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("goals:action_list"), {"strategy": "better-care", "quarter": "2024-Q2"})
    table = response.context["table"]
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"]]
    assert len(counts) == 1 and "LEFT OUTER JOIN" not in counts[0]  # counted without the quarter's joins
    assert table.paginator.count == len(table.paginated_rows) == 7  # 8 actions; the archived one without an update goes
    assert rated.worse.pk in [row.record.pk for row in table.paginated_rows]

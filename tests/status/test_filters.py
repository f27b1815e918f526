"""The action list's filters, one test each: strategy, quarter, goal, objective, SRO, lead, RAG,
movement, update state and free text; each kept in the URL and combinable."""

import pytest
from django.http import QueryDict
from django.urls import reverse

from goals.status.action_list import action_list
from tests import factories


def titles(query: str) -> list[str]:
    return [a.title for a in action_list(QueryDict(query)).queryset]


ALL_Q2 = [
    "Open a single point of access",
    "Cut waiting lists",
    "Recruit more therapists",
    "Show waiting times online",
    "Review referral criteria",
    "Digital letters",
    "Text reminders",
    "Falls collaborative",
]


@pytest.mark.django_db
def test_without_filters_every_action_of_the_strategy_is_listed_in_strategy_order(rated):
    assert titles("strategy=better-care&quarter=2024-Q2") == ALL_Q2


@pytest.mark.django_db
def test_strategy_chooses_whose_actions_are_listed(rated):
    other = factories.StrategyFactory(name="Another Strategy", slug="another")
    factories.PeriodFactory(strategy=other, year=2024, quarter=2)
    factories.ActionFactory(
        objective=factories.ObjectiveFactory(goal=factories.GoalFactory(strategy=other)), title="Someone else's action"
    )
    assert titles("strategy=another") == ["Someone else's action"]
    assert "Someone else's action" not in titles("strategy=better-care")


@pytest.mark.django_db
def test_without_a_strategy_the_first_by_name_is_shown_and_an_unknown_one_is_an_error(rated):
    assert action_list(QueryDict("")).status.strategy.slug == "better-care"
    listed = action_list(QueryDict("strategy=nope"))
    assert listed.status.strategy.slug == "better-care"
    assert "strategy" in listed.filterset.form.errors


@pytest.mark.django_db
def test_quarter_chooses_which_quarters_ratings_are_shown(rated):
    q1 = {a.title: a.rag for a in action_list(QueryDict("strategy=better-care&quarter=2024-Q1")).queryset}
    q2 = {a.title: a.rag for a in action_list(QueryDict("strategy=better-care&quarter=2024-Q2")).queryset}
    assert q1["Open a single point of access"] == "green"
    assert q2["Open a single point of access"] == "red"


@pytest.mark.django_db
def test_without_a_quarter_the_latest_with_reported_data_is_used(rated):
    assert action_list(QueryDict("strategy=better-care")).status.period == rated.q2
    unknown = action_list(QueryDict("strategy=better-care&quarter=2030-Q1"))
    assert unknown.status.period == rated.q2
    assert "quarter" in unknown.filterset.form.errors


@pytest.mark.django_db
def test_goal_filter(rated):
    assert titles("strategy=better-care&quarter=2024-Q2&goal=quality") == ["Falls collaborative"]


@pytest.mark.django_db
def test_objective_filter(rated):
    waits, safety = rated.objectives
    assert titles(f"strategy=better-care&quarter=2024-Q2&objective={safety.pk}") == ["Falls collaborative"]
    assert len(titles(f"strategy=better-care&quarter=2024-Q2&objective={waits.pk}")) == 7


@pytest.mark.django_db
def test_sro_filter(rated):
    assert titles("strategy=better-care&quarter=2024-Q2&sro=paul") == [
        "Cut waiting lists",
        "Show waiting times online",
        "Review referral criteria",
        "Falls collaborative",
    ]


@pytest.mark.django_db
def test_lead_filter(rated):
    assert titles("strategy=better-care&quarter=2024-Q2&lead=lee") == [
        "Open a single point of access",
        "Falls collaborative",
    ]


@pytest.mark.django_db
def test_rag_filter_takes_several_ratings_and_not_rated(rated):
    assert titles("strategy=better-care&quarter=2024-Q2&rag=red&rag=amber") == [
        "Open a single point of access",
        "Recruit more therapists",
        "Show waiting times online",
    ]
    assert titles("strategy=better-care&quarter=2024-Q2&rag=not_rated") == ["Digital letters", "Text reminders"]


@pytest.mark.django_db
def test_movement_filter(rated):
    assert titles("strategy=better-care&quarter=2024-Q2&movement=deteriorated") == ["Open a single point of access"]
    assert titles("strategy=better-care&quarter=2024-Q2&movement=new&movement=unchanged") == [
        "Recruit more therapists",
        "Show waiting times online",
    ]


@pytest.mark.django_db
def test_update_state_filter_includes_missing_updates(rated):
    assert titles("strategy=better-care&quarter=2024-Q2&state=submitted") == ["Review referral criteria"]
    assert titles("strategy=better-care&quarter=2024-Q2&state=missing&state=draft") == [
        "Digital letters",
        "Text reminders",
    ]


@pytest.mark.django_db
def test_free_text_searches_titles_and_reported_update_text_but_not_drafts(rated):
    assert titles("strategy=better-care&quarter=2024-Q2&q=contractor") == ["Open a single point of access"]
    assert titles("strategy=better-care&quarter=2024-Q2&q=WAITING") == [
        "Cut waiting lists",
        "Show waiting times online",
    ]
    assert titles("strategy=better-care&quarter=2024-Q2&q=Digital letters: Q2") == []  # the draft's text


@pytest.mark.django_db
def test_filters_combine(rated):
    assert titles("strategy=better-care&quarter=2024-Q2&sro=sharon&rag=amber&rag=red&movement=deteriorated") == [
        "Open a single point of access",
    ]


@pytest.mark.django_db
def test_choices_offer_only_this_strategys_goals_objectives_and_quarters(rated):
    form = action_list(QueryDict("strategy=better-care")).filterset.form
    assert [v for v, _ in form.fields["goal"].choices] == ["", "access", "quality"]
    assert [v for v, _ in form.fields["quarter"].choices] == ["2024-Q3", "2024-Q2", "2024-Q1"]


@pytest.mark.django_db
def test_sro_and_lead_are_typed_not_chosen_from_a_list_of_people(client, director, rated):
    client.force_login(director)
    content = client.get(reverse("goals:action_list"), {"strategy": "better-care"}).content.decode()
    for name in ("sro", "lead"):
        assert f'<input type="text" name="{name}"' in content
        assert f'<select name="{name}"' not in content
    assert "Type part of a name" in content
    assert "Paul Sheldon" not in content.split("<table")[0]  # no option per person


@pytest.mark.django_db
def test_sro_and_lead_filters_match_part_of_a_name_in_any_case(rated):
    assert titles("strategy=better-care&quarter=2024-Q2&sro=SHEL") == titles(
        "strategy=better-care&quarter=2024-Q2&sro=paul"
    )
    assert titles("strategy=better-care&quarter=2024-Q2&lead=ee le") == titles(
        "strategy=better-care&quarter=2024-Q2&lead=lee"
    )
    assert titles("strategy=better-care&quarter=2024-Q2&sro=%20%20") == titles("strategy=better-care&quarter=2024-Q2")


@pytest.mark.django_db
def test_a_person_of_another_strategy_matches_no_action_here(rated):
    factories.ActionFactory(sros=[factories.PersonFactory(key="stranger", name="A Stranger")])
    assert titles("strategy=better-care&quarter=2024-Q2&sro=stranger") == []
    assert titles("strategy=better-care&quarter=2024-Q2&sro=A Stranger") == []


@pytest.mark.django_db
def test_a_name_that_matches_nobody_says_so_in_words(client, director, rated):
    client.force_login(director)
    response = client.get(reverse("goals:action_list"), {"strategy": "better-care", "sro": "Nobody"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "No actions match." in content
    assert "0 actions match the filters." in content
    assert response.context["filterset"].summary == [("SRO", "Name contains “Nobody”")]
    assert 'name="sro" value="Nobody"' in content  # kept in the field to correct it


@pytest.mark.django_db
def test_filters_stay_in_the_url_of_sort_page_and_download_links(client, director, rated):
    client.force_login(director)
    response = client.get(
        reverse("goals:action_list"), {"strategy": "better-care", "quarter": "2024-Q2", "rag": "amber"}
    )
    content = response.content.decode()
    assert "2 actions match the filters." in content
    assert "?strategy=better-care&amp;quarter=2024-Q2&amp;rag=amber&amp;sort=rag" in content
    assert f"{reverse('goals:action_list_csv')}?strategy=better-care&amp;quarter=2024-Q2&amp;rag=amber" in content
    assert 'name="rag" value="amber" class="nhsuk-checkboxes__input" id="id_rag-2" checked>' in content


@pytest.mark.django_db
def test_bad_filter_values_are_reported_next_to_the_field(client, director, rated):
    client.force_login(director)
    content = client.get(reverse("goals:action_list"), {"strategy": "better-care", "rag": "purple"}).content.decode()
    assert "There is a problem" in content
    assert "Select a valid choice" in content


@pytest.mark.django_db
def test_the_page_says_which_filters_are_on_in_words(client, director, rated):
    client.force_login(director)
    response = client.get(
        reverse("goals:action_list"), {"strategy": "better-care", "rag": ["red", "amber"], "sro": "paul", "q": "waits"}
    )
    assert response.context["filterset"].summary == [
        ("Search", "waits"),
        ("RAG rating", "Red, Amber"),
        ("SRO", "Paul Sheldon, Medical Director"),
    ]
    assert "Paul Sheldon, Medical Director</dd>" in response.content.decode()

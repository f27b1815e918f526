"""Every RAG status page is read-only: sign-in required, GET only (POST answers 405 and changes
nothing), and a director sees no edit controls."""

import re

import pytest
from django.urls import reverse

from goals.models import ActionUpdate

# A link or button whose text starts with an editing verb ("Edit", "Approve", …).
EDIT_CONTROL = re.compile(r">\s*(Edit|Change|Approve|Return|Delete|Write|Submit|Lock|Publish)\b")

PAGES = {
    "dashboard": lambda: reverse("goals:dashboard", kwargs={"slug": "better-care", "quarter": "2024-Q2"}),
    "dashboard_latest": lambda: reverse("goals:dashboard_latest", kwargs={"slug": "better-care"}),
    "heat_map": lambda: reverse("goals:heat_map", kwargs={"slug": "better-care", "quarter": "2024-Q2"}),
    "heat_map_latest": lambda: reverse("goals:heat_map_latest", kwargs={"slug": "better-care"}),
    "risks": lambda: reverse("goals:risks", kwargs={"slug": "better-care", "quarter": "2024-Q2"}),
    "risks_latest": lambda: reverse("goals:risks_latest", kwargs={"slug": "better-care"}),
    "risk_history": lambda: reverse("goals:risk_history", kwargs={"slug": "better-care", "number": "01"}),
    "action_list": lambda: reverse("goals:action_list") + "?strategy=better-care&quarter=2024-Q2",
    "action_list_csv": lambda: reverse("goals:action_list_csv") + "?strategy=better-care",
    "action_list_xlsx": lambda: reverse("goals:action_list_xlsx") + "?strategy=better-care",
}


@pytest.fixture
def with_risk(rated):
    from tests import factories

    risk = factories.RiskFactory(strategy=rated.strategy, number="01")
    factories.RiskScoreFactory(risk=risk, period=rated.q2, score=12)
    return rated


@pytest.mark.django_db
@pytest.mark.parametrize("page_name", sorted(PAGES))
def test_anonymous_users_are_sent_to_sign_in(client, with_risk, page_name):
    url = PAGES[page_name]()
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{reverse('login')}?next=")


@pytest.mark.django_db
@pytest.mark.parametrize("page_name", sorted(PAGES))
def test_posting_to_a_status_page_is_refused_and_changes_nothing(client, director, with_risk, page_name):
    client.force_login(director)
    before = list(ActionUpdate.objects.order_by("pk").values_list("pk", "rag", "state", "version"))
    assert client.post(PAGES[page_name](), {"rag": "red", "state": "approved"}).status_code == 405
    assert list(ActionUpdate.objects.order_by("pk").values_list("pk", "rag", "state", "version")) == before


@pytest.mark.django_db
@pytest.mark.parametrize("page_name", ["dashboard", "heat_map", "risks", "risk_history", "action_list"])
def test_a_director_sees_no_edit_controls(client, director, with_risk, page_name):
    client.force_login(director)
    content = client.get(PAGES[page_name]()).content.decode()
    # The only POST form on the page is the header's "Sign out".
    assert content.count('method="post"') == 1 and 'action="/logout/"' in content
    assert not EDIT_CONTROL.search(content)
    assert 'method="get"' in content or page_name == "risk_history"


@pytest.mark.django_db
def test_a_director_sees_no_edit_controls_on_the_action_page_either(client, director, rated):
    client.force_login(director)
    content = client.get(rated.worse.get_absolute_url()).content.decode()
    assert content.count('method="post"') == 1
    assert not EDIT_CONTROL.search(content)

"""The action list reads only what its page shows: the same size of page however many actions the
strategy has beyond it, filter lists limited to the strategy's own SROs and leads, and HTML
compressed for browsers that accept it."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from benchmarks.generator import generate_trust
from goals.models import Person


def _page(client, trust) -> str:
    url = f"{reverse('goals:action_list')}?strategy={trust.strategy.slug}&quarter={trust.periods[-2].slug}"
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_the_page_is_the_same_size_with_ten_times_the_actions(client, director):
    client.force_login(director)
    shape = {"goals": 2, "objectives_per_goal": 2, "quarters": 2, "people": 10}
    small = generate_trust(**shape, actions_per_objective=10, slug="small-trust")
    large = generate_trust(**shape, actions_per_objective=100, slug="large-trust", seed=2)
    small_page, large_page = _page(client, small), _page(client, large)
    # Only the totals, longer action numbers and the pagination's page links differ.
    assert abs(len(large_page) - len(small_page)) < len(small_page) * 0.03
    assert large_page.count("<tr") == small_page.count("<tr")


@pytest.mark.django_db
def test_the_sros_and_leads_of_the_pages_rows_only_are_read(client, director):
    client.force_login(director)
    trust = generate_trust(goals=2, objectives_per_goal=2, actions_per_objective=20, quarters=2, slug="rows")
    with CaptureQueriesContext(connection) as queries:
        _page(client, trust)
    links = [q["sql"] for q in queries if "_sros" in q["sql"] and '"action_id", ' in q["sql"].replace("`", '"')]
    assert len(links) == 1  # one query for both SROs and leads, of the 25 rows shown
    assert [len(ids.split(",")) for ids in re.findall(r"IN \(([^)]*)\)", links[0])] == [25, 25]


@pytest.mark.django_db
def test_the_sro_and_lead_lists_hold_only_the_strategys_people(client, director):
    client.force_login(director)
    trust = generate_trust(goals=1, objectives_per_goal=1, actions_per_objective=4, quarters=2, people=4, slug="ours")
    Person.objects.create(key="someone-else", name="Someone Else")  # an SRO of nothing here
    page = _page(client, trust)
    options = set(re.findall(r'<option value="([^"]*)"', page))
    assert {p.key for p in trust.people} <= options
    assert "someone-else" not in options


@pytest.mark.django_db
def test_html_is_compressed_and_static_files_cached_long(client, director):
    client.force_login(director)
    trust = generate_trust(goals=1, objectives_per_goal=1, actions_per_objective=4, quarters=2, slug="gzip")
    url = f"{reverse('goals:action_list')}?strategy={trust.strategy.slug}"
    response = client.get(url, headers={"accept-encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    from django.conf import settings

    assert settings.WHITENOISE_MAX_AGE >= 60 * 60 * 24 * 30

"""The action list reads only what its page shows: the same size of page however many actions the
strategy has beyond it (the SRO and lead filters are typed, not lists of people), cells drawn
without django-tables2's per-cell machinery, and HTML compressed for browsers that accept it."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from benchmarks.generator import generate_trust


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
def test_the_page_lists_no_person_but_those_of_its_rows(client, director):
    client.force_login(director)
    trust = generate_trust(goals=1, objectives_per_goal=1, actions_per_objective=30, quarters=2, people=30, slug="ours")
    page = _page(client, trust)
    assert '<option value="ours-person' not in page  # the SRO and lead filters are typed
    named = {p.name for p in trust.people if p.name in page}
    assert 0 < len(named) < len(trust.people)  # the SROs of the 25 rows shown, not every person


@pytest.mark.django_db
def test_cells_are_drawn_without_inspecting_each_render_method(client, director, monkeypatch):
    """django-tables2 inspects a render method's signature for each cell it draws that way."""
    import django_tables2.rows

    calls = []
    inspect = django_tables2.rows.call_with_appropriate
    monkeypatch.setattr(
        django_tables2.rows, "call_with_appropriate", lambda *a, **k: calls.append(a) or inspect(*a, **k)
    )
    client.force_login(director)
    trust = generate_trust(goals=1, objectives_per_goal=1, actions_per_objective=30, quarters=2, slug="cells")
    page = _page(client, trust)
    assert page.count('role="cell"') == 25 * 8
    assert calls == []


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

"""Every RAG status page reads with a pinned number of queries, the same for a small generated
trust and one with 10× the actions and twice the quarters."""

import pytest
from django.urls import reverse

from benchmarks.generator import generate_trust
from tests.strategy.test_views import LARGE, SMALL


def page_urls(trust) -> dict[str, str]:
    slug = trust.strategy.slug
    latest = trust.periods[-1].slug  # open, with some updates submitted
    actions = reverse("goals:action_list")
    sro, lead = trust.people[0].key, trust.people[1].key  # the generator makes action 0's SRO and lead
    return {
        "dashboard": reverse("goals:dashboard", kwargs={"slug": slug, "quarter": latest}),
        "heat_map": reverse("goals:heat_map", kwargs={"slug": slug, "quarter": latest}),
        "risks": reverse("goals:risks", kwargs={"slug": slug, "quarter": latest}),
        "risk_history": reverse("goals:risk_history", kwargs={"slug": slug, "number": "01"}),
        "action_list": f"{actions}?strategy={slug}&quarter={latest}",
        # Every filter at once, each wide enough that both trusts still have rows to show.
        "action_list_filtered": f"{actions}?strategy={slug}&quarter={latest}&rag=red&rag=amber&rag=green"
        "&movement=deteriorated&movement=improved&movement=unchanged&movement=new"
        "&state=approved&state=submitted&state=draft&goal=goal-1&q=Action&sort=-rag",
        "action_list_by_sro": f"{actions}?strategy={slug}&quarter={latest}&sro={sro}&lead={lead}",
        "action_list_page_2": f"{actions}?strategy={slug}&quarter={latest}&page=2&sort=movement",
        "action_list_csv": reverse("goals:action_list_csv") + f"?strategy={slug}&quarter={latest}",
        "action_list_xlsx": reverse("goals:action_list_xlsx") + f"?strategy={slug}&quarter={latest}",
        "action_detail": trust.actions[0].get_absolute_url(),
    }


# Session, user and groups (navigation) are the first three of each.
PINNED_QUERIES = {
    # The first request of a quarter computes (goals.core.caching; see WARM_QUERIES for the next):
    # strategy, periods, goals, counts by goal × rating × movement × state, the Red/Amber and the
    # moved ids, evidence states, SRO links, lead links, people, titles, listed rows
    "dashboard": 15,
    "heat_map": 8,  # strategy, periods, goals, objectives, counts
    "risks": 8,  # strategy, periods, risks, their goals, scores
    "risk_history": 7,  # risk, its goals, periods, scores
    # strategies, periods, objectives, count, page, and the SRO and lead links, people and titles of the
    # page's rows only (no list of the strategy's people: the SRO and lead filters are typed)
    "action_list": 11,
    "action_list_filtered": 11,
    "action_list_by_sro": 12,  # + the person whose key the SRO or lead filter was given (for the summary)
    "action_list_page_2": 11,
    # as the list, with every row in one query instead of count + page, the links, people and titles of
    # every row, and the user's roles (which strategies they may download; the HTML pages read them
    # anyway for the header)
    "action_list_csv": 10,
    "action_list_xlsx": 10,
    "action_detail": 10,  # tests/strategy/test_views.py's page + periods (timeline) + updates' history
}


@pytest.mark.django_db
@pytest.mark.parametrize("page_name", sorted(PINNED_QUERIES))
def test_query_count_is_pinned_and_does_not_grow_with_the_data(client, director, count_queries, page_name):
    client.force_login(director)
    small = count_queries(client, page_urls(generate_trust(**SMALL, slug="small-trust"))[page_name])
    large = count_queries(client, page_urls(generate_trust(**LARGE, slug="large-trust", seed=2))[page_name])
    assert small == large == PINNED_QUERIES[page_name]


# Once computed, a page's figures, quarters and HTML are read from the pages' cache (in memory in the
# tests; the database cache in production adds one query an entry): session, user, groups, and the
# strategy (the action list: the strategies the reader may see).
WARM_QUERIES = {"dashboard": 4, "heat_map": 4, "action_list": 4, "action_list_filtered": 4, "action_list_by_sro": 4}


@pytest.mark.django_db
@pytest.mark.parametrize("page_name", sorted(WARM_QUERIES))
def test_a_cached_page_reads_only_its_strategy_and_quarters(client, director, count_queries, page_name):
    client.force_login(director)
    counts = []
    for trust in (generate_trust(**SMALL, slug="small-trust"), generate_trust(**LARGE, slug="large-trust", seed=2)):
        url = page_urls(trust)[page_name]
        assert count_queries(client, url) == PINNED_QUERIES[page_name]
        counts.append(count_queries(client, url))
    assert counts == [WARM_QUERIES[page_name]] * 2

"""Every page of the quarterly cycle reads with a pinned number of queries, the same for a small
trust and one with ten times the actions (benchmarks.generator.generate_trust)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from benchmarks.generator import generate_trust
from goals.models import ActionUpdate, SuccessMeasure

SMALL = {"goals": 3, "objectives_per_goal": 2, "actions_per_objective": 3, "quarters": 4}
LARGE = {"goals": 6, "objectives_per_goal": 5, "actions_per_objective": 6, "quarters": 8}  # 10× the actions

# Pinned budgets. Every page: session, user, then the page's reads (the header's role flags come
# from the session and the groups query, so they cost at most one).
PINNED_QUERIES = {
    "my_updates": 10,  # + person, open quarters, actions, updates, measures, evidence, role flags
    "to_review": 7,  # + the evidence waiting
    "tracker": 12,  # + strategy, quarter, state counts (which also give the table its count), rows, leads, SROs, evidence and its counts, BAF risks not scored
    "update_page": 11,  # + action, leads, SROs, person, quarter, update, last quarter's, history
    "evidence_page": 17,  # + may the user review it (lead director? SRO of an action?)
    "period_list": 6,
}


def page_url(trust, page):
    period = trust.periods[-1]  # the open quarter
    action = trust.actions[0]
    # The generator leaves some updates out at random: this page shows one, with its history.
    ActionUpdate.objects.get_or_create(action=action, period=period, defaults={"progress": "Some progress."})
    measure = SuccessMeasure.objects.filter(objective=action.objective).first()
    return {
        "my_updates": reverse("goals:my_updates"),
        "to_review": reverse("goals:to_review"),
        "tracker": reverse("goals:tracker", kwargs={"slug": trust.strategy.slug, "period": period.slug}),
        "update_page": reverse("goals:update_edit", kwargs={"pk": action.pk, "period": period.slug}),
        "evidence_page": reverse("goals:evidence_edit", kwargs={"pk": measure.pk, "period": period.slug}),
        "period_list": reverse("goals:period_list"),
    }[page]


def user_for(trust, page, make_user, username):
    """Person 1 leads action 0 (and every tenth action); person 0 is its SRO."""
    if page in ("tracker", "period_list"):
        from goals.core import permissions

        return make_user(username, role=permissions.PROGRAMME_OFFICE)
    person = trust.people[0] if page == "to_review" else trust.people[1]
    return make_user(username, person=person)


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("page_name", sorted(PINNED_QUERIES))
def test_query_count_is_pinned_and_does_not_grow_with_the_data(client, fast_passwords, make_user, page_name):
    small = generate_trust(**SMALL, slug="small-trust")
    client.force_login(user_for(small, page_name, make_user, "small-user"))
    small_count = count_queries(client, page_url(small, page_name))

    large = generate_trust(**LARGE, slug="large-trust", seed=2)
    client.force_login(user_for(large, page_name, make_user, "large-user"))
    large_count = count_queries(client, page_url(large, page_name))

    assert small_count == large_count == PINNED_QUERIES[page_name], (small_count, large_count)


@pytest.mark.django_db
def test_the_tracker_read_again_reads_no_rows(client, fast_passwords, make_user):
    """Once drawn, the tracker's counts, table and evidence come from the pages' cache until the
    strategy's data changes: session, user, strategy, quarter, role flags and the BAF risks not
    scored this quarter remain, at any size."""
    counts = []
    for n, trust in enumerate(
        (generate_trust(**SMALL, slug="small-trust"), generate_trust(**LARGE, slug="large-trust", seed=2))
    ):
        url = page_url(trust, "tracker")
        client.force_login(user_for(trust, "tracker", make_user, f"user-{n}"))
        assert count_queries(client, url) == PINNED_QUERIES["tracker"]
        counts.append(count_queries(client, url))
    assert counts == [6, 6]

"""Before publishing, the secretary is warned of what the pack lacks (actions not rated, updates not
approved, BAF risks not scored, evidence missing); they can still publish, and the warnings are kept
with the publication."""

import pytest
from django.urls import reverse

from benchmarks.generator import generate_trust
from goals.models import Period
from reports.models import Publication
from reports.selectors import publication_warnings
from tests import factories

pytestmark = pytest.mark.django_db

ARGS = ["better-care", "2024-Q3", "progress"]


@pytest.fixture
def q3(cycle):
    factories.ActionUpdateFactory(action=cycle.action, period=cycle.period, rag="amber", state="submitted")
    factories.RiskFactory(strategy=cycle.strategy, number="01", title="Workforce")
    return cycle.period


def test_the_warnings_say_what_is_missing(q3):
    assert publication_warnings(q3, "progress") == [
        "2 actions not rated (shown as “Not rated”)",
        "1 update not approved by the SRO",
        "1 BAF risk not scored this quarter",
    ]
    assert publication_warnings(q3, "highlight") == [
        "1 update not approved by the SRO",
        "1 success measure without approved evidence",
    ]


def test_the_confirmation_page_lists_them_and_publishing_anyway_records_them(client, q3, secretary):
    client.force_login(secretary)
    pack = client.get(reverse("reports:pack", args=["better-care"]) + "?quarter=2024-Q3&layout=progress")
    assert reverse("reports:pack_publish_confirm", args=ARGS) in pack.content.decode()
    page = client.get(reverse("reports:pack_publish_confirm", args=ARGS)).content.decode()
    assert "This pack is not complete" in page and "1 BAF risk not scored this quarter" in page
    assert "Publish anyway" in page
    client.post(reverse("reports:pack_publish", args=ARGS))
    publication = Publication.objects.get()
    assert publication.status == "published" and publication.warnings == publication_warnings(q3, "progress")
    listed = client.get(reverse("reports:pack", args=["better-care"])).content.decode()
    assert "Published with 3 warnings" in listed


def test_the_confirmation_page_needs_the_secretary(client, q3, director, secretary):
    url = reverse("reports:pack_publish_confirm", args=ARGS)
    assert client.get(url).status_code == 302
    client.force_login(director)
    assert client.get(url).status_code == 403
    client.force_login(secretary)
    assert client.get(reverse("reports:pack_publish_confirm", args=["nope", "2024-Q3", "progress"])).status_code == 404
    assert (
        client.get(reverse("reports:pack_publish_confirm", args=["better-care", "2024-Q3", "poster"])).status_code
        == 404
    )
    assert not Publication.objects.exists()


@pytest.mark.parametrize("size", [2, 6])
def test_the_confirmation_page_reads_a_fixed_number_of_queries(client, secretary, count_queries, size):
    generate_trust(goals=size, objectives_per_goal=2, actions_per_objective=3, quarters=2, slug="trust")
    period = Period.objects.filter(strategy__slug="trust").order_by("-year", "-quarter").first()
    client.force_login(secretary)
    url = reverse("reports:pack_publish_confirm", args=["trust", period.slug, "highlight"])
    assert count_queries(client, url) == 8

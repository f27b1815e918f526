"""A saved draft "is not sent to anyone": until it is submitted only the action's leads (and
strategy admins) read it; the SRO, directors and the programme office see only its state, on the
update page and in the tracker."""

import pytest
from django.urls import reverse

from goals.core.choices import UpdateState
from tests import factories

pytestmark = pytest.mark.django_db
SECRET = "Half-written thoughts about the contractor"


@pytest.fixture
def draft(cycle):
    return factories.ActionUpdateFactory(
        action=cycle.action, period=cycle.period, rag="red", progress=SECRET, state=UpdateState.DRAFT
    )


def page(cycle):
    return reverse("goals:update_edit", args=[cycle.action.pk, "2024-Q3"])


@pytest.mark.parametrize("who", ["sro", "director", "secretary"])
def test_others_see_that_there_is_a_draft_but_not_what_it_says(client, cycle, draft, director, secretary, who):
    user = {"sro": cycle.sro, "director": director, "secretary": secretary}[who]
    client.force_login(user)
    response = client.get(page(cycle))
    assert response.status_code == 200
    content = response.content.decode()
    assert SECRET not in content
    assert "only the action&#x27;s leads can read it until it is submitted" in content


@pytest.mark.parametrize("who", ["lead", "admin"])
def test_the_leads_and_strategy_admins_read_the_draft(client, cycle, draft, admin_user, who):
    client.force_login(cycle.lead if who == "lead" else admin_user)
    assert SECRET in client.get(page(cycle)).content.decode()


def test_once_submitted_the_sro_reads_it(client, cycle, draft):
    draft.state = UpdateState.SUBMITTED
    draft.save()
    client.force_login(cycle.sro)
    assert SECRET in client.get(page(cycle)).content.decode()


def test_the_tracker_shows_a_drafts_state_not_its_rating(client, cycle, draft, secretary):
    client.force_login(secretary)
    content = client.get(reverse("goals:tracker", args=["better-care", "2024-Q3"])).content.decode()
    assert "Not yet submitted" in content
    assert "nhsuk-tag--red" not in content

"""The reason for the rating: labelled for what it is, marked required once Amber or Red is
chosen, and (without JavaScript) asked for in the error message when missing."""

import pytest
from django.urls import reverse

from goals.core.choices import UpdateState
from tests import factories

pytestmark = pytest.mark.django_db


def update_url(cycle):
    return reverse("goals:update_edit", kwargs={"pk": cycle.action.pk, "period": cycle.period.slug})


def label_of(content: str) -> str:
    start = content.index('for="id_rag_reason">') + len('for="id_rag_reason">')
    return content[start : content.index("</label>", start)]


def test_the_reason_is_labelled_for_what_it_is(client, cycle):
    client.force_login(cycle.lead)
    content = client.get(update_url(cycle)).content.decode()
    assert label_of(content) == "Reason for the rating (optional)"
    assert "Required for Amber or Red" in content
    assert "js/rating-reason.js" in content  # marks it required as soon as Amber or Red is chosen


def test_amber_or_red_marks_it_required_and_asks_for_it_without_javascript(client, cycle):
    client.force_login(cycle.lead)
    data = {"rag": "amber", "progress": "Slipping.", "rag_reason": "", "version": 0, "intent": "submit"}
    content = client.post(update_url(cycle), data).content.decode()
    assert label_of(content) == "Reason for the rating"
    assert "Give a reason for an Amber or Red rating" in content
    assert 'href="#id_rag_reason"' in content  # the error summary links to the field


def test_a_saved_red_draft_shows_the_reason_as_required(client, cycle):
    factories.ActionUpdateFactory(action=cycle.action, period=cycle.period, rag="red", state=UpdateState.DRAFT)
    client.force_login(cycle.lead)
    assert label_of(client.get(update_url(cycle)).content.decode()) == "Reason for the rating"


def test_a_green_draft_needs_no_reason(client, cycle):
    client.force_login(cycle.lead)
    data = {"rag": "green", "progress": "On track.", "rag_reason": "", "version": 0, "intent": "submit"}
    assert client.post(update_url(cycle), data).status_code == 302

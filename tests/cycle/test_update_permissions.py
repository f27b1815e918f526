"""Who may do what in the quarterly cycle, through the views: a role × action matrix where every
refusal leaves the rows as they were; crafted POSTs; locked quarters; CSRF."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from goals.core import permissions
from goals.core.choices import RAG, PeriodState, UpdateState
from goals.cycle import services
from goals.models import ActionUpdate, MeasureEvidence, Period, Person

pytestmark = pytest.mark.django_db

ROLES = ["lead", "other_lead", "sro", "other_sro", "secretary", "director", "admin", "nobody"]
TEXT = {"rag": RAG.GREEN, "progress": "Written through the page.", "version": 0, "intent": "save"}


@pytest.fixture
def users(cycle, make_user):
    return {
        "lead": cycle.lead,
        "other_lead": cycle.other_lead,
        "sro": cycle.sro,
        "other_sro": cycle.other_sro,
        "secretary": make_user("secretary", role=permissions.PROGRAMME_OFFICE),
        "director": make_user("director", role=permissions.DIRECTORS),
        "admin": make_user("admin", role=permissions.STRATEGY_ADMINS),
        "nobody": make_user("nobody"),
    }


def kw(cycle, obj="action"):
    return {"pk": getattr(cycle, obj).pk, "period": cycle.period.slug}


def state_of_everything():
    """Every row the cycle writes, as plain values: a refusal must leave all of them as they were."""
    return (
        sorted(ActionUpdate.objects.values_list("pk", "state", "progress", "version", "review_comment")),
        sorted(MeasureEvidence.objects.values_list("pk", "state", "evidence", "version")),
        sorted(Period.objects.values_list("pk", "state", "deadline")),
    )


def a_submitted_update(cycle):
    return services.update_submit(
        action=cycle.action,
        period=cycle.period,
        fields={"rag": RAG.GREEN, "progress": "Submitted."},
        version=0,
        by=cycle.lead,
    )


# Each request, and what each role gets: 2xx/3xx codes mean allowed (the row changes), 403/404
# mean refused (nothing changes). 404 where the user has no business even seeing the update.
MATRIX = {
    "view update": (
        "get",
        "goals:update_edit",
        "action",
        None,
        dict(lead=200, other_lead=404, sro=200, other_sro=404, secretary=200, director=200, admin=200, nobody=404),
    ),
    "save update": (
        "post",
        "goals:update_edit",
        "action",
        TEXT,
        dict(lead=302, other_lead=404, sro=403, other_sro=404, secretary=403, director=403, admin=302, nobody=404),
    ),
    "submit update": (
        "post",
        "goals:update_edit",
        "action",
        {**TEXT, "intent": "submit"},
        dict(lead=302, other_lead=404, sro=403, other_sro=404, secretary=403, director=403, admin=302, nobody=404),
    ),
    "approve update": (
        "post",
        "goals:update_review",
        "action",
        {"decision": "approve", "version": 1},
        dict(lead=403, other_lead=404, sro=302, other_sro=404, secretary=403, director=403, admin=302, nobody=404),
    ),
    "return update": (
        "post",
        "goals:update_review",
        "action",
        {"decision": "return", "version": 1, "review_comment": "Redo it."},
        dict(lead=403, other_lead=404, sro=302, other_sro=404, secretary=403, director=403, admin=302, nobody=404),
    ),
    "view evidence": (
        "get",
        "goals:evidence_edit",
        "measure",
        None,
        dict(lead=200, other_lead=200, sro=200, other_sro=200, secretary=200, director=200, admin=200, nobody=404),
    ),
    "save evidence": (
        "post",
        "goals:evidence_edit",
        "measure",
        {"evidence": "Seen.", "version": 0, "intent": "save"},
        dict(lead=302, other_lead=302, sro=403, other_sro=403, secretary=403, director=403, admin=302, nobody=404),
    ),
    "view tracker": (
        "get",
        "goals:tracker",
        "strategy",
        None,
        dict(lead=403, other_lead=403, sro=403, other_sro=403, secretary=200, director=403, admin=200, nobody=403),
    ),
    "lock quarter": (
        "post",
        "goals:period_lock",
        "strategy",
        {},
        dict(lead=403, other_lead=403, sro=403, other_sro=403, secretary=302, director=403, admin=302, nobody=403),
    ),
    "change deadline": (
        "post",
        "goals:period_deadline",
        "strategy",
        {"deadline_day": "24", "deadline_month": "1", "deadline_year": "2025"},
        dict(lead=403, other_lead=403, sro=403, other_sro=403, secretary=302, director=403, admin=302, nobody=403),
    ),
    "view quarters": (
        "get",
        "goals:period_list",
        None,
        None,
        dict(lead=403, other_lead=403, sro=403, other_sro=403, secretary=200, director=403, admin=200, nobody=403),
    ),
    "my updates": ("get", "goals:my_updates", None, None, dict.fromkeys(ROLES, 200)),
    "to review": ("get", "goals:to_review", None, None, dict.fromkeys(ROLES, 200)),
}


def url_for(cycle, name, target):
    if target is None:
        return reverse(name)
    if target == "strategy":
        return reverse(name, kwargs={"slug": cycle.strategy.slug, "period": cycle.period.slug})
    return reverse(name, kwargs=kw(cycle, target))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("request_name", sorted(MATRIX))
def test_role_by_action_matrix(client, cycle, users, role, request_name):
    method, name, target, data, expected = MATRIX[request_name]
    if name == "goals:update_review":
        a_submitted_update(cycle)
    before = state_of_everything()
    client.force_login(users[role])
    url = url_for(cycle, name, target)
    response = client.get(url) if method == "get" else client.post(url, data)
    assert response.status_code == expected[role], f"{role} {request_name}"
    if method == "post" and expected[role] >= 400:
        assert state_of_everything() == before, f"{role} {request_name} changed something"
    if method == "post" and expected[role] < 400:
        assert state_of_everything() != before, f"{role} {request_name} changed nothing"


def test_another_leads_update_is_404_and_unchanged(client, cycle):
    theirs = services.update_save(
        action=cycle.other_action,
        period=cycle.period,
        fields={"progress": "Their words."},
        version=0,
        by=cycle.other_lead,
    )
    client.force_login(cycle.lead)
    url = reverse("goals:update_edit", kwargs=kw(cycle, "other_action"))
    assert client.get(url).status_code == 404
    assert client.post(url, {**TEXT, "version": theirs.version, "progress": "Mine now."}).status_code == 404
    theirs.refresh_from_db()
    assert (theirs.progress, theirs.version) == ("Their words.", 1)


# --- Crafted POSTs ---------------------------------------------------------------------------


def test_crafted_fields_do_not_change_state_approver_or_action(client, cycle, users):
    client.force_login(cycle.lead)
    crafted = {
        **TEXT,
        "state": UpdateState.APPROVED,
        "reviewed_by": users["admin"].pk,
        "submitted_by": users["admin"].pk,
        "action": cycle.other_action.pk,
        "period": cycle.previous.pk,
        "review_comment": "Approved by me, honest.",
    }
    assert client.post(reverse("goals:update_edit", kwargs=kw(cycle)), crafted).status_code == 302
    update = ActionUpdate.objects.get(period=cycle.period)
    assert (update.action, update.state, update.reviewed_by, update.submitted_by, update.review_comment) == (
        cycle.action,
        UpdateState.DRAFT,
        None,
        None,
        "",
    )
    assert not ActionUpdate.objects.filter(action=cycle.other_action).exists()


def test_a_tampered_version_is_refused(client, cycle):
    client.force_login(cycle.lead)
    url = reverse("goals:update_edit", kwargs=kw(cycle))
    client.post(url, TEXT)
    for version in (7, -1, "two"):
        response = client.post(url, {**TEXT, "progress": "Tampered.", "version": version})
        assert response.status_code in (200, 409)
    assert ActionUpdate.objects.get(period=cycle.period).progress == "Written through the page."


def test_the_sro_cannot_approve_through_the_leads_form(client, cycle):
    update = a_submitted_update(cycle)
    client.force_login(cycle.sro)
    response = client.post(reverse("goals:update_edit", kwargs=kw(cycle)), {**TEXT, "state": "approved"})
    assert response.status_code == 403
    update.refresh_from_db()
    assert update.state == UpdateState.SUBMITTED


# --- Locked quarters -------------------------------------------------------------------------


def test_a_locked_quarter_refuses_every_write_and_shows_the_update_read_only(client, cycle):
    update = a_submitted_update(cycle)
    Period.objects.filter(pk=cycle.period.pk).update(state=PeriodState.LOCKED)
    before = state_of_everything()

    client.force_login(cycle.lead)
    url = reverse("goals:update_edit", kwargs=kw(cycle))
    content = client.get(url).content.decode()
    assert "locked, so it can no longer be changed" in content and 'name="intent"' not in content
    response = client.post(url, {**TEXT, "version": update.version, "intent": "submit"})
    assert response.status_code == 409 and "can no longer be changed" in response.content.decode()
    assert "Written through the page." in response.content.decode()  # what was typed is kept

    client.force_login(cycle.sro)
    assert "Your decision" not in client.get(url).content.decode()
    response = client.post(
        reverse("goals:update_review", kwargs=kw(cycle)), {"decision": "approve", "version": update.version}
    )
    assert response.status_code == 409

    client.force_login(cycle.lead)
    response = client.post(
        reverse("goals:evidence_edit", kwargs=kw(cycle, "measure")),
        {"evidence": "Late.", "version": 0, "intent": "save"},
    )
    assert response.status_code == 409
    assert state_of_everything() == before


# --- CSRF ------------------------------------------------------------------------------------


def test_csrf_is_enforced_on_every_write(cycle, users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cycle.lead)
    url = reverse("goals:update_edit", kwargs=kw(cycle))
    assert client.post(url, TEXT).status_code == 403
    assert not ActionUpdate.objects.filter(period=cycle.period).exists()

    client.get(url)  # sets the CSRF cookie, as a browser would
    token = client.cookies["csrftoken"].value
    assert client.post(url, {**TEXT, "csrfmiddlewaretoken": token}).status_code == 302
    assert ActionUpdate.objects.filter(period=cycle.period).exists()

    client.force_login(users["secretary"])
    lock = reverse("goals:period_lock", kwargs={"slug": cycle.strategy.slug, "period": cycle.period.slug})
    assert client.post(lock, {}).status_code == 403
    assert Period.objects.get(pk=cycle.period.pk).state == PeriodState.OPEN


# --- Navigation ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role, links",
    [
        ("lead", {"My updates"}),
        ("sro", {"To review"}),
        ("secretary", {"Tracker"}),
        ("admin", {"To review", "Tracker"}),
        ("director", set()),
        ("nobody", set()),
    ],
)
def test_the_header_shows_each_role_its_links(client, cycle, users, role, links):
    client.force_login(users[role])
    content = client.get(reverse("goals:strategy_list")).content.decode()
    shown = {label for label in ("My updates", "To review", "Tracker") if f">{label}</a>" in content}
    assert shown == links


def test_someone_made_a_lead_after_signing_in_gets_the_link_on_their_next_visit_to_my_updates(client, cycle, users):
    client.force_login(users["nobody"])
    cycle.action.leads.add(Person.objects.create(key="newcomer", name="New Comer", user=users["nobody"]))
    assert ">My updates</a>" not in client.get(reverse("goals:strategy_list")).content.decode()
    client.get(reverse("goals:my_updates"))
    assert ">My updates</a>" in client.get(reverse("goals:strategy_list")).content.decode()


def test_a_new_deadline_is_parsed_from_the_three_boxes(client, cycle, users):
    client.force_login(users["secretary"])
    url = reverse("goals:period_deadline", kwargs={"slug": cycle.strategy.slug, "period": cycle.period.slug})
    client.post(url, {"deadline_day": "24", "deadline_month": "1", "deadline_year": "2025"})
    assert Period.objects.get(pk=cycle.period.pk).deadline == datetime.date(2025, 1, 24)

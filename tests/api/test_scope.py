"""A token reads exactly what its user may read: a trust-A director's token reads nothing of trust
B through any endpoint (JSON and CSV); drafts and returned updates are never read."""

import pytest

from api.tokens import token_create
from goals.core.choices import Role, UpdateState
from goals.models import ActionUpdate, MeasureEvidence, RoleGrant
from reports.models import Publication, PublicationStatus
from tests import factories
from tests.accounts.test_permission_matrix import _trust

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    "strategies",
    "goals",
    "objectives",
    "actions",
    "quarters",
    "action-updates",
    "action-updates?state=approved",
    "evidence",
    "risks",
    "metrics",
    "publications",
    "facts/actions",
    "facts/risks",
    "facts/metric-values",
    "facts/actions?format=csv",
    "facts/risks?format=csv",
    "facts/metric-values?format=csv",
]


@pytest.fixture
def trusts(db):
    a, b = _trust("a", "Trust A NHS Foundation Trust"), _trust("b", "Trust B NHS Trust")
    for trust in (a, b):
        ActionUpdate.objects.update(state=UpdateState.APPROVED)
        factories.RiskScoreFactory(risk=trust.risk, period=trust.published, score=12)
        factories.MeasureEvidenceFactory(measure=trust.measure, period=trust.published, evidence=f"Evidence {trust}")
    Publication.objects.update(status=PublicationStatus.PUBLISHED)
    return a, b


def _with(endpoint: str, query: str) -> str:
    return f"/api/v1/{endpoint}{'&' if '?' in endpoint else '?'}{query}"


def _body(response) -> str:
    return (b"".join(response.streaming_content) if response.streaming else response.content).decode()


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_trust_a_directors_token_reads_nothing_of_trust_b(client, make_user, trusts, endpoint):
    a, b = trusts
    director = make_user("director-of-a")
    RoleGrant.objects.create(user=director, role=Role.DIRECTOR, organisation=a.strategy.owner)
    secret = token_create(name="Trust A feed", by=director).secret
    response = client.get(f"/api/v1/{endpoint}", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
    body = _body(response)
    assert "strategy-a" in body  # reads its own trust
    assert "strategy-b" not in body and "trust b" not in body.lower()
    # Asking for trust B by name reads nothing either.
    response = client.get(_with(endpoint, "strategy=strategy-b"), HTTP_AUTHORIZATION=f"Bearer {secret}")
    body = _body(response)
    assert "strategy-b" not in body and "trust b" not in body.lower()


def test_a_user_with_no_role_reads_nothing(client, make_user, trusts, bearer):
    headers = bearer(make_user("nobody"))
    for endpoint in ENDPOINTS:
        response = client.get(f"/api/v1/{endpoint}", **headers)
        body = _body(response)
        assert "strategy-a" not in body and "strategy-b" not in body, endpoint


@pytest.mark.parametrize("state", [UpdateState.DRAFT, UpdateState.RETURNED])
def test_drafts_and_returned_work_are_never_read(client, director, bearer, trusts, state):
    a, _ = trusts
    ActionUpdate.objects.filter(action=a.action).update(state=state, progress="Work in progress, not for the board")
    factories.ActionUpdateFactory(action=a.action, period=a.open, state=state, rag="red", progress="Unsent draft")
    MeasureEvidence.objects.filter(measure=a.measure).update(state=state, evidence="Draft evidence")
    headers = bearer(director)
    for endpoint in (
        "action-updates",
        "action-updates?state=submitted",
        "action-updates?state=approved",
        "evidence",
        "evidence?state=submitted",
        "facts/actions",
        "facts/actions?format=csv",
    ):
        body = _body(client.get(_with(endpoint, "strategy=strategy-a"), **headers))
        assert "Work in progress" not in body and "Unsent draft" not in body and "Draft evidence" not in body
        assert '"rag": "red"' not in body and ",red," not in body, endpoint
    # Asking for drafts is refused.
    for endpoint in ("action-updates?state=draft", "action-updates?state=returned", "evidence?state=draft"):
        assert client.get(f"/api/v1/{endpoint}", **headers).status_code in (400, 422)


def test_approved_only_by_default_and_submitted_on_request(client, director, bearer, trusts):
    a, _ = trusts
    factories.ActionUpdateFactory(action=a.action, period=a.open, state=UpdateState.SUBMITTED, progress="Sent in")
    headers = bearer(director)
    approved = client.get("/api/v1/action-updates?strategy=strategy-a", **headers).json()["results"]
    submitted = client.get("/api/v1/action-updates?strategy=strategy-a&state=submitted", **headers).json()["results"]
    assert [(r["quarter"], r["state"]) for r in approved] == [("2024-Q2", "approved")]
    assert [(r["quarter"], r["progress"]) for r in submitted] == [("2024-Q3", "Sent in")]


def test_publications_carry_each_files_checksum_and_download_link(client, director, bearer, trusts):
    a, _ = trusts
    body = client.get("/api/v1/publications?strategy=strategy-a", **bearer(director)).json()
    [publication] = body["results"]
    assert (publication["quarter"], publication["layout"], publication["version"]) == ("2024-Q2", "progress", 1)
    [file] = publication["files"]
    assert file["sha256"] == a.file.sha256 and file["size"] == a.file.size
    assert file["download"] == f"http://testserver/reports/published/{a.file.publication_id}/pdf/"

"""Roles per organisation: every URL about trust B's strategy, for every role held on trust A only,
answers 403 or 404 and changes nothing; every list shows trust A's strategy and nothing of trust B's
(pages, CSV and Excel downloads)."""

import hashlib
from types import SimpleNamespace

import pytest
from django.urls import reverse

from goals.core.choices import PeriodState, Role
from goals.models import ActionUpdate, MetricValue, Period, RoleGrant
from reports.models import Publication, PublishedFile
from tests import factories

pytestmark = pytest.mark.django_db
ROLES = [Role.STRATEGY_ADMIN, Role.PROGRAMME_OFFICE, Role.DIRECTOR]


def _trust(letter: str, organisation: str):
    strategy = factories.StrategyFactory(
        organisation=organisation, name=f"Strategy {letter}", slug=f"strategy-{letter}"
    )
    goal = factories.GoalFactory(strategy=strategy, order=1, key="access", title=f"Goal of trust {letter}")
    objective = factories.ObjectiveFactory(goal=goal, order=1, key="waits", title=f"Objective of trust {letter}")
    person = factories.PersonFactory(name=f"Lead {letter}", key=f"lead-{letter}")
    action = factories.ActionFactory(
        objective=objective, number=1, title=f"Secret action of trust {letter}", leads=[person], sros=[person]
    )
    measure = factories.SuccessMeasureFactory(objective=objective, order=1, title=f"Measure of trust {letter}")
    published = factories.PeriodFactory(strategy=strategy, year=2024, quarter=2, state=PeriodState.PUBLISHED)
    open_period = factories.PeriodFactory(strategy=strategy, year=2024, quarter=3, state=PeriodState.OPEN)
    factories.ActionUpdateFactory(action=action, period=published, rag="green", progress=f"Progress {letter}.")
    risk = factories.RiskFactory(strategy=strategy, number="01", title=f"Risk of trust {letter}")
    metric = factories.MetricFactory(strategy=strategy, key="waits", name=f"Metric of trust {letter}")
    value = factories.MetricValueFactory(metric=metric)
    publication = Publication.objects.create(period=published, layout="progress", version=1)
    content = b"%PDF-1.4 trust " + letter.encode()
    file = PublishedFile.objects.create(
        publication=publication,
        format="pdf",
        filename=f"{letter}.pdf",
        content_type="application/pdf",
        content=content,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    return SimpleNamespace(
        strategy=strategy,
        goal=goal,
        action=action,
        measure=measure,
        open=open_period,
        published=published,
        risk=risk,
        metric=metric,
        value=value,
        file=file,
    )


@pytest.fixture
def trusts(db):
    return SimpleNamespace(a=_trust("a", "Trust A NHS Foundation Trust"), b=_trust("b", "Trust B NHS Trust"))


@pytest.fixture
def user_with(make_user, trusts):
    def make(role):
        user = make_user(f"{role}-of-a")
        RoleGrant.objects.create(user=user, role=role, organisation=trusts.a.strategy.owner)
        return user

    return make


def urls_of(t) -> list[tuple[str, str]]:
    """(method, URL) of every page, form and download about the trust's strategy."""
    s, q_open, q_pub = t.strategy.slug, "2024-Q3", "2024-Q2"
    gets = [
        reverse("goals:strategy_detail", kwargs={"slug": s}),
        reverse("goals:goal_detail", kwargs={"slug": s, "goal": t.goal.key}),
        reverse("goals:action_detail", kwargs={"pk": t.action.pk}),
        reverse("goals:update_edit", kwargs={"pk": t.action.pk, "period": q_open}),
        reverse("goals:update_review", kwargs={"pk": t.action.pk, "period": q_pub}),
        reverse("goals:evidence_edit", kwargs={"pk": t.measure.pk, "period": q_open}),
        reverse("goals:period_open", kwargs={"slug": s}),
        reverse("goals:tracker", kwargs={"slug": s, "period": q_open}),
        reverse("goals:period_deadline", kwargs={"slug": s, "period": q_open}),
        reverse("goals:period_lock", kwargs={"slug": s, "period": q_open}),
        reverse("goals:period_reopen", kwargs={"slug": s, "period": q_pub}),
        reverse("goals:dashboard_latest", kwargs={"slug": s}),
        reverse("goals:dashboard", kwargs={"slug": s, "quarter": q_pub}),
        reverse("goals:heat_map_latest", kwargs={"slug": s}),
        reverse("goals:heat_map", kwargs={"slug": s, "quarter": q_pub}),
        reverse("goals:risks_latest", kwargs={"slug": s}),
        reverse("goals:risks", kwargs={"slug": s, "quarter": q_pub}),
        reverse("goals:risk_history", kwargs={"slug": s, "number": t.risk.number}),
        reverse("goals:metric_list", kwargs={"slug": s}),
        reverse("goals:metric_detail", kwargs={"slug": s, "key": t.metric.key}),
        reverse("goals:metric_value_add", kwargs={"slug": s, "key": t.metric.key}),
        reverse("goals:metric_value_edit", kwargs={"slug": s, "key": t.metric.key, "pk": t.value.pk}),
        reverse("goals:metric_values_upload", kwargs={"slug": s, "key": t.metric.key}),
        reverse("reports:pack", kwargs={"slug": s}),
        reverse("reports:pack_preview", kwargs={"slug": s, "quarter": q_pub, "layout": "progress"}),
        reverse("reports:pack_publish", kwargs={"slug": s, "quarter": q_pub, "layout": "progress"}),
        reverse(
            "reports:pack_download", kwargs={"slug": s, "quarter": q_pub, "layout": "progress", "format_name": "pdf"}
        ),
        reverse(
            "reports:pack_download", kwargs={"slug": s, "quarter": q_pub, "layout": "progress", "format_name": "xlsx"}
        ),
        reverse("reports:published_download", kwargs={"pk": t.file.publication_id, "format_name": "pdf"}),
    ]
    return [("get", url) for url in gets] + [("post", url) for url in gets]


FORM = {
    "rag": "red",
    "rag_reason": "changed",
    "progress": "changed",
    "deadline": "2025-03-01",
    "reason": "changed",
    "decision": "approve",
    "date": "2025-01-01",
    "value": "99",
    "year": "2025",
    "quarter": "1",
    "version": "1",
    "confirm": "on",
}


def snapshot():
    return (
        list(ActionUpdate.objects.values_list("pk", "rag", "state", "progress").order_by("pk")),
        list(Period.objects.values_list("pk", "state", "deadline").order_by("pk")),
        list(MetricValue.objects.values_list("pk", "value").order_by("pk")),
        Publication.objects.count(),
        ActionUpdate.history.count() + Period.history.count() + MetricValue.history.count(),
    )


@pytest.mark.parametrize("role", ROLES)
def test_a_role_on_trust_a_opens_nothing_of_trust_b_and_changes_nothing(client, trusts, user_with, role):
    client.force_login(user_with(role))
    before = snapshot()
    refused = {}
    for method, url in urls_of(trusts.b):
        response = getattr(client, method)(url, FORM) if method == "post" else client.get(url)
        refused[(method, url)] = response.status_code
    allowed = {key: code for key, code in refused.items() if code not in (403, 404, 405)}
    assert allowed == {}
    assert snapshot() == before


@pytest.mark.parametrize("role", ROLES)
def test_the_same_role_reads_trust_a(client, trusts, user_with, role):
    client.force_login(user_with(role))
    for url in (
        reverse("goals:strategy_detail", kwargs={"slug": trusts.a.strategy.slug}),
        reverse("goals:dashboard_latest", kwargs={"slug": trusts.a.strategy.slug}),
        reverse("goals:metric_list", kwargs={"slug": trusts.a.strategy.slug}),
        reverse("reports:pack", kwargs={"slug": trusts.a.strategy.slug}),
    ):
        assert client.get(url).status_code in (200, 302), url


def test_a_programme_office_of_trust_a_runs_trust_a_cycle(client, trusts, user_with):
    client.force_login(user_with(Role.PROGRAMME_OFFICE))
    tracker = reverse("goals:tracker", kwargs={"slug": trusts.a.strategy.slug, "period": "2024-Q3"})
    assert client.get(tracker).status_code == 200


LISTS = [
    "/",
    "/metrics/",
    "/reports/",
    "/quarters/",
    "/tracker/",
    "/review/",
    "/updates/",
    "/actions/",
    "/actions/?strategy=strategy-b",
    "/actions/download.csv?strategy=strategy-b",
    "/actions/download.xlsx?strategy=strategy-b",
]


@pytest.mark.parametrize("role", ROLES)
def test_no_list_or_download_shows_anything_of_trust_b(client, trusts, user_with, role):
    client.force_login(user_with(role))
    for url in LISTS:
        response = client.get(url)
        assert response.status_code in (200, 302, 403), url
        assert "strategy-b" not in response.get("Location", ""), url
        body = b"".join(response) if response.streaming else response.content
        if url.endswith(".xlsx") or "xlsx" in url:
            import io

            import openpyxl

            sheet = openpyxl.load_workbook(io.BytesIO(body)).active
            body = " ".join(str(cell.value) for row in sheet.iter_rows() for cell in row).encode()
        # Only what the user typed may come back (the form names the slug it refused).
        secrets = (b"Strategy b", b"trust b", b"Trust B") + (() if "strategy-b" in url else (b"strategy-b",))
        for secret in secrets:
            assert secret not in body, (url, secret)


def test_a_director_of_trust_a_sees_trust_a_in_the_lists(client, trusts, user_with):
    client.force_login(user_with(Role.DIRECTOR))
    assert b"Strategy a" in client.get("/").content
    assert b"Secret action of trust a" in client.get("/actions/download.csv").content


def test_a_lead_sees_the_strategy_of_their_action_and_no_other(client, trusts, make_user):
    lead = make_user("lead-a", person=trusts.a.action.leads.get())
    client.force_login(lead)
    assert client.get(reverse("goals:strategy_detail", kwargs={"slug": "strategy-a"})).status_code == 200
    assert client.get(reverse("goals:strategy_detail", kwargs={"slug": "strategy-b"})).status_code == 403
    assert b"Strategy b" not in client.get("/").content


def test_a_revoked_grant_gives_nothing(client, trusts, user_with):
    from django.utils import timezone

    user = user_with(Role.DIRECTOR)
    RoleGrant.objects.filter(user=user).update(revoked_at=timezone.now())
    client.force_login(user)
    assert client.get(reverse("goals:strategy_detail", kwargs={"slug": "strategy-a"})).status_code == 403


def test_a_grant_on_one_strategy_covers_only_that_strategy(client, trusts, make_user):
    user = make_user("director-of-b")
    RoleGrant.objects.create(user=user, role=Role.DIRECTOR, strategy=trusts.b.strategy)
    client.force_login(user)
    assert client.get(reverse("goals:strategy_detail", kwargs={"slug": "strategy-b"})).status_code == 200
    assert client.get(reverse("goals:strategy_detail", kwargs={"slug": "strategy-a"})).status_code == 403


def test_a_host_wide_role_group_still_sees_every_trust(client, trusts, director):
    client.force_login(director)
    body = client.get("/").content
    assert b"Strategy a" in body and b"Strategy b" in body


def test_importing_a_strategy_files_it_under_its_organisation(trusts):
    assert trusts.a.strategy.owner.name == "Trust A NHS Foundation Trust"
    again = factories.StrategyFactory(organisation="Trust A NHS Foundation Trust")
    assert again.owner == trusts.a.strategy.owner

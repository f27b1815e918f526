"""Every administration page and POST: anonymous → sign-in, a director, a programme lead and a
board secretary → 403, another strategy's row through this strategy's URLs → 404; nothing changes."""

import pytest
from django.urls import reverse

from goals.models import Action, Goal, Metric, Objective, Strategy, SuccessMeasure

pytestmark = pytest.mark.django_db

ROW_KINDS = ("goal", "objective", "measure", "action", "metric")


def snapshot():
    """Everything administration could change, to compare before and after."""
    return [
        list(Strategy.objects.values_list("name", "success_statements").order_by("pk")),
        list(Goal.objects.values_list("pk", "order", "title", "archived_at").order_by("pk")),
        list(Objective.objects.values_list("pk", "order", "title", "archived_at").order_by("pk")),
        list(SuccessMeasure.objects.values_list("pk", "order", "title", "archived_at").order_by("pk")),
        list(Action.objects.values_list("pk", "objective", "number", "title", "archived_at").order_by("pk")),
        list(Action.sros.through.objects.values_list("action", "person").order_by("pk")),
        list(Metric.objects.values_list("pk", "name", "archived_at").order_by("pk")),
    ]


def rows(structure):
    return {
        "goal": structure.access,
        "objective": structure.waits,
        "measure": structure.measure,
        "action": structure.unreported,
        "metric": structure.metric,
    }


def requests(structure, rows_by_kind) -> list[tuple[str, str, dict]]:
    """(method, url, data) of every administration page and POST of `structure.strategy`, for the
    given rows (this strategy's own, or another strategy's)."""
    slug = structure.strategy.slug
    parents = {
        "objective": rows_by_kind["goal"],
        "measure": rows_by_kind["objective"],
        "action": rows_by_kind["objective"],
    }
    found = [
        ("get", reverse("goals:strategy_setup", kwargs={"slug": slug}), {}),
        ("get", reverse("goals:strategy_edit", kwargs={"slug": slug}), {}),
        ("post", reverse("goals:strategy_edit", kwargs={"slug": slug}), {"organisation": "X", "name": "Changed"}),
        ("get", reverse("goals:success_statements_edit", kwargs={"slug": slug}), {}),
        ("post", reverse("goals:success_statements_edit", kwargs={"slug": slug}), {"statement": ["Changed"]}),
        ("get", reverse("goals:action_move", kwargs={"slug": slug, "pk": rows_by_kind["action"].pk}), {}),
        (
            "post",
            reverse("goals:action_move", kwargs={"slug": slug, "pk": rows_by_kind["action"].pk}),
            {"objective": structure.safety.pk},
        ),
    ]
    for kind in ROW_KINDS:
        row = rows_by_kind[kind]
        create = {"slug": slug, **({"parent": parents[kind].pk} if kind in parents else {})}
        found += [
            ("get", reverse(f"goals:{kind}_create", kwargs=create), {}),
            ("post", reverse(f"goals:{kind}_create", kwargs=create), {"title": "Changed", "name": "Changed"}),
            ("get", reverse(f"goals:{kind}_edit", kwargs={"slug": slug, "pk": row.pk}), {}),
            ("post", reverse(f"goals:{kind}_edit", kwargs={"slug": slug, "pk": row.pk}), {"title": "Changed"}),
            ("get", reverse(f"goals:{kind}_delete", kwargs={"slug": slug, "pk": row.pk}), {}),
            ("post", reverse(f"goals:{kind}_delete", kwargs={"slug": slug, "pk": row.pk}), {}),
            ("post", reverse(f"goals:{kind}_archive", kwargs={"slug": slug, "pk": row.pk}), {}),
            ("post", reverse(f"goals:{kind}_restore", kwargs={"slug": slug, "pk": row.pk}), {}),
        ]
        if kind != "metric":
            found.append(
                ("post", reverse(f"goals:{kind}_reorder", kwargs={"slug": slug, "pk": row.pk}), {"direction": "up"})
            )
    return found


def test_anonymous_users_are_sent_to_sign_in(client, structure):
    before = snapshot()
    for method, url, data in [*requests(structure, rows(structure)), ("get", reverse("goals:strategy_create"), {})]:
        response = getattr(client, method)(url, data)
        assert response.status_code == 302 and "/login/" in response["Location"], url
    assert snapshot() == before


@pytest.mark.parametrize("who", ["director", "secretary", "lead"])
def test_users_without_the_role_are_refused(client, structure, who):
    client.force_login(getattr(structure, who))
    before = snapshot()
    every = [
        *requests(structure, rows(structure)),
        ("get", reverse("goals:strategy_create"), {}),
        ("post", reverse("goals:strategy_create"), {"organisation": "X", "name": "New"}),
    ]
    for method, url, data in every:
        assert getattr(client, method)(url, data).status_code == 403, (method, url)
    assert snapshot() == before


def test_another_strategys_rows_are_not_found_through_this_strategys_urls(client, structure):
    client.force_login(structure.admin)
    before = snapshot()
    own = {
        ("get", reverse("goals:strategy_setup", kwargs={"slug": structure.strategy.slug})),
        ("get", reverse("goals:strategy_edit", kwargs={"slug": structure.strategy.slug})),
        ("post", reverse("goals:strategy_edit", kwargs={"slug": structure.strategy.slug})),
        ("get", reverse("goals:success_statements_edit", kwargs={"slug": structure.strategy.slug})),
        ("post", reverse("goals:success_statements_edit", kwargs={"slug": structure.strategy.slug})),
        ("get", reverse("goals:goal_create", kwargs={"slug": structure.strategy.slug})),
        ("post", reverse("goals:goal_create", kwargs={"slug": structure.strategy.slug})),
        ("get", reverse("goals:metric_create", kwargs={"slug": structure.strategy.slug})),
        ("post", reverse("goals:metric_create", kwargs={"slug": structure.strategy.slug})),
    }
    checked = 0
    for method, url, data in requests(structure, structure.other_rows):
        if (method, url) in own:
            continue  # these name no row: nothing of the other strategy's to reach
        assert getattr(client, method)(url, data).status_code == 404, (method, url)
        checked += 1
    assert checked == 42  # every row page and POST of the five kinds, and moving an action
    assert snapshot() == before


def test_an_action_cannot_be_moved_to_another_strategys_objective(client, structure):
    client.force_login(structure.admin)
    before = snapshot()
    url = reverse("goals:action_move", kwargs={"slug": structure.strategy.slug, "pk": structure.unreported.pk})
    response = client.post(url, {"objective": structure.other_rows["objective"].pk})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert snapshot() == before

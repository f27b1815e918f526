"""The administration pages: forms, the error summary with the typed text kept, the success
statements editor, reorder and archive buttons, and the delete confirmation."""

import pytest
from django.urls import reverse

from goals.models import Action, Goal, Strategy
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, structure):
    client.force_login(structure.admin)
    return client


def url(name, structure, **kwargs):
    return reverse(f"goals:{name}", kwargs={"slug": structure.strategy.slug, **kwargs})


def test_an_admin_creates_a_strategy_and_lands_on_its_set_up_page(admin_client, structure):
    response = admin_client.post(
        reverse("goals:strategy_create"),
        {"organisation": "Leeds Teaching Hospitals", "name": "Improvement Strategy", "default_layout": "highlight"},
    )
    strategy = Strategy.objects.get(name="Improvement Strategy")
    assert response.status_code == 302
    assert response["Location"] == reverse("goals:strategy_setup", kwargs={"slug": "improvement-strategy"})
    assert strategy.default_layout == "highlight"


def test_bad_input_shows_the_error_summary_and_keeps_what_was_typed(admin_client, structure):
    response = admin_client.post(
        reverse("goals:strategy_create"), {"organisation": "", "name": "Typed name", "slug": "better-care"}
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "nhsuk-error-summary" in content
    assert "Enter the organisation" in content
    assert "Another strategy already uses this web address name" in content
    assert 'value="Typed name"' in content
    assert content.count("<title>Error: ") == 1


def test_an_action_stepped_down_without_a_date_says_what_is_missing(admin_client, structure):
    people = structure.cycle.people
    response = admin_client.post(
        url("action_edit", structure, pk=structure.reported.pk),
        {"title": "Typed title", "status": "stepped_down", "sros": [people["sro"].pk]},
    )
    content = response.content.decode()
    assert "Enter the date the action was completed or stepped down" in content
    assert "Give the reason it was completed or stepped down" in content
    assert "Typed title" in content
    assert Action.objects.get(pk=structure.reported.pk).title == "Cut waiting times"


def test_editing_an_action_shows_its_sros_history(admin_client, structure):
    people = structure.cycle.people
    edit = url("action_edit", structure, pk=structure.reported.pk)
    for sros in ([people["sro"], people["other_sro"]], [people["sro"], people["other_lead"]]):
        response = admin_client.post(
            edit, {"title": "Cut waiting times", "status": "active", "sros": [p.pk for p in sros]}
        )
        assert response.status_code == 302
    content = admin_client.get(edit).content.decode()
    assert "<strong>SROs</strong>: Oscar Other, Sharon Sro → Olive Other, Sharon Sro" in content
    action_page = admin_client.get(structure.reported.get_absolute_url()).content.decode()
    assert "History of this action" in action_page
    assert "Olive Other, Sharon Sro" in action_page


def test_the_success_statements_editor_adds_moves_removes_and_saves(admin_client, structure):
    editor = url("success_statements_edit", structure)
    page = admin_client.post(editor, {"statement": ["One", "Two"], "intent": "add"}).content.decode()
    assert page.count('name="statement"') == 3
    page = admin_client.post(editor, {"statement": ["One", "Two", "Three"], "intent": "up:2"}).content.decode()
    assert page.index(">Three</textarea>") < page.index(">Two</textarea>")
    page = admin_client.post(editor, {"statement": ["One", "Three", "Two"], "intent": "remove:0"}).content.decode()
    assert ">One</textarea>" not in page
    structure.strategy.refresh_from_db()
    assert structure.strategy.success_statements == ["Patients tell us care is better."]  # nothing saved yet
    response = admin_client.post(editor, {"statement": ["Three", "", "Two"], "intent": "save"})
    assert response.status_code == 302
    structure.strategy.refresh_from_db()
    assert structure.strategy.success_statements == ["Three", "Two"]


def test_a_too_long_statement_is_refused_and_kept(admin_client, structure):
    long = "x" * 1001
    page = admin_client.post(
        url("success_statements_edit", structure), {"statement": ["Kept", long], "intent": "save"}
    ).content.decode()
    assert "Statement 2 must be 1000 characters or fewer" in page
    assert "nhsuk-error-summary" in page and ">Kept</textarea>" in page and long in page


def test_the_move_buttons_reorder_goals(admin_client, structure):
    response = admin_client.post(url("goal_reorder", structure, pk=structure.quality.pk), {"direction": "up"})
    assert response.status_code == 302
    assert list(Goal.objects.filter(strategy=structure.strategy).values_list("key", flat=True)) == [
        "quality",
        "access",
    ]


def test_deleting_asks_first_and_says_what_goes_with_it(admin_client, structure):
    delete = url("goal_delete", structure, pk=structure.quality.pk)
    page = admin_client.get(delete).content.decode()
    assert "You are about to delete this goal and its 1 objective and 1 action." in page
    assert Goal.objects.filter(pk=structure.quality.pk).exists()
    assert admin_client.post(delete).status_code == 302
    assert not Goal.objects.filter(pk=structure.quality.pk).exists()


def test_a_row_reported_on_offers_only_archiving(admin_client, structure):
    delete = url("action_delete", structure, pk=structure.reported.pk)
    page = admin_client.get(delete).content.decode()
    assert "has been reported on, so it cannot be deleted" in page
    assert "Delete action</button>" not in page
    assert admin_client.post(delete).status_code == 409
    assert Action.objects.filter(pk=structure.reported.pk).exists()


def test_archived_rows_leave_the_strategy_pages_and_come_back_when_restored(admin_client, structure):
    archive = url("action_archive", structure, pk=structure.unreported.pk)
    assert admin_client.post(archive).status_code == 302
    goal_page = admin_client.get(structure.access.get_absolute_url()).content.decode()
    assert "Open a new clinic" not in goal_page
    setup_page = admin_client.get(url("strategy_setup", structure)).content.decode()
    assert "Open a new clinic" in setup_page and "Restore" in setup_page
    admin_client.post(url("action_restore", structure, pk=structure.unreported.pk))
    assert "Open a new clinic" in admin_client.get(structure.access.get_absolute_url()).content.decode()


def test_an_action_moves_to_another_objective(admin_client, structure):
    response = admin_client.post(
        url("action_move", structure, pk=structure.unreported.pk), {"objective": structure.safety.pk}
    )
    assert response.status_code == 302
    moved = Action.objects.get(pk=structure.unreported.pk)
    assert (moved.objective, moved.number) == (structure.safety, 2)


def test_edit_controls_show_only_to_administrators(client, structure):
    pages = [
        reverse("goals:strategy_list"),
        structure.strategy.get_absolute_url(),
        structure.access.get_absolute_url(),
        structure.reported.get_absolute_url(),
    ]
    client.force_login(structure.director)
    for page in pages:
        content = client.get(page).content.decode()
        assert "Set up this strategy" not in content and "Create a strategy" not in content
    client.force_login(structure.admin)
    assert "Create a strategy" in client.get(pages[0]).content.decode()
    for page, label in zip(pages[1:], ["Edit this strategy", "Edit this goal", "Edit this action"], strict=True):
        content = client.get(page).content.decode()
        assert label in content and "Set up this strategy" in content


def test_a_metric_is_defined_with_its_baseline(admin_client, structure):
    response = admin_client.post(
        url("metric_create", structure),
        {
            "name": "Falls per 1,000 bed days",
            "improvement": "down",
            "frequency": "monthly",
            "baseline": "12",
            "goal": structure.quality.pk,
        },
    )
    assert response.status_code == 302
    metric = structure.strategy.metrics.get(name="Falls per 1,000 bed days")
    assert (metric.key, metric.baseline, metric.goal) == ("falls-per-1000-bed-days", 12, structure.quality)
    factories.MetricValueFactory(metric=metric)
    page = admin_client.get(url("metric_delete", structure, pk=metric.pk)).content.decode()
    assert "cannot be deleted" in page


def test_an_archived_action_leaves_the_open_quarters_lists_and_stays_where_it_was_reported(client, structure):
    from goals.setup import services

    cycle = structure.cycle
    services.row_archive(row=structure.reported, by=structure.admin)
    client.force_login(cycle.lead)
    assert "Cut waiting times" not in client.get(reverse("goals:my_updates")).content.decode()
    client.force_login(structure.admin)

    def tracker(period):
        return client.get(
            reverse("goals:tracker", kwargs={"slug": structure.strategy.slug, "period": period.slug})
        ).content.decode()

    assert "Cut waiting times" not in tracker(cycle.period)  # open, no update
    assert "Cut waiting times" in tracker(cycle.previous)  # reported on in Q2 2024/25


def test_an_archived_action_leaves_the_open_quarters_pack_and_stays_in_the_reported_one(structure):
    from goals.setup import services
    from reports.builder import build_report

    services.row_archive(row=structure.quality, by=structure.admin)  # never reported on
    services.row_archive(row=structure.reported, by=structure.admin)  # reported on in Q2 2024/25

    def titles(period):
        report = build_report(period=period, layout="progress")
        return [g.title for g in report.goals], [a.title for a in report.actions]

    assert titles(structure.cycle.period) == (["Access"], ["Open a new clinic"])
    assert titles(structure.cycle.previous) == (["Access"], ["Cut waiting times", "Open a new clinic"])


def test_an_archived_action_leaves_the_open_quarters_action_list(client, structure):
    from goals.setup import services

    services.row_archive(row=structure.reported, by=structure.admin)
    client.force_login(structure.director)

    def action_list(period):
        return client.get(
            reverse("goals:action_list"), {"strategy": structure.strategy.slug, "quarter": period.slug}
        ).content.decode()

    assert "Cut waiting times" not in action_list(structure.cycle.period)
    assert "Cut waiting times" in action_list(structure.cycle.previous)

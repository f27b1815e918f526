"""The rules of strategy administration, service by service, refusals included."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from goals.core.choices import ActionStatus
from goals.core.history import ACTION_HISTORY_FIELDS, history_of
from goals.models import Action, Goal, Objective, Strategy, SuccessMeasure
from goals.setup import services
from tests import factories

pytestmark = pytest.mark.django_db


def numbers(objective):
    return list(Action.objects.filter(objective=objective).order_by("number").values_list("title", "number"))


def test_it_creates_a_strategy_with_a_slug_made_from_its_name(structure):
    strategy = services.strategy_create(
        fields={"organisation": "A Trust", "name": "Better Care", "default_layout": "progress"}, by=structure.admin
    )
    assert strategy.slug == "better-care-2"  # "better-care" is taken
    assert strategy.history.get().history_change_reason == services.CREATED_REASON


def test_only_an_administrator_creates_or_edits_a_strategy(structure):
    for user in (structure.director, structure.secretary, structure.lead):
        with pytest.raises(PermissionDenied):
            services.strategy_create(fields={"organisation": "X", "name": "Y"}, by=user)
        with pytest.raises(PermissionDenied):
            services.strategy_update(strategy=structure.strategy, fields={"name": "Changed"}, by=user)
    assert Strategy.objects.filter(name__in=["Y", "Changed"]).count() == 0


def test_success_statements_are_saved_in_order_without_empty_ones(structure):
    services.strategy_update(
        strategy=structure.strategy, fields={"success_statements": ["  First ", "", "Second"]}, by=structure.admin
    )
    structure.strategy.refresh_from_db()
    assert structure.strategy.success_statements == ["First", "Second"]
    with pytest.raises(ValidationError):
        services.strategy_update(
            strategy=structure.strategy,
            fields={"success_statements": ["x" * (services.STATEMENT_LIMIT + 1)]},
            by=structure.admin,
        )


def test_a_new_goal_comes_last_with_a_unique_key(structure):
    goal = services.goal_create(strategy=structure.strategy, fields={"title": "Access"}, by=structure.admin)
    assert (goal.order, goal.key) == (3, "access-2")


def test_reordering_swaps_neighbours_and_keeps_positions_1_to_n(structure):
    services.row_reorder(row=structure.quality, step=-1, by=structure.admin)
    assert list(structure.strategy.goals.order_by("order").values_list("key", "order")) == [
        ("quality", 1),
        ("access", 2),
    ]
    with pytest.raises(services.SetupError):
        services.row_reorder(row=Goal.objects.get(key="quality"), step=-1, by=structure.admin)
    history = history_of(Goal.objects.get(key="quality"), ("order",))
    assert history[0].reason == services.MOVED_UP_REASON
    assert [(c.before, c.after) for c in history[0].changes] == [(2, 1)]


def test_reordering_skips_archived_rows(structure):
    extra = factories.ActionFactory(objective=structure.waits, number=3, title="Third")
    services.row_archive(row=structure.unreported, by=structure.admin)
    services.row_reorder(row=extra, step=-1, by=structure.admin)
    # Third passes Cut waiting times (its current neighbour); the archived action keeps its place.
    assert numbers(structure.waits) == [("Third", 1), ("Open a new clinic", 2), ("Cut waiting times", 3)]


def test_moving_an_action_numbers_it_last_there_and_closes_the_gap(structure):
    services.action_move(action=structure.reported, objective=structure.safety, by=structure.admin)
    assert numbers(structure.safety) == [("Safer wards", 1), ("Cut waiting times", 2)]
    assert numbers(structure.waits) == [("Open a new clinic", 1)]
    assert structure.reported.history.latest().history_change_reason == "Moved from Shorter waits to Safety"


def test_an_action_cannot_move_to_another_strategy(structure):
    with pytest.raises(services.SetupError):
        services.action_move(action=structure.reported, objective=structure.other_rows["objective"], by=structure.admin)
    assert Action.objects.get(pk=structure.reported.pk).objective == structure.waits


def test_complete_and_stepped_down_need_a_date_and_a_reason(structure):
    with pytest.raises(ValidationError) as refused:
        services.action_update(
            action=structure.reported,
            fields={"status": ActionStatus.STEPPED_DOWN},
            sros=[],
            leads=[],
            by=structure.admin,
        )
    assert set(refused.value.message_dict) == {"status_changed_on", "status_reason"}
    services.action_update(
        action=structure.reported,
        fields={
            "status": ActionStatus.STEPPED_DOWN,
            "status_changed_on": datetime.date(2024, 3, 31),
            "status_reason": "Improvements sustained",
        },
        sros=[],
        leads=[],
        by=structure.admin,
    )
    assert Action.objects.get(pk=structure.reported.pk).status == ActionStatus.STEPPED_DOWN


def test_an_action_edit_records_sros_and_leads_as_one_history_entry(structure):
    people = structure.cycle.people
    action = structure.reported
    before = action.history.count()
    services.action_update(
        action=action,
        fields={"title": action.title},
        sros=[people["sro"], people["other_sro"]],
        leads=[people["lead"]],
        by=structure.admin,
    )
    assert action.history.count() == before + 1
    services.action_update(
        action=action,
        fields={"title": action.title},
        sros=[people["sro"], people["other_lead"]],
        leads=[people["lead"]],
        by=structure.admin,
    )
    latest = history_of(action, ACTION_HISTORY_FIELDS)[0]
    assert latest.who == structure.admin.get_full_name()
    assert [(c.label, c.before, c.after) for c in latest.changes] == [
        ("SROs", "Oscar Other, Sharon Sro", "Olive Other, Sharon Sro")
    ]


def test_nothing_reported_on_can_be_deleted(structure):
    for row in (structure.reported, structure.access, structure.waits):
        assert services.row_reach(row).reported
        with pytest.raises(services.SetupError):
            services.row_delete(row=row, by=structure.admin)
    factories.MeasureEvidenceFactory(measure=structure.measure, period=structure.cycle.period)
    factories.MetricValueFactory(metric=structure.metric)
    for row in (structure.measure, structure.metric):
        with pytest.raises(services.SetupError):
            services.row_delete(row=row, by=structure.admin)
    assert Action.objects.filter(pk=structure.reported.pk).exists()
    assert SuccessMeasure.objects.filter(pk=structure.measure.pk).exists()


def test_deleting_an_unreported_goal_takes_what_it_holds_and_says_so(structure):
    reach = services.row_reach(structure.quality)
    assert not reach.reported
    assert reach.summary == "this goal and its 1 objective and 1 action"
    services.row_delete(row=structure.quality, by=structure.admin)
    assert not Objective.objects.filter(pk=structure.safety.pk).exists()


def test_deleting_an_action_closes_the_gap(structure):
    extra = factories.ActionFactory(objective=structure.waits, number=3, title="Third")
    services.row_delete(row=structure.unreported, by=structure.admin)
    assert numbers(structure.waits) == [("Cut waiting times", 1), ("Third", 2)]
    extra.refresh_from_db()
    assert extra.history.latest().history_change_reason == services.RENUMBERED_REASON


def test_archiving_a_goal_archives_what_it_holds_and_restoring_brings_them_back(structure):
    services.row_archive(row=structure.access, by=structure.admin)
    assert Action.objects.filter(objective=structure.waits, archived_at__isnull=True).count() == 0
    with pytest.raises(services.SetupError):
        services.row_archive(row=Goal.objects.get(pk=structure.access.pk), by=structure.admin)
    services.row_restore(row=Goal.objects.get(pk=structure.access.pk), by=structure.admin)
    assert Action.objects.filter(objective=structure.waits, archived_at__isnull=True).count() == 2


def test_restoring_a_goal_leaves_what_was_archived_before_it_archived(structure):
    services.row_archive(row=structure.unreported, by=structure.admin)
    services.row_archive(row=structure.access, by=structure.admin)
    services.row_restore(row=Goal.objects.get(pk=structure.access.pk), by=structure.admin)
    assert Action.objects.get(pk=structure.unreported.pk).archived_at is not None
    assert Action.objects.get(pk=structure.reported.pk).archived_at is None


def test_a_metric_links_only_to_its_own_strategy(structure):
    with pytest.raises(ValidationError):
        services.metric_create(
            strategy=structure.strategy,
            fields={"name": "Falls", "goal": structure.other_rows["goal"]},
            by=structure.admin,
        )
    metric = services.metric_create(
        strategy=structure.strategy, fields={"name": "Waiting Times", "baseline": 12}, by=structure.admin
    )
    assert metric.key == "waiting-times"


def test_nobody_but_an_administrator_changes_the_structure(structure):
    calls = [
        lambda by: services.goal_create(strategy=structure.strategy, fields={"title": "New"}, by=by),
        lambda by: services.goal_update(goal=structure.access, fields={"title": "New"}, by=by),
        lambda by: services.row_reorder(row=structure.quality, step=-1, by=by),
        lambda by: services.row_archive(row=structure.safer, by=by),
        lambda by: services.row_delete(row=structure.unreported, by=by),
        lambda by: services.action_move(action=structure.unreported, objective=structure.safety, by=by),
        lambda by: services.metric_update(metric=structure.metric, fields={"name": "New"}, by=by),
    ]
    for user in (structure.director, structure.secretary, structure.lead):
        for call in calls:
            with pytest.raises(PermissionDenied):
                call(user)
    assert Goal.objects.filter(title="New").count() == 0
    assert numbers(structure.waits) == [("Cut waiting times", 1), ("Open a new clinic", 2)]
    assert Action.objects.filter(archived_at__isnull=False).count() == 0


def test_numbering_stays_1_to_n_through_any_sequence_of_moves(structure):
    import random

    rng = random.Random(7)
    for n in range(3, 8):
        factories.ActionFactory(objective=structure.waits, number=n, title=f"Extra {n}")
    objectives = [structure.waits, structure.safety]
    for _ in range(40):
        action = rng.choice(list(Action.objects.filter(objective__in=objectives)))
        choice = rng.choice(["up", "down", "move", "delete"])
        try:
            if choice == "move":
                target = objectives[1] if action.objective_id == objectives[0].pk else objectives[0]
                services.action_move(action=action, objective=target, by=structure.admin)
            elif choice == "delete":
                services.row_delete(row=action, by=structure.admin)
            else:
                services.row_reorder(row=action, step=-1 if choice == "up" else 1, by=structure.admin)
        except services.SetupError:
            pass  # first moving up, last moving down, or reported on: refused, nothing changed
        for objective in objectives:
            found = [number for _, number in numbers(objective)]
            assert found == list(range(1, len(found) + 1))
    assert Action.objects.filter(pk=structure.reported.pk).exists()

"""Reads of strategy administration: the set-up page of a strategy (its whole structure, archived
rows included) and the rows its pages edit, each with a fixed number of queries."""

from __future__ import annotations

from django.db.models import Model, Prefetch
from django.shortcuts import get_object_or_404

from goals.core.history import ACTION_HISTORY_FIELDS, HistoryEntry, history_of
from goals.models import Action, Goal, Objective, Strategy, SuccessMeasure
from goals.setup.services import KINDS

# The fields each edit page's history shows (who, when, before → after), many-to-many included.
HISTORY_FIELDS = {
    "strategy": (
        "organisation",
        "name",
        "years",
        "vision",
        "success_statements",
        "sro",
        "default_layout",
    ),
    "goal": ("order", "title", "description", "objectives_text", "archived_at"),
    "objective": (
        "order",
        "title",
        "theme",
        "commitments",
        "aims",
        "lead_directors",
        "risk_register_reference",
        "risk_register_date",
        "risk_register_entry",
        "archived_at",
    ),
    "measure": ("order", "title", "archived_at"),
    "action": ACTION_HISTORY_FIELDS,
    "metric": (
        "name",
        "description",
        "unit",
        "improvement",
        "target",
        "frequency",
        "baseline",
        "goal",
        "objective",
        "archived_at",
    ),
}


def strategy_for_setup(slug: str) -> Strategy:
    return get_object_or_404(Strategy.objects.select_related("sro"), slug=slug)


def row_for_setup(kind: str, strategy: Strategy, pk: int) -> Model:
    """The goal, objective, measure, action or metric `pk` of this strategy; 404 for another
    strategy's row (so one strategy's URLs never reach another's rows)."""
    spec = KINDS[kind]
    related = {
        "goal": ("strategy",),
        "objective": ("goal__strategy",),
        "measure": ("objective__goal__strategy",),
        "action": ("objective__goal__strategy",),
        "metric": ("strategy", "goal", "objective"),
    }[kind]
    return get_object_or_404(spec.model.objects.select_related(*related), pk=pk, **{spec.strategy_path: strategy})


def history_for(kind: str, row: Model) -> list[HistoryEntry]:
    return history_of(row, HISTORY_FIELDS[kind])


def strategy_setup(strategy: Strategy) -> Strategy:
    """The strategy with every goal → objective → success measures and actions (SROs, leads),
    archived ones included and marked, and its metrics: seven queries however large it is."""
    actions = Action.objects.order_by("number").prefetch_related(
        Prefetch("sros", to_attr="sro_list"), Prefetch("leads", to_attr="lead_list")
    )
    objectives = Objective.objects.order_by("order").prefetch_related(
        Prefetch("success_measures", queryset=SuccessMeasure.objects.order_by("order"), to_attr="measure_list"),
        Prefetch("actions", queryset=actions, to_attr="action_list"),
    )
    strategy.goal_list = list(
        Goal.objects.filter(strategy=strategy)
        .order_by("order")
        .prefetch_related(Prefetch("objectives", queryset=objectives, to_attr="objective_list"))
    )
    strategy.metric_list = list(strategy.metrics.select_related("goal", "objective").order_by("name"))
    for goal in strategy.goal_list:
        _mark_ends(goal.objective_list)
        for objective in goal.objective_list:
            _mark_ends(objective.measure_list)
            _mark_ends(objective.action_list)
    _mark_ends(strategy.goal_list)
    return strategy


def _mark_ends(rows: list) -> None:
    """Set `is_first`/`is_last` among the current (not archived) rows: which move buttons to show."""
    current = [row for row in rows if row.archived_at is None]
    for row in rows:
        row.is_first = bool(current) and row is current[0]
        row.is_last = bool(current) and row is current[-1]


def objectives_of(strategy: Strategy) -> list[Objective]:
    """The strategy's current objectives, in goal and objective order (where an action can move)."""
    return list(
        Objective.objects.filter(goal__strategy=strategy, archived_at__isnull=True, goal__archived_at__isnull=True)
        .select_related("goal")
        .order_by("goal__order", "order")
    )

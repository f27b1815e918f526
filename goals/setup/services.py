"""Writes of strategy administration: a strategy's structure (goals, objectives, success measures,
actions) and its metrics' definitions. Each is a keyword-only function `<entity>_<verb>(*, …, by)`
that checks `may_administer(by, strategy)`, validates with `full_clean()` and saves with a change
reason, so every change is in the row's history (who, when, before → after, many-to-many included).

Rules:
- Positions (`order`, an action's `number`) run 1, 2, 3… within their parent. Moving swaps two
  neighbours; deleting or moving away closes the gap; all in one transaction, so the unique
  constraints hold at every step.
- Anything reported on (an action with updates, a measure with evidence, a metric with values, and
  a goal or objective holding such) is archived, never deleted. Archiving a goal or objective
  archives what it holds with the same time, and restoring it restores them.
- Keys (goals, objectives, metrics) are made from the title when not given and kept unique.

Refusals: PermissionDenied (not an administrator of this strategy), ValidationError (the input),
SetupError (the rule does not allow it, e.g. deleting something reported on).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Model
from django.utils import timezone
from django.utils.text import slugify

from goals.core import permissions
from goals.core.choices import ActionStatus
from goals.models import (
    Action,
    ActionUpdate,
    Goal,
    MeasureEvidence,
    Metric,
    MetricValue,
    Objective,
    Person,
    Strategy,
    SuccessMeasure,
)

STATEMENT_LIMIT = 1000  # one "we will know we are successful when" statement
KEY_LIMIT = 80

CREATED_REASON = "Created"
EDITED_REASON = "Edited"
MOVED_UP_REASON = "Moved up"
MOVED_DOWN_REASON = "Moved down"
RENUMBERED_REASON = "Renumbered"
ARCHIVED_REASON = "Archived"
RESTORED_REASON = "Restored"

STATUS_NEEDS = {
    "status_changed_on": "Enter the date the action was completed or stepped down",
    "status_reason": "Give the reason it was completed or stepped down",
}


class SetupError(Exception):
    """Administration does not allow this; `message` says why, in the user's words."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- The rows of a strategy's structure ------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    """One kind of row of a strategy's structure: its model, parent and position field. `name`
    is also its URL segment and the word in messages."""

    name: str
    model: type[Model]
    parent: str  # the field naming the parent row
    position: str  # "order", or "number" for actions
    strategy_path: str  # lookup from the row to its strategy


KINDS = {
    kind.name: kind
    for kind in (
        Kind("goal", Goal, "strategy", "order", "strategy"),
        Kind("objective", Objective, "goal", "order", "goal__strategy"),
        Kind("measure", SuccessMeasure, "objective", "order", "objective__goal__strategy"),
        Kind("action", Action, "objective", "number", "objective__goal__strategy"),
        Kind("metric", Metric, "strategy", "", "strategy"),
    )
}


def kind_of(row: Model) -> Kind:
    return next(kind for kind in KINDS.values() if isinstance(row, kind.model))


def strategy_of(row: Model) -> Strategy:
    for step in kind_of(row).strategy_path.split("__"):
        row = getattr(row, step)
    return row


def _require_admin(user, strategy: Strategy) -> None:
    if not permissions.may_administer(user, strategy):
        raise PermissionDenied("Only an administrator of this strategy can change it.")


def _save(row: Model, *, by, reason: str) -> None:
    row.full_clean()
    row._history_user = by
    row._change_reason = reason
    row.save()


def _assign(row: Model, fields: Mapping[str, object], allowed: Iterable[str]) -> None:
    for name in allowed:
        if name in fields:
            setattr(row, name, fields[name])


def _unique_key(model: type[Model], scope: Mapping[str, object], title: str, *, exclude_pk=None) -> str:
    """A slug from the title, unique within `scope` (e.g. the goal's strategy): "access", "access-2"…"""
    base = slugify(title)[:KEY_LIMIT].strip("-") or model._meta.model_name
    taken = set(model.objects.filter(**scope).exclude(pk=exclude_pk).values_list("key", flat=True))
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


def _next_position(kind: Kind, parent: Model) -> int:
    top = kind.model.objects.filter(**{kind.parent: parent}).aggregate(top=Max(kind.position))["top"]
    return (top or 0) + 1


def _siblings(kind: Kind, parent: Model) -> list[Model]:
    return list(kind.model.objects.select_for_update().filter(**{kind.parent: parent}).order_by(kind.position))


def _renumber(kind: Kind, rows: list[Model], *, by, reason: str) -> None:
    """Give `rows` the positions 1, 2, 3… in their list order. Rows that move are first parked
    above every position in use (without a history record), so no two rows ever share one."""
    moving = [(row, n) for n, row in enumerate(rows, start=1) if getattr(row, kind.position) != n]
    if not moving:
        return
    park = max(getattr(row, kind.position) for row in rows) + len(rows) + 1
    for i, (row, _) in enumerate(moving):
        setattr(row, kind.position, park + i)
        row.skip_history_when_saving = True
        row.save(update_fields=[kind.position])
        del row.skip_history_when_saving
    for row, n in moving:
        setattr(row, kind.position, n)
        row._history_user = by
        row._change_reason = reason
        row.save()


# --- Strategy ---------------------------------------------------------------------------------

STRATEGY_FIELDS = ("organisation", "name", "years", "vision", "sro", "default_layout")


def strategy_create(*, fields: Mapping[str, object], by) -> Strategy:
    strategy = Strategy()
    _require_admin(by, strategy)
    _assign(strategy, fields, STRATEGY_FIELDS)
    strategy.slug = fields.get("slug") or _unique_slug(str(fields.get("name", "")))
    strategy.success_statements = _statements(fields.get("success_statements", []))
    _save(strategy, by=by, reason=CREATED_REASON)
    return strategy


def _unique_slug(name: str) -> str:
    base = slugify(name)[:KEY_LIMIT].strip("-") or "strategy"
    taken = set(Strategy.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _statements(statements) -> list[str]:
    """The statements as saved: trimmed, empty ones dropped, each within the limit."""
    kept = [str(s).strip() for s in statements if str(s).strip()]
    too_long = [n for n, s in enumerate(kept, start=1) if len(s) > STATEMENT_LIMIT]
    if too_long:
        raise ValidationError(
            {"success_statements": f"Statement {too_long[0]} must be {STATEMENT_LIMIT} characters or fewer"}
        )
    return kept


def strategy_update(*, strategy: Strategy, fields: Mapping[str, object], by) -> Strategy:
    """Edit a strategy: any of STRATEGY_FIELDS and `success_statements` (a list, in order)."""
    _require_admin(by, strategy)
    _assign(strategy, fields, STRATEGY_FIELDS)
    if "success_statements" in fields:
        strategy.success_statements = _statements(fields["success_statements"])
    _save(strategy, by=by, reason=EDITED_REASON)
    return strategy


# --- Goals, objectives, success measures -------------------------------------------------------

GOAL_FIELDS = ("title", "description", "objectives_text")
OBJECTIVE_FIELDS = (
    "title",
    "theme",
    "commitments",
    "aims",
    "risk_register_reference",
    "risk_register_date",
    "risk_register_entry",
)
MEASURE_FIELDS = ("title",)
ACTION_FIELDS = ("title", "description", "status", "status_changed_on", "status_reason")


@transaction.atomic
def goal_create(*, strategy: Strategy, fields: Mapping[str, object], by) -> Goal:
    _require_admin(by, strategy)
    goal = Goal(strategy=strategy, order=_next_position(KINDS["goal"], strategy))
    _assign(goal, fields, GOAL_FIELDS)
    goal.key = fields.get("key") or _unique_key(Goal, {"strategy": strategy}, goal.title)
    _save(goal, by=by, reason=CREATED_REASON)
    return goal


def goal_update(*, goal: Goal, fields: Mapping[str, object], by) -> Goal:
    _require_admin(by, goal.strategy)
    _assign(goal, fields, GOAL_FIELDS)
    _save(goal, by=by, reason=EDITED_REASON)
    return goal


def _set_people(row: Model, people: Mapping[str, Iterable[Person]], *, by, reason: str) -> None:
    """Save the row and its many-to-many people as one history record (not one per add/remove)."""
    row.full_clean()
    row.skip_history_when_saving = True
    try:
        row.save()
        for name, chosen in people.items():
            getattr(row, name).set(chosen)
    finally:
        del row.skip_history_when_saving
    _save(row, by=by, reason=reason)


@transaction.atomic
def objective_create(*, goal: Goal, fields: Mapping[str, object], lead_directors=(), by) -> Objective:
    _require_admin(by, goal.strategy)
    objective = Objective(goal=goal, order=_next_position(KINDS["objective"], goal))
    _assign(objective, fields, OBJECTIVE_FIELDS)
    objective.key = fields.get("key") or _unique_key(Objective, {"goal": goal}, objective.title)
    _set_people(objective, {"lead_directors": lead_directors}, by=by, reason=CREATED_REASON)
    return objective


@transaction.atomic
def objective_update(*, objective: Objective, fields: Mapping[str, object], lead_directors, by) -> Objective:
    _require_admin(by, objective.goal.strategy)
    _assign(objective, fields, OBJECTIVE_FIELDS)
    _set_people(objective, {"lead_directors": lead_directors}, by=by, reason=EDITED_REASON)
    return objective


@transaction.atomic
def measure_create(*, objective: Objective, fields: Mapping[str, object], by) -> SuccessMeasure:
    _require_admin(by, objective.goal.strategy)
    measure = SuccessMeasure(objective=objective, order=_next_position(KINDS["measure"], objective))
    _assign(measure, fields, MEASURE_FIELDS)
    _save(measure, by=by, reason=CREATED_REASON)
    return measure


def measure_update(*, measure: SuccessMeasure, fields: Mapping[str, object], by) -> SuccessMeasure:
    _require_admin(by, measure.objective.goal.strategy)
    _assign(measure, fields, MEASURE_FIELDS)
    _save(measure, by=by, reason=EDITED_REASON)
    return measure


# --- Actions ------------------------------------------------------------------------------------


def _check_status(action: Action) -> None:
    """Complete and stepped down need the date and the reason (as LTHT stepped a collaborative down
    once its improvements were sustained); active keeps neither."""
    if action.status == ActionStatus.ACTIVE:
        action.status_changed_on, action.status_reason = None, ""
        return
    missing = {name: message for name, message in STATUS_NEEDS.items() if not getattr(action, name)}
    if missing:
        raise ValidationError(missing)


@transaction.atomic
def action_create(*, objective: Objective, fields: Mapping[str, object], sros=(), leads=(), by) -> Action:
    _require_admin(by, objective.goal.strategy)
    action = Action(objective=objective, number=_next_position(KINDS["action"], objective))
    _assign(action, fields, ACTION_FIELDS)
    _check_status(action)
    _set_people(action, {"sros": sros, "leads": leads}, by=by, reason=CREATED_REASON)
    return action


@transaction.atomic
def action_update(*, action: Action, fields: Mapping[str, object], sros, leads, by) -> Action:
    _require_admin(by, action.objective.goal.strategy)
    _assign(action, fields, ACTION_FIELDS)
    _check_status(action)
    _set_people(action, {"sros": sros, "leads": leads}, by=by, reason=EDITED_REASON)
    return action


@transaction.atomic
def action_move(*, action: Action, objective: Objective, by) -> Action:
    """Move an action to another objective of the same strategy: it takes the next number there,
    and the actions after it in its old objective close the gap."""
    strategy = action.objective.goal.strategy
    _require_admin(by, strategy)
    if objective.goal.strategy_id != strategy.pk:
        raise SetupError("An action can only move to an objective of its own strategy.")
    if objective.pk == action.objective_id:
        return action
    kind = KINDS["action"]
    old = action.objective
    action.objective = objective
    action.number = _next_position(kind, objective)
    _save(action, by=by, reason=f"Moved from {old.title} to {objective.title}")
    _renumber(kind, _siblings(kind, old), by=by, reason=RENUMBERED_REASON)
    return action


# --- Any row: reorder, archive, restore, delete -------------------------------------------------


@transaction.atomic
def row_reorder(*, row: Model, step: int, by) -> Model:
    """Move a goal, objective, measure or action one place up (step -1) or down (+1) among the
    current (not archived) rows of its parent."""
    kind = kind_of(row)
    _require_admin(by, strategy_of(row))
    if step not in (-1, 1) or not kind.position:
        raise SetupError("Rows move one place up or down.")
    rows = _siblings(kind, getattr(row, kind.parent))
    current = [r for r in rows if r.archived_at is None or r.pk == row.pk]
    at = next(i for i, r in enumerate(current) if r.pk == row.pk)
    if not 0 <= at + step < len(current):
        raise SetupError(f"This {kind.name} is already {'first' if step < 0 else 'last'}.")
    neighbour = current[at + step]
    i, j = rows.index(current[at]), rows.index(neighbour)
    rows[i], rows[j] = rows[j], rows[i]
    _renumber(kind, rows, by=by, reason=MOVED_UP_REASON if step < 0 else MOVED_DOWN_REASON)
    return row


def _held(row: Model) -> list[Model]:
    """The rows a goal or objective holds (its objectives, measures and actions), not itself:
    three queries for a goal, two for an objective, however many it holds."""
    if isinstance(row, Goal):
        inside = {"objective__goal": row}
        objectives = list(row.objectives.all())
    elif isinstance(row, Objective):
        inside, objectives = {"objective": row}, []
    else:
        return []
    return [*objectives, *SuccessMeasure.objects.filter(**inside), *Action.objects.filter(**inside)]


@dataclass
class Reach:
    """What deleting or archiving a row takes with it, and whether any of it was reported on."""

    row: Model
    objectives: int
    measures: int
    actions: int
    reported: bool

    @property
    def summary(self) -> str:
        """'this goal and its 2 objectives, 3 actions and 1 success measure'"""
        parts = [
            f"{n} {word}{'' if n == 1 else 's'}"
            for n, word in (
                (self.objectives, "objective"),
                (self.actions, "action"),
                (self.measures, "success measure"),
            )
            if n
        ]
        words = ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + (parts[-1] if parts else "")
        name = kind_of(self.row).name.replace("measure", "success measure")
        return f"this {name} and its {words}" if parts else f"this {name}"


def row_reach(row: Model) -> Reach:
    """What goes with the row and whether any of it has a history of reporting (a fixed number of
    queries per kind of row)."""
    held = [row, *_held(row)]
    actions = [r.pk for r in held if isinstance(r, Action)]
    measures = [r.pk for r in held if isinstance(r, SuccessMeasure)]
    reported = (
        (bool(actions) and ActionUpdate.objects.filter(action__in=actions).exists())
        or (bool(measures) and MeasureEvidence.objects.filter(measure__in=measures).exists())
        or (isinstance(row, Metric) and MetricValue.objects.filter(metric=row).exists())
    )
    return Reach(
        row=row,
        objectives=sum(isinstance(r, Objective) for r in held[1:]),
        measures=len(measures) - isinstance(row, SuccessMeasure),
        actions=len(actions) - isinstance(row, Action),
        reported=reported,
    )


@transaction.atomic
def row_archive(*, row: Model, by) -> Model:
    """Archive a row (and what it holds): it leaves the strategy's current pages and the open
    quarter's lists, and stays in every quarter that reported on it."""
    _require_admin(by, strategy_of(row))
    if row.archived_at is not None:
        raise SetupError(f"This {kind_of(row).name} is already archived.")
    now = timezone.now()
    for held in [row, *_held(row)]:
        if held.archived_at is None:
            held.archived_at = now
            _save(held, by=by, reason=ARCHIVED_REASON)
    return row


@transaction.atomic
def row_restore(*, row: Model, by) -> Model:
    """Undo an archive: the row and what was archived with it (at the same time) come back."""
    _require_admin(by, strategy_of(row))
    if row.archived_at is None:
        raise SetupError(f"This {kind_of(row).name} is not archived.")
    when = row.archived_at
    for held in [row, *_held(row)]:
        if held.archived_at == when:
            held.archived_at = None
            _save(held, by=by, reason=RESTORED_REASON)
    return row


@transaction.atomic
def row_delete(*, row: Model, by) -> None:
    """Delete a row that nothing was ever reported on, with what it holds; its later siblings
    close the gap. Anything reported on is refused: archive it instead."""
    kind = kind_of(row)
    _require_admin(by, strategy_of(row))
    if row_reach(row).reported:
        raise SetupError(f"This {kind.name} has been reported on, so it cannot be deleted. Archive it instead.")
    parent = getattr(row, kind.parent)
    row._history_user = by
    row._change_reason = "Deleted"
    row.delete()
    if kind.position:
        _renumber(kind, _siblings(kind, parent), by=by, reason=RENUMBERED_REASON)


# --- Metrics ------------------------------------------------------------------------------------

METRIC_FIELDS = ("name", "description", "unit", "improvement", "target", "frequency", "baseline", "goal", "objective")


def _check_metric_links(metric: Metric) -> None:
    strategy = metric.strategy
    if metric.goal and metric.goal.strategy_id != strategy.pk:
        raise ValidationError({"goal": "Choose a goal of this strategy"})
    if metric.objective and metric.objective.goal.strategy_id != strategy.pk:
        raise ValidationError({"objective": "Choose an objective of this strategy"})


def metric_create(*, strategy: Strategy, fields: Mapping[str, object], by) -> Metric:
    _require_admin(by, strategy)
    metric = Metric(strategy=strategy)
    _assign(metric, fields, METRIC_FIELDS)
    metric.key = fields.get("key") or _unique_key(Metric, {"strategy": strategy}, metric.name)
    _check_metric_links(metric)
    _save(metric, by=by, reason=CREATED_REASON)
    return metric


def metric_update(*, metric: Metric, fields: Mapping[str, object], by) -> Metric:
    _require_admin(by, metric.strategy)
    _assign(metric, fields, METRIC_FIELDS)
    _check_metric_links(metric)
    _save(metric, by=by, reason=EDITED_REASON)
    return metric

"""Reads for an action's page (goals.strategy.selectors.action_detail calls these): its RAG
timeline quarter by quarter and each update's history."""

from collections import defaultdict
from dataclasses import dataclass

from django.utils.text import capfirst

from goals.core.choices import (
    NOT_RATED,
)
from goals.core.history import UPDATE_HISTORY_FIELDS, history_entries
from goals.core.movement import (
    Movement,
    rag_movement,
)
from goals.models import (
    Action,
    ActionUpdate,
    Period,
)

# --- The action page: RAG timeline and history (called by selectors.action_detail) ------------


@dataclass
class TimelineEntry:
    """One quarter of an action's RAG timeline."""

    period: Period
    update: ActionUpdate | None  # the reported update, if there is one
    movement: Movement

    @property
    def rag(self) -> str:
        return self.update.rag if self.update else NOT_RATED

    @property
    def movement_label(self) -> str:
        return str(self.movement.label)


def action_timeline(action: Action, reported_updates: list[ActionUpdate]) -> list[TimelineEntry]:
    """Every quarter of the action's strategy, oldest first, with the reported rating and how it
    moved from the quarter before (1 query)."""
    periods = list(Period.objects.filter(strategy_id=action.objective.goal.strategy_id).chronological())
    by_period = {u.period_id: u for u in reported_updates}
    rag_by_quarter = {p.as_quarter: (by_period[p.pk].rag if p.pk in by_period else NOT_RATED) for p in periods}
    return [
        TimelineEntry(
            period=p,
            update=by_period.get(p.pk),
            movement=rag_movement(rag_by_quarter.get(p.as_quarter.previous(), NOT_RATED), rag_by_quarter[p.as_quarter]),
        )
        for p in periods
    ]


_FIRST_VERSION_LABELS = {capfirst(ActionUpdate._meta.get_field(name).verbose_name) for name in ("state", "rag")}


def attach_update_history(updates: list[ActionUpdate]) -> None:
    """Give each update its `history_entries` (who, when, before → after), newest first. One query
    for all of them."""
    records = defaultdict(list)
    history = (
        ActionUpdate.history.filter(id__in=[u.pk for u in updates])
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    for record in history:
        records[record.id].append(record)
    for update in updates:
        entries = history_entries(records[update.pk], UPDATE_HISTORY_FIELDS)
        if entries:
            # The first version's text is on the page already (or, once edited, is the "before" of the
            # next version): say only how it started.
            entries[-1].changes = [c for c in entries[-1].changes if c.label in _FIRST_VERSION_LABELS]
        update.history_entries = entries

"""Reads for the action list and its downloads: one strategy's actions in one quarter, filtered
(goals.status.filters) and sorted. The one lazy read: `ActionList.queryset`, which the
paginated table slices."""

from dataclasses import dataclass
from functools import cached_property

from django.db.models import Q
from django.http import Http404, QueryDict

from goals.core import permissions
from goals.core.caching import strategy_cached
from goals.core.quarters import parse_quarter
from goals.models import (
    Objective,
    Strategy,
)
from goals.status.filters import ActionFilterChoices, ActionFilterSet
from goals.status.shared import (
    ActionPeople,
    ActionRow,
    StatusPeriod,
    action_row_list,
    action_rows,
    linked_people,
    listed_action_count,
    periods_with_data,
    status_period_of,
)

# --- The action list and its downloads --------------------------------------------------------


@dataclass
class ActionList:
    status: StatusPeriod
    filterset: ActionFilterSet

    @cached_property
    def people(self) -> ActionPeople:
        """Every SRO and lead of the strategy's actions (for the downloads: every row; 3 queries)."""
        return linked_people(self.status)

    def people_of(self, action_ids) -> ActionPeople:
        """The SROs and leads of just the rows a page shows (3 queries, none without rows)."""
        return linked_people(self.status, list(action_ids))

    def count(self) -> int | None:
        """How many rows the list has, counted the cheap way when no filter narrows it (None:
        the paginator counts the filtered rows)."""
        # An invalid form still filters by its valid fields.
        narrowed = self.filterset.active or not self.filterset.form.is_valid()
        return None if narrowed else listed_action_count(self.status)

    @property
    def queryset(self):
        """The filtered rows, lazy: the table orders and paginates them."""
        return self.filterset.qs

    def row_list(self) -> list[ActionRow]:
        """Every filtered row, evaluated (for the downloads)."""
        return action_row_list(self.status, self.filterset.qs, self.people)


def action_list(params: QueryDict, *, user=None) -> ActionList:
    """The action list of one strategy in one quarter, filtered by `params` (the GET query).

    Strategy and quarter fall back to the first strategy and its latest quarter with reported data
    when absent or unknown (the form then says what was wrong). 1 query (the strategies), and the
    strategy's quarters and objectives read once per data version (the pages' cache); the form is
    validated and the rows read only when the page is drawn.
    Only the strategies `user` may see (every strategy without a user: commands and tests).
    """
    scope = permissions.strategy_scope(user) if user is not None else Q()
    strategies = list(Strategy.objects.filter(scope).order_by("name"))
    if not strategies:
        raise Http404("There are no strategies yet")
    strategy = next((s for s in strategies if s.slug == params.get("strategy")), strategies[0])
    periods = periods_with_data(strategy)
    try:
        quarter = parse_quarter(params.get("quarter", ""))
    except ValueError:
        quarter = None
    if quarter not in {p.as_quarter for p in periods}:
        quarter = None
    status = status_period_of(strategy, periods, quarter)
    if status.period is None:
        raise Http404(f"{strategy.name} has no quarters yet")
    objectives = strategy_cached(
        strategy,
        "objective-choices",
        compute=lambda: list(
            Objective.objects.filter(goal__strategy=strategy)
            .order_by("goal__order", "order")
            .values_list("pk", "order", "title", "goal__key", "goal__order", "goal__title")
        ),
    )
    choices = ActionFilterChoices(
        strategies=[(s.slug, s.name) for s in strategies],
        quarters=[(p.slug, p.label) for p in reversed(periods)],
        goals=list({key: (key, f"{order}. {title}") for *_, key, order, title in objectives}.values()),
        objectives=[(str(pk), f"{g_order}.{order} {title}") for pk, order, title, _, g_order, _ in objectives],
    )
    data = params.copy()
    data.setdefault("strategy", strategy.slug)
    data.setdefault("quarter", status.period.slug)
    filterset = ActionFilterSet(data, queryset=action_rows(status), choices=choices)
    return ActionList(status=status, filterset=filterset)

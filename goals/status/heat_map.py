"""Reads for the heat map: goals and objectives × the last eight quarters, one cell each.
Every read returns evaluated data (lists and dataclasses, not lazy querysets) with a fixed number
of queries however large the strategy; the counts are pinned in tests/status at two data sizes."""

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from goals.core.caching import strategy_cached
from goals.core.choices import (
    NOT_RATED,
    RagCount,
    rag_style,
    rag_tally,
)
from goals.core.quarters import Quarter
from goals.core.querysets import REPORTED_STATES
from goals.models import (
    ActionUpdate,
    Objective,
    Period,
)
from goals.status.shared import (
    StatusPeriod,
    page_status,
)

HEAT_MAP_QUARTERS = 8


# --- The heat map -----------------------------------------------------------------------------


@dataclass
class HeatCell:
    """One goal or objective in one quarter: its actions' reported ratings."""

    period: Period
    counts: list[RagCount]

    @property
    def rag(self) -> str:
        """The worst rating reported (Red, then Amber, Green, Blue); not rated if none was."""
        rated = [c.rag for c in self.counts if c.count and c.rag != NOT_RATED]
        return rated[0] if rated else NOT_RATED

    @property
    def summary(self) -> str:
        parts = [f"{c.count} {rag_style(c.rag).label}" for c in self.counts if c.count and c.rag != NOT_RATED]
        return ", ".join(parts) or "No reported ratings"


@dataclass
class HeatRow:
    kind: str  # "goal" or "objective"
    label: str
    title: str
    url: str
    cells: list[HeatCell]


@dataclass
class HeatMap:
    status: StatusPeriod
    periods: list[Period]  # the columns: up to eight quarters, ending with the chosen one
    rows: list[HeatRow]  # read when first used


def heat_map(*, slug: str, quarter: Quarter | None = None) -> HeatMap:
    """Goals and their objectives × the last eight quarters up to `quarter`, one cell each. The rows
    are computed once per data version of the strategy (goals.core.caching) and read when first
    used (a page whose HTML is cached reads none): 2 queries, then 1 for the cache and 3 to compute."""
    status = page_status(slug, quarter)
    end = status.periods.index(status.period) + 1
    columns = status.periods[max(0, end - HEAT_MAP_QUARTERS) : end]
    rows = SimpleLazyObject(
        lambda: strategy_cached(
            status.strategy, "heat_map", [p.pk for p in columns], compute=lambda: heat_map_rows(status, columns)
        )
    )
    return HeatMap(status=status, periods=columns, rows=rows)


def heat_map_rows(status: StatusPeriod, columns: list[Period]) -> list[HeatRow]:
    """One row per goal and objective, one cell per quarter of `columns`, from the reported ratings
    counted in the database by quarter, objective and rating (3 queries)."""
    strategy = status.strategy
    goals = list(strategy.goals.order_by("order").values_list("pk", "order", "title", "key"))
    objectives = list(
        Objective.objects.filter(goal__strategy=strategy)
        .order_by("goal__order", "order")
        .values_list("pk", "goal_id", "order", "title")
    )
    tallies = (
        ActionUpdate.objects.filter(period__in=columns, state__in=REPORTED_STATES)
        .values_list("period_id", "action__objective_id", "rag")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_objective = defaultdict(Counter)  # (objective id, period id) → {rag: count}
    for period_id, objective_id, rag, n in tallies:
        by_objective[objective_id, period_id][rag] += n

    def cells(objective_ids):
        return [HeatCell(p, rag_tally(sum((by_objective[o, p.pk] for o in objective_ids), Counter()))) for p in columns]

    rows = []
    for goal_id, goal_order, goal_title, goal_key in goals:
        own = [(pk, order, title) for pk, goal, order, title in objectives if goal == goal_id]
        url = reverse("goals:goal_detail", kwargs={"slug": strategy.slug, "goal": goal_key})
        rows.append(HeatRow("goal", f"Goal {goal_order}", goal_title, url, cells([pk for pk, _, _ in own])))
        rows.extend(
            HeatRow("objective", f"{goal_order}.{order}", title, f"{url}#objective-{pk}", cells([pk]))
            for pk, order, title in own
        )
    return rows

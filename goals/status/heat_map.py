"""Reads for the heat map: goals and objectives × the last eight quarters, one cell each.
Every read returns evaluated data (lists and dataclasses, not lazy querysets) with a fixed number
of queries however large the strategy; the counts are pinned in tests/status at two data sizes."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count

from goals.core.choices import (
    NOT_RATED,
    RagCount,
    rag_counts,
    rag_style,
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
    rows: list[HeatRow]


def heat_map(*, slug: str, quarter: Quarter | None = None) -> HeatMap:
    """Goals and their objectives × the last eight quarters up to `quarter`, one cell each
    (5 queries)."""
    status = page_status(slug, quarter)
    end = status.periods.index(status.period) + 1
    columns = status.periods[max(0, end - HEAT_MAP_QUARTERS) : end]
    goals = list(status.strategy.goals.order_by("order"))
    objectives = list(Objective.objects.filter(goal__strategy=status.strategy).order_by("goal__order", "order"))
    tallies = (
        ActionUpdate.objects.filter(period__in=columns, state__in=REPORTED_STATES)
        .values_list("period_id", "action__objective_id", "rag")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_objective = defaultdict(list)  # (objective id, period id) → rags
    for period_id, objective_id, rag, n in tallies:
        by_objective[objective_id, period_id].extend([rag] * n)

    def cells(objective_ids):
        return [HeatCell(p, rag_counts(r for o in objective_ids for r in by_objective[o, p.pk])) for p in columns]

    rows = []
    for goal in goals:
        own = [o for o in objectives if o.goal_id == goal.pk]
        goal.strategy = status.strategy  # already read: spares a query per goal for its URL
        url = goal.get_absolute_url()
        rows.append(HeatRow("goal", f"Goal {goal.order}", goal.title, url, cells([o.pk for o in own])))
        rows.extend(
            HeatRow("objective", f"{goal.order}.{o.order}", o.title, f"{url}#objective-{o.pk}", cells([o.pk]))
            for o in own
        )
    return HeatMap(status=status, periods=columns, rows=rows)

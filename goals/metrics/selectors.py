"""Reads of metrics: evaluated ``MetricSummary`` objects in a fixed number of queries.

``metric_summaries(strategy, *, goal=None, objective=None)`` – every metric of a strategy (or of
one goal / objective) with its values and SPC analysis, in two queries however many metrics and
values there are. ``metric_detail(strategy_slug, metric_key)`` – one metric, two queries. Both
return plain, evaluated objects, safe to hand to any renderer (pages, the board pack's PDF and
Word). ``metric_index()`` lists strategies with metric counts.
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404

from goals.core import permissions
from goals.metrics.analysis import MetricSummary, summarise
from goals.models import Goal, Metric, MetricValue, Objective, Strategy


def _metrics():
    return Metric.objects.select_related("strategy", "goal", "objective__goal")


def metric_summaries(
    strategy: Strategy, *, goal: Goal | None = None, objective: Objective | None = None
) -> list[MetricSummary]:
    """The metrics of `strategy`, each with its values and SPC analysis, ordered by name.

    `goal` keeps the metrics linked to that goal or to one of its objectives; `objective` keeps
    those linked to that objective. Two queries (metrics, then all their values), whatever the
    number of metrics or values. Stable signature: the board pack (reports/) calls it.
    """
    metrics = _metrics().filter(strategy=strategy)
    if goal is not None:
        metrics = metrics.filter(Q(goal=goal) | Q(objective__goal=goal))
    if objective is not None:
        metrics = metrics.filter(objective=objective)
    metric_list = list(metrics.order_by("name", "pk"))
    by_metric: dict[int, list[MetricValue]] = {m.pk: [] for m in metric_list}
    for value in MetricValue.objects.filter(metric__in=metrics.values("pk")).order_by("metric", "date"):
        by_metric[value.metric_id].append(value)
    return [summarise(metric, by_metric[metric.pk]) for metric in metric_list]


def metric_detail(strategy_slug: str, metric_key: str) -> MetricSummary:
    """One metric of a strategy with its values and analysis (404 if there is none). Two queries."""
    metric = get_object_or_404(_metrics(), strategy__slug=strategy_slug, key=metric_key)
    return summarise(metric, metric.values.order_by("date"))


def metric_value_for_edit(strategy_slug: str, metric_key: str, pk: int) -> MetricValue:
    """A value of this strategy's metric, or 404: never another metric's value."""
    return get_object_or_404(
        MetricValue.objects.select_related("metric__strategy"),
        pk=pk,
        metric__key=metric_key,
        metric__strategy__slug=strategy_slug,
    )


def metric_index(*, user) -> list[Strategy]:
    """Every strategy the user may see, with its number of metrics (one query)."""
    return list(
        Strategy.objects.filter(permissions.strategy_scope(user))
        .annotate(metric_count=Count("metrics"))
        .order_by("name")
    )

"""Reads for the strategy pages. Each returns evaluated data with a fixed number of queries,
however large the strategy (pinned in tests/goals/test_views.py)."""

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from goals.core import permissions
from goals.core.caching import strategy_cached
from goals.core.choices import RagCount, rag_tally
from goals.core.history import ACTION_HISTORY_FIELDS, history_of
from goals.core.quarters import Quarter
from goals.core.querysets import REPORTED_STATES
from goals.metrics.selectors import metric_summaries
from goals.models import Action, ActionUpdate, Goal, Period, Strategy, SuccessMeasure


def strategy_list(*, user) -> list[Strategy]:
    """Every strategy the user may see, with its goal and action counts and its latest quarter with
    reported data."""
    latest_period = (
        Period.objects.filter(strategy=OuterRef("pk"), action_updates__state__in=REPORTED_STATES)
        .order_by("-year", "-quarter")
        .values("pk")[:1]
    )
    strategies = list(
        Strategy.objects.filter(permissions.strategy_scope(user))
        .select_related("sro")
        .annotate(
            goal_count=Count("goals", filter=Q(goals__archived_at__isnull=True), distinct=True),
            action_count=Count(
                "goals__objectives__actions",
                filter=Q(goals__objectives__actions__archived_at__isnull=True),
                distinct=True,
            ),
            latest_period_id=Subquery(latest_period),
        )
        .order_by("name")
    )
    periods = Period.objects.in_bulk([s.latest_period_id for s in strategies if s.latest_period_id])
    for strategy in strategies:
        strategy.latest_period = periods.get(strategy.latest_period_id)
    return strategies


def _latest_reported(field: str) -> Subquery:
    """One field of each action's latest reported update (one correlated subquery)."""
    latest = ActionUpdate.objects.filter(action=OuterRef("pk"), state__in=REPORTED_STATES).latest_first()
    return Subquery(latest.values(field)[:1])


@dataclass
class GoalLine:
    """A goal as the strategy page lists it: its objectives, actions and their latest ratings."""

    order: int
    title: str
    url: str
    objective_count: int
    action_count: int
    rag_counts: list[RagCount]


@dataclass
class StrategyFigures:
    """What the strategy page computes: the same for every reader, so cached."""

    goals: list[GoalLine]
    rag_counts: list[RagCount]  # every action's latest reported rating
    periods: list[Period]


@dataclass
class StrategyPage:
    strategy: Strategy
    figures: StrategyFigures  # read when first used


def strategy_detail(slug: str) -> StrategyPage:
    """A strategy with its figures: its goals, each goal's objective count and its actions' latest
    RAG counts, and its quarters. The figures are computed once per data version of the strategy
    (goals.core.caching) and read when first used, so a page that has its HTML cached reads only
    the strategy (1 query; 1 more for the cache, and 3 to compute)."""
    strategy = get_object_or_404(Strategy.objects.select_related("sro"), slug=slug)
    figures = SimpleLazyObject(
        lambda: strategy_cached(strategy, "strategy_page", compute=lambda: strategy_figures(strategy))
    )
    return StrategyPage(strategy=strategy, figures=figures)


def strategy_figures(strategy: Strategy) -> StrategyFigures:
    """The strategy page's counts, with the latest reported rating of every action counted by goal
    and rating in the database (one grouped query; 3 in all)."""
    latest = (
        Action.objects.filter(objective__goal__strategy=strategy, archived_at__isnull=True)
        .annotate(latest_rag=_latest_reported("rag"))
        .values("objective__goal_id", "latest_rag")
        .annotate(n=Count("pk"))
        .values_list("objective__goal_id", "latest_rag", "n")
        .order_by()
    )
    rags_by_goal = defaultdict(Counter)
    for goal_id, rag, n in latest:
        rags_by_goal[goal_id][rag] += n
    # Archived goals, objectives and actions are kept for the quarters that reported on them only.
    goals = (
        strategy.goals.filter(archived_at__isnull=True)
        .annotate(objective_count=Count("objectives", filter=Q(objectives__archived_at__isnull=True), distinct=True))
        .order_by("order")
        .values_list("order", "title", "key", "objective_count", "pk")
    )
    return StrategyFigures(
        goals=[
            GoalLine(
                order=order,
                title=title,
                url=reverse("goals:goal_detail", kwargs={"slug": strategy.slug, "goal": key}),
                objective_count=objective_count,
                action_count=sum(rags_by_goal[pk].values()),
                rag_counts=rag_tally(rags_by_goal[pk]),
            )
            for order, title, key, objective_count, pk in goals
        ],
        rag_counts=rag_tally(sum(rags_by_goal.values(), Counter())),  # archived goals' actions too
        periods=list(strategy.periods.chronological()),
    )


def goal_detail(slug: str, goal_key: str) -> Goal:
    """A goal with its objectives, their success measures and actions (SROs, latest RAG).

    Related rows are prefetched into plain lists (`to_attr`): a template reading `.all()` of a
    prefetched relation clones a queryset each time, which costs more than the SQL at 200 actions.
    """
    goal = get_object_or_404(Goal.objects.select_related("strategy"), strategy__slug=slug, key=goal_key)
    actions = (
        Action.objects.filter(archived_at__isnull=True)
        .annotate(latest_update_id=_latest_reported("pk"))
        .prefetch_related(Prefetch("sros", to_attr="sro_list"))
        .order_by("number")
    )
    goal.objective_list = list(
        goal.objectives.prefetch_related(
            Prefetch("lead_directors", to_attr="lead_director_list"),
            Prefetch(
                "success_measures", SuccessMeasure.objects.filter(archived_at__isnull=True), to_attr="measure_list"
            ),
            Prefetch("actions", queryset=actions, to_attr="action_list"),
        )
        .filter(archived_at__isnull=True)
        .order_by("order")
    )
    latest = {
        pk: (rag, Quarter(year, quarter))
        for pk, rag, year, quarter in ActionUpdate.objects.filter(
            pk__in=[a.latest_update_id for o in goal.objective_list for a in o.action_list if a.latest_update_id]
        ).values_list("pk", "rag", "period__year", "period__quarter")
    }
    for objective in goal.objective_list:
        objective.measure_titles = [m.title for m in objective.measure_list if m.title]
        for action in objective.action_list:
            action.latest_rag, action.latest_quarter = latest.get(action.latest_update_id, ("", None))
    goal.risk_list = list(goal.risks.order_by("number"))
    goal.metric_summaries = metric_summaries(goal.strategy, goal=goal)
    return goal


def action_detail(pk: int) -> Action:
    """An action with every reported update (and its history), oldest quarter first, and its RAG
    timeline across every quarter of the strategy."""
    action = get_object_or_404(
        Action.objects.select_related("objective__goal__strategy").prefetch_related("sros", "leads"), pk=pk
    )
    action.update_list = list(
        action.updates.reported().select_related("period").order_by("period__year", "period__quarter")
    )
    # The RAG timeline and each update's history come from the status pages' module.
    from goals.status.timeline import action_timeline, attach_update_history

    action.timeline = action_timeline(action, action.update_list)
    action.history_entries = history_of(action, ACTION_HISTORY_FIELDS)
    attach_update_history(action.update_list)
    return action

"""Reads for the strategy pages. Each returns evaluated data with a fixed number of queries,
however large the strategy (pinned in tests/goals/test_views.py)."""

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.shortcuts import get_object_or_404

from .choices import RAG_SEVERITY
from .models import Action, ActionUpdate, Goal, Period, Strategy
from .quarters import Quarter
from .querysets import REPORTED_STATES


def strategy_list() -> list[Strategy]:
    """Every strategy with its goal and action counts and its latest quarter with reported data."""
    latest_period = (
        Period.objects.filter(strategy=OuterRef("pk"), action_updates__state__in=REPORTED_STATES)
        .order_by("-year", "-quarter")
        .values("pk")[:1]
    )
    strategies = list(
        Strategy.objects.select_related("sro")
        .annotate(
            goal_count=Count("goals", distinct=True),
            action_count=Count("goals__objectives__actions", distinct=True),
            latest_period_id=Subquery(latest_period),
        )
        .order_by("name")
    )
    periods = Period.objects.in_bulk([s.latest_period_id for s in strategies if s.latest_period_id])
    for strategy in strategies:
        strategy.latest_period = periods.get(strategy.latest_period_id)
    return strategies


def _latest_reported_rag():
    latest = ActionUpdate.objects.filter(action=OuterRef("pk"), state__in=REPORTED_STATES).latest_first()
    return {
        "latest_rag": Subquery(latest.values("rag")[:1]),
        "latest_period_year": Subquery(latest.values("period__year")[:1]),
        "latest_period_quarter": Subquery(latest.values("period__quarter")[:1]),
    }


@dataclass
class RagCount:
    rag: str
    count: int


def rag_counts(rags) -> list[RagCount]:
    """Counts of RAG values in the scale's order (red first), not rated included, zeros kept."""
    counts = {value: 0 for value in RAG_SEVERITY}
    for rag in rags:
        counts[rag or ""] += 1
    return [RagCount(rag, count) for rag, count in sorted(counts.items(), key=lambda kv: RAG_SEVERITY[kv[0]])]


def strategy_detail(slug: str) -> Strategy:
    """A strategy with its goals, each goal's objectives count, its actions' latest RAG counts."""
    strategy = get_object_or_404(Strategy.objects.select_related("sro"), slug=slug)
    actions = list(
        Action.objects.filter(objective__goal__strategy=strategy)
        .annotate(**_latest_reported_rag())
        .values("objective__goal_id", "latest_rag")
    )
    goals = list(
        strategy.goals.annotate(objective_count=Count("objectives", distinct=True)).order_by("order")
    )
    for goal in goals:
        goal_rags = [a["latest_rag"] for a in actions if a["objective__goal_id"] == goal.pk]
        goal.action_count = len(goal_rags)
        goal.rag_counts = rag_counts(goal_rags)
    strategy.goal_list = goals
    strategy.rag_counts = rag_counts(a["latest_rag"] for a in actions)
    strategy.period_list = list(strategy.periods.chronological())
    strategy.risk_count = strategy.risks.count()
    return strategy


def goal_detail(slug: str, goal_key: str) -> Goal:
    """A goal with its objectives, their success measures and actions (SROs, leads, latest RAG)."""
    goal = get_object_or_404(Goal.objects.select_related("strategy"), strategy__slug=slug, key=goal_key)
    actions = (
        Action.objects.annotate(**_latest_reported_rag())
        .prefetch_related("sros", "leads")
        .order_by("number")
    )
    goal.objective_list = list(
        goal.objectives.prefetch_related(
            "lead_directors", "success_measures", Prefetch("actions", queryset=actions)
        ).order_by("order")
    )
    for objective in goal.objective_list:
        objective.measure_titles = [m.title for m in objective.success_measures.all() if m.title]
        for action in objective.actions.all():
            action.latest_quarter = (
                Quarter(action.latest_period_year, action.latest_period_quarter) if action.latest_period_year else None
            )
    goal.risk_list = list(goal.risks.order_by("number"))
    return goal


def action_detail(pk: int) -> Action:
    """An action with every reported update (and its history), oldest quarter first, and its RAG
    timeline across every quarter of the strategy."""
    action = get_object_or_404(
        Action.objects.select_related("objective__goal__strategy").prefetch_related("sros", "leads"), pk=pk
    )
    action.update_list = list(
        action.updates.reported()
        .select_related("period")
        .order_by("period__year", "period__quarter")
    )
    # The RAG timeline and each update's history (issue 4) come from the status pages' module.
    from .dashboard import action_timeline, attach_update_history

    action.timeline = action_timeline(action, action.update_list)
    attach_update_history(action.update_list)
    return action


@dataclass(frozen=True)
class PersonAsOf:
    name: str
    job_title: str

    def __str__(self) -> str:
        return f"{self.name}, {self.job_title}" if self.job_title else self.name


def people_as_of(period, people) -> dict[int, PersonAsOf]:
    """Name and job title of each person as they were in `period` (one query).

    A locked quarter keeps the titles recorded for it (PersonTitle); otherwise today's are used.
    """
    from .models import PersonTitle

    people = list(people)
    recorded = {
        t.person_id: PersonAsOf(t.name, t.job_title)
        for t in PersonTitle.objects.filter(period=period, person__in=[p.pk for p in people])
    }
    return {p.pk: recorded.get(p.pk, PersonAsOf(p.name, p.job_title)) for p in people}

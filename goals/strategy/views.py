"""Read-only strategy pages. Every view needs a signed-in user (LoginRequiredMiddleware);
any signed-in user of the trust may read the strategy. Writes live in their own modules."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from goals.core.numbering import action_number_of
from goals.strategy import selectors


@require_safe
def strategy_list(request: HttpRequest) -> HttpResponse:
    return render(request, "strategy/strategy_list.html", {"strategies": selectors.strategy_list(user=request.user)})


@require_safe
def strategy_detail(request: HttpRequest, slug: str) -> HttpResponse:
    page = selectors.strategy_detail(slug)
    strategy = page.strategy
    return render(
        request,
        "strategy/strategy_detail.html",
        {
            "strategy": strategy,
            "figures": page.figures,
            "breadcrumbs": [("Strategies", reverse("goals:strategy_list")), (strategy.name, None)],
        },
    )


@require_safe
def goal_detail(request: HttpRequest, slug: str, goal: str) -> HttpResponse:
    goal_obj = selectors.goal_detail(slug, goal)
    strategy = goal_obj.strategy
    return render(
        request,
        "strategy/goal_detail.html",
        {
            "goal": goal_obj,
            "strategy": strategy,
            "breadcrumbs": [
                ("Strategies", reverse("goals:strategy_list")),
                (strategy.name, strategy.get_absolute_url()),
                (goal_obj.title, None),
            ],
        },
    )


@require_safe
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    action = selectors.action_detail(pk)
    goal = action.objective.goal
    return render(
        request,
        "strategy/action_detail.html",
        {
            "action": action,
            "goal": goal,
            "strategy": goal.strategy,
            "breadcrumbs": [
                ("Strategies", reverse("goals:strategy_list")),
                (goal.strategy.name, goal.strategy.get_absolute_url()),
                (goal.title, goal.get_absolute_url()),
                (f"Action {action_number_of(action)}", None),
            ],
        },
    )

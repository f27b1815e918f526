"""A synthetic trust of a chosen size, for query-count tests and benchmarks.

Rows are built with the factories (`.build()`, so they stay consistent with what the tests
use) and written with bulk_create, so a 2,000-action × 12-quarter trust takes seconds, not
minutes. Everything generated is deterministic for a given size and seed.
"""

import random
from dataclasses import dataclass

from goals import models
from goals.core.choices import RAG, PeriodState, UpdateState
from goals.core.quarters import Quarter
from tests import factories

RAG_WEIGHTS = [(RAG.GREEN, 60), (RAG.AMBER, 25), (RAG.RED, 10), (RAG.BLUE, 5)]


@dataclass
class GeneratedTrust:
    strategy: models.Strategy
    people: list
    periods: list
    actions: list


def generate_trust(
    *,
    goals: int = 3,
    objectives_per_goal: int = 2,
    actions_per_objective: int = 3,
    quarters: int = 4,
    risks: int = 5,
    measures_per_objective: int = 1,
    people: int = 10,
    first_quarter: Quarter = Quarter(2022, 1),
    open_last: bool = True,
    slug: str | None = None,
    seed: int = 1,
) -> GeneratedTrust:
    """Create a strategy with goals → objectives → actions, quarters of updates, risks and scores.

    The last quarter is left open (with drafts and missing updates) when `open_last` is true;
    earlier quarters are published with approved updates.
    """
    rng = random.Random(seed)
    strategy = factories.StrategyFactory(**({"slug": slug, "name": slug.replace("-", " ").title()} if slug else {}))
    tag = strategy.slug
    person_rows = models.Person.objects.bulk_create(
        [factories.PersonFactory.build(key=f"{tag}-person-{i}", name=f"Person {i} of {tag}") for i in range(people)]
    )

    quarter_list = [first_quarter]
    while len(quarter_list) < quarters:
        quarter_list.append(quarter_list[-1].next())
    period_rows = models.Period.objects.bulk_create(
        [
            models.Period(
                strategy=strategy,
                year=q.year,
                quarter=q.quarter,
                state=PeriodState.OPEN if (open_last and i == quarters - 1) else PeriodState.PUBLISHED,
                deadline=q.end,
            )
            for i, q in enumerate(quarter_list)
        ]
    )

    goal_rows = models.Goal.objects.bulk_create(
        [
            factories.GoalFactory.build(strategy=strategy, order=g + 1, key=f"goal-{g + 1}", title=f"Goal {g + 1}")
            for g in range(goals)
        ]
    )
    objective_rows = models.Objective.objects.bulk_create(
        [
            factories.ObjectiveFactory.build(
                goal=goal, order=o + 1, key=f"objective-{o + 1}", title=f"Objective {goal.order}.{o + 1}"
            )
            for goal in goal_rows
            for o in range(objectives_per_goal)
        ]
    )
    action_rows = models.Action.objects.bulk_create(
        [
            factories.ActionFactory.build(
                objective=objective, number=a + 1, title=f"Action {objective.title[10:]}.{a + 1}"
            )
            for objective in objective_rows
            for a in range(actions_per_objective)
        ]
    )
    SroLink = models.Action.sros.through
    LeadLink = models.Action.leads.through
    SroLink.objects.bulk_create(
        [SroLink(action=action, person=person_rows[i % len(person_rows)]) for i, action in enumerate(action_rows)]
    )
    LeadLink.objects.bulk_create(
        [
            LeadLink(action=action, person=person_rows[(i + 1) % len(person_rows)])
            for i, action in enumerate(action_rows)
        ]
    )

    rags, weights = zip(*RAG_WEIGHTS)
    updates = []
    for _p_index, period in enumerate(period_rows):
        is_open = period.state == PeriodState.OPEN
        for action in action_rows:
            if is_open and rng.random() < 0.3:
                continue  # missing: not started yet
            rag = rng.choices(rags, weights)[0]
            updates.append(
                factories.ActionUpdateFactory.build(
                    action=action,
                    period=period,
                    rag=rag,
                    progress=f"Progress on {action.title} in {period.label}.",
                    next_focus="Keep going.",
                    rag_reason="Slippage against plan." if rag in (RAG.AMBER, RAG.RED) else "",
                    state=rng.choice([UpdateState.DRAFT, UpdateState.SUBMITTED, UpdateState.APPROVED])
                    if is_open
                    else UpdateState.APPROVED,
                )
            )
    models.ActionUpdate.objects.bulk_create(updates, batch_size=2000)

    measure_rows = models.SuccessMeasure.objects.bulk_create(
        [
            factories.SuccessMeasureFactory.build(objective=objective, order=m + 1)
            for objective in objective_rows
            for m in range(measures_per_objective)
        ]
    )
    models.MeasureEvidence.objects.bulk_create(
        [
            factories.MeasureEvidenceFactory.build(measure=measure, period=period)
            for period in period_rows
            for measure in measure_rows
        ],
        batch_size=2000,
    )

    risk_rows = models.Risk.objects.bulk_create(
        [factories.RiskFactory.build(strategy=strategy, number=f"{r + 1:02d}") for r in range(risks)]
    )
    RiskGoal = models.Risk.goals.through
    RiskGoal.objects.bulk_create(
        [RiskGoal(risk=risk, goal=goal_rows[i % len(goal_rows)]) for i, risk in enumerate(risk_rows)]
    )
    models.RiskScore.objects.bulk_create(
        [
            models.RiskScore(risk=risk, period=period, score=rng.choice([4, 6, 8, 9, 12, 15, 16, 20, 25]))
            for period in period_rows
            for risk in risk_rows
        ]
    )
    return GeneratedTrust(strategy=strategy, people=person_rows, periods=period_rows, actions=action_rows)

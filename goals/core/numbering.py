"""How an action is numbered wherever it is printed: goal.objective.action ("1.2.3").

Action numbers restart in each objective, so the bare number is ambiguous in any list of more
than one objective; the full number reads like the heat map's objective "1.2" with the action's
own number after it. Pages, downloads, packs and emails all print ``action_number``.
"""


def action_number(goal_order: int, objective_order: int, number: int) -> str:
    """The full number of an action: goal order, objective order, action number ("1.2.3")."""
    return f"{goal_order}.{objective_order}.{number}"


def action_number_of(action) -> str:
    """The full number of an Action object (reads ``action.objective.goal``: select it)."""
    objective = action.objective
    return action_number(objective.goal.order, objective.order, action.number)

"""Template filters for actions: ``{{ action|action_number }}`` prints the full number
("1.2.3", goals.core.numbering)."""

from django import template

from goals.core.numbering import action_number_of

register = template.Library()


@register.filter(name="action_number")
def action_number_filter(action) -> str:
    return action_number_of(action)

"""Template filters for actions and their quarterly cycle: ``{{ action|action_number }}`` prints
the full number ("1.2.3", goals.core.numbering); ``{{ state|state_tag }}`` the StateTag of an
update or evidence state (None or "" is not started)."""

from django import template

from goals.core.choices import StateTag, state_tag
from goals.core.numbering import action_number_of

register = template.Library()


@register.filter(name="action_number")
def action_number_filter(action) -> str:
    return action_number_of(action)


@register.filter(name="state_tag")
def state_tag_filter(state: str | None) -> StateTag:
    return state_tag(state)

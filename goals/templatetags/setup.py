"""Template filters of strategy administration: whether to show a strategy's set-up controls."""

from django import template

from goals.core import permissions

register = template.Library()


@register.filter
def may_administer(user, strategy) -> bool:
    """{% if user|may_administer:strategy %}: the Edit and Set up controls of a strategy's pages."""
    return permissions.may_administer(user, strategy)

"""Template filters that ask goals.core.permissions, so pages show only the links a user may follow."""

from django import template

from goals.core import permissions

register = template.Library()


@register.filter
def may_administer(user, strategy) -> bool:
    """{% if user|may_administer:strategy %}: the administration links of that strategy."""
    return permissions.may_administer(user, strategy)

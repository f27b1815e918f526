"""Who may do what. Organisation-wide roles are Django groups; per-action roles (programme
lead, SRO) come from the action's `leads` and `sros` through the user's Person.

Services call these; views call services (and these, to decide what to show).
"""

from django.contrib.auth.models import AnonymousUser, Group

STRATEGY_ADMINS = "Strategy admins"
PROGRAMME_OFFICE = "Programme office"  # board secretaries
DIRECTORS = "Directors"
ROLE_GROUPS = (STRATEGY_ADMINS, PROGRAMME_OFFICE, DIRECTORS)


def _groups(user) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_role_groups", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._role_groups = cached
    return cached


def is_strategy_admin(user) -> bool:
    return bool(getattr(user, "is_superuser", False)) or STRATEGY_ADMINS in _groups(user)


def is_secretary(user) -> bool:
    """Board secretary / programme office: runs the quarterly cycle (admins may too)."""
    return is_strategy_admin(user) or PROGRAMME_OFFICE in _groups(user)


def is_director(user) -> bool:
    return DIRECTORS in _groups(user)


def person_of(user):
    """The user's Person, or None."""
    if isinstance(user, AnonymousUser) or not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.person
    except Exception:  # RelatedObjectDoesNotExist
        return None


def ensure_role_groups() -> dict[str, Group]:
    return {name: Group.objects.get_or_create(name=name)[0] for name in ROLE_GROUPS}


def may_administer(user, strategy) -> bool:
    """Strategy admin *of this strategy*: edits its structure, people, BAF risks and metrics, and
    onboards it from a workbook. Every administration page and service asks this."""
    return is_strategy_admin(user)


def may_edit_metric_values(user, strategy) -> bool:
    """Enters and changes the metric values *of this strategy* (one at a time or from a CSV
    file): strategy admins and the programme office; everyone signed in reads them."""
    return is_secretary(user)

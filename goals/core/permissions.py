"""Who may do what: every permission check of the app, one style, `may_<verb>(user, …)`.

Organisation-wide roles are Django groups: strategy admins, the programme office (the board
secretary's team, which runs the quarterly cycle and publishes the board pack) and directors.
Per-action roles (programme lead, SRO) come from the action's `leads` and `sros` through the
user's Person. Each check takes the strategy or the object it is about, so per-strategy roles
can replace the bodies without changing a caller.

Services call these; views call services (and these, to decide what to show).
"""

from django.contrib.auth.models import AnonymousUser, Group

from goals.core.choices import UpdateState

STRATEGY_ADMINS = "Strategy admins"
PROGRAMME_OFFICE = "Programme office"  # the board secretary's team
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


def is_programme_office(user) -> bool:
    """The programme office (the board secretary's team); strategy admins may do what it does."""
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


def _person_pk(user) -> int | None:
    person = person_of(user)
    return person.pk if person else None


def _among(person_pk: int | None, people) -> bool:
    """Whether the person is among `people` (a related manager, prefetched or not, a queryset or a list)."""
    if person_pk is None:
        return False
    # A manager is not iterable (its .all() uses the prefetch); a queryset or list already is.
    return any(p.pk == person_pk for p in (people if hasattr(people, "__iter__") else people.all()))


# --- Administration ----------------------------------------------------------------------------


def may_administer(user, strategy) -> bool:
    """Strategy admin *of this strategy*: edits its structure, people, BAF risks and metrics, and
    onboards it from a workbook. Every administration page and service asks this."""
    return is_strategy_admin(user)


# --- The quarterly cycle -----------------------------------------------------------------------


def may_run_cycle(user, strategy) -> bool:
    """Opens, locks and re-opens the strategy's quarters and reads its tracker: the programme
    office. `strategy` is None on the pages that list every strategy's quarters."""
    return is_programme_office(user)


def may_read_cycle_page(user, strategy, *, leads, sros) -> bool:
    """Updates in progress are seen by the people who write and approve them, the programme
    office, directors and strategy admins; other users get a 404."""
    person_pk = _person_pk(user)
    return is_programme_office(user) or is_director(user) or _among(person_pk, leads) or _among(person_pk, sros)


def may_write_update(user, action) -> bool:
    """A programme lead of the action (or a strategy admin) writes its quarterly update."""
    return is_strategy_admin(user) or _among(_person_pk(user), action.leads)


def may_read_update(user, action, update) -> bool:
    """A draft is the lead's working copy: until it is submitted only the action's programme leads
    (and strategy admins) read what it says; everyone else who may see the page sees its state."""
    if update is None or update.state != UpdateState.DRAFT:
        return True
    return may_write_update(user, action)


def may_review_update(user, action) -> bool:
    """An SRO of the action (or a strategy admin) approves or returns its update."""
    return is_strategy_admin(user) or _among(_person_pk(user), action.sros)


def may_write_evidence(user, measure) -> bool:
    """A success measure's evidence is written by its objective's lead directors or the leads of
    any of the objective's actions (or a strategy admin)."""
    if is_strategy_admin(user):
        return True
    person_pk = _person_pk(user)
    if person_pk is None:
        return False
    objective = measure.objective
    return objective.lead_directors.filter(pk=person_pk).exists() or objective.actions.filter(leads=person_pk).exists()


# --- Metrics -----------------------------------------------------------------------------------


def may_edit_metrics(user, strategy) -> bool:
    """Strategy admins and the programme office enter metric values; everyone else reads."""
    return is_programme_office(user)


# --- Board packs -------------------------------------------------------------------------------


def may_preview_pack(user, strategy) -> bool:
    """The programme office, strategy admins and directors see a quarter's pack before it is
    published; everyone signed in reads the published packs."""
    return is_programme_office(user) or is_director(user)


def may_publish_pack(user, strategy) -> bool:
    """The programme office and strategy admins publish packs."""
    return is_programme_office(user)

"""Who may do what: every permission check of the app, one style, `may_<verb>(user, …)`.

Organisation-wide roles are Django groups: strategy admins, the programme office (the board
secretary's team, which runs the quarterly cycle and publishes the board pack) and directors.
Per-action roles (programme lead, SRO) come from the action's `leads` and `sros` through the
user's Person. Each check takes the strategy or the object it is about, so per-strategy roles
can replace the bodies without changing a caller.

Services call these; views call services (and these, to decide what to show).
"""

from django.contrib.auth.models import AnonymousUser, Group
from django.db.models import IntegerField, Q, Value

from goals.core.choices import UpdateState

STRATEGY_ADMINS = "Strategy admins"
PROGRAMME_OFFICE = "Programme office"  # the board secretary's team
DIRECTORS = "Directors"
ROLE_GROUPS = (STRATEGY_ADMINS, PROGRAMME_OFFICE, DIRECTORS)


# The groups of these names are host-wide roles: a member has the role on every organisation of
# this host (a single-trust host, the demo). Per-organisation and per-strategy roles are RoleGrants.
ROLE_OF_GROUP = {STRATEGY_ADMINS: "strategy_admin", PROGRAMME_OFFICE: "programme_office", DIRECTORS: "director"}
ADMIN, OFFICE, DIRECTOR = "strategy_admin", "programme_office", "director"  # goals.core.choices.Role values


def _roles(user) -> tuple[frozenset[str], tuple[tuple[str, int | None, int | None], ...]]:
    """(host-wide roles, current grants as (role, organisation id, strategy id)), read once per user
    object with one query (the groups and the grants together)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset(), ()
    cached = getattr(user, "_role_cache", None)
    if cached is None:
        nothing = Value(None, output_field=IntegerField())
        groups = (
            user.groups.filter(name__in=ROLE_OF_GROUP)
            .annotate(o=nothing, s=nothing)
            .order_by()
            .values_list("name", "o", "s")
        )
        grants = (
            user.role_grants.filter(revoked_at__isnull=True)
            .order_by()
            .values_list("role", "organisation_id", "strategy_id")
        )
        rows = list(groups.union(grants, all=True))
        host = frozenset(ROLE_OF_GROUP[name] for name, o, s in rows if name in ROLE_OF_GROUP)
        cached = (host, tuple(row for row in rows if row[0] not in ROLE_OF_GROUP))
        user._role_cache = cached
    return cached


def forget_roles(user) -> None:
    """After a change of the user's groups or grants in this request."""
    user.__dict__.pop("_role_cache", None)
    user.__dict__.pop("_strategy_ids", None)


def roles_on(user, strategy=None) -> frozenset[str]:
    """The user's roles on this strategy (through its organisation, the strategy itself or the host);
    `strategy` None: the roles the user has anywhere."""
    host, grants = _roles(user)
    if strategy is None:
        return host | {role for role, _, _ in grants}
    owner_id = getattr(strategy, "owner_id", None)
    return host | {
        role
        for role, organisation_id, strategy_id in grants
        if strategy_id == strategy.pk or (organisation_id is not None and organisation_id == owner_id)
    }


def is_host_wide(user) -> bool:
    """Superusers and members of the role groups see every strategy on the host."""
    return bool(getattr(user, "is_superuser", False)) or bool(_roles(user)[0])


def is_strategy_admin(user, strategy=None) -> bool:
    return bool(getattr(user, "is_superuser", False)) or ADMIN in roles_on(user, strategy)


def is_programme_office(user, strategy=None) -> bool:
    """The programme office (the board secretary's team); strategy admins may do what it does."""
    return is_strategy_admin(user, strategy) or OFFICE in roles_on(user, strategy)


def is_director(user, strategy=None) -> bool:
    return DIRECTOR in roles_on(user, strategy)


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
    return is_strategy_admin(user, strategy)


# --- The quarterly cycle -----------------------------------------------------------------------


def may_run_cycle(user, strategy) -> bool:
    """Opens, locks and re-opens the strategy's quarters and reads its tracker: the programme
    office. `strategy` is None on the pages that list every strategy's quarters."""
    return is_programme_office(user, strategy)


def may_read_cycle_page(user, strategy, *, leads, sros) -> bool:
    """Updates in progress are seen by the people who write and approve them, the programme
    office, directors and strategy admins; other users get a 404."""
    person_pk = _person_pk(user)
    return (
        is_programme_office(user, strategy)
        or is_director(user, strategy)
        or _among(person_pk, leads)
        or _among(person_pk, sros)
    )


def may_write_update(user, action) -> bool:
    """A programme lead of the action (or a strategy admin) writes its quarterly update."""
    return is_strategy_admin(user, _strategy_of(action)) or _among(_person_pk(user), action.leads)


def may_read_update(user, action, update) -> bool:
    """A draft is the lead's working copy: until it is submitted only the action's programme leads
    (and strategy admins) read what it says; everyone else who may see the page sees its state."""
    if update is None or update.state != UpdateState.DRAFT:
        return True
    return may_write_update(user, action)


def may_review_update(user, action) -> bool:
    """An SRO of the action (or a strategy admin) approves or returns its update."""
    return is_strategy_admin(user, _strategy_of(action)) or _among(_person_pk(user), action.sros)


def may_write_evidence(user, measure) -> bool:
    """A success measure's evidence is written by its objective's lead directors or the leads of
    any of the objective's actions (or a strategy admin)."""
    if is_strategy_admin(user, measure.objective.goal.strategy):
        return True
    person_pk = _person_pk(user)
    if person_pk is None:
        return False
    objective = measure.objective
    return objective.lead_directors.filter(pk=person_pk).exists() or objective.actions.filter(leads=person_pk).exists()


# --- Metrics -----------------------------------------------------------------------------------


def may_edit_metrics(user, strategy) -> bool:
    """Strategy admins and the programme office enter metric values; everyone else reads."""
    return is_programme_office(user, strategy)


# --- Board packs -------------------------------------------------------------------------------


def may_preview_pack(user, strategy) -> bool:
    """The programme office, strategy admins and directors see a quarter's pack before it is
    published; everyone signed in reads the published packs."""
    return is_programme_office(user, strategy) or is_director(user, strategy)


def may_publish_pack(user, strategy) -> bool:
    """The programme office and strategy admins publish packs."""
    return is_programme_office(user, strategy)


# --- BAF risks ---------------------------------------------------------------------------------


def may_score_risk(user, risk) -> bool:
    """Who enters a BAF risk's quarterly score: the risk's owner (their Person is linked to the
    user), the programme office, or a strategy admin of the risk's strategy."""
    if not getattr(user, "is_authenticated", False):
        return False
    if is_programme_office(user, risk.strategy) or may_administer(user, risk.strategy):
        return True
    owner = risk.owner
    return owner is not None and owner.user_id is not None and owner.user_id == user.pk


def may_see_risk_scores(user, strategy) -> bool:
    """The list of every BAF risk's score for a quarter: the programme office and strategy admins."""
    return is_programme_office(user, strategy) or may_administer(user, strategy)


def may_review_evidence(user, measure) -> bool:
    """A success measure's submitted evidence is approved or returned by its objective's lead
    directors or the SROs of the objective's actions (or a strategy admin), as an action's SRO
    reviews its update."""
    if is_strategy_admin(user, measure.objective.goal.strategy):
        return True
    person_pk = _person_pk(user)
    if person_pk is None:
        return False
    objective = measure.objective
    return objective.lead_directors.filter(pk=person_pk).exists() or objective.actions.filter(sros=person_pk).exists()


# --- Which strategies a user sees ----------------------------------------------------------------


def _strategy_of(action):
    return action.objective.goal.strategy


def _worked_on_strategy_ids(user) -> frozenset[int]:
    """Strategies the user's person works on: leads or owns an action, leads an objective, owns a risk."""
    cached = getattr(user, "_strategy_ids", None)
    if cached is None:
        person = person_of(user)
        ids = set()
        if person is not None:
            ids |= set(person.led_actions.values_list("objective__goal__strategy_id", flat=True))
            ids |= set(person.sro_actions.values_list("objective__goal__strategy_id", flat=True))
            ids |= set(person.led_objectives.values_list("goal__strategy_id", flat=True))
            ids |= set(person.owned_risks.values_list("strategy_id", flat=True))
        cached = user._strategy_ids = frozenset(ids)
    return cached


def strategy_scope(user, prefix: str = "") -> Q:
    """A filter for the strategies the user may see: any role on it (through its organisation or
    itself) or work on it (lead, SRO, lead director, risk owner). `prefix` reaches a strategy from
    another model, e.g. "strategy__" or "objective__goal__strategy__". Nothing for anonymous users."""
    if is_host_wide(user):
        return Q()
    if not getattr(user, "is_authenticated", False):
        return Q(**{f"{prefix}pk__in": []})
    _, grants = _roles(user)
    strategy_ids = {s for _, _, s in grants if s is not None} | _worked_on_strategy_ids(user)
    organisation_ids = {o for _, o, _ in grants if o is not None}
    return Q(**{f"{prefix}pk__in": sorted(strategy_ids)}) | Q(**{f"{prefix}owner_id__in": sorted(organisation_ids)})


def may_read_strategy(user, strategy) -> bool:
    """Whether the user sees this strategy at all (otherwise its pages answer 404)."""
    if is_host_wide(user) or roles_on(user, strategy):
        return True
    return strategy.pk in _worked_on_strategy_ids(user)

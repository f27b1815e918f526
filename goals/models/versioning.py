"""A strategy's data version: a number raised, in the same transaction, by every write to a row
that the strategy's pages or packs show. Caches of what those pages compute are keyed by it
(goals.core.caching), so a cached page is never older than the data.

`STRATEGY_OF` says, for each model, which field of a row leads to its strategy and the lookup from
Strategy along that field; people (names and job titles) are shared by the strategies of an
installation, so a change to them raises every strategy's version (as does a change to a user
account's name or email address, which some pages show). Who may see a strategy
(organisations, role grants) changes no page's content and raises nothing. Writes that bypass
model signals (bulk creates and queryset updates) call `strategy_changed` themselves."""

from django.contrib.auth import get_user_model
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from goals.models.cycle import ActionUpdate, MeasureEvidence, Period
from goals.models.metrics import Metric, MetricValue
from goals.models.people import JobTitle, Person, PersonTitle
from goals.models.risks import Risk, RiskScore
from goals.models.strategy import Action, Goal, Objective, Strategy, SuccessMeasure

# model → (the row's field that leads to its strategy, the lookup from Strategy to that field's value)
STRATEGY_OF = {
    Strategy: ("pk", "pk"),
    Goal: ("strategy_id", "pk"),
    Objective: ("goal_id", "goals"),
    SuccessMeasure: ("objective_id", "goals__objectives"),
    Action: ("objective_id", "goals__objectives"),
    Period: ("strategy_id", "pk"),
    ActionUpdate: ("period_id", "periods"),
    MeasureEvidence: ("period_id", "periods"),
    PersonTitle: ("period_id", "periods"),
    Risk: ("strategy_id", "pk"),
    RiskScore: ("period_id", "periods"),
    Metric: ("strategy_id", "pk"),
    MetricValue: ("metric_id", "metrics"),
}
EVERY_STRATEGY = (Person, JobTitle)
# The structure, whose rows may move to another strategy's goal or objective.
MOVABLE = (Goal, Objective, SuccessMeasure, Action)
# A user account's fields that pages show (who last changed an update, where to email a lead); a
# save of other fields alone (the last sign-in, the password) changes no page.
USER_FIELDS_SHOWN = frozenset({"username", "first_name", "last_name", "email"})


def strategy_changed(strategies=None) -> None:
    """Raise the data version of `strategies` (a Strategy queryset; every strategy if None)."""
    (Strategy.objects.all() if strategies is None else strategies).update(data_version=F("data_version") + 1)


def strategies_of(row):
    """The strategies whose pages show `row`, as a queryset."""
    field, lookup = STRATEGY_OF[type(row)]
    return Strategy.objects.filter(**{lookup: getattr(row, field)})


def _row_written(sender, instance, **kwargs):
    if kwargs.get("raw"):  # loading a fixture: nothing cached can describe it yet
        return
    strategy_changed(None if isinstance(instance, EVERY_STRATEGY) else strategies_of(instance))


def _may_change(instance, update_fields, raw, names) -> bool:
    """Whether a save may change any of the stored row's fields `names` (a new row has none; a save
    of other fields only, such as a renumbering or a sign-in, changes none of them)."""
    if raw or instance._state.adding:
        return False
    return update_fields is None or bool(set(names) & set(update_fields))


def _row_moving(sender, instance, update_fields=None, raw=False, **kwargs):
    """Before a row of the structure is saved, raise the version of the strategy it belonged to:
    a row moved to another strategy leaves the old one's pages too."""
    field, lookup = STRATEGY_OF[sender]
    if not _may_change(instance, update_fields, raw, (field, field.removesuffix("_id"))):
        return
    stored = sender.objects.filter(pk=instance.pk).values(field)
    strategy_changed(Strategy.objects.filter(**{f"{lookup}__in": stored}))


def _user_saving(sender, instance, update_fields=None, raw=False, **kwargs):
    """Whether the save changes what pages show of the account (compared with the stored row: a
    password set or a sign-in saves the whole row, and changes nothing shown)."""
    instance._shown_fields_changed = False
    if not _may_change(instance, update_fields, raw, USER_FIELDS_SHOWN):
        return
    stored = sender.objects.filter(pk=instance.pk).values(*USER_FIELDS_SHOWN).first()
    instance._shown_fields_changed = stored != {name: getattr(instance, name) for name in USER_FIELDS_SHOWN}


def _user_written(sender, instance, **kwargs):
    if getattr(instance, "_shown_fields_changed", True):  # a deletion, or a save that changed them
        strategy_changed()


def _links_written(sender, instance, action, **kwargs):
    if not action.startswith("post_"):
        return
    # Forward (an action's SROs changed) names the row; reverse (a person's actions) may touch any.
    strategy_changed(strategies_of(instance) if type(instance) in STRATEGY_OF else None)


def connect_signals() -> None:
    for model in (*STRATEGY_OF, *EVERY_STRATEGY):
        uid = f"goals.versioning.{model.__name__}"
        post_save.connect(_row_written, sender=model, dispatch_uid=uid + ".save")
        post_delete.connect(_row_written, sender=model, dispatch_uid=uid + ".delete")
    for model in MOVABLE:
        pre_save.connect(_row_moving, sender=model, dispatch_uid=f"goals.versioning.{model.__name__}.moving")
    user = get_user_model()
    pre_save.connect(_user_saving, sender=user, dispatch_uid="goals.versioning.user.saving")
    post_save.connect(_user_written, sender=user, dispatch_uid="goals.versioning.user.save")
    post_delete.connect(_user_written, sender=user, dispatch_uid="goals.versioning.user.delete")
    for links in (Action.sros, Action.leads, Objective.lead_directors, Risk.goals):
        m2m_changed.connect(
            _links_written, sender=links.through, dispatch_uid=f"goals.versioning.{links.through.__name__}"
        )

"""The pages' cache (goals.core.caching) is keyed by the strategy's data version, which every write
to what a strategy's pages show raises in the same transaction (goals.models.versioning)."""

import pytest
from django.apps import apps
from django.core.cache import CacheHandler
from django.core.management import call_command
from django.db import transaction

from goals.core.caching import page_cache_key, strategy_cached
from goals.models import Organisation, RoleGrant, Strategy
from goals.models.versioning import EVERY_STRATEGY, STRATEGY_OF
from tests import factories

pytestmark = pytest.mark.django_db

# Who may see a strategy, not what its pages show.
NOT_SHOWN = {Organisation, RoleGrant}


def version(strategy) -> int:
    return Strategy.objects.values_list("data_version", flat=True).get(pk=strategy.pk)


def test_every_model_of_the_domain_says_which_strategies_it_changes():
    models = {
        model
        for model in apps.get_app_config("goals").get_models()
        if not model.__name__.startswith("Historical") and not model._meta.auto_created
    }
    assert models == set(STRATEGY_OF) | set(EVERY_STRATEGY) | NOT_SHOWN


@pytest.fixture
def two_actions():
    """An action in each of two strategies, with an update in each strategy's quarter."""
    ours = factories.ActionUpdateFactory()
    theirs = factories.ActionUpdateFactory()
    return ours, theirs


@pytest.fixture
def person():
    return factories.PersonFactory()


@pytest.mark.parametrize(
    "write",
    [
        pytest.param(lambda u, person: u.save(), id="an update saved"),
        pytest.param(lambda u, person: setattr(u.action, "title", "New") or u.action.save(), id="an action renamed"),
        pytest.param(lambda u, person: u.action.sros.add(person), id="an SRO added"),
        pytest.param(lambda u, person: u.action.leads.clear(), id="the leads removed"),
        pytest.param(lambda u, person: u.action.objective.lead_directors.add(person), id="a lead director"),
        pytest.param(lambda u, person: u.action.objective.goal.save(), id="a goal saved"),
        pytest.param(
            lambda u, person: setattr(u.period, "state", "locked") or u.period.save(), id="the quarter locked"
        ),
        pytest.param(lambda u, person: factories.RiskScoreFactory(period=u.period), id="a risk scored"),
        pytest.param(lambda u, person: factories.MeasureEvidenceFactory(period=u.period), id="evidence written"),
        pytest.param(lambda u, person: u.delete(), id="an update deleted"),
    ],
)
def test_a_write_raises_its_own_strategys_version_only(two_actions, person, write):
    ours, theirs = two_actions
    before, other_before = version(ours.period.strategy), version(theirs.period.strategy)
    write(ours, person)
    assert version(ours.period.strategy) > before
    assert version(theirs.period.strategy) == other_before


def test_a_persons_new_name_or_title_raises_every_strategys_version(two_actions):
    ours, theirs = two_actions
    person = factories.PersonFactory()
    before = [version(ours.period.strategy), version(theirs.period.strategy)]
    person.name = "Renamed"
    person.save()
    assert [version(ours.period.strategy), version(theirs.period.strategy)] == [b + 1 for b in before]


def test_a_user_accounts_new_name_raises_every_version_and_a_sign_in_none(two_actions):
    from django.contrib.auth.models import update_last_login

    ours, theirs = two_actions
    user = factories.UserFactory()
    before = [version(ours.period.strategy), version(theirs.period.strategy)]
    update_last_login(None, user)  # what every sign-in saves
    user.set_password("another-password")
    user.save(update_fields=["password"])
    assert [version(ours.period.strategy), version(theirs.period.strategy)] == before
    user.first_name = "Renamed"
    user.save()
    assert [version(ours.period.strategy), version(theirs.period.strategy)] == [b + 1 for b in before]


def test_setting_a_password_or_creating_an_account_raises_no_version(two_actions):
    """SetPasswordForm and invitations save the whole row: what pages show of it is compared."""
    from django.contrib.auth.forms import SetPasswordForm

    ours, _ = two_actions
    before = version(ours.period.strategy)
    user = factories.UserFactory()
    password = "a-Long-new-passw0rd!"
    form = SetPasswordForm(user, {"new_password1": password, "new_password2": password})
    assert form.is_valid()
    form.save()
    assert version(ours.period.strategy) == before
    user.email = "new.address@example.nhs.uk"
    user.save()
    assert version(ours.period.strategy) == before + 1


def test_a_rolled_back_write_leaves_the_version_as_it_was(two_actions):
    ours, _ = two_actions
    before = version(ours.period.strategy)
    with pytest.raises(RuntimeError), transaction.atomic():
        ours.save()
        raise RuntimeError
    assert version(ours.period.strategy) == before


def test_an_entry_is_computed_once_per_data_version(two_actions):
    ours, _ = two_actions
    calls = []

    def compute():
        calls.append(1)
        return {"count": len(calls)}

    def read():
        strategy = Strategy.objects.get(pk=ours.period.strategy.pk)  # as a request reads it
        return strategy_cached(strategy, "dashboard", ours.period.slug, compute=compute)

    assert read() == read() == {"count": 1}
    ours.save()  # any write to the strategy
    assert read() == {"count": 2}
    assert len(calls) == 2


def test_keys_differ_by_strategy_version_name_and_parts_and_fit_a_cache_server():
    strategy = factories.StrategyFactory()
    key = page_cache_key(strategy, "heat-map", "2024-q2", "x" * 1000)
    assert len(key) < 250
    assert key != page_cache_key(strategy, "heat-map", "2024-q3", "x" * 1000)
    assert key != page_cache_key(strategy, "dashboard", "2024-q2", "x" * 1000)
    strategy.data_version += 1
    assert key != page_cache_key(strategy, "heat-map", "2024-q2", "x" * 1000)


def test_the_product_shares_computed_pages_between_processes_through_the_database(settings):
    from strategy_tracker import settings as product_settings

    assert product_settings.CACHES["pages"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    settings.CACHES = {**settings.CACHES, "pages": product_settings.CACHES["pages"]}
    call_command("createcachetable", verbosity=0)
    strategy = factories.StrategyFactory()
    one, another = CacheHandler(), CacheHandler()  # two processes' caches
    key = page_cache_key(strategy, "dashboard")
    one["pages"].set(key, [1, 2, 3])
    assert another["pages"].get(key) == [1, 2, 3]


def test_an_import_raises_the_version(demo_data):
    strategy = Strategy.objects.get(slug="step-up-to-great")
    before = version(strategy)
    call_command("load_demo", "--without-packs", verbosity=0)
    assert version(strategy) > before

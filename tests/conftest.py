import os

import pytest

from goals.core import permissions
from tests import factories

# Playwright's sync API runs an event loop in the test thread; Django must allow ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_configure(config):
    """Cheap password hashing for every test (PBKDF2 is slow on purpose; the product keeps it)."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = FAST_HASHERS
    # background tasks (publishing, emails) run at once, inside the test
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # Charts cached in memory, so tests without the database draw them too; the shared database
    # cache the product uses is tested in tests/metrics/test_chart_cache.py.
    # The same for the pages' cache (goals.core.caching; tested in tests/core/test_caching.py).
    settings.CACHES = {
        **settings.CACHES,
        "charts": {**settings.CACHES["charts"], **local_cache("charts")},
        "pages": {**settings.CACHES["pages"], **local_cache("pages")},
    }


def pytest_collection_modifyitems(items):
    """The browser tests first, so that under xdist (files given to workers in this order) the
    longest files start at once and the short ones fill in at the end, instead of one worker
    finishing a long browser file alone."""
    items.sort(key=lambda item: "tests/browser/" not in item.nodeid)


def local_cache(name: str) -> dict:
    return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": name}


@pytest.fixture(autouse=True)
def empty_caches():
    """Every test starts with no drawn SPC chart (goals.metrics.charts) and no computed page
    (goals.core.caching) cached, so none is served what another test made: a rolled-back test's
    strategy ids and data versions come round again."""
    from django.core.cache import caches

    caches["charts"].clear()
    caches["pages"].clear()


@pytest.fixture
def role_groups(db):
    return permissions.ensure_role_groups()


@pytest.fixture
def make_user(db, role_groups):
    """make_user("ann", role=permissions.DIRECTORS, person=...)"""

    def make(username, *, role=None, person=None, **kwargs):
        user = factories.UserFactory(username=username, **kwargs)
        if role:
            user.groups.add(role_groups[role])
        if person is not None:
            person.user = user
            person.save()
        return user

    return make


@pytest.fixture
def director(make_user):
    return make_user("director", role=permissions.DIRECTORS)


@pytest.fixture
def secretary(make_user):
    return make_user("secretary", role=permissions.PROGRAMME_OFFICE)


@pytest.fixture
def admin_user(make_user):
    return make_user("admin", role=permissions.STRATEGY_ADMINS)


# --- The quarterly cycle -----------------------------------------------------------


@pytest.fixture
def fast_passwords(settings):
    """Cheap password hashing (already the default for the whole suite: see pytest_configure)."""
    settings.PASSWORD_HASHERS = FAST_HASHERS
    # background tasks (publishing, emails) run at once, inside the test
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def cycle(fast_passwords, make_user):
    """One strategy mid-cycle: Q2 2024/25 published with an approved update, Q3 2024/25 open
    (deadline 17 January 2025). `action` is led by `lead` and owned by `sro`; `other_action` has
    its own lead and SRO (`other_lead`, `other_sro`). `measure` is a success measure of the
    action's objective. Users: lead, sro, other_lead, other_sro (no organisation role)."""
    import datetime
    from types import SimpleNamespace

    from goals.core.choices import PeriodState, UpdateState

    strategy = factories.StrategyFactory(name="Better Care", slug="better-care")
    goal = factories.GoalFactory(strategy=strategy, order=1, key="access", title="Access")
    objective = factories.ObjectiveFactory(goal=goal, order=1, key="waits", title="Shorter waits")
    people = {
        name: factories.PersonFactory(name=title, key=name)
        for name, title in [
            ("lead", "Lee Lead"),
            ("sro", "Sharon Sro"),
            ("other_lead", "Olive Other"),
            ("other_sro", "Oscar Other"),
        ]
    }
    users = {
        name: make_user(name, person=person, first_name=person.name.split()[0], last_name=person.name.split()[1])
        for name, person in people.items()
    }
    action = factories.ActionFactory(
        objective=objective, number=1, title="Cut waiting times", leads=[people["lead"]], sros=[people["sro"]]
    )
    other_action = factories.ActionFactory(
        objective=objective,
        number=2,
        title="Open a new clinic",
        leads=[people["other_lead"]],
        sros=[people["other_sro"]],
    )
    previous = factories.PeriodFactory(
        strategy=strategy, year=2024, quarter=2, state=PeriodState.PUBLISHED, deadline=datetime.date(2024, 10, 18)
    )
    period = factories.PeriodFactory(
        strategy=strategy, year=2024, quarter=3, state=PeriodState.OPEN, deadline=datetime.date(2025, 1, 17)
    )
    factories.ActionUpdateFactory(
        action=action,
        period=previous,
        rag="green",
        progress="Q2 progress.",
        next_focus="Finish the new policy.",
        state=UpdateState.APPROVED,
    )
    measure = factories.SuccessMeasureFactory(objective=objective, order=1, title="Nobody waits over 18 weeks")
    return SimpleNamespace(
        strategy=strategy,
        objective=objective,
        action=action,
        other_action=other_action,
        previous=previous,
        period=period,
        measure=measure,
        people=people,
        **users,
    )


# --- RAG status pages --------------------------------------------------------------


@pytest.fixture
def demo_data(db):
    """The real demo strategies (fixtures/*.yaml, through the import path) and the demo users, without
    the published packs of the quarters imported as published (as `load_demo --without-packs`)."""
    from goals.interchange.demo import load_demo

    load_demo()


@pytest.fixture(scope="module")
def demo_db(django_db_setup, django_db_blocker):
    """The demo data loaded once for a whole test module, for tests that only read it: loaded in a
    transaction that stays open while the module's tests run (each test's own changes roll back
    to a savepoint, as usual) and is rolled back after the module. Per test process, so it works
    under xdist. Ask for `db` (or mark the test django_db) as well."""
    from django.db import transaction

    from goals.interchange.demo import load_demo

    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def rated(db):
    """ "Better Care": Q1 2024/25 (published) and Q2 2024/25 (locked) rated, Q3 2024/25 open and empty.
    Goal 1 "Access" (objective "Waits") and goal 2 "Quality" (objective "Safety"). Actions, named
    by what their rating did from Q1 to Q2:
      worse      Green → Red (approved), reason "The contractor went bust", SRO sharon, lead lee
      better     Red → Green (approved), SRO paul
      same       Amber → Amber (approved), reason "Recruitment is slow", SRO sharon
      new        none → Amber (approved), reason "Started late", SRO paul
      submitted  Amber → Green, submitted and not yet approved, SRO paul
      draft      Green → a Red draft (not reported), SRO sharon
      missing    Green → no update at all, SRO sharon
      complete   Green → Blue (approved), goal 2, SRO paul, lead lee
    Sharon's title was "Director of Finance" in Q2 (PersonTitle); today it is "Chief Finance Officer"."""
    from types import SimpleNamespace

    from goals.core.choices import PeriodState, UpdateState
    from goals.models import PersonTitle

    strategy = factories.StrategyFactory(name="Better Care", slug="better-care")
    access = factories.GoalFactory(strategy=strategy, order=1, key="access", title="Access")
    quality = factories.GoalFactory(strategy=strategy, order=2, key="quality", title="Quality")
    waits = factories.ObjectiveFactory(goal=access, order=1, key="waits", title="Waits")
    safety = factories.ObjectiveFactory(goal=quality, order=1, key="safety", title="Safety")
    sharon = factories.PersonFactory(key="sharon", name="Sharon Murphy", job_title="Chief Finance Officer")
    paul = factories.PersonFactory(key="paul", name="Paul Sheldon", job_title="Medical Director")
    lee = factories.PersonFactory(key="lee", name="Lee Lead", job_title="Programme Lead")
    q1 = factories.PeriodFactory(strategy=strategy, year=2024, quarter=1, state=PeriodState.PUBLISHED)
    q2 = factories.PeriodFactory(strategy=strategy, year=2024, quarter=2, state=PeriodState.LOCKED)
    q3 = factories.PeriodFactory(strategy=strategy, year=2024, quarter=3, state=PeriodState.OPEN)
    PersonTitle.objects.create(person=sharon, period=q2, name="Sharon Murphy", job_title="Director of Finance")

    plan = [
        # name, objective, number, title, sro, lead, (Q1 rag, state), (Q2 rag, state, reason)
        (
            "worse",
            waits,
            1,
            "Open a single point of access",
            sharon,
            lee,
            "green",
            ("red", "approved", "The contractor went bust"),
        ),
        ("better", waits, 2, "Cut waiting lists", paul, None, "red", ("green", "approved", "")),
        (
            "same",
            waits,
            3,
            "Recruit more therapists",
            sharon,
            None,
            "amber",
            ("amber", "approved", "Recruitment is slow"),
        ),
        ("new", waits, 4, "Show waiting times online", paul, None, None, ("amber", "approved", "Started late")),
        ("submitted", waits, 5, "Review referral criteria", paul, None, "amber", ("green", "submitted", "")),
        ("draft", waits, 6, "Digital letters", sharon, None, "green", ("red", "draft", "")),
        ("missing", waits, 7, "Text reminders", sharon, None, "green", None),
        ("complete", safety, 1, "Falls collaborative", paul, lee, "green", ("blue", "approved", "")),
    ]
    actions = {}
    for name, objective, number, title, sro, lead, before, now in plan:
        action = factories.ActionFactory(
            objective=objective, number=number, title=title, sros=[sro], leads=[lead] if lead else []
        )
        actions[name] = action
        if before:
            factories.ActionUpdateFactory(
                action=action,
                period=q1,
                rag=before,
                rag_reason="Earlier reason." if before in ("amber", "red") else "",
                progress=f"{title}: Q1 progress.",
                state=UpdateState.APPROVED,
            )
        if now:
            rag, state, reason = now
            factories.ActionUpdateFactory(
                action=action,
                period=q2,
                rag=rag,
                rag_reason=reason,
                progress=f"{title}: Q2 progress.",
                state=state,
            )
    return SimpleNamespace(
        strategy=strategy,
        goals=(access, quality),
        objectives=(waits, safety),
        q1=q1,
        q2=q2,
        q3=q3,
        sharon=sharon,
        paul=paul,
        lee=lee,
        **actions,
    )


@pytest.fixture
def count_queries():
    """count_queries(client, url) → how many queries one GET of `url` makes (it must answer 200)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(client, url) -> int:
        with CaptureQueriesContext(connection) as context:
            response = client.get(url)
        assert response.status_code == 200, url
        return len(context.captured_queries)

    return count

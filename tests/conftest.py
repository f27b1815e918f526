import os

import pytest

from goals import roles
from tests import factories

# Playwright's sync API runs an event loop in the test thread; Django must allow ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def role_groups(db):
    return roles.ensure_role_groups()


@pytest.fixture
def make_user(db, role_groups):
    """make_user("ann", role=roles.DIRECTORS, person=...)"""

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
    return make_user("director", role=roles.DIRECTORS)


@pytest.fixture
def secretary(make_user):
    return make_user("secretary", role=roles.PROGRAMME_OFFICE)


@pytest.fixture
def admin_user(make_user):
    return make_user("admin", role=roles.STRATEGY_ADMINS)


# --- The quarterly cycle (issue 3) -----------------------------------------------------------


@pytest.fixture
def fast_passwords(settings):
    """Cheap password hashing for tests that make many users (PBKDF2 is slow on purpose)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def cycle(fast_passwords, make_user):
    """One strategy mid-cycle: Q2 2024/25 published with an approved update, Q3 2024/25 open
    (deadline 17 January 2025). `action` is led by `lead` and owned by `sro`; `other_action` has
    its own lead and SRO (`other_lead`, `other_sro`). `measure` is a success measure of the
    action's objective. Users: lead, sro, other_lead, other_sro (no organisation role)."""
    import datetime
    from types import SimpleNamespace

    from goals.choices import PeriodState, UpdateState

    strategy = factories.StrategyFactory(name="Better Care", slug="better-care")
    goal = factories.GoalFactory(strategy=strategy, order=1, key="access", title="Access")
    objective = factories.ObjectiveFactory(goal=goal, order=1, key="waits", title="Shorter waits")
    people = {name: factories.PersonFactory(name=title, key=name) for name, title in [
        ("lead", "Lee Lead"), ("sro", "Sharon Sro"), ("other_lead", "Olive Other"), ("other_sro", "Oscar Other"),
    ]}
    users = {name: make_user(name, person=person, first_name=person.name.split()[0],
                             last_name=person.name.split()[1]) for name, person in people.items()}
    action = factories.ActionFactory(objective=objective, number=1, title="Cut waiting times",
                                     leads=[people["lead"]], sros=[people["sro"]])
    other_action = factories.ActionFactory(objective=objective, number=2, title="Open a new clinic",
                                           leads=[people["other_lead"]], sros=[people["other_sro"]])
    previous = factories.PeriodFactory(strategy=strategy, year=2024, quarter=2, state=PeriodState.PUBLISHED,
                                       deadline=datetime.date(2024, 10, 18))
    period = factories.PeriodFactory(strategy=strategy, year=2024, quarter=3, state=PeriodState.OPEN,
                                     deadline=datetime.date(2025, 1, 17))
    factories.ActionUpdateFactory(action=action, period=previous, rag="green", progress="Q2 progress.",
                                  next_focus="Finish the new policy.", state=UpdateState.APPROVED)
    measure = factories.SuccessMeasureFactory(objective=objective, order=1, title="Nobody waits over 18 weeks")
    return SimpleNamespace(strategy=strategy, objective=objective, action=action, other_action=other_action,
                           previous=previous, period=period, measure=measure, people=people, **users)

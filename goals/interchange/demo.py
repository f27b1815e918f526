"""The demo: the real strategies from fixtures/ and five demo users (password in the README)."""

import datetime
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from goals.core import permissions
from goals.interchange.importer import import_strategy, load_yaml
from goals.models import Action, Period, Person

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"
DEMO_PASSWORD = "strategy-demo"  # demo only: printed in the README
DEMO_STRATEGY = "step-up-to-great"
DEMO_OPEN_QUARTER = (2024, 3)
# The `lead` demo user's person: a lead of the Access actions (the seeds name SROs, not leads).
DEMO_LEAD = {"key": "demo-programme-lead", "name": "Lee Lead", "job_title": "Access programme lead (demo user)"}


DEMO_DEADLINE_DAYS = 14  # the open quarter's deadline is this many days after the day the demo loads
# Programme leads for the actions the source documents name none for (one per goal): invented
# people, labelled as demo people in their job title so nobody takes them for the trust's staff.
DEMO_LEAD_NAMES = ("Alex Morgan", "Jo Patel", "Sam Okafor", "Chris Lewis", "Ruth Evans", "Dan Hughes", "Mia Shah")
DEMO_LEAD_TITLE = "Programme lead (demo person, not in the board packs)"


class DemoError(Exception):
    pass


def demo_fixture_paths() -> list[Path]:
    return sorted(FIXTURES_DIR.glob("*.yaml"))


@transaction.atomic
def load_demo() -> list[str]:
    """Import every fixture through the public import path, then set up the demo users. Idempotent."""
    lines = []
    for path in demo_fixture_paths():
        data, _lines, errors = load_yaml(path.read_text(encoding="utf-8"))  # duplicate keys are errors
        if errors:
            raise DemoError(f"{path.name}: " + "; ".join(str(error) for error in errors))
        if path.stem == DEMO_STRATEGY:
            data = with_demo_lead(data)
        document = with_demo_deadline(with_demo_leads_for_every_action(data), today=datetime.date.today())
        result = import_strategy(document)
        lines.append(f"{path.name}: {result}")

    groups = permissions.ensure_role_groups()
    access_actions = list(
        Action.objects.filter(
            objective__goal__strategy__slug=DEMO_STRATEGY, objective__title__icontains="access"
        ).prefetch_related("sros")
    )
    if len(access_actions) != 4:
        raise DemoError(f"expected the 4 Access actions of {DEMO_STRATEGY}, found {len(access_actions)}")
    open_period = Period.objects.filter(
        strategy__slug=DEMO_STRATEGY, year=DEMO_OPEN_QUARTER[0], quarter=DEMO_OPEN_QUARTER[1]
    ).first()
    if open_period is None or not open_period.is_open or open_period.deadline is None:
        raise DemoError("Q3 2024/25 of Step Up To Great must be open with a deadline in the fixture")

    users = {
        "admin": _user("admin", "Ada", "Admin", role=permissions.STRATEGY_ADMINS, groups=groups, superuser=True),
        "secretary": _user("secretary", "Sam", "Secretary", role=permissions.PROGRAMME_OFFICE, groups=groups),
        "director": _user("director", "Dee", "Director", role=permissions.DIRECTORS, groups=groups),
        "sro": _user("sro", "Sharon", "Murphy", groups=groups),
        "lead": _user("lead", "Lee", "Lead", groups=groups),
    }
    # `sro` signs in as the SRO the seed names for the Access actions.
    sro_person = access_actions[0].sros.first()
    if sro_person is None:
        raise DemoError("the Access actions have no SRO in the fixture")
    _link(sro_person, users["sro"])
    _link(Person.objects.get(key=DEMO_LEAD["key"]), users["lead"])
    lines.append("demo users: " + ", ".join(users) + f" (password {DEMO_PASSWORD!r}, demo only)")
    return lines


def with_demo_lead(document: dict) -> dict:
    """The demo strategy's document with the demo lead added to its people and to the leads of the
    Access actions, so that the import itself sets them: a second `load_demo` then changes nothing."""
    people = document.get("people") or []
    if not any(person.get("key") == DEMO_LEAD["key"] for person in people):
        document["people"] = [*people, DEMO_LEAD]
    for goal in document["strategy"]["goals"]:
        for objective in goal.get("objectives") or []:
            if "access" in objective["title"].lower():
                for action in objective.get("actions") or []:
                    leads = action.get("leads") or []
                    if DEMO_LEAD["key"] not in leads:
                        action["leads"] = [*leads, DEMO_LEAD["key"]]
    return document


# --- Demo set-up beyond the source documents -------------------------------------------------
# The open quarter's deadline and a programme lead on every action are set in the document before
# it is imported, so the import records them and a second load the same day changes nothing.


def with_demo_deadline(document: dict, *, today: datetime.date) -> dict:
    """The document with its open quarter's deadline `DEMO_DEADLINE_DAYS` after `today`, so a
    newcomer's first screen shows a deadline ahead rather than one long passed."""
    for period in document["strategy"].get("periods") or []:
        if period.get("state") == "open":
            period["deadline"] = today + datetime.timedelta(days=DEMO_DEADLINE_DAYS)
    return document


def with_demo_leads_for_every_action(document: dict) -> dict:
    """The document with a demo programme lead (one per goal, `DEMO_LEAD_TITLE`) on every action
    that has none, so the tracker has someone to chase for each."""
    slug = document["strategy"]["slug"]
    people = document.get("people") or []
    known = {person.get("key") for person in people}
    for index, goal in enumerate(document["strategy"]["goals"]):
        key = f"demo-lead-{slug}-{goal['key']}"
        actions = [a for o in goal.get("objectives") or [] for a in o.get("actions") or [] if not a.get("leads")]
        for action in actions:
            action["leads"] = [key]
        if actions and key not in known:
            name = DEMO_LEAD_NAMES[index % len(DEMO_LEAD_NAMES)]
            people.append({"key": key, "name": name, "job_title": DEMO_LEAD_TITLE})
    document["people"] = people
    return document


def _user(username, first_name, last_name, *, groups, role=None, superuser=False):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first_name,
            "last_name": last_name,
            "email": f"{username}@example.nhs.uk",
            "is_staff": superuser,
            "is_superuser": superuser,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    if role:
        user.groups.add(groups[role])
    return user


def _link(person: Person, user) -> None:
    if person.user_id != user.pk:
        Person.objects.filter(user=user).exclude(pk=person.pk).update(user=None)
        person.user = user
        person.save(update_fields=["user"])

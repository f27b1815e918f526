"""From an empty install to a published board pack, only through the product's pages: the strategy
admin (the one account there is) creates a strategy, its people, 2 goals, 3 objectives, 5 actions,
2 BAF risks and a metric with a value, and invites the lead, the SRO and the board secretary; the
secretary opens a quarter; the lead submits an update, the SRO approves it; the secretary scores
both risks and publishes the pack, whose PDF shows all of it. Each page the journey visits, and its
error states, is checked with axe-core at 1280 and at 320 px (where nothing may scroll sideways)."""

import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's
NEW_PASSWORD = "a-long-and-new-password-2026"
STRATEGY = "Better Care Together"

PEOPLE = {
    "Asha Patel": "Chief Executive",
    "Ben Okafor": "Medical Director",
    "Cara Lewis": "Head of Improvement",
    "Dan Reid": "Board Secretary",
}
GOALS = ("Safer care", "Healthier communities")
OBJECTIVES = (("Safer care", "Reduce harm from falls"), ("Safer care", "Fewer infections"))
OBJECTIVES += (("Healthier communities", "Fairer access"),)
ACTIONS = {
    "Reduce harm from falls": ("Falls collaborative on every ward", "Lying and standing blood pressure checks"),
    "Fewer infections": ("Hand hygiene audits monthly",),
    "Fairer access": ("Outreach clinics in two localities", "Interpreters booked with every appointment"),
}
RISKS = (("01", "Demand outstrips capacity", "Asha Patel"), ("02", "Workforce shortages", "Ben Okafor"))
METRIC = "Falls per 1,000 bed days"
UPDATE = "The collaborative has started on twelve wards; falls with harm fell for the third month."
WIDTHS = (1280, 320)


@pytest.fixture
def empty_install(transactional_db):
    """Nothing but the strategy admin's own account."""
    from goals.core import permissions
    from tests import factories

    admin = factories.UserFactory(username="admin", first_name="Ada", last_name="Admin")
    admin.groups.add(permissions.ensure_role_groups()[permissions.STRATEGY_ADMINS])
    return admin


def check(page, assert_accessible, name):
    """axe-core finds nothing at 1280 and at 320 px, and nothing scrolls sideways at 320."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page, f"{name} at {width} px")
        assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{name} at {width} px: {too_wide(page)}"
    page.set_viewport_size({"width": 1280, "height": 900})


def too_wide(page):
    """The elements sticking out to the right of the page (not inside a box that scrolls), to say
    what makes a page scroll sideways."""
    return page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > innerWidth)
            .filter(e => { for (let a = e.parentElement; a; a = a.parentElement) {
                if (a !== document.body && ['auto', 'scroll'].includes(getComputedStyle(a).overflowX)) return false; } return true; })
            .map(e => `${e.tagName}.${e.className}: ${e.textContent.trim().slice(0, 60)}`)"""
    )


def error_summary(page):
    return page.locator(".nhsuk-error-summary")


def choose(select, text):
    """Select the option whose label contains `text`."""
    labels = select.locator("option").all_text_contents()
    select.select_option(label=next(label for label in labels if text in label))


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def invite(page, live_server, mailbox, email, person, role):
    """Invite through Users → Invite a user; return the one-time link from the email sent."""
    page.goto(f"{live_server.url}/accounts/users/")
    page.get_by_role("link", name=re.compile("Invite a user")).click()
    page.get_by_label("Email address").fill(email)
    choose(page.get_by_label("Person (optional)"), person)
    page.get_by_label(role, exact=True).check()
    page.get_by_label("On", exact=True).select_option(label=f"{STRATEGY} only")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text(f"{email} has been invited")).to_be_visible()
    message = next(m for m in reversed(mailbox) if email in m.to)
    path = re.search(r"/accounts/set-password/\S+/", message.body).group(0)
    return f"{live_server.url}{path}"  # the email names the configured site; the test's server is here


def set_password(page, link, assert_accessible=None):
    page.goto(link)
    if assert_accessible:
        check(page, assert_accessible, "set your password")
    inputs = page.locator("input[type=password]")
    inputs.nth(0).fill(NEW_PASSWORD)
    inputs.nth(1).fill(NEW_PASSWORD)
    page.get_by_role("button").last.click()
    expect(page.get_by_text("Your password has been set. You can now sign in.")).to_be_visible()


def test_an_admin_builds_a_strategy_and_the_board_pack_shows_it(
    page, live_server, empty_install, sign_in, assert_accessible, mailoutbox
):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "admin", PASSWORD)

    # The strategy, after an error.
    page.get_by_role("link", name="Create a strategy").click()
    page.get_by_label("Strategy name").fill(STRATEGY)
    page.get_by_role("button", name="Create strategy").click()
    expect(error_summary(page)).to_contain_text("Enter the organisation")
    check(page, assert_accessible, "create a strategy with an error")
    page.get_by_label("Organisation").fill("Northshire Hospitals")
    page.get_by_label("Progress report").check()
    page.get_by_role("button", name="Create strategy").click()
    expect(page.get_by_role("heading", name=f"Set up {STRATEGY}", level=1)).to_be_visible()
    setup_url = page.url
    check(page, assert_accessible, "set-up page of an empty strategy")

    # Four people, in the strategy's People directory.
    page.get_by_role("link", name=STRATEGY).first.click()
    check(page, assert_accessible, "strategy page of a new strategy")
    page.get_by_role("link", name="People", exact=True).click()
    check(page, assert_accessible, "empty people directory")
    for name, title in PEOPLE.items():
        page.get_by_role("link", name="Add a person").click()
        if name == "Asha Patel":
            check(page, assert_accessible, "add a person")
        page.get_by_label("Full name").fill(name)
        page.get_by_label("Job title").fill(title)
        page.get_by_role("button", name="Add person").click()
        expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()
        if name == "Asha Patel":
            check(page, assert_accessible, "a person")
        page.get_by_role("link", name="People", exact=True).first.click()
    check(page, assert_accessible, "people directory")

    # Two goals, three objectives, five actions, the SROs and leads chosen among the people.
    page.goto(setup_url)
    for title in GOALS:
        page.get_by_role("link", name="Add a goal").click()
        if title == GOALS[0]:
            check(page, assert_accessible, "add a goal")
        page.get_by_label("Title").fill(title)
        page.get_by_role("button", name="Add goal").click()
    check(page, assert_accessible, "set-up page with two goals")
    for number, (goal, objective) in enumerate(OBJECTIVES):
        page.get_by_role("link", name=f"Add an objective to goal {GOALS.index(goal) + 1}").click()
        if number == 0:
            page.get_by_role("button", name="Add objective").click()
            expect(error_summary(page)).to_be_visible()
            check(page, assert_accessible, "add an objective with an error")
        page.get_by_label("Title").fill(objective)
        page.get_by_role("group", name="Lead directors").get_by_label("Ben Okafor").check()
        page.get_by_role("button", name="Add objective").click()
    for objective, titles in ACTIONS.items():
        for title in titles:
            page.get_by_role("link", name=f"Add an action to {objective}").click()
            if title == ACTIONS["Reduce harm from falls"][0]:
                check(page, assert_accessible, "add an action")
            page.get_by_label("Title").fill(title)
            page.get_by_role("group", name="SROs").get_by_label("Ben Okafor").check()
            page.get_by_role("group", name="Programme leads").get_by_label("Cara Lewis").check()
            page.get_by_role("button", name="Add action").click()
    expect(page.locator("li[id^=action-]")).to_have_count(5)
    check(page, assert_accessible, "set-up page with the whole structure")

    # One metric, then a value for it.
    page.get_by_role("link", name="Add a metric").click()
    page.get_by_role("button", name=re.compile("Add metric|Save")).click()
    expect(error_summary(page)).to_contain_text("Enter the metric's name")
    check(page, assert_accessible, "add a metric with an error")
    page.get_by_label("Name", exact=True).fill(METRIC)
    choose(page.get_by_label("Linked goal"), "Safer care")
    page.get_by_role("button", name=re.compile("Add metric|Save")).click()
    page.goto(f"{live_server.url}/metrics/")
    page.get_by_role("link", name=STRATEGY).first.click()
    page.get_by_role("link", name=METRIC).click()
    check(page, assert_accessible, "a metric with no values")
    page.get_by_role("link", name=re.compile("Add a value")).first.click()
    check(page, assert_accessible, "add a metric value")
    page.get_by_label("Month").fill("Oct 2026")
    page.get_by_label("Value", exact=True).fill("6.2")
    page.get_by_role("button", name=re.compile("Add|Save")).click()
    expect(page.get_by_text("6.2").first).to_be_visible()
    check(page, assert_accessible, "a metric with a value")

    # The BAF register: two risks with owners.
    page.goto(setup_url)
    page.get_by_role("link", name=STRATEGY).first.click()
    page.get_by_role("link", name="BAF risk register").click()
    check(page, assert_accessible, "empty BAF register")
    for number, title, owner in RISKS:
        page.get_by_role("link", name="Add a BAF risk").click()
        if number == "01":
            check(page, assert_accessible, "add a BAF risk")
        page.get_by_label("BAF number").fill(number)
        page.get_by_label("Risk", exact=True).fill(title)
        choose(page.get_by_label("Owner"), owner)
        page.get_by_label(GOALS[0]).check()
        page.get_by_label("Target score").fill("8")
        page.get_by_role("button", name="Add risk").click()
        expect(page.get_by_role("heading", name=f"BAF {number}", level=1)).to_be_visible()
        if number == "01":
            check(page, assert_accessible, "a BAF risk")
        page.get_by_role("link", name="BAF risks", exact=True).click()
    check(page, assert_accessible, "BAF register")

    # Accounts for the lead, the SRO and the secretary, each linked to their person.
    page.goto(f"{live_server.url}/accounts/users/")
    check(page, assert_accessible, "users")
    page.get_by_role("link", name=re.compile("Invite a user")).click()
    page.get_by_role("button", name="Send the invitation").click()
    expect(error_summary(page)).to_contain_text("Enter their email address")
    check(page, assert_accessible, "invite with an error")
    links = {
        "cara": invite(
            page, live_server, mailoutbox, "cara.lewis@northshire.nhs.uk", "Cara Lewis", "Director / reader"
        ),
        "ben": invite(page, live_server, mailoutbox, "ben.okafor@northshire.nhs.uk", "Ben Okafor", "Director / reader"),
        "dan": invite(page, live_server, mailoutbox, "dan.reid@northshire.nhs.uk", "Dan Reid", "Programme office"),
    }
    check(page, assert_accessible, "a user just invited")
    sign_out(page)

    set_password(page, links["cara"], assert_accessible)
    set_password(page, links["ben"])
    set_password(page, links["dan"])

    # The secretary opens a quarter with a deadline.
    sign_in(page, "dan.reid@northshire.nhs.uk", NEW_PASSWORD)
    page.get_by_role("link", name="Tracker", exact=True).click()
    check(page, assert_accessible, "tracker with no quarter open")
    page.get_by_role("link", name="Open one on the quarters page").click()
    check(page, assert_accessible, "quarters with none")
    page.get_by_role("link", name=f"Open a quarter of {STRATEGY}").click()
    page.get_by_role("button", name="Open quarter").click()
    expect(error_summary(page)).to_contain_text("Enter the submission deadline")
    check(page, assert_accessible, "open a quarter with an error")
    quarter = page.locator("input[name=quarter]:checked").evaluate("radio => radio.labels[0].textContent").strip()
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("12")
    page.get_by_label("Year").fill("2099")
    page.get_by_role("button", name="Open quarter").click()
    expect(page.get_by_text("Quarter opened.")).to_be_visible()
    check(page, assert_accessible, "quarters with one open")
    sign_out(page)

    # The lead writes the update: Amber without a reason first, then Green.
    sign_in(page, "cara.lewis@northshire.nhs.uk", NEW_PASSWORD)
    page.get_by_role("link", name="My updates").click()
    check(page, assert_accessible, "my updates")
    page.get_by_role("link", name=re.compile(ACTIONS["Reduce harm from falls"][0])).click()
    page.get_by_label("Amber").check()
    page.get_by_label("Progress this quarter").fill(UPDATE)
    page.get_by_role("button", name="Submit for approval").click()
    expect(error_summary(page)).to_contain_text("Give a reason for an Amber or Red rating")
    expect(page.get_by_label("Progress this quarter")).to_have_value(UPDATE)
    check(page, assert_accessible, "update form with an error")
    page.get_by_label("Green").check()
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.get_by_text(re.compile("submitted for approval"))).to_be_visible()
    sign_out(page)

    # The SRO approves it.
    sign_in(page, "ben.okafor@northshire.nhs.uk", NEW_PASSWORD)
    page.get_by_role("link", name="To review").click()
    check(page, assert_accessible, "to review")
    page.get_by_role("link", name=re.compile(ACTIONS["Reduce harm from falls"][0])).click()
    check(page, assert_accessible, "update to review")
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_text(re.compile("approved"))).to_be_visible()
    sign_out(page)

    # The secretary scores both risks, then publishes the pack despite its warnings.
    sign_in(page, "dan.reid@northshire.nhs.uk", NEW_PASSWORD)
    page.get_by_role("link", name="Tracker", exact=True).click()
    check(page, assert_accessible, "tracker with the update approved")
    page.get_by_role("link", name=f"Score BAF risks for {quarter}").click()
    expect(page.get_by_role("heading", name=f"Score BAF risks: {quarter}", level=1)).to_be_visible()
    check(page, assert_accessible, "score BAF risks, none scored")
    for (number, _, _), (likelihood, consequence) in zip(
        RISKS, (("4 – Likely", "3 – Moderate"), ("2 – Unlikely", "5 – Catastrophic"))
    ):
        page.get_by_role("row", name=re.compile(rf"^{number} ")).get_by_role("link").click()
        if number == "01":
            page.get_by_role("button", name="Save score").click()
            expect(error_summary(page)).to_be_visible()
            check(page, assert_accessible, "score form with an error")
        page.get_by_label(likelihood).check()
        page.get_by_label(consequence).check()
        page.get_by_label("Rationale").fill(f"Reviewed by the committee ({number}).")
        page.get_by_role("button", name="Save score").click()
    expect(page.get_by_text(re.compile(r"BAF 02 scored 10 \(2 × 5\)"))).to_be_visible()
    check(page, assert_accessible, "score BAF risks, all scored")

    page.get_by_role("link", name="Board packs").first.click()
    check(page, assert_accessible, "board packs")
    page.get_by_role("link", name=re.compile(STRATEGY)).first.click()
    check(page, assert_accessible, "the strategy's board pack")
    page.get_by_role("button", name=f"Publish the progress report for {quarter}").click()
    expect(page.get_by_text("This pack is not complete")).to_be_visible()
    check(page, assert_accessible, "publish confirmation")
    page.get_by_role("button", name="Publish anyway").click()
    row = page.get_by_role("row", name=f"{quarter} progress report, version 1")
    expect(row).to_contain_text("Published", timeout=20_000)
    check(page, assert_accessible, "pack page published")
    with page.expect_download() as download:
        row.get_by_role("link", name=f"PDF of the {quarter} progress report version 1").click()
    pdf = PdfReader(io.BytesIO(Path(download.value.path()).read_bytes()))
    text = re.sub(r"\s+", " ", "\n".join(p.extract_text() for p in pdf.pages))

    assert STRATEGY in text and "Northshire Hospitals" in text
    for title in GOALS:
        assert f"GOAL {GOALS.index(title) + 1} {title}" in text, title
    for titles in ACTIONS.values():
        for title in titles:
            assert title in text, title
    # the approved update: its text, its SRO with their job title, and its RAG
    assert f"1.1.1 {ACTIONS['Reduce harm from falls'][0]} {UPDATE} Ben Okafor Medical Director G Green" in text
    # both risks with their owners (names with job titles) and scores: 4 × 3 and 2 × 5
    assert "01 Demand outstrips capacity Owner: Asha Patel, Chief Executive 12 High" in text
    assert "02 Workforce shortages Owner: Ben Okafor, Medical Director 10 High" in text
    assert f"{METRIC} Latest: 6.2 (Oct 2026)" in text

    # Only now the ORM: what the pages wrote.
    from goals.models import Action, ActionUpdate, Goal, Metric, Objective, Person, Risk, RiskScore

    assert (Goal.objects.count(), Objective.objects.count(), Action.objects.count()) == (2, 3, 5)
    assert (Person.objects.count(), Risk.objects.count(), Metric.objects.count()) == (4, 2, 1)
    assert sorted(RiskScore.objects.values_list("score", flat=True)) == [10, 12]
    assert ActionUpdate.objects.get().state == "approved"
    from goals.models import RoleGrant

    assert {p.name: p.user.username for p in Person.objects.filter(user__isnull=False)} == {
        "Cara Lewis": "cara.lewis@northshire.nhs.uk",
        "Ben Okafor": "ben.okafor@northshire.nhs.uk",
        "Dan Reid": "dan.reid@northshire.nhs.uk",
    }
    grant = RoleGrant.objects.get(user__username="dan.reid@northshire.nhs.uk")
    assert (grant.role, grant.strategy.name) == ("programme_office", STRATEGY)

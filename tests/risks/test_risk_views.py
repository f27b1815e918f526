"""The BAF register's and the scoring pages: what they show, what they change, who may use them."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from goals.core.choices import PeriodState
from goals.models import Period, Risk, RiskScore


def register_url(name, strategy, risk=None):
    kwargs = {"slug": strategy.slug} if risk is None else {"slug": strategy.slug, "pk": risk.pk}
    return reverse(f"goals:{name}", kwargs=kwargs)


def scoring_url(period, risk=None):
    kwargs = {"slug": period.strategy.slug, "period": period.slug}
    if risk is None:
        return reverse("goals:risk_scoring", kwargs=kwargs)
    return reverse("goals:risk_score", kwargs={**kwargs, "pk": risk.pk})


SCORE = {"likelihood": "4", "consequence": "5", "rationale": "The lists grew again."}


@pytest.mark.django_db
def test_the_register_lists_risks_with_owner_goals_and_latest_score(client, baf, admin_user):
    client.force_login(admin_user)
    page = client.get(register_url("risk_register", baf.strategy)).content.decode()
    assert "Waiting lists grow" in page and "Staff leave" in page and "Elsewhere" not in page
    assert "Sharon Sro" in page and "Access" not in page or baf.goal.title in page
    assert "<strong>12</strong> High" in page


@pytest.mark.django_db
def test_adding_a_risk_links_its_goals(client, baf, admin_user):
    client.force_login(admin_user)
    response = client.post(
        register_url("risk_add", baf.strategy),
        {
            "number": "03",
            "title": "Money runs out",
            "owner": baf.cycle.people["lead"].pk,
            "goals": [baf.goal.pk],
            "target_score": "6",
        },
    )
    risk = Risk.objects.get(strategy=baf.strategy, number="03")
    assert response.status_code == 302 and response["Location"] == register_url("risk_detail", baf.strategy, risk)
    assert list(risk.goals.all()) == [baf.goal]


@pytest.mark.django_db
def test_a_risk_with_a_taken_number_is_refused_and_nothing_typed_is_lost(client, baf, admin_user):
    client.force_login(admin_user)
    address = register_url("risk_add", baf.strategy)
    page = client.post(address, {"number": "02b", "title": "Too high", "target_score": "40"}).content.decode()
    assert "There is a problem" in page and "The target score is from 1 to 25" in page and "Too high" in page
    response = client.post(address, {"number": "01", "title": "A second 01", "target_score": "8"})
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page
    assert "A BAF risk with this number already exists in the strategy." in page and "A second 01" in page
    assert Risk.objects.filter(strategy=baf.strategy).count() == 2


@pytest.mark.django_db
def test_the_risk_page_shows_its_scores_and_history(client, baf, admin_user):
    client.force_login(admin_user)
    client.post(
        register_url("risk_edit", baf.strategy, baf.first), {"number": "01", "title": "Waiting lists grow fast"}
    )
    client.post(scoring_url(baf.cycle.period, baf.first), SCORE)
    page = client.get(register_url("risk_detail", baf.strategy, baf.first)).content.decode()
    assert "Waiting lists grow → Waiting lists grow fast" in page
    assert "(empty) → The lists grew again." in page
    assert "<strong>20</strong> Extreme" in page and "Score increased, was 12" in page


@pytest.mark.django_db
def test_archiving_a_risk_keeps_it_and_its_scores(client, baf, admin_user):
    client.force_login(admin_user)
    client.post(register_url("risk_archive", baf.strategy, baf.first))
    baf.first.refresh_from_db()
    assert baf.first.archived_at is not None and baf.first.scores.count() == 1
    scoring = client.get(scoring_url(baf.cycle.period)).content.decode()
    assert "Waiting lists grow" not in scoring


@pytest.mark.django_db
def test_the_score_page_lists_every_risk_with_last_and_this_quarters_score(client, baf, secretary):
    client.force_login(secretary)
    page = client.get(scoring_url(baf.cycle.period)).content.decode()
    assert "2 of 2 risks not scored yet" in page
    assert scoring_url(baf.cycle.period, baf.first) in page and scoring_url(baf.cycle.period, baf.second) in page


@pytest.mark.django_db
def test_the_owner_scores_their_risk_and_sees_score_band_and_direction(client, baf):
    client.force_login(baf.cycle.sro)
    response = client.post(scoring_url(baf.cycle.period, baf.first), SCORE)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "BAF 01 scored 20 (4 × 5) for Q3 2024/25." in page
    assert "4 × 5 = <strong>20</strong> Extreme" in page and "Score increased, was 12" in page
    assert "Rationale" in page and "The lists grew again." in page


@pytest.mark.django_db
def test_a_score_without_likelihood_shows_the_error_and_keeps_the_rest(client, baf, secretary):
    client.force_login(secretary)
    response = client.post(scoring_url(baf.cycle.period, baf.first), {"consequence": "3", "rationale": "Kept text"})
    page = response.content.decode()
    assert response.status_code == 200 and "Choose the likelihood" in page and "Kept text" in page
    assert not RiskScore.objects.filter(period=baf.cycle.period).exists()


@pytest.mark.django_db
def test_scoring_a_locked_quarter_is_refused_with_a_clear_message(client, baf, secretary):
    Period.objects.filter(pk=baf.cycle.period.pk).update(state=PeriodState.LOCKED)
    client.force_login(secretary)
    assert "its BAF scores are frozen" in client.get(scoring_url(baf.cycle.period, baf.first)).content.decode()
    response = client.post(scoring_url(baf.cycle.period, baf.first), SCORE)
    assert response.status_code == 409
    assert "Q3 2024/25 is locked: its BAF scores are frozen" in response.content.decode()
    assert not RiskScore.objects.filter(period=baf.cycle.period).exists()


@pytest.mark.django_db
def test_scores_print_on_the_status_risks_page_and_in_the_pack(client, baf, secretary, director):
    from reports.builder import build_report
    from reports.renderers.html import render_html

    client.force_login(secretary)
    client.post(scoring_url(baf.cycle.period, baf.first), SCORE)
    client.force_login(director)
    status = client.get(reverse("goals:risks", kwargs={"slug": baf.strategy.slug, "quarter": "2024-Q3"}))
    row = next(r for r in status.context["register"].rows if r.risk.number == "01")
    assert (row.score, row.likelihood, row.consequence, row.previous_score) == (20, 4, 5, 12)
    report = build_report(period=baf.cycle.period, layout="progress")
    pack = render_html(report).decode()
    assert "Waiting lists grow" in pack and ">20</span>" in pack


# --- Who may use the pages --------------------------------------------------------------------

REGISTER_PAGES = ("risk_detail", "risk_edit", "risk_archive")
REGISTER_WRITES = {
    "risk_add": {"number": "66", "title": "Intruder"},
    "risk_edit": {"number": "66", "title": "Intruder"},
    "risk_archive": {},
}


def snapshot():
    return (
        list(Risk.objects.order_by("pk").values_list("number", "title", "archived_at")),
        list(RiskScore.objects.order_by("pk").values_list("score", "rationale")),
    )


def register_urls(strategy, risk):
    return [register_url(n, strategy) for n in ("risk_register", "risk_add")] + [
        register_url(n, strategy, risk) for n in REGISTER_PAGES
    ]


@pytest.mark.django_db
def test_anonymous_users_are_sent_to_sign_in(client, baf):
    before = snapshot()
    for address in register_urls(baf.strategy, baf.first) + [
        scoring_url(baf.cycle.period),
        scoring_url(baf.cycle.period, baf.first),
    ]:
        for response in (client.get(address), client.post(address, SCORE)):
            assert response.status_code == 302 and "/login/" in response["Location"], address
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["director", "lead", "secretary", "sro"])
def test_the_register_is_refused_without_the_admin_role(client, baf, director, secretary, who):
    user = {"director": director, "lead": baf.cycle.lead, "secretary": secretary, "sro": baf.cycle.sro}[who]
    client.force_login(user)
    before = snapshot()
    for address in register_urls(baf.strategy, baf.first):
        assert client.get(address).status_code == 403, address
    for name, data in REGISTER_WRITES.items():
        address = (
            register_url(name, baf.strategy) if name == "risk_add" else register_url(name, baf.strategy, baf.first)
        )
        assert client.post(address, data).status_code == 403, address
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["director", "lead", "other_sro"])
def test_scoring_is_refused_to_a_director_a_lead_and_another_risks_owner(client, baf, director, who):
    user = director if who == "director" else getattr(baf.cycle, who)
    client.force_login(user)
    before = snapshot()
    assert client.get(scoring_url(baf.cycle.period)).status_code == 403
    assert client.get(scoring_url(baf.cycle.period, baf.first)).status_code == 403
    assert client.post(scoring_url(baf.cycle.period, baf.first), SCORE).status_code == 403
    assert snapshot() == before


@pytest.mark.django_db
def test_another_strategys_risk_is_not_found(client, baf, admin_user):
    client.force_login(admin_user)
    before = snapshot()
    for name in REGISTER_PAGES:
        address = register_url(name, baf.strategy, baf.foreign)
        assert client.get(address).status_code == 404, address
        if name in REGISTER_WRITES:
            assert client.post(address, REGISTER_WRITES[name]).status_code == 404, address
    foreign_score = reverse(
        "goals:risk_score", kwargs={"slug": baf.strategy.slug, "period": baf.cycle.period.slug, "pk": baf.foreign.pk}
    )
    assert client.get(foreign_score).status_code == 404
    assert client.post(foreign_score, SCORE).status_code == 404
    elsewhere_quarter = reverse("goals:risk_scoring", kwargs={"slug": "elsewhere", "period": "2024-Q3"})
    assert client.get(elsewhere_quarter).status_code == 404
    assert snapshot() == before


@pytest.mark.django_db
def test_the_secretary_scores_the_demo_q3_so_its_pack_no_longer_says_not_scored(client, demo_data):
    from reports.builder import build_report

    secretary = get_user_model().objects.get(username="secretary")
    q3 = Period.objects.get(strategy__slug="step-up-to-great", year=2024, quarter=3)
    assert q3.is_open
    before = build_report(period=q3, layout="progress")
    assert any(r.score is None for g in before.goals for r in g.risks)
    client.force_login(secretary)
    listing = client.get(scoring_url(q3)).content.decode()
    assert "9 of 9 risks not scored yet" in listing
    for risk in Risk.objects.filter(strategy=q3.strategy):
        response = client.post(scoring_url(q3, risk), {"likelihood": "3", "consequence": "4", "rationale": "Demo."})
        assert response.status_code == 302, risk.number
    after = build_report(period=q3, layout="progress")
    assert all(r.score == 12 for g in after.goals for r in g.risks)
    assert "Not scored" not in client.get(scoring_url(q3)).content.decode()


# --- Query counts -----------------------------------------------------------------------------

# Session, user and groups (navigation) are the first three of each.
PINNED_QUERIES = {
    "risk_register": 6,  # + strategy, risks with owners and latest score, their goals
    "risk_add": 6,  # + strategy, owners to choose, goals to choose
    "risk_detail": 10,  # + strategy, risk, goals, periods, scores, scores' history, risk's history
    "risk_edit": 9,  # + strategy, risk, its goals, owners to choose, goals to choose, its goals (initial)
    "risk_archive": 6,  # + strategy, risk, goals
    "risk_scoring": 9,  # + strategy, period, risks, goals, this quarter's scores, last quarter's
    "risk_score": 9,  # + strategy, risk, period, score, last quarter's, history
}


def page_url(page_name, trust):
    strategy, risk, period = trust.strategy, trust.strategy.risks.order_by("number").first(), trust.periods[-1]
    period.strategy = strategy
    if page_name in ("risk_register", "risk_add"):
        return register_url(page_name, strategy)
    if page_name == "risk_scoring":
        return scoring_url(period)
    if page_name == "risk_score":
        return scoring_url(period, risk)
    return register_url(page_name, strategy, risk)


@pytest.mark.django_db
@pytest.mark.parametrize("page_name", sorted(PINNED_QUERIES))
def test_query_count_is_pinned_and_does_not_grow_with_the_data(client, admin_user, count_queries, page_name):
    from benchmarks.generator import generate_trust
    from tests.strategy.test_views import LARGE, SMALL

    client.force_login(admin_user)
    counts = []
    for trust in (
        generate_trust(**SMALL, slug="small-trust"),
        generate_trust(**LARGE, people=40, risks=12, slug="large-trust", seed=2),
    ):
        risk = trust.strategy.risks.order_by("number").first()
        risk.owner = trust.people[0]
        risk.save()
        counts.append(count_queries(client, page_url(page_name, trust)))
    assert counts == [PINNED_QUERIES[page_name]] * 2


@pytest.mark.django_db
def test_editing_a_risk_keeps_an_owner_archived_since(client, baf, admin_user):
    from goals.people import services as people_services

    people_services.person_archive(strategy=baf.strategy, person=baf.cycle.people["sro"], by=admin_user)
    client.force_login(admin_user)
    form_page = client.get(register_url("risk_edit", baf.strategy, baf.first)).content.decode()
    assert "Sharon Sro" in form_page
    response = client.post(
        register_url("risk_edit", baf.strategy, baf.first),
        {"number": "01", "title": "Waiting lists grow", "owner": baf.cycle.people["sro"].pk, "target_score": "8"},
    )
    assert response.status_code == 302
    baf.first.refresh_from_db()
    assert baf.first.owner == baf.cycle.people["sro"]
    add_page = client.get(register_url("risk_add", baf.strategy)).content.decode()
    assert "Sharon Sro" not in add_page  # archived: offered in no new choice

"""BAF risks: each risk's score, band (name and colour), direction of travel from the quarter
before (↑ ↓ → with words), target and goals; the 5×5 likelihood × consequence grid, with
score-only risks listed beneath it rather than placed; and a risk's score history."""

import pytest
from django.urls import reverse

from goals.core.choices import PeriodState, RiskBand
from goals.core.movement import RISK_BAND_STYLES, Direction
from goals.core.quarters import Quarter
from goals.status.risks import risk_history, risk_register
from tests import factories


@pytest.fixture
def risks(rated):
    access, quality = rated.goals
    up = factories.RiskFactory(strategy=rated.strategy, number="01", title="Demand exceeds capacity", target_score=8)
    up.goals.set([access, quality])
    down = factories.RiskFactory(strategy=rated.strategy, number="02", title="Workforce supply", target_score=4)
    same = factories.RiskFactory(strategy=rated.strategy, number="03", title="Estate", target_score=None)
    new = factories.RiskFactory(strategy=rated.strategy, number="04", title="Cyber attack")
    unscored = factories.RiskFactory(strategy=rated.strategy, number="05", title="Not yet assessed")
    factories.RiskScoreFactory(risk=up, period=rated.q1, score=12)
    factories.RiskScoreFactory(risk=up, period=rated.q2, score=20, likelihood=4, consequence=5)
    factories.RiskScoreFactory(risk=down, period=rated.q1, score=16)
    factories.RiskScoreFactory(risk=down, period=rated.q2, score=6, likelihood=3, consequence=2)
    factories.RiskScoreFactory(risk=same, period=rated.q1, score=9)
    factories.RiskScoreFactory(risk=same, period=rated.q2, score=9)
    factories.RiskScoreFactory(risk=new, period=rated.q2, score=15)
    return {"up": up, "down": down, "same": same, "new": new, "unscored": unscored}


@pytest.mark.django_db
def test_each_risk_has_its_score_band_direction_target_and_goals(risks):
    rows = {r.risk.number: r for r in risk_register(slug="better-care", quarter=Quarter(2024, 2)).rows}
    up = rows["01"]
    assert (up.score, up.band, up.band_label, up.risk.target_score) == (20, RiskBand.EXTREME, "Extreme", 8)
    assert up.band_style == RISK_BAND_STYLES[RiskBand.EXTREME]
    assert (up.direction, up.arrow, up.direction_label) == (Direction.UP, "↑", "Score increased")
    assert [g.title for g in up.goals] == ["Access", "Quality"]
    assert (rows["02"].direction, rows["02"].arrow, rows["02"].band_label) == (Direction.DOWN, "↓", "Moderate")
    assert (rows["03"].direction, rows["03"].arrow, rows["03"].band_label) == (Direction.SAME, "→", "High")
    assert (rows["04"].direction, rows["04"].arrow, rows["04"].direction_label) == (
        Direction.NEW,
        "",
        "No previous score",
    )
    assert (rows["05"].score, rows["05"].band_label) == (None, "Not scored")


@pytest.mark.django_db
def test_the_grid_runs_likelihood_5_to_1_by_consequence_1_to_5_and_places_risks(risks):
    register = risk_register(slug="better-care", quarter=Quarter(2024, 2))
    assert [likelihood for likelihood, _ in register.grid] == [5, 4, 3, 2, 1]
    assert [cell.consequence for cell in register.grid[0][1]] == [1, 2, 3, 4, 5]
    placed = {
        (c.likelihood, c.consequence): [r.risk.number for r in c.risks]
        for _, cells in register.grid
        for c in cells
        if c.risks
    }
    assert placed == {(4, 5): ["01"], (3, 2): ["02"]}
    cell = register.grid[0][1][4]  # likelihood 5, consequence 5
    assert (cell.score, cell.band_label, cell.band_style) == (25, "Extreme", RISK_BAND_STYLES[RiskBand.EXTREME])


@pytest.mark.django_db
def test_score_only_risks_are_listed_beneath_the_grid_not_placed_on_it(risks):
    register = risk_register(slug="better-care", quarter=Quarter(2024, 2))
    assert [r.risk.number for r in register.not_placed] == ["03", "04"]
    assert [r.risk.number for r in register.not_scored] == ["05"]


@pytest.mark.django_db
def test_the_risks_page_prints_band_names_arrows_with_words_and_the_grid(client, director, risks):
    client.force_login(director)
    content = client.get(reverse("goals:risks", kwargs={"slug": "better-care", "quarter": "2024-Q2"})).content.decode()
    fill, text = RISK_BAND_STYLES[RiskBand.EXTREME]
    # The band's colours are a class of /palette.css (no inline style: the Content-Security-Policy allows none).
    assert '<strong class="nhsuk-tag app-risk-band report-band--extreme">Extreme</strong>' in content
    palette = client.get(reverse("goals:palette_css")).content.decode()
    assert f".report-band--extreme {{ background-color: {fill}; color: {text}; border-color: {text}; }}" in palette
    assert '<span class="app-risk-direction" aria-hidden="true">↑</span> Score increased' in content
    assert "↓</span> Score decreased" in content and "→</span> No change" in content
    assert "Not placed: score only" in content
    assert "Not scored in Q2 2024/25" in content
    assert content.count('<th scope="row" class="nhsuk-table__header">Likelihood') == 5
    assert f'href="{reverse("goals:risk_history", kwargs={"slug": "better-care", "number": "01"})}"' in content


@pytest.mark.django_db
def test_the_history_lists_every_quarter_latest_first_with_direction(risks):
    history = risk_history(slug="better-care", number="01")
    assert [(r.period.slug, r.score, r.direction) for r in history.rows] == [
        ("2024-Q3", None, None),
        ("2024-Q2", 20, Direction.UP),
        ("2024-Q1", 12, Direction.NEW),
    ]


@pytest.mark.django_db
def test_the_history_page_shows_scores_and_likelihood_times_consequence(client, director, risks):
    client.force_login(director)
    content = client.get(reverse("goals:risk_history", kwargs={"slug": "better-care", "number": "01"})).content.decode()
    assert "Demand exceeds capacity" in content
    assert "4 × 5" in content and "Score only" in content
    assert "Target score" in content


@pytest.mark.django_db
def test_an_unknown_risk_or_another_strategys_risk_answers_404(client, director, risks):
    other = factories.StrategyFactory(slug="other")
    factories.RiskFactory(strategy=other, number="77")
    client.force_login(director)
    assert client.get(reverse("goals:risk_history", kwargs={"slug": "better-care", "number": "99"})).status_code == 404
    assert client.get(reverse("goals:risk_history", kwargs={"slug": "better-care", "number": "77"})).status_code == 404


@pytest.mark.django_db
def test_the_risks_url_without_a_quarter_goes_to_the_latest_with_data(client, director, risks):
    client.force_login(director)
    response = client.get(reverse("goals:risks_latest", kwargs={"slug": "better-care"}))
    assert response["Location"] == reverse("goals:risks", kwargs={"slug": "better-care", "quarter": "2024-Q2"})


@pytest.mark.django_db
@pytest.mark.django_db
def test_a_strategy_with_risk_scores_but_no_updates_defaults_to_the_scored_quarter():
    strategy = factories.StrategyFactory(slug="scores-only")
    factories.PeriodFactory(strategy=strategy, year=2024, quarter=1, state=PeriodState.PUBLISHED)
    factories.PeriodFactory(strategy=strategy, year=2024, quarter=2, state=PeriodState.PLANNED)
    risk = factories.RiskFactory(strategy=strategy)
    factories.RiskScoreFactory(risk=risk, period=strategy.periods.get(quarter=1), score=4)
    assert risk_register(slug="scores-only").status.period.slug == "2024-Q1"

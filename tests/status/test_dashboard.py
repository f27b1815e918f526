"""The strategy dashboard: RAG counts overall and per goal, completeness, what moved since the
quarter before (deteriorated first), every Red and Amber with its reason, SRO and link; a quarter
switcher and URLs that name their quarter; read-only for everyone."""

import pytest
from django.urls import reverse

from goals.core.choices import RAG
from goals.core.movement import Movement
from goals.core.quarters import Quarter
from goals.status.dashboard import strategy_dashboard

Q2 = Quarter(2024, 2)


def dashboard_url(slug, quarter="2024-Q2"):
    return reverse("goals:dashboard", kwargs={"slug": slug, "quarter": quarter})


@pytest.fixture
def signed_in(client, director):
    client.force_login(director)
    return client


def counts_of(rag_counts):
    return {c.rag: c.count for c in rag_counts}


@pytest.mark.django_db
def test_rag_counts_overall_count_only_reported_updates(rated):
    data = strategy_dashboard(slug="better-care", quarter=Q2)
    # The draft and the missing update leave two actions not rated; the submitted Green counts.
    assert data.total == 8
    assert counts_of(data.rag_counts) == {RAG.RED: 1, RAG.AMBER: 2, "": 2, RAG.GREEN: 2, RAG.BLUE: 1}


@pytest.mark.django_db
def test_rag_counts_per_goal_come_with_a_bar_of_letters_and_numbers(rated):
    data = strategy_dashboard(slug="better-care", quarter=Q2)
    access, quality = data.goals
    assert (access.title, access.total) == ("Access", 7)
    assert counts_of(access.rag_counts)[RAG.AMBER] == 2
    assert [(s.style.letter, s.count) for s in access.bar] == [("R", 1), ("A", 2), ("–", 2), ("G", 2)]
    assert sum(s.percent for s in access.bar) == pytest.approx(100, abs=0.5)
    assert [(s.style.letter, s.count, s.percent) for s in quality.bar] == [("B", 1, 100.0)]


@pytest.mark.django_db
def test_completeness_counts_approved_submitted_and_the_rest_as_not_submitted(rated):
    data = strategy_dashboard(slug="better-care", quarter=Q2)
    assert {t.key: t.count for t in data.completeness} == {"approved": 5, "submitted": 1, "missing": 2}
    missing = next(t for t in data.completeness if t.key == "missing")
    assert missing.query == "strategy=better-care&quarter=2024-Q2&state=missing&state=draft&state=returned"


@pytest.mark.django_db
def test_success_measure_evidence_is_counted_on_the_dashboard(signed_in, rated):
    from goals.core.choices import UpdateState
    from goals.models import MeasureEvidence
    from tests import factories

    waits, safety = rated.objectives
    measures = [
        factories.SuccessMeasureFactory(objective=o, order=n, title=f"Measure {n}")
        for n, o in enumerate((waits, waits, safety, safety), 1)
    ]
    MeasureEvidence.objects.create(measure=measures[0], period=rated.q2, evidence="Seen", state=UpdateState.APPROVED)
    MeasureEvidence.objects.create(measure=measures[1], period=rated.q2, evidence="Sent", state=UpdateState.SUBMITTED)
    MeasureEvidence.objects.create(measure=measures[2], period=rated.q2, evidence="Back", state=UpdateState.RETURNED)
    MeasureEvidence.objects.create(measure=measures[3], period=rated.q1, evidence="Old", state=UpdateState.APPROVED)
    data = strategy_dashboard(slug="better-care", quarter=Q2)
    assert {t.key: (t.count, t.total) for t in data.evidence_completeness} == {
        "approved": (1, 4),
        "submitted": (1, 4),
        "missing": (2, 4),  # the returned one and the one with only last quarter's evidence
    }
    content = signed_in.get(dashboard_url("better-care")).content.decode()
    assert "Success-measure evidence for Q2 2024/25" in content


@pytest.mark.django_db
def test_movement_counts_each_kind_and_lists_deteriorated_before_improved(rated):
    data = strategy_dashboard(slug="better-care", quarter=Q2)
    assert {t.key: t.count for t in data.movement} == {
        Movement.DETERIORATED: 1,
        Movement.IMPROVED: 3,
        Movement.UNCHANGED: 1,
        Movement.NEW: 1,
        Movement.NOT_RATED: 2,
    }
    assert [row.title for row in data.moved.rows] == [
        "Open a single point of access",
        "Cut waiting lists",
        "Review referral criteria",
        "Falls collaborative",
    ]
    assert data.moved.rows[0].movement == Movement.DETERIORATED


@pytest.mark.django_db
def test_red_and_amber_are_listed_red_first_with_reason_and_sro_as_named_that_quarter(rated):
    data = strategy_dashboard(slug="better-care", quarter=Q2)
    rows = [(r.rag, r.title, r.rag_reason, r.sro_names) for r in data.red_and_amber.rows]
    assert rows == [
        ("red", "Open a single point of access", "The contractor went bust", "Sharon Murphy, Director of Finance"),
        ("amber", "Recruit more therapists", "Recruitment is slow", "Sharon Murphy, Director of Finance"),
        ("amber", "Show waiting times online", "Started late", "Paul Sheldon, Medical Director"),
    ]


@pytest.mark.django_db
def test_the_page_shows_the_red_and_amber_with_links_and_the_deteriorated_action(signed_in, rated):
    response = signed_in.get(dashboard_url("better-care"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "RAG status, Q2 2024/25" in content
    assert "The contractor went bust" in content
    assert f'href="{rated.worse.get_absolute_url()}"' in content
    assert "Sharon Murphy, Director of Finance" in content
    assert "What moved since Q1 2024/25" in content
    # The red/amber list comes before the movement list, and in it the deteriorated one first.
    moved = content.index("Actions whose rating changed since Q1 2024/25")
    assert content.index("Deteriorated", moved) < content.index("Improved", moved)
    # The bar per goal names its counts in words, not colour alone.
    assert 'aria-label="1 Red, 2 Amber, 2 Not rated, 2 Green"' in content


@pytest.mark.django_db
def test_an_action_with_no_earlier_quarter_is_new_and_the_page_says_why(signed_in, rated):
    response = signed_in.get(dashboard_url("better-care", "2024-Q1"))
    assert {t.key: t.count for t in response.context["dashboard"].movement}[Movement.NEW] == 7
    assert "has no reports for Q4 2023/24, so every rated action counts as new" in response.content.decode()


@pytest.mark.django_db
def test_the_dashboard_url_without_a_quarter_goes_to_the_latest_quarter_with_reported_data(signed_in, rated):
    # Q3 is open with nothing reported, so Q2 is the latest with data.
    response = signed_in.get(reverse("goals:dashboard_latest", kwargs={"slug": "better-care"}))
    assert response.status_code == 302
    assert response["Location"] == dashboard_url("better-care", "2024-Q2")


@pytest.mark.django_db
def test_the_quarter_switcher_sends_the_chosen_quarter_to_its_own_url(signed_in, rated):
    response = signed_in.get(reverse("goals:dashboard_latest", kwargs={"slug": "better-care"}), {"quarter": "2024-Q1"})
    assert response["Location"] == dashboard_url("better-care", "2024-Q1")
    page = signed_in.get(dashboard_url("better-care")).content.decode()
    assert '<option value="2024-Q3">Q3 2024/25 (nothing reported)</option>' in page
    assert '<option value="2024-Q2" selected>Q2 2024/25</option>' in page
    assert f'href="{dashboard_url("better-care", "2024-Q1")}"' in page
    assert f'href="{dashboard_url("better-care", "2024-Q3")}"' in page


@pytest.mark.django_db
def test_a_quarter_switcher_value_that_is_not_a_quarter_falls_back_to_the_latest(signed_in, rated):
    response = signed_in.get(reverse("goals:dashboard_latest", kwargs={"slug": "better-care"}), {"quarter": "soon"})
    assert response["Location"] == dashboard_url("better-care", "2024-Q2")


@pytest.mark.django_db
def test_a_quarter_the_strategy_does_not_have_and_an_unknown_strategy_answer_404(signed_in, rated):
    assert signed_in.get(dashboard_url("better-care", "2019-Q1")).status_code == 404
    assert signed_in.get(dashboard_url("no-such-strategy")).status_code == 404
    assert signed_in.get(reverse("goals:dashboard_latest", kwargs={"slug": "no-such-strategy"})).status_code == 404
    assert (
        signed_in.get(
            reverse("goals:dashboard_latest", kwargs={"slug": "better-care"}), {"quarter": "2019-Q1"}
        ).status_code
        == 404
    )


@pytest.mark.django_db
def test_a_strategy_without_quarters_says_so_instead_of_failing(signed_in):
    from tests import factories

    factories.StrategyFactory(name="Brand New", slug="brand-new")
    response = signed_in.get(reverse("goals:dashboard_latest", kwargs={"slug": "brand-new"}))
    assert response.status_code == 200
    assert "No quarters yet" in response.content.decode()


@pytest.mark.django_db
def test_another_strategys_quarter_is_not_found_under_this_strategy(signed_in, rated):
    from tests import factories

    other = factories.StrategyFactory(name="Other", slug="other")
    factories.PeriodFactory(strategy=other, year=2020, quarter=1)
    assert signed_in.get(dashboard_url("better-care", "2020-Q1")).status_code == 404


@pytest.mark.django_db
def test_long_lists_show_the_worst_first_and_link_to_all_of_them(signed_in, rated, monkeypatch):
    monkeypatch.setattr("goals.status.dashboard.DASHBOARD_LIST_LIMIT", 2)
    data = strategy_dashboard(slug="better-care", quarter=Q2)
    assert [r.rag for r in data.red_and_amber.rows] == [RAG.RED, RAG.AMBER]
    assert (data.red_and_amber.total, data.red_and_amber.more) == (3, 1)
    assert data.red_and_amber.query == "strategy=better-care&quarter=2024-Q2&rag=red&rag=amber&sort=rag"
    content = signed_in.get(dashboard_url("better-care")).content.decode()
    assert "Showing the first 2 of 3 Red and Amber actions." in content
    assert "?strategy=better-care&amp;quarter=2024-Q2&amp;rag=red&amp;rag=amber&amp;sort=rag" in content

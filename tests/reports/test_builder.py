"""The report builder: one plain, frozen data object per (quarter, layout), read with a fixed
number of queries, holding what the board sees (reported updates only, names as they were)."""

import dataclasses
import datetime

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from benchmarks.generator import generate_trust
from goals.core.choices import RAG, ActionStatus, UpdateState
from goals.models import Period
from reports.builder import build_report, report_period
from tests import factories

SMALL = {"goals": 3, "objectives_per_goal": 2, "actions_per_objective": 3, "quarters": 4}
LARGE = {"goals": 6, "objectives_per_goal": 5, "actions_per_objective": 6, "quarters": 8}  # 10× the actions
BUILDER_QUERIES = 15


def q2_report(rated, layout="progress"):
    return build_report(period=report_period("better-care", "2024-Q2"), layout=layout)


def row(report, title):
    return next(a for a in report.actions if a.title == title)


@pytest.mark.django_db
def test_the_report_is_plain_frozen_data(rated):
    report = q2_report(rated)
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.layout = "highlight"
    for value in (report.goals, report.risks, report.goals[0].objectives, report.goals[0].objectives[0].actions):
        assert isinstance(value, tuple)


@pytest.mark.django_db
def test_rendering_the_report_needs_no_database(rated, django_assert_num_queries):
    from reports.renderers import render

    report = q2_report(rated)
    with django_assert_num_queries(0):
        for name in ("html", "docx", "xlsx"):
            render(report, name)


@pytest.mark.django_db
def test_only_reported_updates_count_and_drafts_show_as_not_rated(rated):
    report = q2_report(rated)
    assert row(report, "Open a single point of access").rag == RAG.RED
    assert row(report, "Review referral criteria").rag == RAG.GREEN  # submitted counts
    draft = row(report, "Digital letters")
    assert draft.rag == "" and draft.state == "" and draft.progress == ""
    assert row(report, "Text reminders").state_label == "No update"


@pytest.mark.django_db
def test_previous_quarters_rag_and_its_movement_are_carried(rated):
    report = q2_report(rated)
    assert report.previous_quarter.label == "Q1 2024/25"
    worse = row(report, "Open a single point of access")
    assert (worse.previous_rag, worse.rag, worse.movement_word, worse.movement_arrow) == (
        "green",
        "red",
        "Deteriorated",
        "↓",
    )
    assert row(report, "Cut waiting lists").movement_word == "Improved"
    assert row(report, "Recruit more therapists").movement_word == "Unchanged"
    assert row(report, "Show waiting times online").movement_word == "New"
    assert [a.title for a in report.rag_changes][0] == "Open a single point of access"  # bad news first
    assert {a.title for a in report.rag_changes} == {
        "Open a single point of access",
        "Cut waiting lists",
        "Review referral criteria",
        "Falls collaborative",
    }


@pytest.mark.django_db
def test_without_a_previous_quarter_nothing_is_compared(rated):
    report = build_report(period=report_period("better-care", "2024-Q1"), layout="progress")
    assert report.previous_quarter is None
    assert all(a.previous_rag is None and a.movement is None for a in report.actions)
    assert report.rag_changes == ()


@pytest.mark.django_db
def test_sro_names_and_titles_are_as_they_were_that_quarter(rated):
    report = q2_report(rated)
    assert str(row(report, "Open a single point of access").sros[0]) == "Sharon Murphy, Director of Finance"
    # Q3 has no recorded titles yet: today's title is printed.
    q3 = build_report(period=report_period("better-care", "2024-Q3"), layout="progress")
    assert str(row(q3, "Open a single point of access").sros[0]) == "Sharon Murphy, Chief Finance Officer"


@pytest.mark.django_db
def test_rag_summary_per_goal_and_overall(rated):
    report = q2_report(rated)
    access, quality = report.goals
    assert {t.rag: t.count for t in access.rag_summary.counts} == {
        RAG.RED: 1,
        RAG.AMBER: 2,
        "": 2,
        RAG.GREEN: 2,
        RAG.BLUE: 0,
    }
    assert quality.rag_summary.count(RAG.BLUE) == 1
    assert report.rag_summary.total == 8 == len(report.actions)


@pytest.mark.django_db
def test_finished_actions_without_an_update_are_left_out_but_active_ones_without_one_are_shown(rated):
    stepped_down = factories.ActionFactory(
        objective=rated.objectives[0], number=9, title="Old pilot", status=ActionStatus.STEPPED_DOWN
    )
    report = q2_report(rated)
    titles = [a.title for a in report.actions]
    assert stepped_down.title not in titles
    assert "Text reminders" in titles  # active, no update: the board sees it is missing
    assert [a.number for a in report.goals[0].objectives[0].actions] == [1, 2, 3, 4, 5, 6, 7]


@pytest.mark.django_db
def test_baf_risks_carry_score_direction_and_band(rated):
    up = factories.RiskFactory(strategy=rated.strategy, number="01", title="Waits grow")
    down = factories.RiskFactory(strategy=rated.strategy, number="02", title="Estate fails")
    new = factories.RiskFactory(strategy=rated.strategy, number="03", title="Cyber attack")
    up.goals.add(rated.goals[0])
    down.goals.add(rated.goals[0], rated.goals[1])
    for risk, before, now in [(up, 12, 16), (down, 9, 6)]:
        factories.RiskScoreFactory(risk=risk, period=rated.q1, score=before)
        factories.RiskScoreFactory(risk=risk, period=rated.q2, score=now)
    factories.RiskScoreFactory(risk=new, period=rated.q2, score=25)
    report = q2_report(rated)
    by_number = {r.number: r for r in report.risks}
    assert (by_number["01"].score, by_number["01"].direction, by_number["01"].arrow, by_number["01"].band_label) == (
        16,
        "up",
        "↑",
        "Extreme",
    )
    assert (by_number["02"].previous_score, by_number["02"].arrow, by_number["02"].band_label) == (9, "↓", "Moderate")
    assert by_number["03"].direction_label == "No previous score"
    assert [r.number for r in report.goals[0].risks] == ["01", "02"]
    assert [r.number for r in report.goals[1].risks] == ["02"]
    assert [r.number for r in report.unlinked_risks] == ["03"]
    assert [r.number for r in report.risk_changes] == ["01", "02"]
    # The progress report ends with the risks not shown under a goal, the highlight with all of them.
    assert [r.number for r in report.closing_risks] == ["03"]
    assert [r.number for r in q2_report(rated, "highlight").closing_risks] == ["01", "02", "03"]


@pytest.mark.django_db
def test_success_measure_evidence_keeps_impact_apart_and_leaves_drafts_out(rated):
    shown = factories.SuccessMeasureFactory(objective=rated.objectives[0], order=1, title="Nobody waits long")
    drafted = factories.SuccessMeasureFactory(objective=rated.objectives[0], order=2, title="Letters are digital")
    factories.MeasureEvidenceFactory(
        measure=shown, period=rated.q2, evidence="Waits fell.", impact="Fewer complaints.", next_focus="Keep it up."
    )
    factories.MeasureEvidenceFactory(measure=drafted, period=rated.q2, evidence="Half written", state=UpdateState.DRAFT)
    measures = q2_report(rated, "highlight").goals[0].objectives[0].measures
    assert [(m.title, m.evidence, m.impact, m.next_focus) for m in measures] == [
        ("Nobody waits long", "Waits fell.", "Fewer complaints.", "Keep it up."),
        ("Letters are digital", "", "", ""),
    ]


@pytest.mark.django_db
def test_cover_facts_and_file_names(rated):
    report = q2_report(rated)
    assert report.months_label == "Jul, Aug and Sep 24"
    assert report.cover_heading == "Quarter 2 progress report 2024/25"
    assert report.filename("pdf") == "better-care-2024-Q2-progress.pdf"
    assert report.filename("docx", 2) == "better-care-2024-Q2-progress-v2.docx"
    assert report.risk_band_text == "Bands: 1–3 low, 4–6 moderate, 8–12 high, 15–25 extreme."


@pytest.mark.django_db
def test_unknown_layouts_and_quarters_are_refused(rated):
    period = Period.objects.get(strategy=rated.strategy, year=2024, quarter=2)
    with pytest.raises(ValueError, match="layout must be one of"):
        build_report(period=period, layout="poster")
    for slug, quarter in [("better-care", "2019-Q1"), ("better-care", "Q9"), ("no-such-strategy", "2024-Q2")]:
        with pytest.raises(Http404):
            report_period(slug, quarter)


@pytest.mark.django_db
def test_metrics_are_shown_as_they_stood_at_the_quarters_end(rated):
    metric = factories.MetricFactory(
        strategy=rated.strategy,
        key="falls",
        name="Falls (illustrative)",
        goal=rated.goals[1],
        target=5,
        improvement="down",
    )
    for month in range(1, 13):  # Apr 2023 … Mar 2024, then three after Q2 2024/25 ends
        factories.MetricValueFactory(
            metric=metric, date=datetime.date(2023 + (month + 2) // 12, (month + 2) % 12 + 1, 1), value=6 + month % 3
        )
    factories.MetricValueFactory(metric=metric, date=datetime.date(2024, 10, 1), value=99)
    report = q2_report(rated)
    (row_,) = report.metrics
    assert row_.goal_order == 2 and report.goals[1].metrics == (row_,)
    assert report.unlinked_metrics == ()
    assert row_.values[-1].date <= datetime.date(2024, 9, 30) and 99 not in [v.value for v in row_.values]
    assert row_.chart_svg.startswith("<svg") and row_.chart_png.startswith(b"\x89PNG")
    assert row_.variation_label and row_.assurance_label


@pytest.mark.django_db
def test_a_strategy_without_metrics_has_an_empty_metrics_section(rated):
    assert q2_report(rated).metrics == ()


def _builder_queries(period) -> int:
    period = report_period(period.strategy.slug, period.slug)
    with CaptureQueriesContext(connection) as ctx:
        report = build_report(period=period, layout="progress")
    assert report.actions
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_builder_query_count_is_pinned_and_does_not_grow_with_the_data():
    small = generate_trust(**SMALL, slug="small-trust", open_last=False)
    large = generate_trust(**LARGE, slug="large-trust", seed=2, open_last=False)
    for trust, metrics in ((small, 1), (large, 10)):
        for metric in factories.MetricFactory.create_batch(metrics, strategy=trust.strategy):
            factories.MetricValueFactory.create_batch(3, metric=metric)
    assert len(large.actions) == 10 * len(small.actions)
    assert _builder_queries(small.periods[-1]) == _builder_queries(large.periods[-1]) == BUILDER_QUERIES

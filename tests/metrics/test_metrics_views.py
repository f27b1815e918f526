"""The metric pages: everyone signed in reads; strategy admins and the programme office write
(others get 403 and nothing changes); bad input gets the NHS error summary; query counts are
pinned and do not grow with the data."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from benchmarks.generator import generate_trust
from goals.core.choices import Improvement
from goals.models import Metric, MetricValue
from tests import factories

STABLE = [20, 23, 21, 25, 22, 19, 22, 24, 21, 18, 21, 25]


def add_metrics(strategy, *, count: int, points: int, goal=None) -> list[Metric]:
    """`count` monthly metrics of `strategy` with `points` values each (bulk-created)."""
    metric_rows = Metric.objects.bulk_create(
        [
            factories.MetricFactory.build(
                strategy=strategy,
                key=f"metric-{n}",
                name=f"Metric {n:03d} (illustrative)",
                improvement=[Improvement.UP, Improvement.DOWN, Improvement.NEITHER][n % 3],
                target=Decimal(20) if n % 2 else None,
                goal=goal,
            )
            for n in range(count)
        ]
    )
    MetricValue.objects.bulk_create(
        [
            MetricValue(
                metric=metric,
                date=datetime.date(2020 + i // 12, i % 12 + 1, 1),
                value=Decimal(STABLE[i % 12] + (i // 12)),
                annotation="Note" if i == 3 else "",
            )
            for metric in metric_rows
            for i in range(points)
        ],
        batch_size=2000,
    )
    return metric_rows


@pytest.fixture
def falls(db):
    strategy = factories.StrategyFactory(slug="better-care", name="Better Care")
    goal = factories.GoalFactory(strategy=strategy, key="safe-care", title="Safe care")
    metric = factories.MetricFactory(
        strategy=strategy,
        key="falls",
        name="Falls (illustrative)",
        goal=goal,
        unit="per 1,000 bed days",
        improvement=Improvement.DOWN,
        target=Decimal(22),
    )
    MetricValue.objects.bulk_create(
        [
            MetricValue(metric=metric, date=datetime.date(2022 + i // 12, i % 12 + 1, 1), value=v)
            for i, v in enumerate(STABLE)
        ]
    )
    return metric


def url(name, metric, *args):
    return reverse(f"goals:{name}", args=[metric.strategy.slug, metric.key, *args])


def values_of(metric):
    return list(metric.values.order_by("date").values_list("date", "value", "annotation"))


# --- reading ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_anyone_signed_in_reads_the_summary_table_with_icons_and_words(client, director, falls):
    client.force_login(director)
    response = client.get(reverse("goals:metric_list", args=["better-care"]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Falls (illustrative)" in content
    assert "25 per 1,000 bed days" in content and "Dec 2022" in content
    assert "22 per 1,000 bed days" in content  # the target
    assert "Common cause – no significant change" in content
    assert "Hit or miss – will sometimes meet and sometimes miss the target" in content
    assert content.count('class="app-spc-icon"') == 2


@pytest.mark.django_db
def test_the_metric_page_shows_the_chart_its_words_and_the_data_table(client, director, falls):
    client.force_login(director)
    response = client.get(url("metric_detail", falls))
    content = response.content.decode()
    assert "<svg" in content and 'role="img"' in content and f'aria-describedby="spc-{falls.pk}-desc"' in content
    assert response.context["summary"].description in content
    assert "Show the data as a table" in content
    assert "Lower limit" in content and "Upper limit" in content
    # A reader sees no writing controls.
    assert "Add a value" not in content and "Change<span" not in content


@pytest.mark.django_db
def test_the_metric_page_shows_the_baseline_and_the_analysis_uses_it(client, director, falls):
    client.force_login(director)
    assert "All values (of each segment)" in client.get(url("metric_detail", falls)).content.decode()
    falls.baseline = 6
    falls.save()
    response = client.get(url("metric_detail", falls))
    assert "The first 6 values (of each segment), then fixed" in response.content.decode()
    # mean of 20 23 21 25 22 19 = 130 / 6, not the mean of all twelve values
    assert response.context["summary"].analysis.mean == pytest.approx(130 / 6)


@pytest.mark.django_db
def test_a_metric_without_a_target_says_so_instead_of_none(client, director, falls):
    falls.target = None
    falls.save()
    client.force_login(director)
    for page in (reverse("goals:metric_list", args=["better-care"]), url("metric_detail", falls)):
        content = client.get(page).content.decode()
        assert "No target set" in content
        assert ">None<" not in content


@pytest.mark.django_db
def test_writers_see_links_to_add_change_and_upload(client, secretary, falls):
    client.force_login(secretary)
    content = client.get(url("metric_detail", falls)).content.decode()
    assert url("metric_value_add", falls) in content
    assert url("metric_values_upload", falls) in content
    first = falls.values.order_by("date").first()
    assert url("metric_value_edit", falls, first.pk) in content


@pytest.mark.django_db
def test_the_goal_page_lists_its_metrics(client, director, falls):
    client.force_login(director)
    content = client.get(falls.goal.get_absolute_url()).content.decode()
    assert "Metrics of this goal" in content and url("metric_detail", falls) in content


@pytest.mark.django_db
def test_a_goal_without_metrics_prints_no_metrics_section(client, director, falls):
    other = factories.GoalFactory(strategy=falls.strategy, key="other")
    client.force_login(director)
    assert "Metrics of this goal" not in client.get(other.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_the_metrics_index_lists_strategies_with_counts(client, director, falls):
    client.force_login(director)
    content = client.get(reverse("goals:metric_index")).content.decode()
    assert "Better Care" in content and "1 metric" in content


@pytest.mark.django_db
def test_unknown_strategy_metric_or_value_answers_404(client, secretary, falls):
    other = factories.MetricFactory(strategy=factories.StrategyFactory(slug="other-trust"), key="other")
    other_value = MetricValue.objects.create(metric=other, date=datetime.date(2023, 4, 1), value=1)
    client.force_login(secretary)
    assert client.get(reverse("goals:metric_list", args=["nope"])).status_code == 404
    assert client.get(reverse("goals:metric_detail", args=["better-care", "nope"])).status_code == 404
    # The metric exists, but under another strategy.
    assert client.get(reverse("goals:metric_detail", args=["better-care", "other"])).status_code == 404
    # Another metric's value through this metric's URL.
    response = client.post(url("metric_value_edit", falls, other_value.pk), {"date": "01/04/2023", "value": "9"})
    assert response.status_code == 404
    other_value.refresh_from_db()
    assert other_value.value == 1


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["metric_index", "metric_list", "metric_detail"])
def test_reading_pages_need_sign_in_and_refuse_posts(client, director, falls, name):
    target = {
        "metric_index": reverse("goals:metric_index"),
        "metric_list": reverse("goals:metric_list", args=["better-care"]),
        "metric_detail": url("metric_detail", falls),
    }[name]
    response = client.get(target)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    client.force_login(director)
    assert client.post(target).status_code == 405


# --- writing ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_programme_office_adds_a_value(client, secretary, falls):
    client.force_login(secretary)
    response = client.post(url("metric_value_add", falls), {"date": "Jan 2023", "value": "19.5", "annotation": "Audit"})
    assert response.status_code == 302 and response["Location"] == url("metric_detail", falls)
    assert values_of(falls)[-1] == (datetime.date(2023, 1, 1), Decimal("19.5"), "Audit")
    page = client.get(response["Location"]).content.decode()
    assert "Jan 2023: value added." in page


@pytest.mark.django_db
def test_a_strategy_admin_changes_a_value(client, admin_user, falls):
    row = falls.values.order_by("date").first()
    client.force_login(admin_user)
    form = client.get(url("metric_value_edit", falls, row.pk))
    assert form.status_code == 200 and 'value="01/01/2022"' in form.content.decode()
    response = client.post(
        url("metric_value_edit", falls, row.pk), {"date": "01/01/2022", "value": "30", "recalculate_limits": "on"}
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.value, row.recalculate_limits) == (Decimal(30), True)


@pytest.mark.django_db
def test_bad_input_gets_the_error_summary_keeps_what_was_typed_and_writes_nothing(client, secretary, falls):
    client.force_login(secretary)
    before = values_of(falls)
    response = client.post(url("metric_value_add", falls), {"date": "15/01/2023", "value": "lots"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in content and "nhsuk-error-summary" in content
    assert 'href="#id_date"' in content and 'href="#id_value"' in content
    assert "is not the first day of a month" in content and "&quot;lots&quot; is not a number" in content
    assert 'value="15/01/2023"' in content and 'value="lots"' in content
    assert values_of(falls) == before


@pytest.mark.django_db
def test_a_date_already_used_is_reported_at_the_form(client, secretary, falls):
    client.force_login(secretary)
    response = client.post(url("metric_value_add", falls), {"date": "01/01/2022", "value": "1"})
    assert "This metric already has a value for that date." in response.content.decode()
    assert falls.values.count() == 12


@pytest.mark.django_db
def test_a_csv_upload_adds_values(client, secretary, falls):
    client.force_login(secretary)
    upload = SimpleUploadedFile(
        "falls.csv", b"\xef\xbb\xbfdate,value\r\n01/01/2023,19\r\n01/02/2023,18\r\n", content_type="text/csv"
    )
    response = client.post(url("metric_values_upload", falls), {"file": upload})
    assert response.status_code == 302
    assert falls.values.count() == 14
    assert "File uploaded: 2 values added, 0 updated." in client.get(response["Location"]).content.decode()


@pytest.mark.django_db
def test_a_bad_csv_names_each_row_in_the_error_summary_and_writes_nothing(client, secretary, falls):
    client.force_login(secretary)
    before = values_of(falls)
    upload = SimpleUploadedFile("falls.csv", b"date,value\n31/02/2023,1\n01/03/2023,x\n01/03/2023,2\n")
    response = client.post(url("metric_values_upload", falls), {"file": upload})
    content = response.content.decode()
    assert response.status_code == 200 and "nhsuk-error-summary" in content
    for message in (
        "Row 2, date: &quot;31/02/2023&quot; is not a date",
        "Row 3, value: &quot;x&quot; is not a number",
        "Row 4, date: 01/03/2023 is already in row 3",
    ):
        assert message in content
    assert 'href="#id_file"' in content
    assert values_of(falls) == before


@pytest.mark.django_db
def test_an_upload_without_a_file_asks_for_one(client, secretary, falls):
    client.force_login(secretary)
    response = client.post(url("metric_values_upload", falls), {})
    assert "Choose a CSV file" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["director", "lead"])
def test_others_get_403_on_every_write_page_and_nothing_changes(client, make_user, director, falls, who):
    user = director if who == "director" else make_user("lead")
    row = falls.values.order_by("date").first()
    before = values_of(falls)
    client.force_login(user)
    for name, args, data in [
        ("metric_value_add", (), {"date": "01/01/2023", "value": "1"}),
        ("metric_value_edit", (row.pk,), {"date": "01/01/2022", "value": "99"}),
        ("metric_values_upload", (), {"file": SimpleUploadedFile("v.csv", b"date,value\n01/01/2023,1\n")}),
    ]:
        assert client.get(url(name, falls, *args)).status_code == 403
        assert client.post(url(name, falls, *args), data).status_code == 403
    assert values_of(falls) == before


@pytest.mark.django_db
def test_csrf_is_enforced_on_writes(secretary, falls):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(secretary)
    assert client.post(url("metric_value_add", falls), {"date": "01/01/2023", "value": "1"}).status_code == 403
    assert falls.values.count() == 12


# --- query counts ----------------------------------------------------------------------------

SMALL = {"goals": 2, "objectives_per_goal": 2, "actions_per_objective": 2, "quarters": 2}
LARGE = {"goals": 4, "objectives_per_goal": 5, "actions_per_objective": 5, "quarters": 4}

# Pinned budgets: session, user, groups (navigation), then the page's own reads.
PINNED_QUERIES = {
    "metric_index": 4,  # strategies with their metric counts
    "metric_list": 6,  # strategy, metrics, values
    "metric_detail": 5,  # metric (with strategy, goal, objective), values
    "metric_value_add": 4,  # metric (with strategy)
    "metric_value_edit": 5,  # metric, value
    "metric_values_upload": 4,  # metric
}


def _page_url(page, metrics_):
    metric = metrics_[0]
    first_value = metric.values.order_by("date").first()
    return {
        "metric_index": reverse("goals:metric_index"),
        "metric_list": reverse("goals:metric_list", args=[metric.strategy.slug]),
        "metric_detail": url("metric_detail", metric),
        "metric_value_add": url("metric_value_add", metric),
        "metric_value_edit": url("metric_value_edit", metric, first_value.pk),
        "metric_values_upload": url("metric_values_upload", metric),
    }[page]


def _count(client, target):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(target)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("page_name", sorted(PINNED_QUERIES))
def test_query_count_is_pinned_and_does_not_grow_with_the_data(client, secretary, page_name):
    client.force_login(secretary)
    small = generate_trust(**SMALL, slug="small-trust")
    small_count = _count(client, _page_url(page_name, add_metrics(small.strategy, count=3, points=14)))
    large = generate_trust(**LARGE, slug="large-trust", seed=2)
    large_count = _count(client, _page_url(page_name, add_metrics(large.strategy, count=30, points=48)))
    assert small_count == large_count == PINNED_QUERIES[page_name]


@pytest.mark.django_db
def test_the_goal_page_query_count_does_not_grow_with_its_metrics(client, director):
    from tests.strategy.test_views import PINNED_QUERIES as GOAL_PAGES

    client.force_login(director)
    counts = []
    for slug, count, points in (("small-trust", 2, 12), ("large-trust", 20, 48)):
        trust = generate_trust(**SMALL, slug=slug)
        goal = trust.strategy.goals.order_by("order").first()
        add_metrics(trust.strategy, count=count, points=points, goal=goal)
        counts.append(_count(client, goal.get_absolute_url()))
    assert counts[0] == counts[1] == GOAL_PAGES["goal_detail"]

"""Writing metric values: one at a time (metric_value_save) and from CSV
(metric_values_import_csv, all or nothing). Only strategy admins and the programme office."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from goals.core.choices import Frequency
from goals.core.permissions import may_edit_metrics
from goals.metrics import services
from goals.models import MetricValue
from tests import factories

APRIL = datetime.date(2023, 4, 1)
MAY = datetime.date(2023, 5, 1)


@pytest.fixture
def metric(db):
    return factories.MetricFactory(key="falls", name="Falls (illustrative)")


def stored(metric):
    return list(MetricValue.objects.filter(metric=metric).order_by("date").values_list("date", "value", "annotation"))


# --- metric_value_save -----------------------------------------------------------------------


@pytest.mark.django_db
def test_who_may_edit_the_metric_values_of_a_strategy(metric, secretary, admin_user, director, make_user):
    strategy = metric.strategy
    assert may_edit_metrics(secretary, strategy)
    assert may_edit_metrics(admin_user, strategy)
    assert not may_edit_metrics(director, strategy)
    assert not may_edit_metrics(make_user("nobody"), strategy)


@pytest.mark.django_db
def test_the_programme_office_adds_a_value(metric, secretary):
    row = services.metric_value_save(
        metric=metric, date=APRIL, value=Decimal("7.9"), annotation=" Launch ", by=secretary
    )
    assert stored(metric) == [(APRIL, Decimal("7.9"), "Launch")]
    assert row.history.first().history_user == secretary


@pytest.mark.django_db
def test_a_strategy_admin_changes_a_value_and_may_recalculate_limits_from_it(metric, admin_user):
    row = MetricValue.objects.create(metric=metric, date=APRIL, value=5)
    services.metric_value_save(
        metric=metric, metric_value=row, date=MAY, value=Decimal(6), recalculate_limits=True, by=admin_user
    )
    row.refresh_from_db()
    assert (row.date, row.value, row.recalculate_limits) == (MAY, Decimal(6), True)
    assert MetricValue.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["director", "someone", "superuser"])
def test_others_may_not_write_a_value_and_nothing_changes(metric, make_user, director, who):
    user = {
        "director": director,
        "someone": make_user("someone"),
        "superuser": make_user("root", is_superuser=True),
    }[who]
    row = MetricValue.objects.create(metric=metric, date=APRIL, value=5)
    if who == "superuser":  # a superuser is a strategy admin (goals.core.permissions)
        services.metric_value_save(metric=metric, metric_value=row, date=APRIL, value=Decimal(9), by=user)
        assert stored(metric) == [(APRIL, Decimal(9), "")]
        return
    with pytest.raises(PermissionDenied):
        services.metric_value_save(metric=metric, date=MAY, value=Decimal(1), by=user)
    with pytest.raises(PermissionDenied):
        services.metric_value_save(metric=metric, metric_value=row, date=APRIL, value=Decimal(9), by=user)
    assert stored(metric) == [(APRIL, Decimal(5), "")]


@pytest.mark.django_db
def test_a_value_of_another_metric_cannot_be_changed_through_this_one(metric, secretary):
    other = MetricValue.objects.create(metric=factories.MetricFactory(), date=APRIL, value=5)
    with pytest.raises(PermissionDenied):
        services.metric_value_save(metric=metric, metric_value=other, date=APRIL, value=Decimal(9), by=secretary)
    other.refresh_from_db()
    assert other.value == 5


@pytest.mark.django_db
def test_a_date_that_already_has_a_value_is_refused(metric, secretary):
    MetricValue.objects.create(metric=metric, date=APRIL, value=5)
    with pytest.raises(ValidationError) as raised:
        services.metric_value_save(metric=metric, date=APRIL, value=Decimal(9), by=secretary)
    assert "This metric already has a value for that date." in raised.value.messages
    assert stored(metric) == [(APRIL, Decimal(5), "")]


@pytest.mark.django_db
def test_a_date_inside_a_month_is_refused_at_the_date_field(metric, secretary):
    with pytest.raises(ValidationError) as raised:
        services.metric_value_save(metric=metric, date=datetime.date(2023, 4, 15), value=Decimal(9), by=secretary)
    assert "15/04/2023 is not the first day of a month" in raised.value.message_dict["date"][0]
    assert stored(metric) == []


@pytest.mark.django_db
def test_a_quarterly_value_is_dated_by_its_quarters_first_day(secretary):
    metric = factories.MetricFactory(frequency=Frequency.QUARTERLY)
    with pytest.raises(ValidationError):
        services.metric_value_save(metric=metric, date=MAY, value=Decimal(1), by=secretary)
    services.metric_value_save(metric=metric, date=datetime.date(2023, 7, 1), value=Decimal(1), by=secretary)
    assert MetricValue.objects.filter(metric=metric).count() == 1


# --- metric_values_import_csv ----------------------------------------------------------------


def import_csv(metric, text, by, *, encoding="utf-8"):
    return services.metric_values_import_csv(metric=metric, file=text.encode(encoding), by=by)


def refused(metric, text, by, **kwargs) -> list[str]:
    with pytest.raises(ValidationError) as raised:
        import_csv(metric, text, by, **kwargs)
    return raised.value.messages


@pytest.mark.django_db
def test_a_csv_file_adds_every_row(metric, secretary):
    result = import_csv(metric, "date,value,annotation\n01/04/2023,7.9,\n01/05/2023,6.4,New pathway\n", secretary)
    assert (result.created, result.updated) == (2, 0)
    assert str(result) == "2 values added, 0 updated"
    assert stored(metric) == [(APRIL, Decimal("7.9"), ""), (MAY, Decimal("6.4"), "New pathway")]


@pytest.mark.django_db
def test_excel_csv_utf8_with_a_byte_order_mark_and_crlf_is_read(metric, secretary):
    text = '\ufeffDate,Value,Annotation\r\n01/04/2023,97%,Équipe ready\r\n,,\r\n01/05/2023,"1,234.5",\r\n'
    result = import_csv(metric, text, secretary)
    assert result.created == 2
    assert stored(metric) == [(APRIL, Decimal(97), "Équipe ready"), (MAY, Decimal("1234.5"), "")]


@pytest.mark.django_db
def test_columns_may_come_in_any_order_and_annotation_is_optional(metric, secretary):
    import_csv(metric, "value,date\n3,2023-04-01\n", secretary)
    assert stored(metric) == [(APRIL, Decimal(3), "")]


@pytest.mark.django_db
def test_a_date_the_metric_has_gets_the_new_value_and_other_values_are_kept(metric, secretary):
    MetricValue.objects.create(metric=metric, date=APRIL, value=5)
    MetricValue.objects.create(metric=metric, date=MAY, value=6)
    result = import_csv(metric, "date,value\n01/04/2023,5.5\n01/06/2023,7\n", secretary)
    assert (result.created, result.updated) == (1, 1)
    assert stored(metric) == [
        (APRIL, Decimal("5.5"), ""),
        (MAY, Decimal(6), ""),
        (datetime.date(2023, 6, 1), Decimal(7), ""),
    ]


@pytest.mark.django_db
def test_an_unchanged_row_is_not_counted_or_saved_again(metric, secretary):
    MetricValue.objects.create(metric=metric, date=APRIL, value=5)
    result = import_csv(metric, "date,value\n01/04/2023,5\n", secretary)
    assert (result.created, result.updated) == (0, 0)


@pytest.mark.django_db
def test_a_bad_date_names_its_row_and_column_and_nothing_is_written(metric, secretary):
    messages = refused(metric, "date,value\n01/04/2023,1\n31/02/2023,2\n", secretary)
    assert messages == ['Row 3, date: "31/02/2023" is not a date: write it as 01/04/2023 or Apr 2023.']
    assert stored(metric) == []


@pytest.mark.django_db
def test_a_bad_number_names_its_row_and_column_and_nothing_is_written(metric, secretary):
    messages = refused(metric, "date,value\n01/04/2023,1\n01/05/2023,seven\n", secretary)
    assert messages == ['Row 3, value: "seven" is not a number.']
    assert stored(metric) == []


@pytest.mark.django_db
def test_a_duplicate_date_names_both_rows_and_nothing_is_written(metric, secretary):
    messages = refused(metric, "date,value\n01/04/2023,1\nApr 2023,2\n", secretary)
    assert messages == ["Row 3, date: 01/04/2023 is already in row 2; each date may appear once."]
    assert stored(metric) == []


@pytest.mark.django_db
def test_a_missing_column_is_named_and_nothing_is_written(metric, secretary):
    messages = refused(metric, "date,amount\n01/04/2023,1\n", secretary)
    assert messages == [
        'The file has no "value" column. The first row must name the columns date, value and (optionally) annotation.'
    ]
    assert stored(metric) == []


@pytest.mark.django_db
def test_every_bad_row_is_reported_at_once_with_spreadsheet_row_numbers(metric, secretary):
    # A blank line keeps its row number, as in the spreadsheet.
    text = "date,value\n15/04/2023,1\n\n01/05/2023,\n01/06/2023,3\n"
    messages = refused(metric, text, secretary)
    assert messages == [
        'Row 2, date: "15/04/2023" is not the first day of a month: monthly values are dated by the '
        "month's first day (01/04/2023).",
        "Row 4, value: Enter a value.",
    ]
    assert stored(metric) == []


@pytest.mark.django_db
def test_a_too_long_annotation_is_named(metric, secretary):
    messages = refused(metric, f"date,value,annotation\n01/04/2023,1,{'x' * 201}\n", secretary)
    assert messages == ["Row 2, annotation: longer than 200 characters."]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content, message",
    [
        ("", "The file is empty."),
        ("date,value\n", "The file has column names but no values."),
        ("date,value,value\n01/04/2023,1,2\n", 'The column "value" appears more than once in the first row.'),
    ],
)
def test_files_without_usable_rows_are_refused(metric, secretary, content, message):
    assert any(m.startswith(message) for m in refused(metric, content, secretary))


@pytest.mark.django_db
def test_a_file_that_is_not_utf8_is_refused_with_what_to_do(metric, secretary):
    messages = refused(metric, "date,value,annotation\n01/04/2023,1,caf\u00e9\n", secretary, encoding="cp1252")
    assert messages == ['The file is not UTF-8 text. In Excel choose "Save as" and the type "CSV UTF-8".']
    assert stored(metric) == []


@pytest.mark.django_db
def test_quarterly_csv_accepts_quarter_labels(secretary):
    metric = factories.MetricFactory(frequency=Frequency.QUARTERLY)
    import_csv(metric, "date,value\nQ1 2023/24,1\n01/07/2023,2\n", secretary)
    assert [d for d, _, _ in stored(metric)] == [APRIL, datetime.date(2023, 7, 1)]


@pytest.mark.django_db
def test_only_writers_may_import_and_nothing_is_written_for_others(metric, director):
    with pytest.raises(PermissionDenied):
        import_csv(metric, "date,value\n01/04/2023,1\n", director)
    assert stored(metric) == []


@pytest.mark.django_db
def test_a_failure_while_writing_rolls_every_row_back(metric, secretary, monkeypatch):
    calls = {"n": 0}
    original = MetricValue.save

    def failing_save(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("database went away")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(MetricValue, "save", failing_save)
    with pytest.raises(RuntimeError):
        import_csv(metric, "date,value\n01/04/2023,1\n01/05/2023,2\n", secretary)
    monkeypatch.setattr(MetricValue, "save", original)
    assert stored(metric) == []

"""Writes of metric values: ``metric_value_save`` (one value, from the form) and
``metric_values_import_csv`` (a CSV file, all or nothing). Only those who may edit the
strategy's metric values (``goals.core.permissions.may_edit_metrics``) write; everyone
signed in reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from goals.core.permissions import may_edit_metrics
from goals.metrics.parsing import CSVImportError, check_period_start, parse_csv
from goals.models import Metric, MetricValue


def _check_can_edit(user, strategy) -> None:
    if not may_edit_metrics(user, strategy):
        raise PermissionDenied("Only strategy admins and the programme office can change metric values.")


def metric_value_save(
    *,
    metric: Metric,
    date: date,
    value: Decimal,
    annotation: str = "",
    recalculate_limits: bool = False,
    metric_value: MetricValue | None = None,
    by,
) -> MetricValue:
    """Add a value to `metric`, or change `metric_value` (one of its values).

    Only strategy admins and the programme office may (PermissionDenied otherwise). The date
    must be the first day of the metric's month or quarter and not already used by another
    value (ValidationError naming the field otherwise).
    """
    _check_can_edit(by, metric.strategy)
    if metric_value is not None and metric_value.metric_id != metric.pk:
        raise PermissionDenied("That value belongs to another metric.")
    try:
        check_period_start(date, metric.frequency)
    except ValueError as error:
        raise ValidationError({"date": str(error)}) from None
    row = metric_value or MetricValue(metric=metric)
    row.date = date
    row.value = value
    row.annotation = (annotation or "").strip()
    row.recalculate_limits = bool(recalculate_limits)
    row.full_clean()
    row._history_user = by  # who made the change, when saved outside a request
    row.save()
    return row


@dataclass(frozen=True)
class CSVImportResult:
    created: int
    updated: int

    def __str__(self) -> str:
        return f"{self.created} value{'s' if self.created != 1 else ''} added, {self.updated} updated"


def metric_values_import_csv(*, metric: Metric, file, by) -> CSVImportResult:
    """Load a CSV file of values into `metric`: all rows or none.

    The first row names the columns: ``date`` and ``value`` (required) and ``annotation``
    (optional), in any order and any letter case. Dates as ``parse_value_date`` accepts them
    (UK day/month/year for 01/04/2023); numbers as ``parse_value_number``. A date already held
    by the metric has its value replaced; a date twice in the file is an error. UTF-8, with or
    without a byte-order mark (Excel's "CSV UTF-8"). Errors name the row as a spreadsheet
    numbers it (the header is row 1) and the column.
    """
    _check_can_edit(by, metric.strategy)
    parsed = parse_csv(file, metric.frequency)

    existing = {v.date: v for v in metric.values.all()}
    created = updated = 0
    with transaction.atomic():
        for line, day, number, annotation in parsed:
            row = existing.get(day) or MetricValue(metric=metric, date=day)
            is_new = row.pk is None
            if not is_new and row.value == number and row.annotation == annotation:
                continue
            row.value = number
            row.annotation = annotation
            try:
                row.full_clean()
            except ValidationError as error:  # not expected after parsing; named all the same
                raise CSVImportError([f"Row {line}: {message}" for message in error.messages]) from None
            row._history_user = by
            row.save()
            created += is_new
            updated += not is_new
    return CSVImportResult(created=created, updated=updated)

"""Metrics tracked over time and read as Making Data Count SPC charts."""

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from goals.core.choices import Frequency, Improvement


class Metric(models.Model):
    """A measure tracked over time and read as a Making Data Count SPC chart."""

    strategy = models.ForeignKey("goals.Strategy", on_delete=models.CASCADE, related_name="metrics")
    key = models.SlugField(max_length=100)
    name = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    unit = models.CharField(max_length=50, blank=True)
    improvement = models.CharField(max_length=10, choices=Improvement.choices, default=Improvement.NEITHER)
    target = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY)
    baseline = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(2)],
        help_text=_(
            "Fix the SPC limits from the first this many values (and of each recalculated segment); empty: all."
        ),
    )
    goal = models.ForeignKey("goals.Goal", null=True, blank=True, on_delete=models.SET_NULL, related_name="metrics")
    objective = models.ForeignKey(
        "goals.Objective", null=True, blank=True, on_delete=models.SET_NULL, related_name="metrics"
    )
    archived_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("When it was archived: kept for the quarters that reported on it, out of new ones."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ("strategy", "name")
        constraints = [
            models.UniqueConstraint(
                fields=("strategy", "key"),
                name="%(app_label)s_%(class)s_unique_strategy_key",
                violation_error_message=_("A metric with this key already exists in the strategy."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class MetricValue(models.Model):
    metric = models.ForeignKey(Metric, on_delete=models.CASCADE, related_name="values")
    date = models.DateField(help_text=_("The month or quarter the value is for (its first day)."))
    value = models.DecimalField(max_digits=14, decimal_places=4)
    annotation = models.CharField(max_length=200, blank=True)
    recalculate_limits = models.BooleanField(
        "recalculate limits from this value",
        default=False,
        help_text=_("A new process starts here: the SPC chart's mean and limits are worked out afresh (a step)."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ("metric", "date")
        constraints = [
            models.UniqueConstraint(
                fields=("metric", "date"),
                name="%(app_label)s_%(class)s_unique_metric_date",
                violation_error_message=_("This metric already has a value for that date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.metric} {self.date:%Y-%m-%d}: {self.value}"

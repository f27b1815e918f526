"""The Board Assurance Framework: BAF risks and their quarterly scores."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Risk(models.Model):
    """A Board Assurance Framework (BAF) risk."""

    strategy = models.ForeignKey("goals.Strategy", on_delete=models.CASCADE, related_name="risks")
    number = models.CharField(max_length=10, help_text=_('As the BAF numbers it, e.g. "01".'))
    title = models.TextField()
    goals = models.ManyToManyField("goals.Goal", blank=True, related_name="risks")
    owner = models.ForeignKey(
        "goals.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="owned_risks"
    )
    target_score = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(25)]
    )
    archived_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("When it was archived: kept for the quarters that reported on it, out of new ones."),
    )
    history = HistoricalRecords(m2m_fields=[goals])

    class Meta:
        ordering = ("strategy", "number")
        verbose_name = "BAF risk"
        constraints = [
            models.UniqueConstraint(
                fields=("strategy", "number"),
                name="%(app_label)s_%(class)s_unique_strategy_number",
                violation_error_message=_("A BAF risk with this number already exists in the strategy."),
            ),
        ]

    def __str__(self) -> str:
        return f"BAF {self.number}: {self.title[:80]}"


class RiskScore(models.Model):
    """A BAF risk's score in one period: likelihood × consequence on the 5×5 matrix (1–25).

    Packs often print only the score; likelihood and consequence are kept when known and
    must then multiply to the score.
    """

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="scores")
    period = models.ForeignKey("goals.Period", on_delete=models.CASCADE, related_name="risk_scores")
    score = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(25)])
    likelihood = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    consequence = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    rationale = models.TextField(
        max_length=2000,
        blank=True,
        help_text=_("Why the risk scores what it does this quarter: controls, gaps, actions."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ("risk", "period")
        constraints = [
            models.UniqueConstraint(
                fields=("risk", "period"),
                name="%(app_label)s_%(class)s_unique_risk_period",
                violation_error_message=_("This risk already has a score for the quarter."),
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=25),
                name="%(app_label)s_%(class)s_score_1_to_25",
                violation_error_message=_("A risk score is between 1 and 25."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.risk.number} {self.period}: {self.score}"

    def clean(self):
        if (self.likelihood is None) != (self.consequence is None):
            raise ValidationError(_("Give both likelihood and consequence, or neither."))
        if self.likelihood and self.consequence and self.likelihood * self.consequence != self.score:
            raise ValidationError(
                {
                    "score": _("Likelihood × consequence is %(product)s, not %(score)s.")
                    % {"product": self.likelihood * self.consequence, "score": self.score}
                }
            )

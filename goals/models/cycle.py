"""What is reported each quarter: the quarter itself, action updates and success-measure evidence."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from goals.core.choices import RAG, PeriodState, UpdateState, needs_rag_reason
from goals.core.quarters import Quarter
from goals.core.querysets import ActionUpdateQuerySet, PeriodQuerySet
from goals.models.strategy import TEXT_LIMIT


class Period(models.Model):
    """One NHS financial-year quarter of a strategy: planned → open → locked → published."""

    strategy = models.ForeignKey("goals.Strategy", on_delete=models.CASCADE, related_name="periods")
    year = models.PositiveSmallIntegerField(help_text=_("Calendar year the financial year starts in."))
    quarter = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(4)])
    state = models.CharField(max_length=20, choices=PeriodState.choices, default=PeriodState.PLANNED)
    deadline = models.DateField(null=True, blank=True, help_text=_("Submission deadline for updates."))
    pack_title = models.CharField(
        max_length=300,
        blank=True,
        help_text=_("The title on the cover of this quarter's board packs; blank: the strategy's name and years."),
    )
    history = HistoricalRecords()

    objects = PeriodQuerySet.as_manager()

    class Meta:
        ordering = ("strategy", "year", "quarter")
        constraints = [
            models.UniqueConstraint(
                fields=("strategy", "year", "quarter"),
                name="%(app_label)s_%(class)s_unique_strategy_quarter",
                violation_error_message=_("This quarter already exists for the strategy."),
            ),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4),
                name="%(app_label)s_%(class)s_quarter_1_to_4",
                violation_error_message=_("A quarter is numbered 1 to 4."),
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def as_quarter(self) -> Quarter:
        return Quarter(self.year, self.quarter)

    @property
    def label(self) -> str:
        return self.as_quarter.label

    @property
    def slug(self) -> str:
        return self.as_quarter.slug

    @property
    def start(self):
        return self.as_quarter.start

    @property
    def end(self):
        return self.as_quarter.end

    @property
    def is_open(self) -> bool:
        return self.state == PeriodState.OPEN


class ActionUpdate(models.Model):
    """A lead's quarterly update on one action: draft → submitted → approved (or returned → draft)."""

    action = models.ForeignKey("goals.Action", on_delete=models.CASCADE, related_name="updates")
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="action_updates")
    rag = models.CharField("RAG", max_length=10, choices=RAG.choices, blank=True)
    progress = models.TextField("progress this quarter", max_length=TEXT_LIMIT, blank=True)
    impact = models.TextField(max_length=TEXT_LIMIT, blank=True)
    next_focus = models.TextField("focus next quarter", max_length=TEXT_LIMIT, blank=True)
    rag_reason = models.TextField("reason for rating", max_length=TEXT_LIMIT, blank=True)
    state = models.CharField(max_length=20, choices=UpdateState.choices, default=UpdateState.DRAFT)
    version = models.PositiveIntegerField(default=1, help_text=_("Bumped on every save; stale saves are refused."))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_comment = models.TextField(blank=True, help_text=_("Why the SRO returned it to the lead."))
    history = HistoricalRecords()

    objects = ActionUpdateQuerySet.as_manager()

    class Meta:
        ordering = ("period", "action")
        constraints = [
            models.UniqueConstraint(
                fields=("action", "period"),
                name="%(app_label)s_%(class)s_unique_action_period",
                violation_error_message=_("This action already has an update for the quarter."),
            ),
        ]
        indexes = [
            # The tracker and dashboards read one period's updates by state.
            models.Index(fields=("period", "state"), name="goals_update_period_state"),
        ]

    def __str__(self) -> str:
        return f"{self.action} — {self.period}"

    def clean(self):
        if self.state != UpdateState.DRAFT and needs_rag_reason(self.rag, self.rag_reason):
            raise ValidationError({"rag_reason": _("Give a reason for an Amber or Red rating.")})


class MeasureEvidence(models.Model):
    """Evidence for one success measure in one period (the highlight report's table row); the same
    cycle as an action update: draft → submitted → approved (or returned → draft), reviewed by the
    objective's lead director or an SRO of its actions."""

    measure = models.ForeignKey("goals.SuccessMeasure", on_delete=models.CASCADE, related_name="evidence")
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="measure_evidence")
    evidence = models.TextField(max_length=TEXT_LIMIT * 2, blank=True)
    impact = models.TextField(max_length=TEXT_LIMIT, blank=True)
    next_focus = models.TextField("focus next quarter", max_length=TEXT_LIMIT, blank=True)
    state = models.CharField(max_length=20, choices=UpdateState.choices, default=UpdateState.DRAFT)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_comment = models.TextField(blank=True, help_text=_("Why the reviewer returned it to its writer."))
    history = HistoricalRecords()

    class Meta:
        ordering = ("period", "measure")
        verbose_name_plural = "measure evidence"
        constraints = [
            models.UniqueConstraint(
                fields=("measure", "period"),
                name="%(app_label)s_%(class)s_unique_measure_period",
                violation_error_message=_("This success measure already has evidence for the quarter."),
            ),
        ]
        indexes = [
            # The tracker and To review read one period's evidence by state.
            models.Index(fields=("period", "state"), name="goals_evidence_period_state"),
        ]

    def __str__(self) -> str:
        return f"{self.measure} — {self.period}"

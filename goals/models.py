"""The strategy domain: what a trust plans (strategy → goal → objective → action) and what it
reports each quarter (action updates, success-measure evidence, BAF risk scores, metric values).

Rules about *changing* these rows (who may, when) live in services.py, not here.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .querysets import ActionUpdateQuerySet, PeriodQuerySet
from .choices import RAG, ActionStatus, Frequency, Improvement, PeriodState, ReportLayout, UpdateState
from .quarters import Quarter

TEXT_LIMIT = 4000  # narrative fields: about a page; the form shows the limit
TITLE_LIMIT = 500


class Person(models.Model):
    """Someone named in a strategy: an SRO, a lead director or a programme lead."""

    key = models.SlugField(max_length=100, unique=True, help_text=_("Stable identifier used by imports."))
    name = models.CharField(max_length=200)
    job_title = models.CharField(max_length=300, blank=True)
    email = models.EmailField(blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="person"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ("name",)
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return f"{self.name}, {self.job_title}" if self.job_title else self.name


class Strategy(models.Model):
    """A trust's strategy: the thing reported on to the board every quarter."""

    organisation = models.CharField(max_length=200)
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    years = models.CharField(max_length=20, blank=True, help_text=_('For example "2021/24".'))
    vision = models.TextField(blank=True)
    success_statements = models.JSONField(
        default=list, blank=True, help_text=_('"We will know we are successful when" statements, in order.')
    )
    sro = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    default_layout = models.CharField(max_length=20, choices=ReportLayout.choices, default=ReportLayout.PROGRESS)
    history = HistoricalRecords(excluded_fields=["success_statements"])

    class Meta:
        ordering = ("name",)
        verbose_name_plural = "strategies"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("goals:strategy_detail", kwargs={"slug": self.slug})


class Goal(models.Model):
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="goals")
    order = models.PositiveSmallIntegerField()
    key = models.SlugField(max_length=100)
    title = models.CharField(max_length=TITLE_LIMIT)
    description = models.TextField(blank=True)
    objectives_text = models.TextField(blank=True, help_text=_("The goal's objectives as the pack prints them."))
    history = HistoricalRecords()

    class Meta:
        ordering = ("strategy", "order")
        constraints = [
            models.UniqueConstraint(
                fields=("strategy", "key"),
                name="%(app_label)s_%(class)s_unique_strategy_key",
                violation_error_message=_("A goal with this key already exists in the strategy."),
            ),
            models.UniqueConstraint(
                fields=("strategy", "order"),
                name="%(app_label)s_%(class)s_unique_strategy_order",
                violation_error_message=_("Two goals cannot share a position in a strategy."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("goals:goal_detail", kwargs={"slug": self.strategy.slug, "goal": self.key})


class Objective(models.Model):
    """An objective or priority of a goal (LPT calls them priorities)."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="objectives")
    order = models.PositiveSmallIntegerField()
    key = models.SlugField(max_length=100)
    title = models.CharField(max_length=TITLE_LIMIT)
    theme = models.CharField(max_length=200, blank=True, help_text=_('Section of the pack, e.g. "Access to Services".'))
    commitments = models.TextField(blank=True)
    aims = models.TextField(blank=True)
    lead_directors = models.ManyToManyField(Person, blank=True, related_name="led_objectives")
    risk_register_reference = models.CharField(max_length=50, blank=True)
    risk_register_date = models.CharField(max_length=50, blank=True, help_text=_('As printed, e.g. "Apr 23".'))
    risk_register_entry = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ("goal", "order")
        constraints = [
            models.UniqueConstraint(
                fields=("goal", "key"),
                name="%(app_label)s_%(class)s_unique_goal_key",
                violation_error_message=_("An objective with this key already exists in the goal."),
            ),
            models.UniqueConstraint(
                fields=("goal", "order"),
                name="%(app_label)s_%(class)s_unique_goal_order",
                violation_error_message=_("Two objectives cannot share a position in a goal."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class SuccessMeasure(models.Model):
    """"We know we are great when we have/are …": one row of a highlight report's table."""

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="success_measures")
    order = models.PositiveSmallIntegerField()
    title = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ("objective", "order")
        constraints = [
            models.UniqueConstraint(
                fields=("objective", "order"),
                name="%(app_label)s_%(class)s_unique_objective_order",
                violation_error_message=_("Two success measures cannot share a position in an objective."),
            ),
        ]

    def __str__(self) -> str:
        return self.title[:80] or f"Success measure {self.order}"


class Action(models.Model):
    """A numbered action of an objective; its leads write one update per quarter."""

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="actions")
    number = models.PositiveSmallIntegerField()
    title = models.TextField()
    description = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=ActionStatus.choices, default=ActionStatus.ACTIVE)
    sros = models.ManyToManyField(Person, blank=True, related_name="sro_actions", verbose_name="SROs")
    leads = models.ManyToManyField(Person, blank=True, related_name="led_actions", verbose_name="programme leads")
    history = HistoricalRecords()

    class Meta:
        ordering = ("objective__goal__order", "objective__order", "number")
        constraints = [
            models.UniqueConstraint(
                fields=("objective", "number"),
                name="%(app_label)s_%(class)s_unique_objective_number",
                violation_error_message=_("An action with this number already exists in the objective."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title[:80]}"

    def get_absolute_url(self) -> str:
        return reverse("goals:action_detail", kwargs={"pk": self.pk})


class Period(models.Model):
    """One NHS financial-year quarter of a strategy: planned → open → locked → published."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="periods")
    year = models.PositiveSmallIntegerField(help_text=_("Calendar year the financial year starts in."))
    quarter = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(4)])
    state = models.CharField(max_length=20, choices=PeriodState.choices, default=PeriodState.PLANNED)
    deadline = models.DateField(null=True, blank=True, help_text=_("Submission deadline for updates."))
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


class PersonTitle(models.Model):
    """A person's name and job title as they were in one period, so reports never rewrite history."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="titles")
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="person_titles")
    name = models.CharField(max_length=200)
    job_title = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ("period", "person")
        constraints = [
            models.UniqueConstraint(
                fields=("person", "period"),
                name="%(app_label)s_%(class)s_unique_person_period",
                violation_error_message=_("This person already has a recorded title for the period."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.job_title}" if self.job_title else self.name


class ActionUpdate(models.Model):
    """A lead's quarterly update on one action: draft → submitted → approved (or returned → draft)."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
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
        if self.rag in (RAG.AMBER, RAG.RED) and not self.rag_reason.strip() and self.state != UpdateState.DRAFT:
            raise ValidationError({"rag_reason": _("Give a reason for an Amber or Red rating.")})


class MeasureEvidence(models.Model):
    """Evidence for one success measure in one period (the highlight report's table row)."""

    measure = models.ForeignKey(SuccessMeasure, on_delete=models.CASCADE, related_name="evidence")
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

    def __str__(self) -> str:
        return f"{self.measure} — {self.period}"


class Risk(models.Model):
    """A Board Assurance Framework (BAF) risk."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="risks")
    number = models.CharField(max_length=10, help_text=_('As the BAF numbers it, e.g. "01".'))
    title = models.TextField()
    goals = models.ManyToManyField(Goal, blank=True, related_name="risks")
    owner = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="owned_risks")
    target_score = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(25)]
    )
    history = HistoricalRecords()

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
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="risk_scores")
    score = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(25)])
    likelihood = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    consequence = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
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
                {"score": _("Likelihood × consequence is %(product)s, not %(score)s.")
                 % {"product": self.likelihood * self.consequence, "score": self.score}}
            )


class Metric(models.Model):
    """A measure tracked over time and read as a Making Data Count SPC chart."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="metrics")
    key = models.SlugField(max_length=100)
    name = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    unit = models.CharField(max_length=50, blank=True)
    improvement = models.CharField(max_length=10, choices=Improvement.choices, default=Improvement.NEITHER)
    target = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY)
    goal = models.ForeignKey(Goal, null=True, blank=True, on_delete=models.SET_NULL, related_name="metrics")
    objective = models.ForeignKey(
        Objective, null=True, blank=True, on_delete=models.SET_NULL, related_name="metrics"
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

"""What a trust plans: strategy → goal → objective → action, and the objectives' success measures."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from goals.core.choices import ActionStatus, ReportLayout

TEXT_LIMIT = 4000  # narrative fields: about a page; the form shows the limit
TITLE_LIMIT = 500


class Strategy(models.Model):
    """A trust's strategy: the thing reported on to the board every quarter."""

    organisation = models.CharField(max_length=200, help_text=_("The organisation's name as the packs print it."))
    owner = models.ForeignKey(
        "goals.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="strategies",
        verbose_name="organisation",
        help_text=_("The organisation that owns it; roles on it apply to this strategy."),
    )
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    years = models.CharField(max_length=20, blank=True, help_text=_('For example "2021/24".'))
    vision = models.TextField(blank=True)
    success_statements = models.JSONField(
        default=list, blank=True, help_text=_('"We will know we are successful when" statements, in order.')
    )
    sro = models.ForeignKey("goals.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    default_layout = models.CharField(max_length=20, choices=ReportLayout.choices, default=ReportLayout.PROGRESS)
    # Raised by every write to what the strategy's pages show (goals.models.versioning); the key of
    # their cache (goals.core.caching). Not part of the audit history.
    data_version = models.PositiveBigIntegerField(default=0, editable=False)
    history = HistoricalRecords(excluded_fields=["data_version"])

    class Meta:
        ordering = ("name",)
        verbose_name_plural = "strategies"

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # Imports name the organisation by its text: it becomes (or finds) the owning Organisation.
        if self.organisation and (self.owner_id is None or self.owner.name != self.organisation):
            from goals.models.accounts import organisation_named

            self.owner = organisation_named(self.organisation)
        if not self._state.adding and kwargs.get("update_fields") is None and not args:
            # The data version is raised in the database only (goals.models.versioning): a copy read
            # before another write must not put its older number back, or pages cached at the
            # number it comes back to would be served again.
            kwargs["update_fields"] = [
                f.name for f in self._meta.concrete_fields if not f.primary_key and f.name != "data_version"
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("goals:strategy_detail", kwargs={"slug": self.slug})


class Goal(models.Model):
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="goals")
    order = models.PositiveSmallIntegerField()
    key = models.SlugField(max_length=100)
    title = models.CharField(max_length=TITLE_LIMIT)
    description = models.TextField(blank=True)
    objectives_text = models.TextField(blank=True, help_text=_("The goal's objectives as the pack prints them."))
    archived_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("When it was archived: kept for the quarters that reported on it, out of new ones."),
    )
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
    lead_directors = models.ManyToManyField("goals.Person", blank=True, related_name="led_objectives")
    risk_register_reference = models.CharField(max_length=50, blank=True)
    risk_register_date = models.CharField(max_length=50, blank=True, help_text=_('As printed, e.g. "Apr 23".'))
    risk_register_entry = models.TextField(blank=True)
    archived_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("When it was archived: kept for the quarters that reported on it, out of new ones."),
    )
    history = HistoricalRecords(m2m_fields=[lead_directors])

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
    """ "We know we are great when we have/are …": one row of a highlight report's table."""

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="success_measures")
    order = models.PositiveSmallIntegerField()
    title = models.TextField(blank=True)
    archived_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("When it was archived: kept for the quarters that reported on it, out of new ones."),
    )
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
    sros = models.ManyToManyField("goals.Person", blank=True, related_name="sro_actions", verbose_name="SROs")
    leads = models.ManyToManyField(
        "goals.Person", blank=True, related_name="led_actions", verbose_name="programme leads"
    )
    status_changed_on = models.DateField(
        "status changed on", null=True, blank=True, help_text=_("When it was completed or stepped down.")
    )
    status_reason = models.TextField(
        "reason for the status", blank=True, help_text=_("Why it was completed or stepped down, as the pack prints it.")
    )
    archived_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("When it was archived: kept for the quarters that reported on it, out of new ones."),
    )
    history = HistoricalRecords(m2m_fields=[sros, leads])

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

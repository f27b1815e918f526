"""Django admin: a read-only window on the data for superusers, never a way round the services.

Nothing that has a workflow or an audit meaning (quarters, updates, evidence, risk scores, metric
values, recorded titles, history) can be added, changed or deleted here: the quarterly cycle, the
risk register and the metric pages change them through their services, which check the rules and
record who changed what and why. Structure (strategies, goals, objectives, measures, actions,
risks, metrics, people) is never deleted (it is archived); it can be corrected here only until its
strategy has been reported on (any quarter opened), after which the strategy administration pages
are the way to change it.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from goals import models
from goals.core.choices import PeriodState


def strategy_reported_on(strategy_id) -> bool:
    """A strategy has been reported on once any of its quarters has gone past "planned"."""
    if strategy_id is None:
        return False
    return models.Period.objects.filter(strategy_id=strategy_id).exclude(state=PeriodState.PLANNED).exists()


class GuardedHistoryAdmin(SimpleHistoryAdmin):
    """simple-history reverts a row on a POST to its history page with only the *view* permission:
    a revert is a change, so it needs the change permission on the row as it is now."""

    actions = None

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            current = self.get_object(request, object_id)
            if current is None or not self.has_change_permission(request, current):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class ReadOnlyAdmin(GuardedHistoryAdmin):
    """Viewable only: the services are the one way to change these rows."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class StructureAdmin(GuardedHistoryAdmin):
    """Never deleted (archived instead); changeable here only until the strategy is reported on."""

    strategy_path: str = "strategy_id"

    def strategy_id_of(self, obj):
        for attribute in self.strategy_path.split("."):
            obj = getattr(obj, attribute, None)
        return obj

    def has_change_permission(self, request, obj=None):
        if obj is not None and strategy_reported_on(self.strategy_id_of(obj)):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.Person)
class PersonAdmin(StructureAdmin):
    """People are named in reports: never deleted here (archive them), always correctable."""

    list_display = ("name", "job_title", "email", "user")
    search_fields = ("name", "job_title", "email", "key")
    raw_id_fields = ("user",)

    def strategy_id_of(self, obj):
        # A person's name and title as reported are kept per quarter (PersonTitle) and in history.
        return None


class GoalInline(ReadOnlyInline):
    model = models.Goal
    fields = ("order", "key", "title")
    show_change_link = True


@admin.register(models.Strategy)
class StrategyAdmin(StructureAdmin):
    list_display = ("name", "organisation", "years", "sro")
    strategy_path = "pk"
    inlines = [GoalInline]


class ObjectiveInline(ReadOnlyInline):
    model = models.Objective
    fields = ("order", "key", "title", "theme")
    show_change_link = True


@admin.register(models.Goal)
class GoalAdmin(StructureAdmin):
    list_display = ("title", "strategy", "order")
    list_filter = ("strategy",)
    inlines = [ObjectiveInline]


class ActionInline(ReadOnlyInline):
    model = models.Action
    fields = ("number", "title", "status")
    show_change_link = True


class SuccessMeasureInline(ReadOnlyInline):
    model = models.SuccessMeasure
    fields = ("order", "title")


@admin.register(models.Objective)
class ObjectiveAdmin(StructureAdmin):
    list_display = ("title", "goal", "theme", "order")
    list_filter = ("goal__strategy",)
    filter_horizontal = ("lead_directors",)
    strategy_path = "goal.strategy_id"
    inlines = [SuccessMeasureInline, ActionInline]


@admin.register(models.SuccessMeasure)
class SuccessMeasureAdmin(StructureAdmin):
    list_display = ("title", "objective", "order")
    strategy_path = "objective.goal.strategy_id"


@admin.register(models.Action)
class ActionAdmin(StructureAdmin):
    list_display = ("__str__", "objective", "status")
    list_filter = ("objective__goal__strategy", "status")
    search_fields = ("title",)
    filter_horizontal = ("sros", "leads")
    strategy_path = "objective.goal.strategy_id"


@admin.register(models.Period)
class PeriodAdmin(ReadOnlyAdmin):
    list_display = ("label", "strategy", "state", "deadline")
    list_filter = ("strategy", "state")


@admin.register(models.ActionUpdate)
class ActionUpdateAdmin(ReadOnlyAdmin):
    list_display = ("action", "period", "rag", "state", "updated_at")
    list_filter = ("period__strategy", "state", "rag")
    raw_id_fields = ("action", "period")


@admin.register(models.MeasureEvidence)
class MeasureEvidenceAdmin(ReadOnlyAdmin):
    list_display = ("measure", "period", "state")
    raw_id_fields = ("measure", "period")


class RiskScoreInline(ReadOnlyInline):
    model = models.RiskScore


@admin.register(models.Risk)
class RiskAdmin(StructureAdmin):
    list_display = ("number", "title", "strategy", "target_score")
    list_filter = ("strategy",)
    filter_horizontal = ("goals",)
    inlines = [RiskScoreInline]


@admin.register(models.RiskScore)
class RiskScoreAdmin(ReadOnlyAdmin):
    list_display = ("risk", "period")


class MetricValueInline(ReadOnlyInline):
    model = models.MetricValue


@admin.register(models.Metric)
class MetricAdmin(StructureAdmin):
    list_display = ("name", "strategy", "unit", "improvement", "target")
    list_filter = ("strategy",)
    inlines = [MetricValueInline]


@admin.register(models.MetricValue)
class MetricValueAdmin(ReadOnlyAdmin):
    list_display = ("metric", "date", "value")


@admin.register(models.PersonTitle)
class PersonTitleAdmin(ReadOnlyAdmin):
    list_display = ("person", "period", "name", "job_title")


@admin.register(models.JobTitle)
class JobTitleAdmin(ReadOnlyAdmin):
    list_display = ("person", "job_title", "starts_on")


class AccountAdmin(UserAdmin):
    """Accounts are deactivated, never deleted: their name stays on what they wrote and approved."""

    actions = None

    def has_delete_permission(self, request, obj=None):
        return False


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, AccountAdmin)
admin.site.site_header = "Strategy Tracker administration"

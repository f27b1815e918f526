from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from goals import models


@admin.register(models.Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ("name", "job_title", "email", "user")
    search_fields = ("name", "job_title", "email", "key")
    prepopulated_fields = {"key": ("name",)}
    raw_id_fields = ("user",)


class GoalInline(admin.TabularInline):
    model = models.Goal
    fields = ("order", "key", "title")
    extra = 0
    show_change_link = True


@admin.register(models.Strategy)
class StrategyAdmin(SimpleHistoryAdmin):
    list_display = ("name", "organisation", "years", "sro")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [GoalInline]


class ObjectiveInline(admin.TabularInline):
    model = models.Objective
    fields = ("order", "key", "title", "theme")
    extra = 0
    show_change_link = True


@admin.register(models.Goal)
class GoalAdmin(SimpleHistoryAdmin):
    list_display = ("title", "strategy", "order")
    list_filter = ("strategy",)
    inlines = [ObjectiveInline]


class ActionInline(admin.TabularInline):
    model = models.Action
    fields = ("number", "title", "status")
    extra = 0
    show_change_link = True


class SuccessMeasureInline(admin.TabularInline):
    model = models.SuccessMeasure
    fields = ("order", "title")
    extra = 0


@admin.register(models.Objective)
class ObjectiveAdmin(SimpleHistoryAdmin):
    list_display = ("title", "goal", "theme", "order")
    list_filter = ("goal__strategy",)
    filter_horizontal = ("lead_directors",)
    inlines = [SuccessMeasureInline, ActionInline]


@admin.register(models.Action)
class ActionAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "objective", "status")
    list_filter = ("objective__goal__strategy", "status")
    search_fields = ("title",)
    filter_horizontal = ("sros", "leads")


@admin.register(models.Period)
class PeriodAdmin(SimpleHistoryAdmin):
    list_display = ("label", "strategy", "state", "deadline")
    list_filter = ("strategy", "state")


@admin.register(models.ActionUpdate)
class ActionUpdateAdmin(SimpleHistoryAdmin):
    list_display = ("action", "period", "rag", "state", "updated_at")
    list_filter = ("period__strategy", "state", "rag")
    raw_id_fields = ("action", "period")
    readonly_fields = ("version",)


@admin.register(models.MeasureEvidence)
class MeasureEvidenceAdmin(SimpleHistoryAdmin):
    list_display = ("measure", "period", "state")
    raw_id_fields = ("measure", "period")


class RiskScoreInline(admin.TabularInline):
    model = models.RiskScore
    extra = 0


@admin.register(models.Risk)
class RiskAdmin(SimpleHistoryAdmin):
    list_display = ("number", "title", "strategy", "target_score")
    list_filter = ("strategy",)
    filter_horizontal = ("goals",)
    inlines = [RiskScoreInline]


class MetricValueInline(admin.TabularInline):
    model = models.MetricValue
    extra = 0


@admin.register(models.Metric)
class MetricAdmin(SimpleHistoryAdmin):
    list_display = ("name", "strategy", "unit", "improvement", "target")
    list_filter = ("strategy",)
    inlines = [MetricValueInline]


admin.site.register(models.PersonTitle)
admin.site.site_header = "Strategy Tracker administration"

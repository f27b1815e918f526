"""Template tags for metrics: SPC charts and the variation / assurance icons (drawn by
goals.charts), and the metrics linked to a goal for the goal page.

    {% load metric_tags %}
    {% spc_chart summary %}                       the chart as inline, labelled SVG
    {% variation_icon summary.variation %}        icon with its text as <title> and aria-label
    {% assurance_icon summary.assurance decorative=True %}   hidden from screen readers when
                                                  the same words are printed beside it
    {% goal_metric_summaries goal as summaries %} goals.metrics.metric_summaries for one goal
"""

from django import template
from django.utils.safestring import mark_safe

from goals import charts, metrics

register = template.Library()


@register.simple_tag
def spc_chart(summary):
    return mark_safe(charts.spc_chart_svg(summary))  # built by us; user text is escaped in it


@register.simple_tag
def variation_icon(code, decorative=False, size=40):
    return mark_safe(charts.variation_icon_svg(code, decorative=decorative, size=size))


@register.simple_tag
def assurance_icon(code, decorative=False, size=40):
    return mark_safe(charts.assurance_icon_svg(code, decorative=decorative, size=size))


@register.simple_tag
def goal_metric_summaries(goal):
    """Metrics linked to `goal` or its objectives (two queries; the goal's strategy is loaded)."""
    return metrics.metric_summaries(goal.strategy, goal=goal)


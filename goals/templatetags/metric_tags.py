"""Template tags for metrics: SPC charts and the variation / assurance icons (drawn by
goals.metrics.charts), and the metrics linked to a goal for the goal page.

    {% load metric_tags %}
    {% spc_chart summary %}                       the chart as inline, labelled SVG
    {% variation_icon summary.variation %}        icon with its text as <title> and aria-label
    {% assurance_icon summary.assurance decorative=True %}   hidden from screen readers when
                                                  the same words are printed beside it
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()


def _charts():
    # Imported on first use: Django imports every tag library at start-up, matplotlib is heavy.
    from goals.metrics import charts

    return charts


@register.simple_tag
def spc_chart(summary):
    charts = _charts()
    try:
        return mark_safe(charts.spc_chart_svg(summary, for_page=True))  # built by us; user text is escaped in it
    except charts.ChartNotDrawn:
        return format_html('<div class="nhsuk-inset-text"><p>{}</p></div>', charts.CHART_NOT_DRAWN)


@register.simple_tag
def variation_icon(code, decorative=False, size=40):
    return mark_safe(_charts().variation_icon_svg(code, decorative=decorative, size=size))


@register.simple_tag
def assurance_icon(code, decorative=False, size=40):
    return mark_safe(_charts().assurance_icon_svg(code, decorative=decorative, size=size))

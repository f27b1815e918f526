"""The submission tracker's filter (django-filter): every active action of a quarter, narrowed
to one update state or to those not submitted yet. Its rows come from
goals.cycle.selectors.tracker_actions(period); the table is goals.cycle.tables.TrackerTable."""

import django_filters
from django import forms
from django.db.models import Q

from goals.core.choices import MISSING_FILTER, NOT_STARTED, NOT_SUBMITTED, NOT_SUBMITTED_LABEL, STATE_TAGS
from goals.core.forms import FilterForm
from goals.models import Action

STATE_FILTER_CHOICES = [(MISSING_FILTER, f"Missing ({NOT_SUBMITTED_LABEL.lower()})")] + [
    (value, tag.label) for value, tag in STATE_TAGS.items()
]


class TrackerFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(
        label="Show",
        choices=STATE_FILTER_CHOICES,
        method="filter_state",
        empty_label="Every action",
        widget=forms.Select(attrs={"class": "nhsuk-select"}),
    )

    class Meta:
        model = Action
        form = FilterForm
        fields = ["state"]

    def filter_state(self, queryset, name, value):
        if value == MISSING_FILTER:
            # not submitted: not started (no update row), draft or returned
            return queryset.filter(Q(update_state__isnull=True) | Q(update_state__in=NOT_SUBMITTED))
        if value == NOT_STARTED:
            return queryset.filter(update_state__isnull=True)
        return queryset.filter(update_state=value)

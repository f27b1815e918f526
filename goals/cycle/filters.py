"""The submission tracker's filter (django-filter): every active action of a quarter, narrowed
to one update state or to those not submitted yet. Its rows come from
goals.cycle.selectors.tracker_actions(period); the table is goals.cycle.tables.TrackerTable."""

import django_filters
from django import forms
from django.db.models import Q

from goals.core.choices import MISSING_FILTER, NOT_STARTED, NOT_SUBMITTED, NOT_SUBMITTED_LABEL, STATE_TAGS
from goals.core.forms import FilterForm
from goals.models import Action, SuccessMeasure

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

    state_field = "update_state"  # the rows' annotation the filter reads

    class Meta:
        model = Action
        form = FilterForm
        fields = ["state"]

    def count_in(self, counts) -> int:
        """How many rows the filter keeps, added up from the rows' counts per state
        (goals.cycle.selectors.StateCount over the same rows): no COUNT query of its own."""
        value = self.form.cleaned_data.get("state") if self.form.is_valid() else ""
        keep = {"": None, MISSING_FILTER: set(NOT_SUBMITTED)}.get(value, {value})
        return sum(c.count for c in counts if keep is None or c.state.value in keep)

    def filter_state(self, queryset, name, value):
        field = self.state_field
        if value == MISSING_FILTER:
            # not submitted: not started (no row), draft or returned
            return queryset.filter(Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__in": NOT_SUBMITTED}))
        if value == NOT_STARTED:
            return queryset.filter(**{f"{field}__isnull": True})
        return queryset.filter(**{field: value})


class EvidenceTrackerFilter(TrackerFilter):
    """The same filter over the quarter's success-measure evidence
    (goals.cycle.selectors.tracker_evidence): one `?state=` narrows both lists."""

    state_field = "evidence_state"

    class Meta(TrackerFilter.Meta):
        model = SuccessMeasure

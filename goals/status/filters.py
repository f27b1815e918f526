"""django-filter FilterSets. `ActionFilterSet` filters the action list (and its downloads) of one
strategy in one quarter; its queryset comes from goals.status.shared.action_rows, which annotates each
action with that quarter's `rag`, `update_state`, `previous_rag` and `movement`.

Every filter is a plain GET parameter, so a filtered list is a URL that can be shared:
/actions/?strategy=step-up-to-great&quarter=2024-Q2&rag=amber&sro=sharon-murphy

The SRO and lead filters are typed, not chosen from a list (a trust has hundreds of people): a
person's key (the stable value other pages link with, as above) or part of a name.
"""

from dataclasses import dataclass
from functools import cached_property

import django_filters
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join

from goals.core.choices import NOT_RATED, NOT_STARTED_IN_LISTS, RAG, UPDATE_STATE_LABELS, UpdateState
from goals.core.forms import FilterForm
from goals.core.movement import Movement
from goals.core.querysets import REPORTED_STATES
from goals.models import Action, Person

# "" means "not rated" in the data, but an empty GET value means "no filter": the form says this.
NOT_RATED_CHOICE = "not_rated"
# Worst first, as a director reads them: Red, Amber, Green, Blue, then not rated.
RAG_CHOICES = [
    (RAG.RED, "Red"),
    (RAG.AMBER, "Amber"),
    (RAG.GREEN, "Green"),
    (RAG.BLUE, "Blue (complete)"),
    (NOT_RATED_CHOICE, "Not rated"),
]
# The saved states, then "not started" (spelled "missing" in the list's URLs and rows).
UPDATE_STATE_CHOICES = [(value, UPDATE_STATE_LABELS[value]) for value in (*UpdateState.values, NOT_STARTED_IN_LISTS)]


class LongSelect(forms.Select):
    """A single-choice <select> that draws its options in Python. Django renders each option
    through a template, which for a trust's 200 people took most of the action list's time;
    the HTML is the same."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = "" if value is None else str(value[0] if isinstance(value, (list, tuple)) and value else value)
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((v, " selected" if str(v) == chosen else "", label) for v, label in self.choices),
        )
        final_attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        return format_html("<select{}>{}</select>", flatatt(final_attrs), options)


PERSON_HINT = "Type part of a name"
PERSON_FILTERS = ("sro", "lead")


class PersonInput(forms.TextInput):
    """The SRO and lead filters: a name typed, not picked from every person of the strategy."""

    def __init__(self, attrs=None):
        super().__init__({"autocomplete": "off", "spellcheck": "false", **(attrs or {})})


@dataclass
class ActionFilterChoices:
    """What the strategy-dependent filters offer: (value, label) pairs."""

    strategies: list[tuple[str, str]]
    quarters: list[tuple[str, str]]
    goals: list[tuple[str, str]]
    objectives: list[tuple[str, str]]


class ActionFilterSet(django_filters.FilterSet):
    # Strategy and quarter choose the rows before filtering (goals.status.action_list.action_list builds
    # the queryset for them); they are here so the form shows, validates and keeps them.
    strategy = django_filters.ChoiceFilter(label="Strategy", method="chosen_already", empty_label=None)
    quarter = django_filters.ChoiceFilter(label="Quarter", method="chosen_already", empty_label=None)
    q = django_filters.CharFilter(
        label="Search", method="filter_text", help_text="Words in the action, its objective or this quarter's update"
    )
    rag = django_filters.MultipleChoiceFilter(
        label="RAG rating", choices=RAG_CHOICES, method="filter_rag", widget=forms.CheckboxSelectMultiple
    )
    movement = django_filters.MultipleChoiceFilter(
        label="Movement since the previous quarter",
        choices=Movement.choices,
        field_name="movement",
        distinct=False,
        widget=forms.CheckboxSelectMultiple,
    )
    state = django_filters.MultipleChoiceFilter(
        label="Update state",
        choices=UPDATE_STATE_CHOICES,
        field_name="update_state",
        distinct=False,
        widget=forms.CheckboxSelectMultiple,
    )
    goal = django_filters.ChoiceFilter(
        label="Goal", field_name="objective__goal__key", empty_label="All goals", widget=LongSelect
    )
    objective = django_filters.ChoiceFilter(
        label="Objective", field_name="objective_id", empty_label="All objectives", widget=LongSelect
    )
    sro = django_filters.CharFilter(
        label="SRO", method="filter_person", help_text=PERSON_HINT, max_length=200, widget=PersonInput
    )
    lead = django_filters.CharFilter(
        label="Programme lead", method="filter_person", help_text=PERSON_HINT, max_length=200, widget=PersonInput
    )

    class Meta:
        model = Action
        form = FilterForm
        fields = []  # every filter is declared above

    def __init__(self, data=None, queryset=None, *, choices: ActionFilterChoices, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.choices = choices  # with the query, all the list's HTML depends on (the page is cached by them)
        for name in ("strategy", "quarter", "goal", "objective"):
            plural = {"strategy": "strategies"}.get(name, f"{name}s")
            self.filters[name].extra["choices"] = getattr(choices, plural)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.disable_csrf = True
        self.helper.attrs = {"aria-label": "Filter actions"}
        third, half = "nhsuk-grid-column-one-third", "nhsuk-grid-column-one-half"
        self.helper.layout = Layout(
            Row(Column("strategy", css_class=third), Column("quarter", css_class=third), Column("q", css_class=third)),
            Row(Column("rag", css_class=third), Column("movement", css_class=third), Column("state", css_class=third)),
            Row(Column("goal", css_class=half), Column("objective", css_class=half)),
            Row(Column("sro", css_class=half), Column("lead", css_class=half)),
        )
        self.helper.add_input(Submit("", "Apply filters"))

    @property
    def active(self) -> bool:
        """Whether any filter beyond strategy and quarter narrows the list."""
        cleaned = self.form.cleaned_data if self.is_bound and self.form.is_valid() else {}
        return any(value for name, value in cleaned.items() if name not in ("strategy", "quarter"))

    @property
    def summary(self) -> list[tuple[str, str]]:
        """(label, chosen values) of each filter narrowing the list, for "Showing: …" lines."""
        if not self.active:
            return []
        lines = []
        for name, value in self.form.cleaned_data.items():
            if name in ("strategy", "quarter") or not value:
                continue
            field = self.form.fields[name]
            if name in PERSON_FILTERS:
                text = value.strip()
                lines.append((str(field.label), self.people_named.get(text) or f"Name contains “{text}”"))
                continue
            labels = dict(getattr(field, "choices", ()))
            values = value if isinstance(value, list) else [value]
            lines.append((str(field.label), ", ".join(str(labels.get(v, v)) for v in values)))
        return lines

    @cached_property
    def people_named(self) -> dict[str, str]:
        """Key → name of the people the SRO and lead filters may name by key (the summary's words):
        one query when either filter is given."""
        keys = self.person_keys
        return {p.key: str(p) for p in Person.objects.filter(key__in=keys)} if keys else {}

    @property
    def person_keys(self) -> list[str]:
        """What the SRO and lead filters were given, which may be people's keys."""
        cleaned = self.form.cleaned_data if self.is_bound and self.form.is_valid() else {}
        return [cleaned[name].strip() for name in PERSON_FILTERS if cleaned.get(name, "").strip()]

    def chosen_already(self, queryset, name, value):
        return queryset

    def filter_text(self, queryset, name, value):

        return search_actions(queryset, value.strip()) if value.strip() else queryset

    def filter_person(self, queryset, name, value):
        """Actions one of whose SROs (or leads) is the person whose key `value` is (a link names one
        person, and the summary says who); when it is no one's key, those whose name contains it."""
        text = value.strip()
        if not text:
            return queryset
        links = (Action.sros if name == "sro" else Action.leads).through.objects.filter(action=OuterRef("pk"))
        named = Q(person__name__icontains=text) & ~Exists(Person.objects.filter(key=text))
        return queryset.filter(Exists(links.filter(Q(person__key=text) | named)))

    def filter_rag(self, queryset, name, value):
        return queryset.filter(rag__in=[NOT_RATED if v == NOT_RATED_CHOICE else v for v in value])


def search_actions(rows, text: str):
    """Actions whose title, description, objective or reported update text contains `text`."""
    reported_text = (
        Q(current__progress__icontains=text)
        | Q(current__rag_reason__icontains=text)
        | Q(current__impact__icontains=text)
        | Q(current__next_focus__icontains=text)
    )
    return rows.filter(
        Q(title__icontains=text)
        | Q(description__icontains=text)
        | Q(objective__title__icontains=text)
        | (Q(current__state__in=REPORTED_STATES) & reported_text)
    )

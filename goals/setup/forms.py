"""Forms of strategy administration. They parse the input; the rules (positions, keys, status
date and reason, who may) live in services.py, whose ValidationErrors `apply_errors` puts back
on the form. People are chosen from the directory's current (not archived) people."""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from goals.core.choices import ActionStatus
from goals.models import Action, Goal, Metric, Objective, Person, Strategy, SuccessMeasure


def apply_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: at its field when the form has one, else on top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, messages in error.message_dict.items():
        form.add_error(name if name in form.fields and name != NON_FIELD_ERRORS else None, messages)


def _people():
    return Person.objects.filter(archived_at__isnull=True).order_by("name")


class PeopleField(forms.ModelMultipleChoiceField):
    """Several people, as checkboxes."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(queryset=_people(), required=False, **kwargs)

    def label_from_instance(self, person):
        return str(person)


class SetupForm(forms.ModelForm):
    """Every administration form: required fields say what to enter, lengths say the limit."""

    required_messages: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name in self.required_messages:
                field.error_messages["required"] = self.required_messages[name]
            if getattr(field, "max_length", None):
                field.error_messages["max_length"] = (
                    f"{field.label} must be %(limit_value)d characters or fewer (it has %(show_value)d)"
                )

    def fields_for_service(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name not in self.people_fields}

    people_fields: tuple[str, ...] = ()

    def people_for_service(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.people_fields}


class StrategyForm(SetupForm):
    slug = forms.SlugField(
        label="Web address name",
        required=False,
        max_length=100,
        help_text="Letters, numbers and hyphens, used in the strategy's web address. Leave empty to make "
        "it from the name. It cannot be changed later.",
        error_messages={"invalid": "Web address name can only contain letters, numbers and hyphens"},
    )
    sro = forms.ModelChoiceField(
        label="Senior responsible owner (SRO)", queryset=_people(), required=False, empty_label="Not chosen"
    )
    required_messages = {"organisation": "Enter the organisation", "name": "Enter the strategy's name"}

    class Meta:
        model = Strategy
        fields = ("organisation", "name", "slug", "years", "vision", "sro", "default_layout")
        labels = {"name": "Strategy name", "default_layout": "Board pack layout"}
        widgets = {"vision": forms.Textarea(attrs={"rows": 4}), "default_layout": forms.RadioSelect}

    def __init__(self, *args, creating: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not creating:
            del self.fields["slug"]

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug and Strategy.objects.filter(slug=slug).exists():
            raise ValidationError("Another strategy already uses this web address name")
        return slug


class GoalForm(SetupForm):
    required_messages = {"title": "Enter the goal's title"}

    class Meta:
        model = Goal
        fields = ("title", "description", "objectives_text")
        labels = {"objectives_text": "Objectives as the pack prints them"}
        widgets = {
            "title": forms.TextInput,
            "description": forms.Textarea(attrs={"rows": 4}),
            "objectives_text": forms.Textarea(attrs={"rows": 4}),
        }


class ObjectiveForm(SetupForm):
    lead_directors = PeopleField(label="Lead directors")
    people_fields = ("lead_directors",)
    required_messages = {"title": "Enter the objective's title"}

    class Meta:
        model = Objective
        fields = (
            "title",
            "theme",
            "commitments",
            "aims",
            "lead_directors",
            "risk_register_reference",
            "risk_register_date",
            "risk_register_entry",
        )
        labels = {
            "risk_register_reference": "Risk register reference",
            "risk_register_date": "Risk register date",
            "risk_register_entry": "Risk register entry",
        }
        widgets = {
            "title": forms.TextInput,
            "commitments": forms.Textarea(attrs={"rows": 4}),
            "aims": forms.Textarea(attrs={"rows": 4}),
            "risk_register_entry": forms.Textarea(attrs={"rows": 3}),
        }


class SuccessMeasureForm(SetupForm):
    required_messages = {"title": "Enter what we know we are great when we have or are"}

    class Meta:
        model = SuccessMeasure
        fields = ("title",)
        labels = {"title": "We know we are great when we have/are"}
        widgets = {"title": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = True


class ActionForm(SetupForm):
    sros = PeopleField(label="SROs")
    leads = PeopleField(label="Programme leads", help_text="They write the action's quarterly updates.")
    status_changed_on = forms.DateField(
        label="Date the status changed",
        required=False,
        widget=forms.SelectDateWidget,
        help_text="Needed for complete or stepped down. For example, 31 3 2025",
        error_messages={"invalid": "Enter the date the status changed as a real date"},
    )
    people_fields = ("sros", "leads")
    required_messages = {"title": "Enter the action's title"}

    class Meta:
        model = Action
        fields = ("title", "description", "sros", "leads", "status", "status_changed_on", "status_reason")
        labels = {"status_reason": "Reason for the status"}
        help_texts = {"status_reason": "Needed for complete or stepped down, as the board pack prints it."}
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 4}),
            "status": forms.RadioSelect,
            "status_reason": forms.Textarea(attrs={"rows": 3}),
        }

    choice_hints = {
        "status": {
            ActionStatus.ACTIVE: "Leads report on it every quarter.",
            ActionStatus.COMPLETE: "Delivered.",
            ActionStatus.STEPPED_DOWN: "No longer reported on, for example once improvements were sustained.",
        }
    }


class ActionMoveForm(forms.Form):
    objective = forms.ModelChoiceField(
        label="Move to objective",
        queryset=Objective.objects.none(),
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the objective to move the action to"},
    )

    def __init__(self, *args, objectives, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objective"].queryset = Objective.objects.filter(pk__in=[o.pk for o in objectives])
        labels = {o.pk: f"{o.goal.order}.{o.order} {o.title}" for o in objectives}
        self.fields["objective"].label_from_instance = lambda o: labels.get(o.pk, o.title)


class MetricForm(SetupForm):
    required_messages = {"name": "Enter the metric's name"}

    class Meta:
        model = Metric
        fields = ("name", "description", "unit", "improvement", "target", "frequency", "baseline", "goal", "objective")
        labels = {
            "improvement": "Improvement direction",
            "baseline": "Baseline: fix the limits from the first",
            "goal": "Linked goal",
            "objective": "Linked objective",
        }
        help_texts = {
            "baseline": "Number of values (2 or more) the SPC limits are worked out from. Leave empty to use "
            "every value. Limits are recalculated from values marked on the values themselves.",
            "unit": 'For example "%" or "patients".',
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "improvement": forms.RadioSelect,
            "frequency": forms.RadioSelect,
        }

    def __init__(self, *args, strategy: Strategy, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = strategy.goals.filter(archived_at__isnull=True).order_by("order")
        self.fields["objective"].queryset = Objective.objects.filter(
            goal__strategy=strategy, archived_at__isnull=True
        ).order_by("goal__order", "order")
        self.fields["goal"].empty_label = self.fields["objective"].empty_label = "None"

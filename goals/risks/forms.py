"""Forms of the BAF register and of a quarter's scoring: they parse the input; the rules live in
services.py."""

from __future__ import annotations

from django import forms

from goals.models import Person, Risk, RiskScore
from goals.people.selectors import directory_people
from goals.risks.selectors import CONSEQUENCE_WORDS, LIKELIHOOD_WORDS


class RiskForm(forms.ModelForm):
    """Number, title, owner (one of the strategy's people), linked goals and target score."""

    class Meta:
        model = Risk
        fields = ("number", "title", "owner", "goals", "target_score")
        labels = {"number": "BAF number", "title": "Risk", "goals": "Linked goals", "target_score": "Target score"}
        help_texts = {
            "title": "As the Board Assurance Framework words it.",
            "owner": "The director who owns the risk: they score it each quarter.",
            "target_score": "Likelihood × consequence the trust aims for, from 1 to 25.",
        }
        widgets = {
            "number": forms.TextInput(attrs={"class": "nhsuk-input--width-4"}),
            "title": forms.Textarea(attrs={"rows": 3}),
            "goals": forms.CheckboxSelectMultiple,
            "target_score": forms.NumberInput(attrs={"class": "nhsuk-input--width-2"}),
        }
        error_messages = {
            "number": {"required": "Enter the risk's BAF number"},
            "title": {"required": "Enter the risk"},
            "target_score": {
                "min_value": "The target score is from 1 to 25",
                "max_value": "The target score is from 1 to 25",
                "invalid": "Enter the target score as a whole number",
            },
        }

    def __init__(self, *args, strategy, **kwargs):
        super().__init__(*args, **kwargs)
        owners = directory_people(strategy)
        if self.instance.owner_id:  # an archived owner stays chosen until someone changes it
            owners = owners | Person.objects.filter(pk=self.instance.owner_id)
        self.fields["owner"].queryset = owners.order_by("name")
        self.fields["owner"].empty_label = "No owner yet"
        self.fields["goals"].queryset = strategy.goals.order_by("order")

    def validate_unique(self):
        """The service's full_clean() checks the number is unique in the strategy."""


def _levels(words: dict[int, str]) -> list[tuple[int, str]]:
    return [(level, f"{level} – {word}") for level, word in words.items()]


class RiskScoreForm(forms.Form):
    likelihood = forms.TypedChoiceField(
        label="Likelihood",
        choices=_levels(LIKELIHOOD_WORDS),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the likelihood", "invalid_choice": "Choose a likelihood from 1 to 5"},
    )
    consequence = forms.TypedChoiceField(
        label="Consequence",
        choices=_levels(CONSEQUENCE_WORDS),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the consequence", "invalid_choice": "Choose a consequence from 1 to 5"},
    )
    rationale = forms.CharField(
        label="Rationale",
        help_text="Why the risk scores this this quarter: controls, gaps in assurance, actions.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=RiskScore._meta.get_field("rationale").max_length,
        error_messages={
            "required": "Give the rationale for the score",
            "max_length": "The rationale must be %(limit_value)d characters or fewer (it has %(show_value)d)",
        },
    )

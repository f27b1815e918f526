from django import forms

from goals.core.choices import ReportLayout
from goals.models import Person

from .cover import goal_label, risk_label
from .models import CoverSheet

LAYOUT_HINTS = {
    ReportLayout.PROGRESS: "Per goal: its BAF risks with scores and direction, and the numbered actions with SRO, "
    "RAG and update; a RAG summary.",
    ReportLayout.HIGHLIGHT: "Vision, goals and success statements, then per priority: commitments, aims, lead director, "
    "risk-register entry and the evidence table.",
}


class PackChoiceForm(forms.Form):
    """Which quarter's pack, in which layout (a GET form: choosing changes nothing)."""

    quarter = forms.ChoiceField(
        label="Quarter",
        error_messages={"required": "Choose a quarter", "invalid_choice": "Choose one of the quarters listed"},
    )
    layout = forms.ChoiceField(
        label="Layout",
        choices=ReportLayout.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a layout", "invalid_choice": "Choose the progress or the highlight report"},
    )
    choice_hints = {"layout": LAYOUT_HINTS}

    def __init__(self, *args, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.periods = {p.slug: p for p in periods}
        self.fields["quarter"].choices = [(p.slug, f"{p.label} ({p.get_state_display().lower()})") for p in periods]

    def chosen(self):
        """(period, layout) once valid."""
        return self.periods[self.cleaned_data["quarter"]], self.cleaned_data["layout"]


class CoverSheetForm(forms.ModelForm):
    """The board paper's front sheet, filled in by the programme office. Goals, BAF risks and the lead
    director are chosen from the strategy's own."""

    class Meta:
        model = CoverSheet
        fields = (
            "meeting",
            "meeting_date",
            "agenda_item",
            "title",
            "pack_title",
            "lead_director",
            "author",
            "purpose",
            "assurance_level",
            "goals",
            "risks",
            "previously_considered_by",
            "recommendation",
            "equality_impact",
        )
        labels = {
            "meeting_date": "Date of meeting",
            "title": "Paper title",
            "pack_title": "Title on the pack's cover (optional)",
            "goals": "Strategic goals this paper links to",
            "risks": "Board Assurance Framework risks this paper links to",
            "previously_considered_by": "Previously considered by",
        }
        help_texts = {
            "meeting": "For example, Trust Board (public)",
            "meeting_date": "For example, 28 1 2025",
            "agenda_item": "For example, 12.1",
            "pack_title": "Printed in large type on the pack's own cover. Leave it empty for the strategy's name "
            "and years.",
            "equality_impact": "How the paper affects people with protected characteristics, or why it does not",
        }
        widgets = {
            "meeting_date": forms.DateInput(attrs={"type": "date"}),
            "purpose": forms.RadioSelect,
            "assurance_level": forms.RadioSelect,
            "goals": forms.CheckboxSelectMultiple,
            "risks": forms.CheckboxSelectMultiple,
            "previously_considered_by": forms.Textarea(attrs={"rows": 2}),
            "recommendation": forms.Textarea(attrs={"rows": 3}),
            "equality_impact": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "title": {"required": "Enter the paper title"},
            "meeting_date": {"invalid": "Enter the date of the meeting as a real date"},
            "purpose": {"required": "Choose the purpose of the paper"},
            "assurance_level": {"required": "Choose the level of assurance"},
        }

    def __init__(self, *args, strategy, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goals"].queryset = strategy.goals.filter(archived_at__isnull=True).order_by("order")
        self.fields["goals"].label_from_instance = goal_label
        self.fields["risks"].queryset = strategy.risks.filter(archived_at__isnull=True).order_by("number")
        self.fields["risks"].label_from_instance = risk_label
        self.fields["lead_director"].queryset = Person.objects.filter(archived_at__isnull=True).order_by("name")
        self.fields["lead_director"].empty_label = "None"
        self.fields["purpose"].choices = CoverSheet.Purpose.choices
        self.fields["assurance_level"].choices = CoverSheet.AssuranceLevel.choices

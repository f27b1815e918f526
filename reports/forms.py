from django import forms

from goals.core.choices import ReportLayout

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

"""Forms of the quarterly cycle. They parse and check the input (choices, lengths, dates); the
workflow rules (who, when, what submitting needs) live in services.py, whose ValidationErrors
`apply_errors` puts back on the form so the message shows at its field.

Drawn by the crispy `nhsuk` pack: radios with per-choice hints (`choice_hints`), character
counts from max_length, NHS date inputs for SelectDateWidget, an error summary at the top.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from goals.core.choices import RAG, RAG_MEANINGS
from goals.cycle.services import EVIDENCE_SUBMIT_REQUIRED, REASON_LIMIT, UPDATE_SUBMIT_REQUIRED
from goals.models import ActionUpdate, MeasureEvidence


class VersionedForm(forms.ModelForm):
    """A form for a row that two people might edit at once: `version` is the row's version
    when the form was loaded (0 for a new row); the service refuses a save from an old one."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, initial=0)
    submit_required: dict[str, str] = {}  # field → message: what submitting needs

    def __init__(self, *args, instance=None, submitting=True, **kwargs):
        """`submitting=False` (Save draft) lets every field be empty; otherwise the fields that
        submitting needs are required, and shown without "(optional)"."""
        if instance is not None and instance.pk:
            kwargs.setdefault("initial", {}).setdefault("version", instance.version)
        super().__init__(*args, instance=instance, **kwargs)
        for field in self.fields.values():
            if getattr(field, "max_length", None):
                field.error_messages["max_length"] = (
                    f"{field.label} must be %(limit_value)d characters or fewer (it has %(show_value)d)"
                )
        for name, message in self.submit_required.items():
            self.fields[name].required = submitting
            self.fields[name].error_messages["required"] = message

    def full_clean(self):
        super().full_clean()
        # A draft was checked without what only submitting needs; the page still shows those
        # fields as needed (no "(optional)"), since the next step is to submit.
        for name in self.submit_required:
            self.fields[name].required = True

    def fields_for_service(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}

    @classmethod
    def shown(cls, row) -> list[tuple[str, str, str]]:
        """(label, value, name) of each field of a saved row, labelled as this form labels them."""
        if row is None:
            return []
        return [
            (field.label, getattr(row, name) or "", name)
            for name, field in cls.base_fields.items()
            if name != "version"
        ]


class ActionUpdateForm(VersionedForm):
    rag = forms.ChoiceField(
        label="RAG rating",
        choices=RAG.choices,
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": "Choose Green, Amber, Red or Blue (complete)"},
    )
    choice_hints = {"rag": {value: meaning for value, meaning in RAG_MEANINGS.items()}}
    submit_required = UPDATE_SUBMIT_REQUIRED

    class Meta:
        model = ActionUpdate
        fields = ("rag", "progress", "impact", "next_focus", "rag_reason")
        widgets = {
            name: forms.Textarea(attrs={"rows": 6 if name == "progress" else 4})
            for name in ("progress", "impact", "next_focus", "rag_reason")
        }
        help_texts = {
            "progress": "What was done this quarter, against the plan.",
            "impact": "What difference it made for patients, service users or staff.",
            "next_focus": "What the action will concentrate on next quarter.",
            "rag_reason": "Needed for Amber and Red: what is slipping, why, and what is being done about it.",
        }


class MeasureEvidenceForm(VersionedForm):
    submit_required = EVIDENCE_SUBMIT_REQUIRED

    class Meta:
        model = MeasureEvidence
        fields = ("evidence", "impact", "next_focus")
        labels = {"evidence": "Evidence from this quarter", "next_focus": "Summary of our focus next quarter"}
        widgets = {
            "evidence": forms.Textarea(attrs={"rows": 8}),
            "impact": forms.Textarea(attrs={"rows": 4}),
            "next_focus": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "evidence": "What shows progress towards this measure this quarter.",
            "impact": "What difference it made.",
        }


class ButtonChoice(forms.HiddenInput):
    """A choice made by the form's submit buttons (name="decision" value="approve"…): the field
    itself draws nothing."""

    def render(self, name, value, attrs=None, renderer=None):
        return ""


class ReviewForm(forms.Form):
    """The SRO's decision on a submitted update: approve, or return with a comment. The decision
    is the button pressed."""

    APPROVE, RETURN = "approve", "return"
    DECISION_MISSING = "Choose Approve or Return to lead"

    decision = forms.CharField(required=False, widget=ButtonChoice)

    review_comment = forms.CharField(
        label="Comment for the lead",
        help_text="Needed to return the update: say what the lead should change. Optional when you approve.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def clean(self):
        data = super().clean()
        if data.get("decision") not in (self.APPROVE, self.RETURN):
            raise forms.ValidationError(self.DECISION_MISSING)
        return data


class ConfirmForm(forms.Form):
    """No fields: pressing the button is the confirmation (e.g. locking a quarter)."""


class DeadlineField(forms.DateField):
    widget = forms.SelectDateWidget

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Submission deadline")
        kwargs.setdefault("help_text", "The last day leads can submit their updates. For example, 17 1 2025")
        kwargs.setdefault(
            "error_messages",
            {"required": "Enter the submission deadline", "invalid": "Enter the deadline as a real date"},
        )
        super().__init__(**kwargs)


class PeriodOpenForm(forms.Form):
    quarter = forms.ChoiceField(
        label="Quarter",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the quarter to open",
            "invalid_choice": "Choose one of the quarters listed",
        },
    )
    deadline = DeadlineField()

    def __init__(self, *args, quarters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = [(q.slug, q.label) for q in quarters]


class PeriodDeadlineForm(forms.Form):
    deadline = DeadlineField()


class PeriodReopenForm(forms.Form):
    reason = forms.CharField(
        label="Reason for re-opening",
        help_text="Kept in the quarter's history. For example, a late correction agreed by the board.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REASON_LIMIT,
        error_messages={
            "required": "Give the reason for re-opening the quarter",
            "max_length": "The reason must be %(limit_value)d characters or fewer (it has %(show_value)d)",
        },
    )
    deadline = DeadlineField(
        label="New submission deadline",
        help_text="Leave empty to keep the quarter's deadline.",
        required=False,
    )


def apply_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: at its field when the form has that field,
    otherwise at the top (the error summary shows both)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, messages in error.message_dict.items():
        form.add_error(name if name in form.fields and name != NON_FIELD_ERRORS else None, messages)

"""Forms of user administration. They parse the input; goals.accounts.users holds the rules."""

from __future__ import annotations

from django import forms

from goals.core.choices import Role
from goals.models import Person


class GrantForm(forms.Form):
    """A role and where it applies: one of the admin's organisations (all its strategies) or one strategy."""

    role = forms.ChoiceField(
        label="Role", choices=Role.choices, widget=forms.RadioSelect, error_messages={"required": "Choose a role"}
    )
    where = forms.ChoiceField(label="On", error_messages={"required": "Choose where the role applies"})

    def __init__(self, *args, organisations, strategies, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.pk): o for o in organisations}
        self.strategies = {str(s.pk): s for s in strategies}
        self.fields["where"].choices = (
            [("", "Choose")]
            + [(f"organisation:{o.pk}", f"Every strategy of {o.name}") for o in organisations]
            + [(f"strategy:{s.pk}", f"{s.name} only") for s in strategies]
        )

    def place(self) -> dict:
        kind, _, pk = self.cleaned_data["where"].partition(":")
        if kind == "organisation":
            return {"organisation": self.organisations[pk], "strategy": None}
        strategy = self.strategies[pk]
        return {"organisation": None, "strategy": strategy}


class InviteForm(GrantForm):
    email = forms.EmailField(
        label="Email address",
        help_text="Their NHS email address: the one their organisation's sign-in uses.",
        error_messages={"required": "Enter their email address", "invalid": "Enter an email address like name@nhs.net"},
    )
    person = forms.ModelChoiceField(
        label="Person (optional)",
        queryset=Person.objects.none(),
        required=False,
        help_text="Link the account to this person, so they see their actions.",
    )
    field_order = ("email", "person", "role", "where")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(user__isnull=True, archived_at__isnull=True).order_by(
            "name"
        )

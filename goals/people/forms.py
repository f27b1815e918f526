"""Forms of the people directory: they parse the input; the rules live in services.py."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from goals.core.forms import FilterForm
from goals.models import Person
from goals.people.selectors import linkable_users


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user) -> str:
        full_name = user.get_full_name()
        return f"{user.get_username()} ({full_name})" if full_name else user.get_username()


class PersonForm(forms.ModelForm):
    """Name, email and linked user account; a new person's job title too (later changes are dated)."""

    user = UserChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        label="Linked user account",
        empty_label="No user account",
        help_text="The account they sign in with: it lets them write their updates and score their risks.",
    )

    class Meta:
        model = Person
        fields = ("name", "job_title", "email", "user")
        labels = {"name": "Full name", "job_title": "Job title", "email": "Email address"}
        error_messages = {"name": {"required": "Enter the person's full name"}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = linkable_users(self.instance if self.instance.pk else None)
        if self.instance.pk:
            del self.fields["job_title"]  # changed through "Change job title", with a date


class PersonTitleForm(forms.Form):
    job_title = forms.CharField(
        label="New job title", max_length=300, error_messages={"required": "Enter the new job title"}
    )
    starts_on = forms.DateField(
        label="Applies from",
        widget=forms.SelectDateWidget(years=range(2015, 2036)),
        help_text="Quarters ending before this date keep the old title. For example, 1 10 2024",
        error_messages={"required": "Enter the date the title applies from", "invalid": "Enter a real date"},
    )


class PersonSearchForm(FilterForm):
    q = forms.CharField(label="Search by name, job title or email", required=False, max_length=200)
    archived = forms.BooleanField(label="Include archived people", required=False)

"""Form pieces shared by every capability."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


class FilterForm(forms.Form):
    """The form of every FilterSet: each filter is optional by nature, so labels don't say so."""

    mark_optional_fields = False


def apply_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: at its field when the form has that field,
    otherwise at the top (the error summary shows both)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, messages in error.message_dict.items():
        form.add_error(name if name in form.fields and name != NON_FIELD_ERRORS else None, messages)


class ConfirmForm(forms.Form):
    """No fields: pressing the button is the confirmation (archiving, deleting, locking)."""

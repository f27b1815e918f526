"""Form pieces shared by every capability."""

from django import forms


class FilterForm(forms.Form):
    """The form of every FilterSet: each filter is optional by nature, so labels don't say so."""

    mark_optional_fields = False

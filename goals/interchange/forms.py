"""The workbook upload form."""

from django import forms

from goals.interchange.loader import max_bytes


class WorkbookUploadForm(forms.Form):
    workbook = forms.FileField(
        label="Workbook",
        help_text="An Excel workbook (.xlsx) made from the template or exported from a strategy.",
        error_messages={"required": "Choose a workbook", "empty": "The file is empty"},
        widget=forms.FileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )

    def clean_workbook(self):
        upload = self.cleaned_data["workbook"]
        limit = max_bytes()
        if upload.size > limit:
            raise forms.ValidationError(f"The workbook must be at most {limit / (1024 * 1024):.0f} MB")
        return upload

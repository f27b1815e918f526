"""Forms for metric values: one value typed in, or a CSV file of them. They parse what was typed
(dates as people write them, numbers); who may write and the all-or-nothing import are
goals.metrics.services. Drawn with the crispy `nhsuk` pack ({{ form|crispy }})."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from goals.core.choices import Frequency
from goals.metrics.parsing import ANNOTATION_LIMIT, CSV_MAX_BYTES, parse_value_date, parse_value_number
from goals.models import Metric, MetricValue


class MetricValueForm(forms.Form):
    """A metric's value for one month or quarter. `metric` decides which dates are accepted."""

    date = forms.CharField(label="Month", max_length=30, error_messages={"required": "Enter the month"})
    value = forms.CharField(label="Value", max_length=30, error_messages={"required": "Enter the value"})
    annotation = forms.CharField(
        label="Annotation",
        max_length=ANNOTATION_LIMIT,
        required=False,
        help_text="A short note printed on the chart, for example what changed that month.",
        widget=forms.TextInput,
    )
    recalculate_limits = forms.BooleanField(
        label=MetricValue._meta.get_field("recalculate_limits").verbose_name.capitalize(),
        required=False,
        help_text="Only when the process has really changed (a new way of working is in place): "
        "the mean and process limits are worked out again from this value on.",
    )

    def __init__(self, *args, metric: Metric, instance: MetricValue | None = None, **kwargs):
        self.metric = metric
        if instance is not None:
            kwargs.setdefault("initial", {}).update(
                {
                    "date": instance.date.strftime("%d/%m/%Y"),
                    "value": f"{instance.value.normalize():f}",
                    "annotation": instance.annotation,
                    "recalculate_limits": instance.recalculate_limits,
                }
            )
        super().__init__(*args, **kwargs)
        unit = f" ({metric.unit})" if metric.unit else ""
        self.fields["value"].label = f"Value{unit}"
        self.fields["value"].widget.attrs.update({"inputmode": "decimal", "class": "nhsuk-input--width-10"})
        self.fields["date"].widget.attrs.update({"class": "nhsuk-input--width-10"})
        if metric.frequency == Frequency.QUARTERLY:
            self.fields["date"].label = "Quarter"
            self.fields["date"].error_messages["required"] = "Enter the quarter"
            self.fields["date"].help_text = "For example, Q1 2023/24 or 01/04/2023 (the quarter's first day)."
        else:
            self.fields["date"].help_text = "For example, Apr 2023 or 01/04/2023 (the month's first day)."

    def clean_date(self):
        try:
            return parse_value_date(self.cleaned_data["date"], self.metric.frequency)
        except ValueError as error:
            raise ValidationError(str(error)) from None

    def clean_value(self):
        try:
            return parse_value_number(self.cleaned_data["value"])
        except ValueError as error:
            raise ValidationError(str(error)) from None


class MetricValuesUploadForm(forms.Form):
    """A CSV file of a metric's values (see docs/metrics.md for the format)."""

    file = forms.FileField(
        label="CSV file",
        help_text="The first row names the columns: date, value and (optionally) annotation. "
        "Save from Excel as CSV UTF-8.",
        error_messages={"required": "Choose a CSV file", "empty": "The file is empty"},
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > CSV_MAX_BYTES:
            raise ValidationError(f"The file must be smaller than {CSV_MAX_BYTES // 1_000_000} MB")
        return upload

"""The `<quarter:…>` URL converter, registered once here for every URL set (strategy, cycle,
status, reports). A quarter in a URL is its slug, "2024-Q2"; the view receives a `Quarter`.
The URL takes any slug-like text, as it always did, and a text that is not a quarter ("2024-Q9",
"latest") does not match, so the URL answers 404."""

from django.urls import register_converter

from goals.core.quarters import Quarter, parse_quarter


class QuarterConverter:
    regex = r"[-a-zA-Z0-9_]+"

    def to_python(self, value: str) -> Quarter:
        return parse_quarter(value)  # ValueError: no match, so 404

    def to_url(self, value) -> str:
        return value.slug if isinstance(value, Quarter) else str(value)


register_converter(QuarterConverter, "quarter")

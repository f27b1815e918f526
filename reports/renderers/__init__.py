"""Renderers: each takes a reports.builder.Report and returns the file's bytes.

    RENDERERS[format](report) -> bytes

One module per format; none reads the database (the Report is already evaluated)."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class OutputFormat:
    extension: str
    content_type: str
    label: str
    render: Callable


def _formats() -> dict[str, OutputFormat]:
    from . import docx, html, pdf, xlsx

    return {
        "pdf": OutputFormat("pdf", "application/pdf", "PDF", pdf.render_pdf),
        "docx": OutputFormat(
            "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word", docx.render_docx
        ),
        "xlsx": OutputFormat(
            "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel", xlsx.render_xlsx
        ),
        "html": OutputFormat("html", "text/html; charset=utf-8", "HTML", html.render_html),
    }


FORMAT_NAMES = ("pdf", "docx", "xlsx", "html")


def output_format(name: str) -> OutputFormat:
    """The renderer, content type and label of a format; KeyError for an unknown one."""
    return _formats()[name]


def render(report, name: str) -> bytes:
    return output_format(name).render(report)

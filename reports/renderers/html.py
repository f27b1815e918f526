"""The pack as HTML: the layout templates in templates/reports/, shared with the browser preview
and the PDF. Django's autoescaping is the only way user text reaches the markup."""

from functools import lru_cache
from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.text import slugify

from goals.core.choices import RAG_STYLES
from goals.core.movement import RISK_BAND_STYLES

LAYOUT_TEMPLATES = {"progress": "reports/progress.html", "highlight": "reports/highlight.html"}
STYLESHEET = "css/report.css"


def layout_template(report) -> str:
    return LAYOUT_TEMPLATES[report.layout]


@lru_cache(maxsize=1)
def report_css() -> str:
    """The pack's stylesheet text, inlined into the standalone HTML so the file needs nothing else."""
    return Path(finders.find(STYLESHEET)).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def palette_css() -> str:
    """CSS classes for the RAG and risk-band colours, written from goals.core.choices.RAG_STYLES and
    goals.core.movement.RISK_BAND_STYLES (the only places colours are defined): `report-rag--green`,
    `report-band--high`. Classes rather than inline styles so the PDF can share computed styles."""
    rules = [
        f".report-rag--{slugify(style.label)} {{ background-color: {style.fill}; color: {style.text}; "
        f"border-color: {style.text}; }}"
        for style in RAG_STYLES.values()
    ]
    rules += [
        f".report-band--{band} {{ background-color: {fill}; color: {text}; border-color: {text}; }}"
        for band, (fill, text) in RISK_BAND_STYLES.items()
    ]
    return "\n".join(rules)


def document_html(report, *, stylesheet_url: str = "") -> str:
    """The standalone document; with `stylesheet_url` it links the stylesheet instead of inlining it."""
    return render_to_string(
        "reports/document.html",
        {
            "report": report,
            "layout_template": layout_template(report),
            "stylesheet_url": stylesheet_url,
            "report_css": "" if stylesheet_url else report_css(),
            "palette_css": palette_css(),
        },
    )


def render_html(report) -> bytes:
    return document_html(report).encode("utf-8")

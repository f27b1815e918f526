"""The pack as HTML: the layout templates in templates/reports/, shared with the browser preview
and the PDF. Django's autoescaping is the only way user text reaches the markup."""

from functools import lru_cache
from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from goals.core.palette import palette_css

LAYOUT_TEMPLATES = {"progress": "reports/progress.html", "highlight": "reports/highlight.html"}
PREVIEW_TEMPLATE = "reports/includes/preview_pack.html"
STYLESHEET = "css/report.css"


def layout_template(report) -> str:
    return LAYOUT_TEMPLATES[report.layout]


@lru_cache(maxsize=1)
def report_css() -> str:
    """The pack's stylesheet text, inlined into the standalone HTML so the file needs nothing else."""
    return Path(finders.find(STYLESHEET)).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
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


def preview_html(report) -> SafeString:
    """The pack as the browser preview shows it inside the app's pages: the cover sheet and the
    layout, without the document around them. The same for every reader (no request context)."""
    return render_to_string(PREVIEW_TEMPLATE, {"report": report, "layout_template": layout_template(report)})


def render_html(report) -> bytes:
    return document_html(report).encode("utf-8")

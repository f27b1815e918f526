"""The pack as PDF (WeasyPrint): the same HTML as the preview, laid out for A4 by
static/css/report.css (cover, contents with page numbers, running header, "Page N of M", tables
that split across pages with their headers repeated).

WeasyPrint fetches nothing but our own static files: `StaticFilesOnly` refuses every other URL
(file://, http(s) elsewhere, data:, …), so no text in a pack can make the server read a local
file or call the network."""

import gc
import mimetypes
import re
import threading
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pydyf
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from weasyprint import CSS, HTML
from weasyprint.css.counters import CounterStyle
from weasyprint.html import UA
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .html import STYLESHEET, document_html

# The documents' base URL: a host that cannot exist (.invalid, RFC 2606), so a relative URL can only
# ever resolve to something StaticFilesOnly serves itself.
BASE_URL = "https://strategy-tracker.invalid/"


class RefusedURL(ValueError):
    pass


class StaticFilesOnly(URLFetcher):
    """A WeasyPrint URL fetcher that serves our static files from disk and refuses everything else."""

    def fetch(self, url, headers=None):
        path = static_file_path(url)
        if path is None:
            raise RefusedURL(f"refused to fetch {url!r}: only the app's own static files are served")
        mime_type, _ = mimetypes.guess_type(path.name)
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime_type or "application/octet-stream"})


def static_file_path(url: str) -> Path | None:
    """The file a static URL under BASE_URL names, or None if the URL is anything else."""
    parts = urlsplit(url)
    base = urlsplit(BASE_URL)
    prefix = urlsplit(urljoin(BASE_URL, static(""))).path
    if (parts.scheme, parts.netloc) != (base.scheme, base.netloc) or not parts.path.startswith(prefix):
        return None
    relative = unquote(parts.path[len(prefix) :])
    if not relative or relative.startswith("/") or ".." in relative.split("/") or "\\" in relative:
        return None
    found = finders.find(relative)
    return Path(found) if found and Path(found).is_file() else None


# WeasyPrint's own user-agent stylesheet gives *every* element six pseudo-elements (::marker and
# the footnote and note calls and markers), and styles each of them separately: in a 300-action
# pack that is ~40,000 computed styles for boxes that never exist, about a sixth of the PDF's time.
# A pack has no footnotes or notes, and only list items have markers, so the pack is laid out with
# the same stylesheet less those rules (::marker kept, for list items): the pages come out identical.
# `_ua_stylesheets` is WeasyPrint's hook for a document's UA stylesheets (checked with WeasyPrint 70);
# if an upgrade changes those rules, nothing is removed and the stock behaviour is kept.
UNUSED_UA_RULES = re.compile(r"^::(?:footnote|note)-[a-z-]+ *\{[^}\n]*\} *\n", re.MULTILINE)


def pack_ua_text(ua: str = UA) -> str:
    """WeasyPrint's user-agent stylesheet without the footnote and note rules, ::marker on list items only."""
    return UNUSED_UA_RULES.sub("", ua).replace("\n::marker {", "\nli::marker {")


@lru_cache(maxsize=1)
def pack_ua_stylesheet() -> CSS:
    # its @counter-style rules are already in WeasyPrint's UA counter styles, which documents use
    return CSS(string=pack_ua_text(), counter_style=CounterStyle())


class PackHTML(HTML):
    """A document laid out with `pack_ua_stylesheet()` as its user-agent stylesheet."""

    def _ua_stylesheets(self, forms=False):
        return [pack_ua_stylesheet(), *super()._ua_stylesheets(forms)[1:]]


# Fontconfig's configuration and Pango's font map (with its caches of shaped fonts) are loaded once
# per thread rather than for every pack. Per thread: neither is safe to share between threads.
_fonts = threading.local()


def font_config() -> FontConfiguration:
    if not hasattr(_fonts, "config"):
        _fonts.config = FontConfiguration()
    return _fonts.config


# While WeasyPrint lays out a pack it allocates hundreds of thousands of long-lived objects (boxes,
# styles), and Python's cyclic garbage collector keeps re-scanning them: about a quarter of a
# 300-action pack's CPU time. It is paused for the render (the pack's garbage, ~10 MB, is collected
# afterwards as usual). Reference counting still frees everything that is not in a cycle. The
# collector is process-wide: with threaded workers, other requests run without it for those seconds
# too (harmless; the documented gunicorn sync workers have one request a process). A count, so that
# with two packs rendering in two threads the collector comes back only after the last.
_gc_lock = threading.Lock()
_gc_pauses = 0
_gc_was_enabled = False


@contextmanager
def cyclic_gc_paused():
    global _gc_pauses, _gc_was_enabled
    with _gc_lock:
        if _gc_pauses == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pauses += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pauses -= 1
            if _gc_pauses == 0 and _gc_was_enabled:
                gc.enable()


# Tagged PDF/UA-1 (WeasyPrint's own variant): a structure tree from the HTML (headings, tables with
# their header cells, lists, figures with the SVG <title> as their text alternative), the document
# language from <html lang>, the title from <title> shown in the window title, bookmarks from the
# headings. Public bodies publish board papers, and the accessibility regulations apply to them.
PDF_VARIANT = "pdf/ua-1"

# What WeasyPrint's tagging leaves out (checked with WeasyPrint 70), added to the PDF before it is
# written (`write_pdf(finisher=…)`, on WeasyPrint's own objects, so no second pass over the file):
# - the /Scope of each header cell. WeasyPrint links every data cell to its headers (/Headers) but
#   writes no /Scope, so a header no data cell points to (the summary's "Goal", over a column of
#   goal names that are row headers themselves) says nothing about what it heads. Our tables keep
#   every column header in <thead> (a test holds the templates to it): a header cell there, or one
#   spanning several columns (an objective's row over its actions), heads a column; any other
#   header cell heads its row (`scope="row"`);
# - the Print flag on link annotations (the contents' links), so that print and screen agree.
PRINT_FLAG = 1 << 2


def finish_pdf_ua(document, pdf) -> None:
    objects = {obj.reference: obj for obj in pdf.objects if isinstance(obj, pydyf.Dictionary)}
    for obj in objects.values():
        if obj.get("Subtype") == "/Link" and obj.get("Type") == "/Annot":
            obj["F"] = PRINT_FLAG
        elif obj.get("Type") == "/StructElem" and obj.get("S") == "/TH":
            attributes = obj.setdefault("A", pydyf.Dictionary({"O": "/Table"}))
            if "Scope" not in attributes:
                row = objects.get(obj.get("P"))
                group = objects.get(row.get("P")) if row is not None else None
                in_head = group is not None and group.get("S") == "/THead"
                attributes["Scope"] = "/Column" if in_head or attributes.get("ColSpan", 1) > 1 else "/Row"


def render_pdf(report) -> bytes:
    html = document_html(report, stylesheet_url=urljoin(BASE_URL, static(STYLESHEET)))
    with cyclic_gc_paused():
        document = PackHTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesOnly())
        return document.write_pdf(font_config=font_config(), pdf_variant=PDF_VARIANT, finisher=finish_pdf_ua)

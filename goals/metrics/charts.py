"""SPC charts and the variation / assurance icons, drawn on the server.

``spc_chart_svg(summary)`` gives inline SVG for pages and the PDF board pack; ``spc_chart_png``
gives PNG bytes for Word. Both take a ``goals.metrics.analysis.MetricSummary`` and draw what Making Data
Count asks for: the values, the mean (or, for a run chart, the median), the process limits (with
a step wherever the limits were recalculated), special-cause points coloured by what they mean,
the target as a dashed labelled line, and annotations. Rendering uses matplotlib's object API
with the Agg canvas (no pyplot, no global backend) and the fonts matplotlib ships, so the output
is the same on every machine; the SVG carries no date, no metadata and no external reference.

``variation_icon_svg(code)`` and ``assurance_icon_svg(code)`` draw our own icons (not NHS
England's files) with their text equivalents from goals.metrics.spc.VARIATION_LABELS / ASSURANCE_LABELS.

Every colour used here is in ``SPC_COLOURS``.
"""

from __future__ import annotations

import hashlib
import html
import io
import logging
import math
import re
import sys
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib
from django.core.cache import caches
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from goals.metrics.spc import ASSURANCE_LABELS, VARIATION_LABELS

if TYPE_CHECKING:
    from goals.metrics.analysis import MetricSummary

logger = logging.getLogger(__name__)


class ChartNotDrawn(Exception):
    """The chart could not be drawn; the page or pack says so and still shows the values."""


CHART_NOT_DRAWN = "The chart could not be drawn. The values are shown in the table."


@dataclass(frozen=True)
class SpcColour:
    fill: str  # Making Data Count's colour
    edge: str  # a darker outline, so markers and icons keep 3:1 contrast on white


# Making Data Count's palette (as NHS England's SPC tool and NHS-R's plot-the-dots use it).
SPC_COLOURS: dict[str, SpcColour] = {
    "common_cause": SpcColour("#A6A6A6", "#5E6A71"),
    "improvement": SpcColour("#00B0F0", "#005EB8"),
    "concern": SpcColour("#E46C0A", "#8A3C00"),
    "neither": SpcColour("#490092", "#490092"),
    "value_line": SpcColour("#A6A6A6", "#A6A6A6"),
    "mean": SpcColour("#212B32", "#212B32"),
    "limits": SpcColour("#768692", "#4C6272"),
    "target": SpcColour("#DE1B1B", "#B01515"),
    "text": SpcColour("#212B32", "#212B32"),
}

_VARIATION_KIND = {
    "common_cause": "common_cause",
    "improvement_high": "improvement",
    "improvement_low": "improvement",
    "concern_high": "concern",
    "concern_low": "concern",
    "neither_high": "neither",
    "neither_low": "neither",
}
_ASSURANCE_KIND = {"pass": "improvement", "fail": "concern", "hit_or_miss": "common_cause"}

_RENDER_LOCK = threading.Lock()  # rcParams are process-wide; render one chart at a time
_RC = {
    "svg.hashsalt": "strategy-tracker-spc",  # ids from content, not random: same chart, same SVG
    "svg.fonttype": "path",  # glyphs as paths: the same look in every browser and in the PDF
    "font.family": "DejaVu Sans",
    "font.size": 9,
    # Text is drawn as typed: no "mathtext" ($...$ is not maths) and no TeX, whatever a user wrote.
    "text.parse_math": False,
    "text.usetex": False,
}
CHART_SIZE = (8.0, 3.6)  # inches: fits an A4 page width and a page column
MAX_X_LABELS = 12
ANNOTATION_CHARS = 40


# ---------------------------------------------------------------------------------------------
# Charts


def spc_chart_svg(summary: MetricSummary, *, id_prefix: str | None = None, for_page: bool = False) -> str:
    """The metric's SPC chart as an inline ``<svg>`` element (a str, safe to mark safe).

    The root has ``role="img"``, ``aria-labelledby`` pointing at its ``<title>`` (the metric's
    name: the accessible name) and ``aria-describedby`` at its ``<desc>`` (``summary.description``,
    the text alternative). Ids are prefixed with `id_prefix` (default
    ``spc-<metric pk>``) so several charts can share a page. Deterministic: the same summary
    gives the same bytes. Stable signature: the board pack (reports/) calls it. Raises
    ``ChartNotDrawn`` (logged) if matplotlib fails: callers say so and show the values instead.
    ``for_page=True``: matplotlib's CSS (its ``<style>`` rule and ``style=`` attributes) is written as
    SVG presentation attributes, which look the same and are allowed by a strict Content-Security-Policy.
    """
    prefix = id_prefix or f"spc-{summary.metric.pk}"
    svg = _drawn(
        summary,
        "svg",
        lambda figure, buffer: figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None}),
    )
    svg = _clean_svg(svg, prefix, title=_title(summary), description=summary.description)
    return without_inline_styles(svg) if for_page else svg


def spc_chart_png(summary: MetricSummary, *, dpi: int = 150) -> bytes:
    """The metric's SPC chart as PNG bytes, for Word (use ``summary.description`` as alt text).
    Deterministic. Stable signature: the board pack (reports/) calls it. Raises ``ChartNotDrawn``."""
    return _drawn(
        summary,
        "png",
        lambda figure, buffer: figure.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None}),
        dpi,
    )


# Drawing is most of a metric page's time (0.1–0.3 s of matplotlib), and the same summary always
# gives the same drawing, so matplotlib's output is kept (settings.CACHES["charts"]) under a digest
# of everything the drawing shows: the analysis (every point's value, verdict, mean and limits, the
# target, run chart or not), the x-axis labels, the annotations, the unit and the target as
# printed. The title, text alternative and ids are added per call (`_clean_svg`), so the metric
# page and the board pack share one drawing. The key also holds a digest of the code that draws
# (this module, goals.metrics.analysis's number formatting, goals.metrics.spc) and matplotlib's version: with the
# default per-process cache a deploy empties it anyway, but a shared cache (Redis, memcached)
# must not serve a drawing made by older code.
@lru_cache(maxsize=1)
def _code_digest() -> str:
    from goals.metrics import analysis, spc

    digest = hashlib.sha256(matplotlib.__version__.encode())
    for module in (sys.modules[__name__], analysis, spc):
        source = Path(module.__file__)
        try:
            digest.update(source.read_bytes())
        except OSError:  # deployed without sources: the module's name and file name still count
            digest.update(str(source).encode())
    return digest.hexdigest()[:12]


def _drawn(summary: MetricSummary, kind: str, save, *options) -> str | bytes:
    """matplotlib's `kind` output of the summary's chart, from the cache or drawn now."""
    metric = summary.metric
    material = repr(
        (
            kind,
            options,
            metric.unit,
            str(metric.target),
            summary.analysis,
            [(row.label, row.value.annotation) for row in summary.rows],
        )
    )
    key = f"spc:{_code_digest()}:{kind}:{hashlib.sha256(material.encode()).hexdigest()}"
    cache = caches["charts"]  # per thread, as Django hands them out
    output = cache.get(key)
    if output is None:
        with _RENDER_LOCK:
            output = cache.get(key)  # another thread may have drawn it while this one waited
            if output is None:
                try:
                    with matplotlib.rc_context(_RC):
                        buffer = io.StringIO() if kind == "svg" else io.BytesIO()
                        save(_draw(summary), buffer)
                except Exception as error:  # a chart never takes its page or pack down
                    logger.exception("chart_not_drawn", extra={"event": "chart_not_drawn", "metric": metric.pk})
                    raise ChartNotDrawn(str(error)) from error
                output = buffer.getvalue()
                cache.set(key, output)
    return output


def _title(summary: MetricSummary) -> str:
    kind = "Run chart" if summary.is_run_chart else "SPC chart"
    return f"{kind}: {summary.metric.name}"


def _draw(summary: MetricSummary) -> Figure:
    from goals.metrics.analysis import format_number

    figure = Figure(figsize=CHART_SIZE, dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    analysis, metric = summary.analysis, summary.metric
    points = analysis.points
    text_colour = SPC_COLOURS["text"].fill
    for spine in ("top", "right"):
        axes.spines[spine].set_visible(False)
    axes.tick_params(colors=text_colour, labelsize=8)
    if metric.unit:
        axes.set_ylabel(metric.unit, color=text_colour)

    if not points:
        axes.text(
            0.5,
            0.5,
            "No values yet",
            transform=axes.transAxes,
            ha="center",
            va="center",
            color=text_colour,
            fontsize=11,
        )
        axes.set_xticks([])
        axes.set_yticks([])
        return figure

    xs = list(range(len(points)))
    ys = [p.value for p in points]
    legend: list[Line2D] = []

    axes.plot(xs, ys, color=SPC_COLOURS["value_line"].fill, linewidth=1.5, zorder=2)
    if analysis.is_run_chart:
        centre = [seg.median for seg in analysis.segments for _ in range(seg.start, seg.end)]
        centre_label = "Median"
    else:
        centre = [p.mean for p in points]
        centre_label = "Mean"
    axes.plot(xs, centre, color=SPC_COLOURS["mean"].fill, linewidth=1.2, drawstyle="steps-mid", zorder=3)
    legend.append(Line2D([], [], color=SPC_COLOURS["mean"].fill, linewidth=1.2, label=centre_label))

    if not analysis.is_run_chart:
        limit_style = {
            "color": SPC_COLOURS["limits"].edge,
            "linewidth": 1.0,
            "linestyle": (0, (4, 3)),
            "drawstyle": "steps-mid",
            "zorder": 3,
        }
        axes.plot(xs, [p.upper for p in points], **limit_style)
        axes.plot(xs, [p.lower for p in points], **limit_style)
        legend.append(
            Line2D(
                [], [], color=SPC_COLOURS["limits"].edge, linewidth=1.0, linestyle=(0, (4, 3)), label="Process limits"
            )
        )

    kinds_present = []
    for kind in ("common_cause", "improvement", "concern", "neither"):
        chosen = [p for p in points if (p.kind if p.special_cause else "common_cause") == kind]
        if not chosen:
            continue
        colour = SPC_COLOURS[kind]
        axes.scatter(
            [p.index for p in chosen],
            [p.value for p in chosen],
            s=30,
            color=colour.fill,
            edgecolors=colour.edge,
            linewidths=0.9,
            zorder=4,
        )
        kinds_present.append(kind)
    for kind in kinds_present:
        colour = SPC_COLOURS[kind]
        label = "Common cause" if kind == "common_cause" else f"Special cause: {_KIND_NAMES[kind]}"
        legend.append(
            Line2D(
                [],
                [],
                linestyle="none",
                marker="o",
                markersize=6,
                markerfacecolor=colour.fill,
                markeredgecolor=colour.edge,
                label=label,
            )
        )

    if analysis.target is not None:
        target = SPC_COLOURS["target"].fill
        axes.axhline(analysis.target, color=target, linewidth=1.2, linestyle=(0, (6, 3)), zorder=2)
        axes.annotate(
            f"Target {format_number(metric.target)}",
            xy=(1, analysis.target),
            xycoords=("axes fraction", "data"),
            xytext=(0, 3),
            textcoords="offset points",
            ha="right",
            va="bottom",
            fontsize=8,
            color=SPC_COLOURS["target"].edge,
            bbox={"facecolor": "#FFFFFF", "edgecolor": "none", "pad": 1.0},
            zorder=5,
        )
        legend.append(Line2D([], [], color=target, linewidth=1.2, linestyle=(0, (6, 3)), label="Target"))

    for n, row in enumerate(r for r in summary.rows if r.value.annotation):
        text = row.value.annotation
        if len(text) > ANNOTATION_CHARS:
            text = text[: ANNOTATION_CHARS - 1] + "…"
        above = n % 2 == 0
        axes.annotate(
            text,
            xy=(row.point.index, row.point.value),
            xytext=(0, 22 if above else -24),
            textcoords="offset points",
            ha="center",
            va="bottom" if above else "top",
            fontsize=7,
            color=text_colour,
            zorder=5,
            arrowprops={"arrowstyle": "-", "color": SPC_COLOURS["limits"].edge, "linewidth": 0.8},
        )

    step = max(1, math.ceil(len(points) / MAX_X_LABELS))
    ticks = xs[::step]
    axes.set_xticks(ticks, [summary.rows[i].label for i in ticks], rotation=0)
    axes.set_xlim(-0.6, len(points) - 0.4)
    axes.margins(y=0.18)
    axes.grid(axis="y", color="#E8EDEE", linewidth=0.8, zorder=0)
    axes.set_axisbelow(True)
    axes.legend(
        handles=legend,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.12),
        ncol=min(4, len(legend)),
        frameon=False,
        fontsize=8,
        labelcolor=text_colour,
    )
    return figure


_KIND_NAMES = {"improvement": "improvement", "concern": "concern", "neither": "neither"}

_XML_PROLOGUE = re.compile(r"<\?xml[^>]*\?>\s*|<!DOCTYPE[^>]*>\s*", re.DOTALL)
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->\s*", re.DOTALL)
_ID = re.compile(r'\bid="([^"]+)"')
_ROOT = re.compile(r"<svg\b([^>]*)>")
_REFERENCE = re.compile(r'(href="#|url\(#)([^")]+)([")])')


def _clean_svg(svg: str, prefix: str, *, title: str, description: str) -> str:
    """Inline-ready SVG: no prologue, doctype, metadata or comments; ids prefixed (unique on a
    page); the stylesheet scoped to this chart; title and desc first; role and labels set."""
    svg = _XML_PROLOGUE.sub("", svg)
    svg = _METADATA.sub("", svg)
    svg = _COMMENT.sub("", svg)
    ids = set(_ID.findall(svg))
    svg = _ID.sub(lambda m: f'id="{prefix}-{m[1]}"', svg)
    # Every reference to an id, rewritten in one pass (not one str.replace per id).
    svg = _REFERENCE.sub(lambda m: f"{m[1]}{prefix}-{m[2]}{m[3]}" if m[2] in ids else m[0], svg)
    svg = svg.replace(">*{stroke-linejoin", f">#{prefix} *{{stroke-linejoin")  # matplotlib's page-wide rule

    def root(match: re.Match) -> str:
        attributes = re.sub(r'\s(width|height)="[^"]*"', "", match[1])
        return (
            f'<svg{attributes} id="{prefix}" class="app-spc-chart" width="100%" role="img" focusable="false" '
            f'aria-labelledby="{prefix}-title" aria-describedby="{prefix}-desc" preserveAspectRatio="xMidYMid meet">'
            f'<title id="{prefix}-title">{html.escape(title)}</title>'
            f'<desc id="{prefix}-desc">{html.escape(description)}</desc>'
        )

    return _ROOT.sub(root, svg, count=1).strip()


_STYLE_ELEMENT = re.compile(r'<style type="text/css">#[\w-]+ \*\{([^}]*)\}\s*</style>\s*')
_STYLE_ATTRIBUTE = re.compile(r'\sstyle="([^"]*)"')


def _presentation_attributes(declarations: str) -> str:
    pairs = (declaration.split(":", 1) for declaration in declarations.split(";") if ":" in declaration)
    return "".join(f' {name.strip()}="{value.strip()}"' for name, value in pairs)


def without_inline_styles(svg: str) -> str:
    """The same drawing with no CSS: each ``style=`` attribute becomes presentation attributes
    (``fill="#005eb8"``) and matplotlib's chart-wide rule (stroke joins and caps, inherited) moves
    to the root ``<svg>``."""
    rule = _STYLE_ELEMENT.search(svg)
    svg = _STYLE_ELEMENT.sub("", svg)
    svg = _STYLE_ATTRIBUTE.sub(lambda match: _presentation_attributes(match[1]), svg)
    if rule:
        svg = _ROOT.sub(lambda match: f"<svg{match[1]}{_presentation_attributes(rule[1])}>", svg, count=1)
    return svg


# ---------------------------------------------------------------------------------------------
# Icons: a ring in the meaning's colour, a letter, and a small line of dots


def variation_icon_svg(code: str | None, *, decorative: bool = False, size: int = 40) -> str:
    """Our variation icon for `code` (goals.metrics.spc variation codes) as inline SVG carrying its text
    (VARIATION_LABELS) as <title> and aria-label. `decorative=True` hides it from screen readers
    when the same words are printed beside it. Empty string for None (a run chart)."""
    if code is None:
        return ""
    kind = _VARIATION_KIND[code]
    direction = code.rsplit("_", 1)[-1] if kind != "common_cause" else "flat"
    letter = {"high": "H", "low": "L"}.get(direction, "")
    dots = {
        "flat": [(10, 22), (15, 19), (20, 23), (25, 20), (30, 22)],
        "high": [(10, 28), (15, 29), (20, 27), (25, 23), (30, 19)],
        "low": [(10, 19), (15, 18), (20, 20), (25, 24), (30, 28)],
    }[direction]
    return _icon(VARIATION_LABELS[code], SPC_COLOURS[kind], letter, dots, decorative=decorative, size=size)


def assurance_icon_svg(code: str | None, *, decorative: bool = False, size: int = 40) -> str:
    """Our assurance icon for `code` (pass / fail / hit_or_miss) with its text (ASSURANCE_LABELS)
    as <title> and aria-label. Empty string for None (no target, neither, or a run chart)."""
    if code is None:
        return ""
    kind = _ASSURANCE_KIND[code]
    letter = {"pass": "P", "fail": "F", "hit_or_miss": "?"}[code]
    return _icon(
        ASSURANCE_LABELS[code], SPC_COLOURS[kind], letter, [], decorative=decorative, size=size, target_line=True
    )


def _icon(
    label: str,
    colour: SpcColour,
    letter: str,
    dots: list[tuple[int, int]],
    *,
    decorative: bool,
    size: int,
    target_line: bool = False,
) -> str:
    text = html.escape(label)
    accessible = 'aria-hidden="true"' if decorative else f'role="img" aria-label="{text}"'
    parts = [
        f'<svg class="app-spc-icon" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40" width="{size}" '
        f'height="{size}" focusable="false" {accessible}>'
        f"<title>{text}</title>",
        f'<circle cx="20" cy="20" r="17.5" fill="#FFFFFF" stroke="{colour.edge}" stroke-width="3"/>',
    ]
    if target_line:
        parts.append(
            f'<line x1="8" y1="28" x2="32" y2="28" stroke="{SPC_COLOURS["target"].edge}" '
            'stroke-width="1.6" stroke-dasharray="3 2"/>'
        )
    if dots:
        path = " ".join(f"{x},{y}" for x, y in dots)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{colour.edge}" stroke-width="1.2"/>')
        parts.extend(
            f'<circle cx="{x}" cy="{y}" r="2.3" fill="{colour.fill}" stroke="{colour.edge}" stroke-width="0.8"/>'
            for x, y in dots
        )
    if letter:
        y, font = (17, 13) if dots else (26, 17)  # with dots the letter sits above them
        parts.append(
            f'<text x="20" y="{y}" text-anchor="middle" font-family="Arial, Helvetica, sans-serif" '
            f'font-size="{font}" font-weight="bold" fill="{colour.edge}">{html.escape(letter)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)

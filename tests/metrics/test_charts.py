"""SPC charts (SVG for pages and PDF, PNG for Word) and our variation / assurance icons."""

import datetime
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.core.cache import caches

from goals.metrics import charts
from goals.metrics.analysis import summarise
from goals.metrics.spc import ASSURANCE_LABELS, VARIATION_LABELS
from goals.models import Metric, MetricValue

SVG = "{http://www.w3.org/2000/svg}"
STABLE = [20, 23, 21, 25, 22, 19, 22, 24, 21, 18, 21, 25]


def summary_of(
    numbers,
    *,
    pk=7,
    name="Falls per 1,000 bed days (illustrative)",
    annotations=None,
    recalculate=(),
    start=datetime.date(2021, 4, 1),
    **fields,
):
    """A metric with a value a month from `start`."""
    metric = Metric(pk=pk, key=f"m{pk}", name=name, unit="per 1,000 bed days", **fields)
    values = [
        MetricValue(
            metric=metric,
            date=datetime.date(start.year + (start.month - 1 + i) // 12, (start.month - 1 + i) % 12 + 1, 1),
            value=Decimal(str(v)),
            annotation=(annotations or {}).get(i, ""),
            recalculate_limits=i in recalculate,
        )
        for i, v in enumerate(numbers)
    ]
    return summarise(metric, values)


def test_the_svg_is_labelled_by_its_title_and_description():
    summary = summary_of(STABLE, improvement="down", target=Decimal(6))
    svg = charts.spc_chart_svg(summary)
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "spc-7-title"
    assert root.get("aria-describedby") == "spc-7-desc"
    title, desc = root[0], root[1]  # first children, as assistive technology expects
    assert (title.tag, title.get("id"), title.text) == (
        f"{SVG}title",
        "spc-7-title",
        "SPC chart: Falls per 1,000 bed days (illustrative)",
    )
    assert (desc.tag, desc.get("id"), desc.text) == (f"{SVG}desc", "spc-7-desc", summary.description)
    assert "Mean 21.8, process limits 13.8 to 29.7" in desc.text


def test_the_svg_has_no_external_reference_metadata_or_doctype():
    svg = charts.spc_chart_svg(summary_of(STABLE, annotations={3: "See https://example.org"}))
    without_namespaces = svg.replace('xmlns="http://www.w3.org/2000/svg"', "").replace(
        'xmlns:xlink="http://www.w3.org/1999/xlink"', ""
    )
    # Annotation text is drawn as glyph paths, so even a URL typed as a note is not a reference.
    assert "http" not in without_namespaces
    for forbidden in ("<!DOCTYPE", "<?xml", "<metadata", "dc:date", "<image", "<script", "<a "):
        assert forbidden not in svg
    for reference in re.findall(r'(?:href="|url\()([^")]*)', svg):
        assert reference.startswith("#spc-7-"), reference


def test_user_text_in_the_title_is_escaped():
    svg = charts.spc_chart_svg(summary_of(STABLE, name='<script>alert("x")</script> & co'))
    assert "<script>" not in svg
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co" in svg
    ET.fromstring(svg)  # still well-formed


def test_the_svg_is_deterministic_and_ids_are_unique_per_chart():
    first = charts.spc_chart_svg(summary_of(STABLE, pk=1))
    caches["charts"].clear()  # drawn again, not served from the cache
    assert first == charts.spc_chart_svg(summary_of(STABLE, pk=1))
    second = charts.spc_chart_svg(summary_of(STABLE, pk=2))
    ids_first = set(re.findall(r'\bid="([^"]+)"', first))
    ids_second = set(re.findall(r'\bid="([^"]+)"', second))
    assert ids_first and not ids_first & ids_second
    assert all(i.startswith("spc-1") for i in ids_first)
    # matplotlib's stylesheet applies to this chart only, not to the page around it.
    assert '<style type="text/css">#spc-1 *{stroke-linejoin' in first


def _fills(svg: str) -> set[str]:
    return {colour.upper() for colour in re.findall(r"fill:\s*(#[0-9a-fA-F]{6})", svg)}


def test_special_cause_points_take_making_data_count_colours():
    # 11 values alternating 20/22 then 33: only the last point is special cause (test_spc.py).
    high = [20, 22] * 5 + [20, 33]
    concern = _fills(charts.spc_chart_svg(summary_of(high, improvement="down")))
    improvement = _fills(charts.spc_chart_svg(summary_of(high, improvement="up")))
    neither = _fills(charts.spc_chart_svg(summary_of(high, improvement="neither")))
    colours = charts.SPC_COLOURS
    assert {colours["concern"].fill, colours["common_cause"].fill} <= concern
    assert colours["improvement"].fill not in concern
    assert colours["improvement"].fill in improvement and colours["concern"].fill not in improvement
    assert colours["neither"].fill in neither
    stable = _fills(charts.spc_chart_svg(summary_of(STABLE, improvement="up")))
    assert colours["improvement"].fill not in stable and colours["concern"].fill not in stable


def test_the_target_is_a_labelled_dashed_line_and_annotations_are_drawn():
    with_target = charts.spc_chart_svg(summary_of(STABLE, improvement="up", target=Decimal(22)))
    without = charts.spc_chart_svg(summary_of(STABLE, improvement="up"))
    target = charts.SPC_COLOURS["target"].fill.lower()
    assert re.search(rf"stroke-dasharray[^\"]*stroke: {target}", with_target)
    assert f"stroke: {target}" not in without
    # Text is drawn as glyph paths; the label and annotations each add glyph uses.
    annotated = charts.spc_chart_svg(summary_of(STABLE, improvement="up", annotations={4: "New rota"}))
    assert annotated.count("<use ") > without.count("<use ")


def _limit_levels(svg: str) -> list[set[str]]:
    """For each dashed process-limit line on the plot (clipped to the axes), its distinct heights."""
    limits = charts.SPC_COLOURS["limits"].edge.lower()
    paths = re.findall(
        rf'<path d="([^"]+)"\s+clip-path="[^"]+"\s+style="[^"]*stroke-dasharray[^"]*stroke: {limits}', svg
    )
    return [set(re.findall(r"[ML] [\d.]+ ([\d.]+)", path)) for path in paths]


def test_limits_step_where_they_are_recalculated_and_are_flat_otherwise():
    flat = charts.spc_chart_svg(summary_of(STABLE * 2))
    stepped = charts.spc_chart_svg(summary_of(STABLE + [x - 10 for x in STABLE], recalculate=(12,)))
    assert [len(levels) for levels in _limit_levels(flat)] == [1, 1]  # upper, lower: one level each
    assert [len(levels) for levels in _limit_levels(stepped)] == [2, 2]  # a step down at the 13th point


def test_a_run_chart_has_no_limits():
    svg = charts.spc_chart_svg(summary_of(STABLE[:8]))
    assert _limit_levels(svg) == []
    assert ET.fromstring(svg)[0].text.startswith("Run chart: ")


@pytest.mark.parametrize("numbers", [[620], [5] * 12, [0.0001, 9_999_999_999.9999] * 6])
def test_odd_series_still_draw(numbers):
    # One value (the LTHT training figures), no variation at all (limits on the mean), a huge range.
    svg = charts.spc_chart_svg(summary_of(numbers))
    assert ET.fromstring(svg).get("role") == "img"
    assert charts.spc_chart_png(summary_of(numbers)).startswith(b"\x89PNG")


def test_a_metric_without_values_still_gives_a_labelled_chart():
    svg = charts.spc_chart_svg(summary_of([]))
    assert "no values have been entered yet" in ET.fromstring(svg)[1].text


def test_the_png_is_a_deterministic_png():
    summary = summary_of(STABLE, improvement="up", target=Decimal(22))
    png = charts.spc_chart_png(summary)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    caches["charts"].clear()  # drawn again, not served from the cache
    assert png == charts.spc_chart_png(summary)
    assert b"matplotlib" not in png.lower()
    width = int.from_bytes(png[16:20], "big")
    assert width == 8 * 150  # 8 inches at 150 dpi


@pytest.mark.parametrize("code", sorted(VARIATION_LABELS))
def test_each_variation_icon_carries_its_text(code):
    icon = charts.variation_icon_svg(code)
    root = ET.fromstring(icon)
    assert root.get("role") == "img" and root.get("aria-label") == VARIATION_LABELS[code]
    assert root.find(f"{SVG}title").text == VARIATION_LABELS[code]
    kind = code.split("_")[0] if code != "common_cause" else "common_cause"
    assert charts.SPC_COLOURS[kind].edge in icon
    letter = {"high": "H", "low": "L"}.get(code.rsplit("_", 1)[-1])
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert texts == ([letter] if letter else [])


@pytest.mark.parametrize("code, letter", [("pass", "P"), ("fail", "F"), ("hit_or_miss", "?")])
def test_each_assurance_icon_carries_its_text(code, letter):
    root = ET.fromstring(charts.assurance_icon_svg(code))
    assert root.get("aria-label") == ASSURANCE_LABELS[code]
    assert root.find(f"{SVG}title").text == ASSURANCE_LABELS[code]
    assert [t.text for t in root.iter(f"{SVG}text")] == [letter]


def test_a_decorative_icon_is_hidden_but_keeps_its_title_and_none_draws_nothing():
    root = ET.fromstring(charts.assurance_icon_svg("pass", decorative=True, size=32))
    assert root.get("aria-hidden") == "true" and root.get("role") is None
    assert root.get("width") == "32" and root.find(f"{SVG}title").text == ASSURANCE_LABELS["pass"]
    assert charts.variation_icon_svg(None) == "" and charts.assurance_icon_svg(None) == ""


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@pytest.mark.parametrize("name", ["common_cause", "improvement", "concern", "neither", "limits", "target", "text"])
def test_outlines_and_text_keep_three_to_one_contrast_on_white(name):
    # WCAG 1.4.11 non-text contrast: 3:1 against the white page.
    assert (1.05) / (_luminance(charts.SPC_COLOURS[name].edge) + 0.05) >= 3


# --- The chart cache: the same chart is drawn once; anything it shows that changes draws it anew --


@pytest.fixture
def draws(monkeypatch):
    """How many times matplotlib was asked to draw (the chart cache starts empty: tests/conftest.py)."""
    count = {"draws": 0}
    draw = charts._draw

    def counting(summary):
        count["draws"] += 1
        return draw(summary)

    monkeypatch.setattr(charts, "_draw", counting)
    return count


def test_the_same_chart_is_drawn_once_then_served_from_the_cache(draws):
    first = charts.spc_chart_svg(summary_of(STABLE))
    again = charts.spc_chart_svg(summary_of(STABLE))  # a new summary of the same data: a page reload
    assert again == first and draws["draws"] == 1
    png = charts.spc_chart_png(summary_of(STABLE))
    assert charts.spc_chart_png(summary_of(STABLE)) == png and draws["draws"] == 2


SHIFTED = STABLE[:-1] + [40]  # the last value is a special cause: its colour says improvement or concern


@pytest.mark.parametrize(
    "change",
    [
        {"numbers": SHIFTED},  # a corrected last value
        {"numbers": STABLE + [22]},  # one more value
        {"annotations": {3: "New triage model"}},
        {"recalculate": (6,)},
        {"target": Decimal("20")},
        {"improvement": "down"},
        {"unit": "falls"},
        {"start": datetime.date(2021, 7, 1)},  # dates corrected: the x-axis labels move
        {"frequency": "quarterly"},  # the x-axis labels become quarters
    ],
)
def test_anything_the_chart_shows_draws_it_anew(draws, change):
    before = {"numbers": SHIFTED if "improvement" in change else STABLE}
    after = {**before, **change}
    unit = after.pop("unit", None)
    summary = summary_of(**after)
    if unit:
        summary.metric.unit = unit
    first = charts.spc_chart_svg(summary_of(**before))
    changed = charts.spc_chart_svg(summary)
    assert draws["draws"] == 2 and changed != first
    assert charts.spc_chart_png(summary_of(**before)) != charts.spc_chart_png(summary)


def test_a_renamed_metric_keeps_its_drawing_and_gets_its_new_title(draws):
    first = charts.spc_chart_svg(summary_of(STABLE))
    renamed = charts.spc_chart_svg(summary_of(STABLE, name="Falls with harm"))
    assert draws["draws"] == 1
    assert "<title" in renamed and "Falls with harm" in renamed and "Falls with harm" not in first


def test_the_metric_page_and_the_board_pack_share_one_drawing(draws):
    page = charts.spc_chart_svg(summary_of(STABLE))
    pack = charts.spc_chart_svg(summary_of(STABLE), id_prefix="report-spc-falls")
    assert draws["draws"] == 1 and 'id="report-spc-falls' in pack and "report-spc-falls" not in page

"""The PDF renderer's speed measures (docs/performance.md#board-pack) keep the pack as it was: the
trimmed user-agent stylesheet still draws bullets, the SRO's job title still prints on its own line,
and pausing the cyclic garbage collector always gives it back."""

import gc
import io
import threading

import pytest
from pypdf import PdfReader
from weasyprint import HTML
from weasyprint.html import UA

from reports.builder import build_report, report_period
from reports.renderers import pdf, render
from reports.renderers.pdf import PackHTML, cyclic_gc_paused, pack_ua_stylesheet, pack_ua_text


def test_the_pack_stylesheet_drops_the_footnote_and_note_rules_and_keeps_list_markers():
    text = pack_ua_text()
    # if a WeasyPrint upgrade renames these rules, the trim (a sixth of a long pack's time) is gone
    assert "::footnote-call" in UA and "::note-call" in UA
    assert "::footnote-" not in text and "::note-" not in text
    assert "\nli::marker {" in text and "\n::marker {" not in text
    # nothing else is touched: the page, counter and element rules are all still there
    assert text.count("{") == UA.count("{") - 5
    assert "@footnote" in text and "@page" in text


def test_packs_are_laid_out_with_the_trimmed_stylesheet():
    # `_ua_stylesheets` is WeasyPrint's private hook: if an upgrade renames it, the trim stops silently
    assert "_ua_stylesheets" in vars(HTML)
    assert PackHTML(string="<p>x</p>")._ua_stylesheets()[0] is pack_ua_stylesheet()


def test_a_pdf_still_draws_bullets_and_prints_the_sro_title_under_the_name(rated):
    update = rated.better.updates.get(period=rated.q2)
    update.progress = "Two things happened:\n- the new clinic opened\n- waits fell"
    update.save()
    report = build_report(period=report_period("better-care", "2024-Q2"), layout="progress")
    pages = PdfReader(io.BytesIO(render(report, "pdf"))).pages
    # pypdf's layout mode keeps the list markers its plain mode can drop
    laid_out = [line.strip() for page in pages for line in page.extract_text(extraction_mode="layout").splitlines()]
    assert "• the new clinic opened" in laid_out and "• waits fell" in laid_out
    stripped = [line.strip() for page in pages for line in page.extract_text().splitlines()]
    # name and job title as they were in Q2, on consecutive lines (a newline, not run together)
    name = stripped.index(next(line for line in stripped if line.endswith("Sharon Murphy")))
    assert stripped[name + 1].startswith("Director of Finance")
    # the RAG cell: the movement, then what it was on its own line
    moved = stripped.index("↓ Deteriorated")
    assert stripped[moved + 1] == "was G"


def test_the_collector_is_paused_while_the_pdf_is_written_and_given_back_after(rated, monkeypatch):
    seen = []
    write_pdf = PackHTML.write_pdf

    def recording(self, *args, **kwargs):
        seen.append(gc.isenabled())
        return write_pdf(self, *args, **kwargs)

    monkeypatch.setattr(PackHTML, "write_pdf", recording)
    report = build_report(period=report_period("better-care", "2024-Q2"), layout="progress")
    assert gc.isenabled()
    assert pdf.render_pdf(report).startswith(b"%PDF")
    assert seen == [False] and gc.isenabled()


def test_pausing_the_collector_nests_and_restores_it_even_after_an_error():
    assert gc.isenabled()
    with cyclic_gc_paused():
        assert not gc.isenabled()
        with cyclic_gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer render is still running
    assert gc.isenabled()
    with pytest.raises(RuntimeError), cyclic_gc_paused():
        raise RuntimeError("the render failed")
    assert gc.isenabled()


def test_the_collector_comes_back_only_after_the_last_of_two_threads():
    first_inside, second_done, first_may_leave = threading.Event(), threading.Event(), threading.Event()
    seen = {}

    def first():
        with cyclic_gc_paused():
            first_inside.set()
            first_may_leave.wait(5)

    def second():
        first_inside.wait(5)
        with cyclic_gc_paused():
            pass
        seen["after second"] = gc.isenabled()
        second_done.set()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    second_done.wait(5)
    first_may_leave.set()
    for thread in threads:
        thread.join(5)
    assert seen["after second"] is False
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off():
    gc.disable()
    try:
        with cyclic_gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()

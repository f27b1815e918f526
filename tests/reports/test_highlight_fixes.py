"""The highlight pack against seed 002: the "(CMS)" qualifier belongs to the Aims heading, and a
pack with no ratings lists no "Key to RAG ratings" in its contents."""

import io

import pytest
from docx import Document

from reports.builder import ObjectiveSection, _aims_qualifier

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "text, heading, body",
    [
        ("(CMS)\n\n- Winter plan\n- Waiting lists", "Aims (CMS)", "- Winter plan\n- Waiting lists"),
        ("- Winter plan", "Aims", "- Winter plan"),
        ("(This sentence is a long aside, not a qualifier)\n- x", "Aims", None),
    ],
)
def test_a_bracketed_first_line_goes_into_the_aims_heading(text, heading, body):
    qualifier = _aims_qualifier(text)
    assert (f"Aims {qualifier}" if qualifier else "Aims") == heading
    assert ObjectiveSection.aims_heading.fget(type("O", (), {"aims": text})()) == heading
    if body is not None:
        assert ObjectiveSection.aims_body.fget(type("O", (), {"aims": text})()) == body


def test_the_demo_highlight_heads_its_aims_with_the_qualifier(demo_packs):
    from tests.reports.conftest import pdf_text

    html = demo_packs["highlight"].html.decode()
    assert "<h4>Aims (CMS)</h4>" in html
    text = pdf_text(demo_packs["highlight"].pdf)
    assert "Aims (CMS)" in text
    document = Document(io.BytesIO(demo_packs["highlight"].docx))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Aims (CMS)" in headings and "(CMS)" not in [p.text for p in document.paragraphs]


def test_the_contents_list_the_key_only_when_the_pack_has_ratings(demo_packs):
    for name in ("progress", "highlight"):
        pack = demo_packs[name]
        html = pack.html.decode()
        contents = html[html.index('class="report-contents"') : html.index("</nav>")]
        assert ("Key to RAG ratings and risk scores" in contents) == pack.report.has_ratings
    assert demo_packs["progress"].report.has_ratings


# Seed 002's cover, as printed there (in capitals).
SEED_002_COVER_TITLE = "STEP UP TO GREAT STRATEGY – 2021/24 & LEICESTERSHIRE PARTNERSHIP TRUST STRATEGIC PLAN – 2023/24"


def test_the_demo_highlight_cover_carries_the_seed_title(demo_packs):
    from tests.reports.conftest import pdf_text

    pack = demo_packs["highlight"]
    assert pack.report.cover_title.casefold() == SEED_002_COVER_TITLE.casefold()
    html = pack.html.decode()
    assert 'class="report-cover__pack-title">Step Up To Great Strategy – 2021/24 &amp; Leicestershire' in html
    page_text = " ".join(pdf_text(pack.pdf).split())
    assert SEED_002_COVER_TITLE.casefold() in page_text.casefold()
    document = Document(io.BytesIO(pack.docx))
    title = next(p.text for p in document.paragraphs if p.style.name == "Title")
    assert title.casefold() == SEED_002_COVER_TITLE.casefold()
    # Q2 2024/25 has no title of its own: the strategy's name and years, as seed 004 prints
    progress = demo_packs["progress"].report
    assert progress.cover_title == "" and 'Step Up To Great <span class="report-cover__years">2021/24</span>' in (
        demo_packs["progress"].html.decode()
    )

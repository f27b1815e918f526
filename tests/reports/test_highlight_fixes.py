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

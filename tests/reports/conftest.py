"""Shared fixtures for the board-pack tests: the demo packs rendered once per module, what the
seed-transcribed fixture file says they must contain, and readers that turn each format back into
text and table rows."""

import io
import re
import unicodedata
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from django.conf import settings
from django.db import transaction

DEMO_FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "step-up-to-great.yaml"
DEMO_PACKS = {"progress": ("2024-Q2", "progress"), "highlight": ("2023-Q1", "highlight")}


@pytest.fixture(scope="module")
def demo_packs(django_db_setup, django_db_blocker):
    """Both demo packs (Q2 2024/25 progress, Q1 2023/24 highlight) in every format, rendered once
    from the real demo data inside a transaction that is then rolled back. Use it from a module
    marked django_db (pytest-django only creates the test database when some test asks for it)."""
    from goals.interchange.demo import load_demo
    from reports.builder import build_report, report_period
    from reports.renderers import FORMAT_NAMES, render

    packs = {}
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        for name, (quarter, layout) in DEMO_PACKS.items():
            report = build_report(period=report_period("step-up-to-great", quarter), layout=layout)
            packs[name] = SimpleNamespace(report=report, **{fmt: render(report, fmt) for fmt in FORMAT_NAMES})
        transaction.set_rollback(True)
    return packs


# --- What the fixture file (transcribed from the seed packs) says ------------------------------


@pytest.fixture(scope="session")
def demo_document():
    return yaml.safe_load(DEMO_FIXTURE.read_text(encoding="utf-8"))


def _person_as_of(person: dict, quarter: str) -> tuple[str, str]:
    title = (person.get("titles") or {}).get(quarter)
    if isinstance(title, dict):
        return title.get("name", person["name"]), title.get("job_title", "")
    return person["name"], title if title is not None else person.get("job_title", "")


@pytest.fixture(scope="session")
def expected_actions(demo_document):
    """The 17 actions of Q2 2024/25: title, RAG, SROs (name, title as then), in pack order."""
    people = {p["key"]: p for p in demo_document["people"]}
    rows = []
    for goal_order, goal in enumerate(demo_document["strategy"]["goals"], start=1):
        for objective_order, objective in enumerate(goal["objectives"], start=1):
            for action in objective.get("actions") or []:
                update = (action.get("updates") or {}).get("2024-Q2")
                if update:
                    rows.append(
                        SimpleNamespace(
                            goal=goal["title"],
                            objective=objective["title"],
                            number=action["number"],
                            action_number=f"{goal_order}.{objective_order}.{action['number']}",  # as printed
                            title=action["title"],
                            rag=update["rag"],
                            sros=[_person_as_of(people[key], "2024-Q2") for key in action["sros"]],
                        )
                    )
    return rows


@pytest.fixture(scope="session")
def expected_risks(demo_document):
    return [(r["number"], r["title"], r["scores"]["2024-Q2"]) for r in demo_document["strategy"]["risks"]]


@pytest.fixture(scope="session")
def expected_measures(demo_document):
    """Every "we know we are great when" row with its Q1 2023/24 evidence, impact and focus."""
    rows = []
    for goal in demo_document["strategy"]["goals"]:
        for objective in goal["objectives"]:
            for measure in objective.get("success_measures") or []:
                evidence = (measure.get("evidence") or {}).get("2023-Q1") or {}
                rows.append(
                    SimpleNamespace(
                        objective=objective["title"],
                        title=measure["title"],
                        evidence=evidence.get("evidence", ""),
                        impact=evidence.get("impact", ""),
                        next_focus=evidence.get("next_focus", ""),
                    )
                )
    return rows


# --- Reading the outputs back --------------------------------------------------------------------


def normalise(text: str) -> str:
    """One line of text: ligatures unfolded, line-end hyphens joined, whitespace collapsed,
    bullets dropped (the formats draw them differently)."""
    text = unicodedata.normalize("NFKC", text or "")
    text = re.sub(r"([-/])\n", r"\1", text)
    text = text.replace("•", " ")
    return re.sub(r"\s+", " ", text).strip()


def plain(text: str) -> str:
    """Fixture text as it prints: bullet markers and blank lines gone."""
    return normalise(re.sub(r"(?m)^\s*- ", "", text or ""))


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return normalise("\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages))


def docx_tables(content: bytes):
    """Each table of a Word file as rows of (text, fill) per cell."""
    from docx import Document
    from docx.oxml.ns import qn

    def fill(cell):
        shading = cell._tc.tcPr.find(qn("w:shd")) if cell._tc.tcPr is not None else None
        return shading.get(qn("w:fill")) if shading is not None else None

    document = Document(io.BytesIO(content))
    return [
        [[(normalise(cell.text), fill(cell)) for cell in row.cells] for row in table.rows] for table in document.tables
    ]


def html_rows(content: bytes, table_class: str) -> list[list[str]]:
    import lxml.html

    tree = lxml.html.fromstring(content)
    rows = []
    for table in tree.xpath(f'//table[contains(@class, "{table_class}")]'):
        for tr in table.xpath(".//tbody/tr"):
            rows.append([normalise(cell.text_content()) for cell in tr.xpath("./td|./th")])
    return rows


def xlsx_sheet(content: bytes, title: str) -> list[dict]:
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(content))[title]
    header, *body = list(sheet.iter_rows(values_only=True))
    return [dict(zip(header, values)) for values in body]

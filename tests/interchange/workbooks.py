"""A small strategy written twice — as an import document and as the rows of a filled-in
template workbook — and a helper that fills the template."""

import io

from openpyxl import load_workbook

from goals.interchange.importer import FORMAT
from goals.interchange.workbook import template_workbook

SMALL_DOCUMENT = {
    "format": FORMAT,
    "people": [
        {"key": "jo-bloggs", "name": "Jo Bloggs", "job_title": "Chief Executive", "email": "jo@example.nhs.uk"},
        {"key": "sam-sro", "name": "Sam Sro", "job_title": "Director of Nursing"},
        {"key": "lee-lead", "name": "Lee Lead", "job_title": "Programme Lead"},
        {"key": "pat-patel", "name": "Pat Patel", "job_title": "Director of Finance"},
    ],
    "strategy": {
        "slug": "small-trust",
        "name": "Small Trust Strategy",
        "organisation": "Small NHS Trust",
        "years": "2024/27",
        "vision": "Good care for everyone.",
        "sro": "jo-bloggs",
        "success_statements": ["Patients say care is good", "Staff stay"],
        "periods": [
            {"quarter": "2024-Q2", "state": "published"},
            {"quarter": "2024-Q3", "state": "open", "deadline": "2025-01-17"},
        ],
        "goals": [
            {
                "key": "great-care",
                "title": "Great Care",
                "description": "Safe and kind.",
                "objectives": [
                    {
                        "key": "safety",
                        "title": "Safer care",
                        "theme": "Safety",
                        "lead_directors": ["sam-sro"],
                        "risk_register": {"reference": "86", "date": "Apr 24", "entry": "Falls."},
                        "actions": [
                            {
                                "number": 1,
                                "title": "Reduce falls",
                                "sros": ["sam-sro"],
                                "leads": ["lee-lead"],
                                "updates": {
                                    "2024-Q2": {"rag": "green", "progress": "On track."},
                                    "2024-Q3": {
                                        "rag": "amber",
                                        "progress": "Slower.",
                                        "rag_reason": "Vacancies.",
                                        "state": "draft",
                                    },
                                },
                            },
                            {
                                "number": 2,
                                "title": "=Stop pressure ulcers",
                                "status": "stepped_down",
                                "status_changed_on": "2024-09-30",
                                "status_reason": "Merged with action 1.",
                                "sros": ["sam-sro", "pat-patel"],
                            },
                        ],
                    },
                    {
                        "key": "access",
                        "title": "Shorter waits",
                        "actions": [{"number": 1, "title": "One phone number", "leads": ["lee-lead"]}],
                    },
                ],
            },
            {
                "key": "great-place",
                "title": "Great Place to Work",
                "objectives": [
                    {
                        "key": "wellbeing",
                        "title": "Staff wellbeing",
                        "actions": [
                            {"number": 1, "title": "Rest spaces", "status": "complete", "sros": ["pat-patel"]},
                            {"number": 2, "title": "Flexible rotas", "sros": ["pat-patel"]},
                        ],
                    }
                ],
            },
        ],
        "risks": [
            {
                "number": "01",
                "title": "Demand exceeds capacity",
                "goals": ["great-care"],
                "owner": "sam-sro",
                "target_score": 8,
            },
            {"number": "02", "title": "Workforce supply", "goals": ["great-care", "great-place"], "archived": True},
        ],
    },
}

# The same strategy as a programme office would type it into the template: people by name,
# goals and objectives by title, "stepped down" as the drop-down list shows it.
SMALL_STRATEGY_ROWS = [
    ["Key", "small-trust"],
    ["Name", "Small Trust Strategy"],
    ["Organisation", "Small NHS Trust"],
    ["Years", "2024/27"],
    ["Vision", "Good care for everyone."],
    ["Senior responsible owner", "Jo Bloggs"],
    ["We will know we are successful when", "Patients say care is good"],
    ["We will know we are successful when", "Staff stay"],
]
SMALL_ROWS = {
    "People": [
        [None, "Jo Bloggs", "Chief Executive", "jo@example.nhs.uk"],
        [None, "Sam Sro", "Director of Nursing"],
        [None, "Lee Lead", "Programme Lead"],
        ["pat-patel", "Pat Patel", "Director of Finance"],
    ],
    "Quarters": [["2024-Q2", "published"], ["Q3 2024/25", "open", "2025-01-17"]],
    "Goals": [
        [None, "Great Care", "Safe and kind."],
        ["great-place", "Great Place to Work"],
    ],
    "Objectives": [
        ["Great Care", "safety", "Safer care", "Safety", None, None, "Sam Sro", "86", "Apr 24", "Falls."],
        ["great-care", "access", "Shorter waits"],
        ["Great Place to Work", "wellbeing", "Staff wellbeing"],
    ],
    "Actions": [
        ["Great Care", "Safer care", 1, "Reduce falls", None, "active", None, None, "Sam Sro", "Lee Lead"],
        [
            "Great Care",
            "safety",
            2,
            "'=Stop pressure ulcers",
            None,
            "stepped down",
            "2024-09-30",
            "Merged with action 1.",
            "Sam Sro; pat-patel",
        ],
        ["Great Care", "Shorter waits", 1, "One phone number", None, None, None, None, None, "Lee Lead"],
        ["Great Place to Work", "Staff wellbeing", 1, "Rest spaces", None, "complete", None, None, "Pat Patel"],
        ["Great Place to Work", "Staff wellbeing", 2, "Flexible rotas", None, None, None, None, "Pat Patel"],
    ],
    "Updates": [
        ["Great Care", "Safer care", 1, "2024-Q2", "green", "On track.", None, None, None, "approved"],
        ["Great Care", "Safer care", 1, "2024-Q3", "amber", "Slower.", None, None, "Vacancies.", "draft"],
    ],
    "Risks": [
        ["01", "Demand exceeds capacity", "Great Care", "Sam Sro", 8],
        ["02", "Workforce supply", "great-care; Great Place to Work", None, None, "yes"],
    ],
}


def filled_template(rows: dict[str, list[list]], strategy_rows: list[list] | None = None) -> bytes:
    """The template with `rows` appended under each sheet's headings (the Strategy sheet's rows
    replaced by `strategy_rows`)."""
    workbook = load_workbook(io.BytesIO(template_workbook()))
    if strategy_rows is not None:
        sheet = workbook["Strategy"]
        sheet.delete_rows(2, sheet.max_row)
        for row in strategy_rows:
            sheet.append(row)
    for name, sheet_rows in rows.items():
        for row in sheet_rows:
            workbook[name].append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def small_workbook() -> bytes:
    return filled_template(SMALL_ROWS, SMALL_STRATEGY_ROWS)

"""Strategy documents in the import format (docs/import-format.md), built as plain dicts.

Each fixture returns a fresh copy, so a test may edit its document freely.
"""

import copy

import pytest

from goals.interchange.importer import FORMAT

MINIMAL_DOCUMENT = {
    "format": FORMAT,
    "people": [{"key": "ada-lovelace", "name": "Ada Lovelace", "job_title": "Chief Executive"}],
    "strategy": {
        "slug": "minimal",
        "name": "Minimal Strategy",
        "organisation": "Example NHS Trust",
        "sro": "ada-lovelace",
        "periods": [{"quarter": "2024-Q1", "state": "published"}],
        "goals": [
            {
                "title": "Great Care",
                "objectives": [
                    {
                        "title": "Safe care",
                        "actions": [
                            {
                                "number": 1,
                                "title": "Reduce falls",
                                "sros": ["ada-lovelace"],
                                "updates": {"2024-Q1": {"rag": "green", "progress": "On track."}},
                            }
                        ],
                    }
                ],
            }
        ],
    },
}

RICH_DOCUMENT = {
    "format": FORMAT,
    "people": [
        {
            "key": "david-williams",
            "name": "David Williams",
            "job_title": "Executive Director of Strategy and Partnerships",
            "email": "d.williams@example.nhs.uk",
            "titles": {
                "2023-Q1": "Group Director of Strategy & Partnerships",
                "Q2 2023/24": {"name": "Dave Williams", "job_title": "Director of Strategy"},
            },
        },
        {"key": "sharon-murphy", "name": "Sharon Murphy", "job_title": "Director of Finance"},
        {"key": "saqhib-muhammad", "name": "Saqhib Muhammad", "job_title": "Director of Nursing"},
        {"key": "pat-lead", "name": "Pat Lead", "job_title": "Programme Lead"},
    ],
    "strategy": {
        "slug": "step-up-to-great",
        "name": "Step Up To Great",
        "organisation": "Example Partnership NHS Trust",
        "years": "2021/24",
        "vision": "Creating high quality, compassionate care\nand wellbeing for all.",
        "sro": "david-williams",
        "default_layout": "highlight",
        "success_statements": ["Patients say care is outstanding", "Staff recommend us as a place to work"],
        "periods": [
            {"quarter": "2023-Q1", "state": "published"},
            {"quarter": "Q2 2023/24", "state": "locked"},
            {"quarter": "2023-Q3", "state": "open", "deadline": "2024-01-12"},
        ],
        "goals": [
            {
                "key": "great-outcomes",
                "title": "Great Outcomes",
                "description": "Delivering the best outcomes.",
                "objectives_text": "- Reduce harm\n- Improve access",
                "objectives": [
                    {
                        "key": "access",
                        "title": "Access to Services",
                        "theme": "Access to Services",
                        "commitments": "We will reduce waits.",
                        "aims": "No one waits over 52 weeks.",
                        "lead_directors": ["saqhib-muhammad", "david-williams"],
                        "risk_register": {"reference": "86", "date": "Apr 23", "entry": "Waiting list growth."},
                        "success_measures": [
                            {
                                "title": "Reduced waiting times",
                                "evidence": {
                                    "2023-Q1": {
                                        "evidence": "Waits fell by 10%.\n\nSee the dashboard.",
                                        "impact": "Patients seen sooner.",
                                        "next_focus": "Sustain.",
                                    },
                                    "2023-Q2": {"evidence": "Draft text.", "state": "draft"},
                                },
                            },
                            {"title": "Improved patient experience"},
                        ],
                        "actions": [
                            {
                                "number": 1,
                                "title": "Open a single point of access",
                                "description": "One phone number for all services.",
                                "status": "active",
                                "sros": ["sharon-murphy"],
                                "leads": ["pat-lead"],
                                "updates": {
                                    "2023-Q1": {"rag": "green", "progress": "Opened in April."},
                                    "2023-Q2": {
                                        "rag": "amber",
                                        "progress": "Staffing gaps.",
                                        "rag_reason": "Two vacancies.",
                                        "next_focus": "Recruit.",
                                        "state": "submitted",
                                    },
                                    "2023-Q3": {"rag": "red", "progress": "Work in progress.", "state": "draft"},
                                },
                            },
                            {
                                "number": 2,
                                "title": "Step down the falls collaborative",
                                "status": "stepped_down",
                                "sros": ["sharon-murphy", "saqhib-muhammad"],
                                "updates": {"2023-Q1": {"rag": "blue", "progress": "Complete."}},
                            },
                        ],
                    },
                    {"key": "quality", "title": "High Standards"},
                ],
            },
            {"key": "great-care", "title": "Great Care"},
        ],
        "risks": [
            {
                "number": "01",
                "title": "Demand exceeds capacity",
                "goals": ["great-outcomes", "great-care"],
                "owner": "sharon-murphy",
                "target_score": 8,
                "scores": {"2023-Q1": 20, "2023-Q2": {"likelihood": 4, "consequence": 4}},
            },
            {"number": "02", "title": "Workforce supply"},
        ],
        "metrics": [
            {
                "key": "falls-rate",
                "name": "Falls per 1,000 bed days (illustrative)",
                "unit": "per 1,000 bed days",
                "improvement": "down",
                "target": 6.5,
                "frequency": "monthly",
                "goal": "great-outcomes",
                "values": [
                    {"date": "2023-04-01", "value": 7.9},
                    {"date": "2023-05-01", "value": 7.25, "annotation": "New mattresses"},
                    {"date": "2023-06-01", "value": 8, "recalculate_limits": True},
                ],
            },
            {
                "key": "waits",
                "name": "Patients waiting over 52 weeks (illustrative)",
                "improvement": "down",
                "objective": "great-outcomes/access",
                "frequency": "quarterly",
            },
        ],
    },
}


@pytest.fixture
def minimal_document() -> dict:
    return copy.deepcopy(MINIMAL_DOCUMENT)


@pytest.fixture
def rich_document() -> dict:
    return copy.deepcopy(RICH_DOCUMENT)

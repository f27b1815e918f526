"""The format's dated titles, action status date and reason, score rationale, metric baseline and
archived flags: imported, exported, and re-imported with no change."""

import pytest

from goals import models as m
from goals.interchange.exporter import dump_yaml, export_strategy
from goals.interchange.importer import import_strategy, validate_document


@pytest.fixture
def dated_document(rich_document) -> dict:
    david = rich_document["people"][0]
    david["job_titles"] = [
        {"job_title": "Group Director of Strategy & Partnerships"},
        {"job_title": "Executive Director of Strategy and Partnerships", "from": "2024-10-01"},
    ]
    strategy = rich_document["strategy"]
    stepped_down = strategy["goals"][0]["objectives"][0]["actions"][1]
    stepped_down.update({"status_changed_on": "2023-09-30", "status_reason": "Merged into the safety programme."})
    strategy["risks"][0]["scores"]["2023-Q2"]["rationale"] = "Controls in place; gaps in staffing."
    strategy["risks"][0]["scores"]["2023-Q1"] = {"score": 20, "rationale": "Before the new controls."}
    strategy["risks"][1]["archived"] = True
    strategy["metrics"][0]["baseline"] = 12
    strategy["goals"][1]["archived"] = True
    return rich_document


@pytest.mark.django_db
def test_the_new_fields_are_imported(dated_document):
    import_strategy(dated_document)

    titles = list(m.JobTitle.objects.filter(person__key="david-williams").values_list("starts_on", "job_title"))
    assert [(str(day) if day else None, title) for day, title in titles] == [
        (None, "Group Director of Strategy & Partnerships"),
        ("2024-10-01", "Executive Director of Strategy and Partnerships"),
    ]
    action = m.Action.objects.get(number=2)
    assert (str(action.status_changed_on), action.status_reason) == ("2023-09-30", "Merged into the safety programme.")
    scores = {score.period.slug: score.rationale for score in m.RiskScore.objects.select_related("period")}
    assert scores == {"2023-Q1": "Before the new controls.", "2023-Q2": "Controls in place; gaps in staffing."}
    assert m.Risk.objects.get(number="02").archived_at is not None
    assert m.Risk.objects.get(number="01").archived_at is None
    assert m.Goal.objects.get(key="great-care").archived_at is not None
    assert m.Metric.objects.get(key="falls-rate").baseline == 12


@pytest.mark.django_db
def test_they_are_exported_and_re_imported_with_no_change(dated_document):
    strategy = import_strategy(dated_document).strategy
    archived_at = m.Risk.objects.get(number="02").archived_at
    exported = export_strategy(strategy)

    david = next(person for person in exported["people"] if person["key"] == "david-williams")
    assert david["job_titles"][1] == {
        "job_title": "Executive Director of Strategy and Partnerships",
        "from": m.JobTitle.objects.get(starts_on__isnull=False).starts_on,
    }
    assert exported["strategy"]["risks"][1]["archived"] is True
    assert exported["strategy"]["metrics"][0]["baseline"] == 12

    text = dump_yaml(exported)
    assert validate_document(text) == []
    again = import_strategy(text)
    assert (again.created, again.updated) == (0, 0)
    assert m.Risk.objects.get(number="02").archived_at == archived_at  # archived keeps its time


@pytest.mark.django_db
def test_leaving_archived_out_brings_a_row_back(dated_document):
    import_strategy(dated_document)
    del dated_document["strategy"]["risks"][1]["archived"]
    result = import_strategy(dated_document)
    assert result.updated == 1
    assert m.Risk.objects.get(number="02").archived_at is None


def test_their_errors_are_located(dated_document):
    david = dated_document["people"][0]
    david["job_titles"].append({"job_title": "Twice", "from": "2024-10-01"})
    david["job_titles"].append({"from": "not a date"})
    dated_document["strategy"]["metrics"][0]["baseline"] = 1
    dated_document["strategy"]["risks"][0]["scores"]["2023-Q1"] = {"rationale": "No score."}
    messages = [str(error) for error in validate_document(dated_document)]
    assert any(message.startswith("people[0].job_titles[2].from: a title starting 2024-10-01") for message in messages)
    assert any(message.startswith("people[0].job_titles[3].from: expected a date") for message in messages)
    assert any(
        message.startswith('people[0].job_titles[3]: missing required field "job_title"') for message in messages
    )
    assert "strategy.metrics[0].baseline: must be from 2 to 32767, not 1" in messages
    assert "strategy.risks[0].scores.2023-Q1: give a score, or likelihood and consequence" in messages

"""goals.interchange.exporter and `manage.py export_strategy`: the import format, written back out."""

import io
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from goals import models as m
from goals.interchange.exporter import dump_yaml, export_strategy
from goals.interchange.importer import KINDS, import_strategy, validate_document

FIXTURES = sorted((Path(settings.BASE_DIR) / "fixtures").glob("*.yaml"))


def empty_the_database():
    m.Strategy.objects.all().delete()
    m.Person.objects.all().delete()


def history_counts() -> dict[str, int]:
    return {model.__name__: model.history.count() for model in KINDS if hasattr(model, "history")}


@pytest.mark.django_db
def test_an_export_imports_into_an_empty_database_as_the_same_data(rich_document):
    exported = export_strategy(import_strategy(rich_document).strategy)
    empty_the_database()

    again = export_strategy(import_strategy(dump_yaml(exported)).strategy)

    assert again == exported


@pytest.mark.django_db
def test_importing_an_export_over_the_same_database_changes_nothing(rich_document):
    strategy = import_strategy(rich_document).strategy
    before = history_counts()

    result = import_strategy(dump_yaml(export_strategy(strategy)))

    assert not result.changed
    assert history_counts() == before


@pytest.mark.django_db
def test_the_export_is_the_documented_format_in_the_documented_order(rich_document):
    exported = export_strategy(import_strategy(rich_document).strategy)

    assert validate_document(exported) == []
    assert list(exported) == ["format", "people", "strategy"]
    assert list(exported["strategy"]) == [
        "slug",
        "name",
        "organisation",
        "years",
        "vision",
        "sro",
        "default_layout",
        "success_statements",
        "periods",
        "goals",
        "risks",
        "metrics",
    ]
    action = exported["strategy"]["goals"][0]["objectives"][0]["actions"][0]
    assert list(action) == ["number", "title", "description", "status", "sros", "leads", "updates"]
    assert action["updates"]["2023-Q2"] == {
        "rag": "amber",
        "progress": "Staffing gaps.",
        "next_focus": "Recruit.",
        "rag_reason": "Two vacancies.",
        "state": "submitted",
    }
    assert exported["strategy"]["periods"][1] == {"quarter": "2023-Q2", "state": "locked"}
    assert exported["strategy"]["risks"][0]["scores"] == {
        "2023-Q1": 20,
        "2023-Q2": {"score": 16, "likelihood": 4, "consequence": 4},
    }
    assert exported["people"][0]["titles"] == {
        "2023-Q1": "Group Director of Strategy & Partnerships",
        "2023-Q2": {"name": "Dave Williams", "job_title": "Director of Strategy"},
    }
    assert exported["strategy"]["metrics"][0]["values"][0] == {"date": m.MetricValue.objects.first().date, "value": 7.9}
    # Lists of people keep the document's order, not alphabetical order.
    assert exported["strategy"]["goals"][0]["objectives"][0]["lead_directors"] == ["saqhib-muhammad", "david-williams"]


@pytest.mark.django_db
def test_the_yaml_is_readable(rich_document):
    text = dump_yaml(export_strategy(import_strategy(rich_document).strategy))

    assert text.startswith("# Strategy Tracker strategy document")
    assert "  vision: |-\n    Creating high quality, compassionate care\n    and wellbeing for all.\n" in text
    assert "\n  - key: david-williams\n" in text  # lists indented under their key
    assert "          lead_directors: [saqhib-muhammad, david-williams]\n" in text
    assert "        - {date: 2023-05-01, value: 7.25, annotation: New mattresses}\n" in text
    assert "    - number: '01'\n" in text  # quoted, so the leading zero stays
    assert yaml.safe_load(text) == export_strategy(m.Strategy.objects.get())


@pytest.mark.django_db
def test_it_exports_only_the_people_the_strategy_refers_to(rich_document, minimal_document):
    import_strategy(minimal_document)
    m.Person.objects.create(key="unrelated", name="Unrelated Person")
    strategy = import_strategy(rich_document).strategy

    keys = [person["key"] for person in export_strategy(strategy)["people"]]

    assert sorted(keys) == ["david-williams", "pat-lead", "saqhib-muhammad", "sharon-murphy"]


@pytest.mark.django_db
def test_the_export_runs_a_fixed_number_of_queries(rich_document):
    strategy = import_strategy(rich_document).strategy
    with CaptureQueriesContext(connection) as small:
        export_strategy(strategy)
    objective = rich_document["strategy"]["goals"][0]["objectives"][0]
    for number in range(3, 23):
        objective["actions"].append(
            {
                "number": number,
                "title": f"Action {number}",
                "sros": ["pat-lead"],
                "leads": ["david-williams"],
                "updates": {"2023-Q3": {"rag": "green", "progress": "Fine."}},  # the open quarter
            }
        )
    rich_document["strategy"]["goals"].append({"key": "more", "title": "More", "objectives": [{"title": "Another"}]})
    import_strategy(rich_document)

    with CaptureQueriesContext(connection) as large:
        export_strategy(strategy)

    assert len(large.captured_queries) == len(small.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("fixture", FIXTURES, ids=[path.name for path in FIXTURES])
def test_the_demo_fixtures_survive_an_export_round_trip(fixture):
    exported = export_strategy(import_strategy(fixture.read_text(encoding="utf-8")).strategy)
    empty_the_database()

    assert export_strategy(import_strategy(dump_yaml(exported)).strategy) == exported


# -- the command -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_command_writes_the_yaml_to_standard_output(rich_document):
    strategy = import_strategy(rich_document).strategy
    out = io.StringIO()

    call_command("export_strategy", "step-up-to-great", stdout=out)

    assert out.getvalue() == dump_yaml(export_strategy(strategy))


@pytest.mark.django_db
def test_the_command_writes_a_file_with_o(rich_document, tmp_path):
    strategy = import_strategy(rich_document).strategy
    target = tmp_path / "export.yaml"
    out = io.StringIO()

    call_command("export_strategy", "step-up-to-great", "-o", str(target), stdout=out, stderr=io.StringIO())

    assert target.read_text(encoding="utf-8") == dump_yaml(export_strategy(strategy))
    assert out.getvalue() == ""


@pytest.mark.django_db
def test_the_command_lists_the_known_strategies_for_an_unknown_slug(rich_document, minimal_document):
    import_strategy(rich_document)
    import_strategy(minimal_document)

    with pytest.raises(CommandError) as refused:
        call_command("export_strategy", "nope")

    assert str(refused.value) == 'unknown strategy "nope"; known strategies: minimal, step-up-to-great'

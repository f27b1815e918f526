"""The strategy workbook: template, export, reading it into the import document, and round trips."""

import copy
import io
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from goals import models as m
from goals.interchange import onboarding
from goals.interchange.exporter import export_strategy
from goals.interchange.importer import KINDS, import_strategy
from goals.interchange.workbook import SHEETS, export_workbook, read_workbook, template_workbook
from tests.interchange.workbooks import SMALL_DOCUMENT, SMALL_ROWS, SMALL_STRATEGY_ROWS, filled_template, small_workbook


def open_workbook(content: bytes):
    return load_workbook(io.BytesIO(content))


def snapshot() -> tuple:
    counts = {model.__name__: model.objects.count() for model in KINDS}
    history = {model.__name__: model.history.count() for model in KINDS if hasattr(model, "history")}
    return counts, history


def messages(errors) -> list[str]:
    return [str(error) for error in errors]


# -- the template ------------------------------------------------------------------------------


def test_the_template_has_instructions_headings_and_drop_down_lists():
    workbook = open_workbook(template_workbook())
    assert workbook.sheetnames == ["Instructions", *(sheet.name for sheet in SHEETS)]
    assert workbook["Instructions"]["A1"].value == "Strategy workbook"
    actions = workbook["Actions"]
    assert [cell.value for cell in actions[1]][:6] == ["Goal", "Objective", "Number", "Title", "Description", "Status"]
    assert actions.max_row == 1  # an empty template: no example rows to delete
    lists = {str(v.sqref).split(":")[0]: v.formula1 for v in actions.data_validations.dataValidation}
    assert lists["F2"] == '"active,complete,stepped down"'
    updates = {str(v.sqref).split(":")[0]: v.formula1 for v in workbook["Updates"].data_validations.dataValidation}
    assert updates["E2"] == '"green,amber,red,blue"'
    assert [row[0].value for row in workbook["Strategy"].iter_rows(min_row=2)][:3] == ["Key", "Name", "Organisation"]


# -- the same strategy from YAML and from the template -----------------------------------------


@pytest.mark.django_db
def test_the_filled_in_template_gives_the_same_data_as_the_yaml(make_user):
    import_strategy(copy.deepcopy(SMALL_DOCUMENT))
    from_yaml = export_strategy(m.Strategy.objects.get())
    m.Strategy.objects.all().delete()
    m.Person.objects.all().delete()

    result = onboarding.workbook_import(
        content=small_workbook(), strategy=None, by=make_user("admin", role="Strategy admins")
    )

    assert result.summary().startswith("small-trust: 21 created, 0 updated")
    from_workbook = export_strategy(m.Strategy.objects.get())
    assert from_workbook == from_yaml
    assert m.Action.objects.get(number=2, objective__key="safety").title == "=Stop pressure ulcers"


@pytest.mark.django_db
def test_an_export_of_the_small_strategy_re_imports_with_no_change(admin_user):
    strategy = import_strategy(copy.deepcopy(SMALL_DOCUMENT)).strategy
    before = snapshot()
    result = onboarding.workbook_import(content=export_workbook(strategy), strategy=strategy, by=admin_user)
    assert (result.created, result.updated) == (0, 0)
    assert snapshot() == before


@pytest.mark.django_db
def test_export_then_import_of_step_up_to_great_changes_nothing(demo_data, admin_user):
    strategy = m.Strategy.objects.get(slug="step-up-to-great")
    before, exported = snapshot(), export_strategy(strategy)

    content = export_workbook(strategy)
    preview = onboarding.workbook_preview(content=content, strategy=strategy, by=admin_user)
    result = onboarding.workbook_import(content=content, strategy=strategy, by=admin_user)

    assert (preview.created, preview.updated) == (0, 0)
    assert (result.created, result.updated) == (0, 0)
    assert result.unchanged == preview.unchanged > 70
    assert snapshot() == before
    assert export_strategy(strategy) == exported


# -- formulas ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_text_that_looks_like_a_formula_is_written_as_text(admin_user):
    strategy = import_strategy(copy.deepcopy(SMALL_DOCUMENT)).strategy
    actions = open_workbook(export_workbook(strategy))["Actions"]
    titles = [row[3] for row in actions.iter_rows(min_row=2)]
    formula = next(cell for cell in titles if "Stop pressure ulcers" in str(cell.value))
    assert formula.value == "'=Stop pressure ulcers"
    assert formula.data_type == "s"


@pytest.mark.django_db
def test_a_formula_typed_into_a_cell_is_refused_not_calculated():
    rows = copy.deepcopy(SMALL_ROWS)
    rows["Actions"][0][3] = '=HYPERLINK("http://evil.example","click")'
    rows["Risks"][0][4] = "=2*4"
    read = read_workbook(filled_template(rows, SMALL_STRATEGY_ROWS))
    formula = "this cell holds a formula: type the value instead (formulas are not read)"
    assert messages(read.errors) == [f"Actions!D2: {formula}", f"Risks!E2: {formula}"]


# -- errors ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_workbook_with_six_kinds_of_error_is_refused_with_every_error_at_its_cell(admin_user):
    rows = copy.deepcopy(SMALL_ROWS)
    rows["Actions"][0][8] = "Sam Sro; Jo Blogs"  # unknown person
    rows["Actions"][2][2] = 2  # duplicate action number...
    rows["Actions"].append(["Great Care", "Shorter waits", 2, "Second phone line"])  # ...of this one
    rows["Actions"][3][3] = None  # missing required title
    rows["Actions"][4][5] = "finished"  # bad status value
    rows["Risks"][0][4] = 30  # risk score out of range
    rows["Objectives"].append(["Great Place To Wrok", "extra", "Extra"])  # an objective of an unknown goal
    rows["Quarters"][1][2] = None  # an open quarter without a deadline
    before = snapshot()

    with pytest.raises(onboarding.WorkbookRefused) as refused:
        onboarding.workbook_import(content=filled_template(rows, SMALL_STRATEGY_ROWS), strategy=None, by=admin_user)

    found = messages(refused.value.errors)
    assert found == [
        'Objectives!A5: unknown goal "Great Place To Wrok" — did you mean "Great Place to Work"?',
        'Actions!I2: unknown person "Jo Blogs" — did you mean "Jo Bloggs"?',
        "Quarters!A3: an open period needs a deadline (add deadline: YYYY-MM-DD)",
        "Actions!C7: duplicate action number 2 (also Actions!A4)",
        'Actions!D5: missing required field "title"',
        'Actions!F6: unknown status "finished"; expected one of: active, complete, stepped_down',
        "Risks!E2: must be from 1 to 25, not 30",
    ]
    assert snapshot() == before


# -- commands ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_commands_write_and_read_workbooks(tmp_path, capsys):
    strategy = import_strategy(copy.deepcopy(SMALL_DOCUMENT)).strategy
    path = tmp_path / "small.xlsx"
    call_command("export_strategy", strategy.slug, "--format", "xlsx", "-o", str(path))
    assert open_workbook(path.read_bytes())["Actions"].max_row == 6

    call_command("import_strategy", str(path))
    assert "small-trust: 0 created, 0 updated" in capsys.readouterr().out


@pytest.mark.django_db
def test_the_import_command_prints_a_workbook_s_errors_at_their_cells(tmp_path, capsys):
    rows = copy.deepcopy(SMALL_ROWS)
    rows["Actions"][0][8] = "Jo Blogs"
    rows["Risks"][0][4] = 30
    path = tmp_path / "bad.xlsx"
    path.write_bytes(filled_template(rows, SMALL_STRATEGY_ROWS))
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import_strategy", str(path))
    err = capsys.readouterr().err
    assert 'Actions!I2: unknown person "Jo Blogs" — did you mean "Jo Bloggs"?' in err
    assert "Risks!E2: must be from 1 to 25, not 30" in err
    assert not m.Strategy.objects.exists()


@pytest.mark.django_db
def test_the_workbook_export_needs_a_file():
    import_strategy(copy.deepcopy(SMALL_DOCUMENT))
    with pytest.raises(CommandError, match="give -o FILE.xlsx"):
        call_command("export_strategy", "small-trust", "--format", "xlsx")


def test_a_workbook_over_the_size_limit_or_not_a_workbook_is_refused(settings):
    settings.IMPORT_MAX_BYTES = 1000
    assert messages(read_workbook(small_workbook()).errors)[0].startswith("(document): the file is")
    settings.IMPORT_MAX_BYTES = 5 * 1024 * 1024
    assert messages(read_workbook(b"not a zip").errors)[0].startswith("(document): this is not an Excel workbook")


def test_a_zip_bomb_or_a_doctype_is_refused_before_the_workbook_is_opened(settings):
    settings.IMPORT_MAX_BYTES = 100_000
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<a>" + b" " * 5_000_000 + b"</a>")
    assert len(bomb.getvalue()) < 100_000
    assert "unpacks to far more" in messages(read_workbook(bomb.getvalue()).errors)[0]

    entities = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(small_workbook())) as source, zipfile.ZipFile(entities, "w") as target:
        for part in source.infolist():
            data = source.read(part)
            if part.filename == "xl/workbook.xml":
                data = b'<!DOCTYPE lol [<!ENTITY lol "lol">]>' + data
            target.writestr(part, data)
    assert "declares a DOCTYPE" in messages(read_workbook(entities.getvalue()).errors)[0]


@pytest.mark.django_db
def test_a_change_to_a_published_quarter_is_refused_at_its_quarter_row(admin_user):
    strategy = import_strategy(copy.deepcopy(SMALL_DOCUMENT)).strategy
    rows = copy.deepcopy(SMALL_ROWS)
    rows["Updates"][0][5] = "Rewritten after publication."
    before = snapshot()
    with pytest.raises(onboarding.WorkbookRefused) as refused:
        onboarding.workbook_import(content=filled_template(rows, SMALL_STRATEGY_ROWS), strategy=strategy, by=admin_user)
    assert [error.path for error in refused.value.errors] == ["Quarters!A2"]
    assert "Q2 2024/25 is locked or published" in str(refused.value)
    assert snapshot() == before


def test_a_risk_has_one_owner_and_a_sheet_has_at_most_max_rows(settings, monkeypatch):
    rows = copy.deepcopy(SMALL_ROWS)
    rows["Risks"][0][3] = "Sam Sro; Pat Patel"
    assert messages(read_workbook(filled_template(rows, SMALL_STRATEGY_ROWS)).errors) == [
        "Risks!D2: give one owner, not 2"
    ]
    monkeypatch.setattr("goals.interchange.workbook.MAX_ROWS", 3)
    assert messages(read_workbook(small_workbook()).errors) == ["(document): the People sheet has more than 3 rows"]


def test_the_quarters_sheet_carries_the_pack_title_and_an_older_workbook_without_it_still_reads():
    rows = copy.deepcopy(SMALL_ROWS)
    rows["Quarters"][0] = ["2024-Q2", "published", None, "Better Care Strategy and Annual Plan 2024/25"]
    read = read_workbook(filled_template(rows, SMALL_STRATEGY_ROWS))
    assert read.errors == []
    periods = read.document["strategy"]["periods"]
    assert periods[0]["pack_title"] == "Better Care Strategy and Annual Plan 2024/25"
    assert "pack_title" not in periods[1]

    # a workbook made from the template before the Pack title column was added
    workbook = load_workbook(io.BytesIO(filled_template(SMALL_ROWS, SMALL_STRATEGY_ROWS)))
    workbook["Quarters"].delete_cols(4)
    older = io.BytesIO()
    workbook.save(older)
    read = read_workbook(older.getvalue())
    assert read.errors == [] and [p["quarter"] for p in read.document["strategy"]["periods"]] == [
        "2024-Q2",
        "Q3 2024/25",
    ]
    # any other change to the headings is still refused
    workbook["Quarters"]["C1"] = "Due"
    changed = io.BytesIO()
    workbook.save(changed)
    assert messages(read_workbook(changed.getvalue()).errors) == [
        "Quarters!A1: the headings must be: Quarter, State, Deadline, Pack title (start from the template)"
    ]

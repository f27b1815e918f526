"""goals.interchange.importer and `manage.py import_strategy`: validate everything, then write all or nothing."""

import copy
import io
import sys
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import ManagementUtility, call_command
from django.core.management import base as management_base
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from goals import models as m
from goals.core.quarters import Quarter
from goals.interchange.exporter import dump_yaml
from goals.interchange.importer import KINDS, StrategyImportError, import_strategy, validate_document

HISTORY_MODELS = [model for model in KINDS if hasattr(model, "history")]


def row_counts() -> dict[str, int]:
    counts = {model.__name__: model.objects.count() for model in KINDS}
    counts.update({f"{model.__name__} history": model.history.count() for model in HISTORY_MODELS})
    counts["links"] = sum(
        field.remote_field.through.objects.count()
        for model in (m.Objective, m.Action, m.Risk)
        for field in model._meta.many_to_many
    )
    return counts


def error_paths(document) -> list[str]:
    return [error.path for error in validate_document(document)]


def first_action(document) -> dict:
    return document["strategy"]["goals"][0]["objectives"][0]["actions"][0]


ACTION = "strategy.goals[0].objectives[0].actions[0]"


# -- valid documents ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_imports_a_minimal_document(minimal_document):
    assert validate_document(minimal_document) == []

    result = import_strategy(minimal_document)

    strategy = m.Strategy.objects.get(slug="minimal")
    assert result.strategy == strategy
    assert strategy.sro.key == "ada-lovelace"
    goal = strategy.goals.get()
    assert (goal.key, goal.order) == ("great-care", 1)  # key made from the title
    objective = goal.objectives.get()
    assert (objective.key, objective.order) == ("safe-care", 1)
    action = objective.actions.get()
    assert [person.key for person in action.sros.all()] == ["ada-lovelace"]
    update = action.updates.get()
    assert (update.rag, update.progress, update.state) == ("green", "On track.", "approved")
    assert update.period.as_quarter == Quarter(2024, 1)
    assert result.counts[m.ActionUpdate].created == 1
    assert result.created == 7 and result.updated == 0 and result.unchanged == 0
    assert str(result) == "minimal: 7 created, 0 updated, 0 unchanged"


@pytest.mark.django_db
def test_an_imported_strategy_is_owned_by_the_organisation_it_names(minimal_document):
    """Roles granted on an organisation reach the strategies imported for it (the demo's too)."""
    strategy = import_strategy(minimal_document).strategy
    strategy.refresh_from_db()
    assert strategy.owner is not None and strategy.owner.name == "Example NHS Trust"
    assert import_strategy(minimal_document).updated == 0  # and a second import changes nothing


@pytest.mark.django_db
def test_it_imports_a_rich_document(rich_document):
    result = import_strategy(rich_document)

    strategy = result.strategy
    assert strategy.vision == "Creating high quality, compassionate care\nand wellbeing for all."
    assert strategy.success_statements == ["Patients say care is outstanding", "Staff recommend us as a place to work"]
    assert strategy.default_layout == "highlight"
    periods = {period.slug: period for period in strategy.periods.all()}
    assert list(periods) == ["2023-Q1", "2023-Q2", "2023-Q3"]  # "Q2 2023/24" is read as 2023-Q2
    assert periods["2023-Q3"].state == "open" and str(periods["2023-Q3"].deadline) == "2024-01-12"

    titles = {
        title.period.slug: (title.name, title.job_title) for title in m.PersonTitle.objects.select_related("period")
    }
    assert titles == {
        "2023-Q1": ("David Williams", "Group Director of Strategy & Partnerships"),
        "2023-Q2": ("Dave Williams", "Director of Strategy"),
    }

    goals = list(strategy.goals.order_by("order").values_list("key", "order"))
    assert goals == [("great-outcomes", 1), ("great-care", 2)]
    access = m.Objective.objects.get(key="access")
    assert set(access.lead_directors.values_list("key", flat=True)) == {"saqhib-muhammad", "david-williams"}
    assert (access.risk_register_reference, access.risk_register_date) == ("86", "Apr 23")
    measure = access.success_measures.get(order=1)
    evidence = measure.evidence.get(period=periods["2023-Q1"])
    assert evidence.evidence == "Waits fell by 10%.\n\nSee the dashboard."
    assert measure.evidence.get(period=periods["2023-Q2"]).state == "draft"

    first, second = access.actions.order_by("number")
    assert set(second.sros.values_list("key", flat=True)) == {"sharon-murphy", "saqhib-muhammad"}
    assert second.status == "stepped_down"
    assert list(first.leads.values_list("key", flat=True)) == ["pat-lead"]
    amber = first.updates.get(period=periods["2023-Q2"])
    assert (amber.rag, amber.rag_reason, amber.state) == ("amber", "Two vacancies.", "submitted")
    assert first.updates.get(period=periods["2023-Q3"]).state == "draft"  # red without reason: draft

    risk = strategy.risks.get(number="01")
    assert set(risk.goals.values_list("key", flat=True)) == {"great-outcomes", "great-care"}
    assert risk.owner.key == "sharon-murphy" and risk.target_score == 8
    scores = {score.period.slug: (score.score, score.likelihood, score.consequence) for score in risk.scores.all()}
    assert scores == {"2023-Q1": (20, None, None), "2023-Q2": (16, 4, 4)}

    falls = strategy.metrics.get(key="falls-rate")
    assert falls.target == Decimal("6.5") and falls.goal.key == "great-outcomes"
    assert [value.value for value in falls.values.all()] == [Decimal("7.9"), Decimal("7.25"), Decimal("8")]
    assert strategy.metrics.get(key="waits").objective == access
    assert result.counts[m.ActionUpdate].created == 4
    assert result.counts[m.Person].created == 4


@pytest.mark.django_db
def test_it_imports_yaml_text_and_records_who_imported(rich_document):
    user = get_user_model().objects.create_user("importer")

    import_strategy(dump_yaml(rich_document), by=user)

    update = m.ActionUpdate.objects.filter(rag="amber").get()
    assert update.updated_by == user
    record = update.history.get()
    assert record.history_user == user and record.history_type == "+"
    assert record.history_change_reason == "Imported from a strategy document"


@pytest.mark.django_db
def test_it_accepts_people_already_in_the_database(minimal_document):
    m.Person.objects.create(key="grace-hopper", name="Grace Hopper")
    first_action(minimal_document)["leads"] = ["grace-hopper"]

    import_strategy(minimal_document)

    assert m.Action.objects.get().leads.get().name == "Grace Hopper"


# -- bad documents -----------------------------------------------------------------------------


def with_risk(document, **risk):
    document["strategy"]["risks"] = [{"number": "01", "title": "Demand", **risk}]
    return document


def with_metric(document, **metric):
    document["strategy"]["metrics"] = [{"key": "falls", "name": "Falls (illustrative)", **metric}]
    return document


def set_in(path: str, value):
    """A change that sets one field: `set_in("strategy.slug", "Bad Slug")`."""

    def change(document):
        target = document
        *parents, last = path.split(".")
        for name in parents:
            target = target[int(name)] if isinstance(target, list) else target[name]
        target[last] = value
        return document

    return change


BAD_DOCUMENTS = {
    "not a mapping": (lambda d: ["format", "strategy"], "(document)", "expected a mapping"),
    "missing format": (
        lambda d: {k: v for k, v in d.items() if k != "format"},
        "(document)",
        'missing required field "format"',
    ),
    "wrong format": (set_in("format", "strategy-tracker/2"), "format", 'expected "strategy-tracker/1"'),
    "missing required field": (
        lambda d: d["strategy"]["goals"][0].pop("title") and d,
        "strategy.goals[0]",
        'missing required field "title"',
    ),
    "text where a list belongs": (
        lambda d: first_action(d).update(sros="ada-lovelace") or d,
        f"{ACTION}.sros",
        "expected a list",
    ),
    "a list where text belongs": (set_in("strategy.name", ["a", "b"]), "strategy.name", "expected text; got a list"),
    "bad slug": (set_in("strategy.slug", "Minimal Strategy"), "strategy.slug", 'e.g. "minimal-strategy"'),
    "unknown person in sros": (
        lambda d: first_action(d).update(sros=["ada-lovelace", "ada-lovelance"]) or d,
        f"{ACTION}.sros[1]",
        'unknown person "ada-lovelance" (did you mean "ada-lovelace"?)',
    ),
    "unknown strategy sro": (set_in("strategy.sro", "nobody"), "strategy.sro", 'unknown person "nobody"'),
    "unknown lead director": (
        lambda d: d["strategy"]["goals"][0]["objectives"][0].update(lead_directors=["nobody"]) or d,
        "strategy.goals[0].objectives[0].lead_directors[0]",
        'unknown person "nobody"',
    ),
    "unknown risk owner": (
        lambda d: with_risk(d, owner="nobody"),
        "strategy.risks[0].owner",
        'unknown person "nobody"',
    ),
    "duplicate person key": (
        lambda d: d["people"].append({"key": "ada-lovelace", "name": "Ada"}) or d,
        "people[1].key",
        'duplicate person key "ada-lovelace" (also people[0])',
    ),
    "duplicate goal key": (
        lambda d: d["strategy"]["goals"].append({"title": "Great care!"}) or d,
        "strategy.goals[1]",
        'duplicate goal key "great-care"',
    ),
    "duplicate objective key": (
        lambda d: d["strategy"]["goals"][0]["objectives"].append({"key": "safe-care", "title": "Other"}) or d,
        "strategy.goals[0].objectives[1]",
        'duplicate objective key "safe-care"',
    ),
    "duplicate action number": (
        lambda d: d["strategy"]["goals"][0]["objectives"][0]["actions"].append({"number": 1, "title": "Again"}) or d,
        "strategy.goals[0].objectives[0].actions[1].number",
        "duplicate action number 1",
    ),
    "unparseable quarter": (
        set_in("strategy.periods.0.quarter", "2024 Q5"),
        "strategy.periods[0].quarter",
        '"2024 Q5" is not a quarter: write it as 2024-Q2 or Q2 2024/25',
    ),
    "financial year that does not follow": (
        set_in("strategy.periods.0.quarter", "Q1 2024/26"),
        "strategy.periods[0].quarter",
        "is not a financial year",
    ),
    "update for a quarter not in periods": (
        lambda d: first_action(d)["updates"].update({"2024-Q2": {"rag": "green"}}) or d,
        f"{ACTION}.updates.2024-Q2",
        "quarter 2024-Q2 is not in strategy.periods",
    ),
    "person title for a quarter not in periods": (
        set_in("people.0.titles", {"2020-Q1": "Director"}),
        "people[0].titles.2020-Q1",
        "is not in strategy.periods",
    ),
    "bad RAG": (
        lambda d: first_action(d)["updates"]["2024-Q1"].update(rag="yellow") or d,
        f"{ACTION}.updates.2024-Q1.rag",
        'unknown RAG "yellow"; expected one of: green, amber, red, blue',
    ),
    "amber without a reason": (
        lambda d: first_action(d)["updates"]["2024-Q1"].update(rag="amber") or d,
        f"{ACTION}.updates.2024-Q1",
        "missing rag_reason: a amber rating needs a reason unless its state is draft",
    ),
    "bad state": (
        set_in("strategy.periods.0.state", "closed"),
        "strategy.periods[0].state",
        "expected one of: planned, open, locked, published",
    ),
    "open period without deadline": (
        set_in("strategy.periods.0.state", "open"),
        "strategy.periods[0]",
        "an open period needs a deadline",
    ),
    "risk score out of range": (
        lambda d: with_risk(d, scores={"2024-Q1": 30}),
        "strategy.risks[0].scores.2024-Q1",
        "must be from 1 to 25, not 30",
    ),
    "likelihood out of range": (
        lambda d: with_risk(d, scores={"2024-Q1": {"likelihood": 6, "consequence": 2}}),
        "strategy.risks[0].scores.2024-Q1.likelihood",
        "must be from 1 to 5, not 6",
    ),
    "likelihood times consequence is not the score": (
        lambda d: with_risk(d, scores={"2024-Q1": {"score": 12, "likelihood": 4, "consequence": 5}}),
        "strategy.risks[0].scores.2024-Q1",
        "4 × 5 = 20, not 12",
    ),
    "risk goal not found": (
        lambda d: with_risk(d, goals=["great-cares"]),
        "strategy.risks[0].goals[0]",
        'unknown goal "great-cares" (did you mean "great-care"?)',
    ),
    "bad improvement": (
        lambda d: with_metric(d, improvement="sideways"),
        "strategy.metrics[0].improvement",
        "expected one of: up, down, neither",
    ),
    "non-numeric value": (
        lambda d: with_metric(d, values=[{"date": "2024-04-01", "value": "lots"}]),
        "strategy.metrics[0].values[0].value",
        'expected a number; got "lots"',
    ),
    "bad date": (
        lambda d: with_metric(d, values=[{"date": "2024-02-30", "value": 1}]),
        "strategy.metrics[0].values[0].date",
        '"2024-02-30" is not a date',
    ),
    "duplicate date": (
        lambda d: with_metric(d, values=[{"date": "2024-04-01", "value": 1}, {"date": "2024-04-01", "value": 2}]),
        "strategy.metrics[0].values[1].date",
        "duplicate date 2024-04-01 (also strategy.metrics[0].values[0])",
    ),
    "metric goal not found": (
        lambda d: with_metric(d, goal="nowhere"),
        "strategy.metrics[0].goal",
        'unknown goal "nowhere"',
    ),
    "metric objective not found": (
        lambda d: with_metric(d, objective="great-care/unsafe-care"),
        "strategy.metrics[0].objective",
        'unknown objective "great-care/unsafe-care"',
    ),
    "typo in a field name": (
        lambda d: d["strategy"]["goals"][0].update(titel="Typo") or d,
        "strategy.goals[0].titel",
        'unknown field "titel" (did you mean "title"?)',
    ),
    "unknown field in an update": (
        lambda d: first_action(d)["updates"]["2024-Q1"].update(colour="green") or d,
        f"{ACTION}.updates.2024-Q1.colour",
        'unknown field "colour"',
    ),
    "bad email": (set_in("people.0.email", "ada at example"), "people[0].email", "is not an email address"),
    "action number not a number": (
        lambda d: first_action(d).update(number="one") or d,
        f"{ACTION}.number",
        "expected a whole number",
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("change, path, message", BAD_DOCUMENTS.values(), ids=BAD_DOCUMENTS.keys())
def test_it_refuses_a_bad_document_naming_the_place(minimal_document, change, path, message):
    document = change(minimal_document)
    before = row_counts()

    with pytest.raises(StrategyImportError) as refused:
        import_strategy(document)

    errors = {error.path: error.message for error in refused.value.errors}
    assert path in errors, f"{path} not in {errors}"
    assert message in errors[path]
    assert f"{path}: {errors[path]}" in str(refused.value).splitlines()
    assert row_counts() == before


@pytest.mark.django_db
def test_it_reports_a_yaml_syntax_error_with_its_line():
    errors = validate_document("format: strategy-tracker/1\nstrategy:\n  slug: [unclosed\n  name: x\n")

    assert len(errors) == 1
    assert errors[0].path == "(document)"
    assert "YAML syntax error at line 4" in errors[0].message


@pytest.mark.django_db
def test_it_reports_the_line_of_each_error_and_keys_given_twice(minimal_document):
    text = dump_yaml(minimal_document)
    text = text.replace("  name: Minimal Strategy\n", "  name: Minimal Strategy\n  name: Again\n")
    text = text.replace("rag: green", "rag: purple")

    errors = {error.path: error for error in validate_document(text)}

    assert set(errors) == {"strategy.name", f"{ACTION}.updates.2024-Q1.rag"}
    lines = text.splitlines()
    assert lines[errors["strategy.name"].line - 1] == "  name: Again"
    assert "is given twice" in errors["strategy.name"].message
    assert lines[errors[f"{ACTION}.updates.2024-Q1.rag"].line - 1].strip() == "rag: purple"
    assert str(errors["strategy.name"]).endswith(f"(line {errors['strategy.name'].line})")


@pytest.mark.django_db
def test_it_reports_every_error_at_once(rich_document):
    rich_document["strategy"]["slug"] = "Bad Slug"
    first_action(rich_document)["sros"] = ["nobody"]
    rich_document["strategy"]["metrics"][0]["values"][2]["value"] = "n/a"

    with pytest.raises(StrategyImportError) as refused:
        import_strategy(rich_document)

    assert [error.path for error in refused.value.errors] == [
        "strategy.slug",
        f"{ACTION}.sros[0]",
        "strategy.metrics[0].values[2].value",
    ]
    assert len(str(refused.value).splitlines()) == 3


@pytest.mark.django_db
def test_an_error_in_the_last_part_writes_nothing(rich_document):
    rich_document["strategy"]["metrics"][-1]["values"] = [{"date": "2024-13-01", "value": 1}]

    with pytest.raises(StrategyImportError):
        import_strategy(rich_document)

    assert set(row_counts().values()) == {0}


@pytest.mark.django_db
def test_an_error_in_the_last_part_of_an_edited_document_changes_nothing(rich_document):
    import_strategy(rich_document)
    before = row_counts()
    rich_document["strategy"]["name"] = "Renamed"
    first_action(rich_document)["updates"]["2023-Q1"]["progress"] = "Edited."
    rich_document["strategy"]["metrics"][-1]["values"] = [{"date": "2024-04-01", "value": "many"}]

    with pytest.raises(StrategyImportError):
        import_strategy(rich_document)

    assert row_counts() == before
    assert m.Strategy.objects.get().name == "Step Up To Great"


# -- idempotence and edits ---------------------------------------------------------------------


@pytest.mark.django_db
def test_reimporting_the_same_document_changes_nothing(rich_document):
    import_strategy(rich_document)
    before = row_counts()

    result = import_strategy(rich_document)

    assert row_counts() == before  # no duplicates, no new history records
    assert not result.changed
    assert result.unchanged == sum(before[model.__name__] for model in KINDS)


@pytest.mark.django_db
def test_an_edited_reimport_updates_in_place(rich_document):
    # Only an open quarter's updates may change (locked ones are frozen: tested below).
    rich_document["strategy"]["periods"][1] = {"quarter": "Q2 2023/24", "state": "open", "deadline": "2023-10-20"}
    import_strategy(rich_document)
    update = m.ActionUpdate.objects.get(rag="amber")
    action = update.action
    before = row_counts()

    first_action(rich_document)["updates"]["2023-Q2"]["progress"] = "Staffing gaps closing."
    first_action(rich_document)["sros"] = ["saqhib-muhammad"]
    rich_document["strategy"]["metrics"][0]["values"][0]["value"] = "8.1"
    rich_document["people"][1]["job_title"] = "Chief Finance Officer"
    result = import_strategy(rich_document)

    after = row_counts()
    differences = {name: after[name] - before[name] for name in after if after[name] != before[name]}
    assert differences == {"Person history": 1, "ActionUpdate history": 1, "MetricValue history": 1}
    update.refresh_from_db()
    assert update.progress == "Staffing gaps closing."
    assert update.version == 2  # an editor holding version 1 is told it changed
    assert update.history.first().history_type == "~"
    assert list(action.sros.values_list("key", flat=True)) == ["saqhib-muhammad"]
    assert result.counts[m.ActionUpdate].updated == 1
    assert result.counts[m.Action].updated == 1  # its SROs changed
    assert result.counts[m.MetricValue].updated == 1
    assert result.counts[m.Person].updated == 1
    assert m.MetricValue.objects.get(date="2023-04-01").value == Decimal("8.1")


@pytest.mark.django_db
def test_a_reimport_keeps_rows_the_document_no_longer_mentions(rich_document):
    import_strategy(rich_document)
    objective = rich_document["strategy"]["goals"][0]["objectives"][0]
    del objective["actions"][1]
    del rich_document["strategy"]["goals"][1]

    import_strategy(rich_document)

    assert m.Action.objects.filter(number=2).exists()
    assert m.Goal.objects.filter(key="great-care").exists()


@pytest.mark.django_db
def test_a_reimport_can_reorder_goals_and_objectives(rich_document):
    import_strategy(rich_document)
    goals = rich_document["strategy"]["goals"]
    goals.reverse()
    goals[1]["objectives"].reverse()
    goals.insert(1, {"key": "new-goal", "title": "New goal"})

    result = import_strategy(rich_document)

    strategy = result.strategy
    goals = list(strategy.goals.order_by("order").values_list("key", flat=True))
    assert goals == ["great-care", "new-goal", "great-outcomes"]
    objectives = m.Objective.objects.filter(goal__key="great-outcomes").order_by("order")
    assert list(objectives.values_list("key", "order")) == [("quality", 1), ("access", 2)]
    assert result.counts[m.Goal].updated == 2 and result.counts[m.Goal].created == 1


@pytest.mark.django_db
def test_goals_the_document_leaves_out_move_after_the_listed_ones(rich_document):
    import_strategy(rich_document)
    rich_document["strategy"]["goals"] = [
        {"key": "great-care", "title": "Great Care"},
        {"key": "brand-new", "title": "Brand new"},
    ]

    import_strategy(rich_document)

    order = list(m.Goal.objects.order_by("order").values_list("key", flat=True))
    assert order == ["great-care", "brand-new", "great-outcomes"]


@pytest.mark.django_db
def test_a_reimport_runs_a_bounded_number_of_queries(rich_document):
    def queries_for(actions: int) -> int:
        document = copy.deepcopy(rich_document)
        document["strategy"]["slug"] = f"size-{actions}"
        objective = document["strategy"]["goals"][0]["objectives"][0]
        objective["actions"] = [
            {
                "number": number,
                "title": f"Action {number}",
                "sros": ["sharon-murphy"],
                "leads": ["pat-lead"],
                "updates": {"2023-Q3": {"rag": "green", "progress": f"Progress {number}"}},
            }
            for number in range(1, actions + 1)
        ]
        import_strategy(document)
        for action in objective["actions"]:
            action["updates"]["2023-Q3"]["progress"] += " edited"  # 2023-Q3 is open
        with CaptureQueriesContext(connection) as context:
            import_strategy(document)
        return len(context.captured_queries)

    assert queries_for(3) == queries_for(30)


# -- the command -------------------------------------------------------------------------------


@pytest.fixture
def document_file(tmp_path, minimal_document):
    path = tmp_path / "minimal.yaml"
    path.write_text(dump_yaml(minimal_document), encoding="utf-8")
    return path


@pytest.mark.django_db
def test_the_command_imports_files_and_prints_a_summary(document_file, rich_document, tmp_path):
    rich_file = tmp_path / "rich.yaml"
    rich_file.write_text(dump_yaml(rich_document), encoding="utf-8")
    out = io.StringIO()

    call_command("import_strategy", str(document_file), str(rich_file), stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0].startswith(f"minimal: 7 created, 0 updated, 0 unchanged ({document_file}, ")
    assert lines[1].startswith("step-up-to-great: ")
    assert m.Strategy.objects.count() == 2


@pytest.mark.django_db
def test_the_command_reads_standard_input(document_file, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(document_file.read_text()))

    call_command("import_strategy", "-", stdout=io.StringIO())

    assert m.Strategy.objects.filter(slug="minimal").exists()


@pytest.mark.django_db
def test_the_command_prints_errors_and_exits_with_status_1(document_file, capsys, monkeypatch):
    document_file.write_text(document_file.read_text().replace("slug: minimal", "slug: Not A Slug"))
    # run_from_argv closes every connection when it ends, the test's own included.
    monkeypatch.setattr(management_base.connections, "close_all", lambda: None)

    with pytest.raises(SystemExit) as exited:
        ManagementUtility(["manage.py", "import_strategy", "--skip-checks", str(document_file)]).execute()

    assert exited.value.code == 1
    stderr = capsys.readouterr().err.splitlines()
    assert stderr[0] == f"{document_file}: 1 error"
    assert stderr[1].startswith('strategy.slug: "Not A Slug" is not a valid key')
    assert "nothing was written" in stderr[-1]
    assert set(row_counts().values()) == {0}


@pytest.mark.django_db
def test_the_command_writes_nothing_when_a_later_file_is_bad(document_file, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: strategy-tracker/1\nstrategy: []\n")
    err = io.StringIO()

    with pytest.raises(CommandError):
        call_command("import_strategy", str(document_file), str(bad), stdout=io.StringIO(), stderr=err)

    assert "strategy: expected a mapping" in err.getvalue()
    assert set(row_counts().values()) == {0}


@pytest.mark.django_db
def test_check_validates_and_writes_nothing(document_file):
    out = io.StringIO()

    call_command("import_strategy", "--check", str(document_file), stdout=out)

    assert out.getvalue().strip() == "1 document valid; nothing written (--check)."
    assert set(row_counts().values()) == {0}


@pytest.mark.django_db
def test_the_command_reports_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        call_command("import_strategy", str(tmp_path / "nope.yaml"))


@pytest.mark.django_db
def test_a_metric_value_can_start_a_new_process(rich_document):
    import_strategy(rich_document)

    flags = dict(m.MetricValue.objects.values_list("date", "recalculate_limits"))

    assert [flag for _, flag in sorted(flags.items())] == [False, False, True]


# -- locked and published quarters are frozen ----------------------------------------------------


@pytest.mark.django_db
def test_a_reimport_cannot_change_an_update_of_a_published_quarter(minimal_document):
    import_strategy(minimal_document)  # 2024-Q1 is published
    before = row_counts()
    first_action(minimal_document)["updates"]["2024-Q1"]["progress"] = "Rewritten after publication."
    with pytest.raises(StrategyImportError, match=r"Q1 2024/25 is locked or published"):
        import_strategy(minimal_document)
    assert row_counts() == before
    assert m.ActionUpdate.objects.get().progress == "On track."


@pytest.mark.django_db
def test_a_reimport_cannot_add_an_update_to_a_published_quarter(minimal_document):
    import_strategy(minimal_document)
    objective = minimal_document["strategy"]["goals"][0]["objectives"][0]
    objective["actions"].append({"number": 2, "title": "New", "updates": {"2024-Q1": {"rag": "green"}}})
    with pytest.raises(StrategyImportError, match=r"locked or published"):
        import_strategy(minimal_document)
    assert not m.Action.objects.filter(number=2).exists()


@pytest.mark.django_db
def test_a_reimport_cannot_reopen_a_published_quarter(minimal_document):
    import_strategy(minimal_document)
    minimal_document["strategy"]["periods"][0] = {"quarter": "2024-Q1", "state": "open", "deadline": "2024-07-19"}
    with pytest.raises(StrategyImportError, match=r"re-open it in the app \(with a reason\)"):
        import_strategy(minimal_document)
    assert m.Period.objects.get().state == "published"


@pytest.mark.django_db
def test_an_open_quarter_can_be_changed_by_import(minimal_document):
    minimal_document["strategy"]["periods"][0] = {"quarter": "2024-Q1", "state": "open", "deadline": "2024-07-19"}
    import_strategy(minimal_document)
    first_action(minimal_document)["updates"]["2024-Q1"]["progress"] = "Revised."
    import_strategy(minimal_document)
    assert m.ActionUpdate.objects.get().progress == "Revised."


@pytest.mark.django_db
def test_a_quarter_carries_the_title_of_its_packs_covers(rich_document):
    from goals.interchange.exporter import export_strategy

    title = "Step Up To Great Strategy – 2021/24 & Leicestershire Partnership Trust Strategic Plan – 2023/24"
    rich_document["strategy"]["periods"][0]["pack_title"] = title
    strategy = import_strategy(rich_document).strategy
    periods = {period.slug: period for period in strategy.periods.all()}
    assert periods["2023-Q1"].pack_title == title and periods["2023-Q2"].pack_title == ""
    exported = export_strategy(strategy)["strategy"]["periods"]
    assert exported[0]["pack_title"] == title and "pack_title" not in exported[1]

    rich_document["strategy"]["periods"][0]["pack_title"] = "x" * 301
    errors = validate_document(rich_document)
    assert [error.path for error in errors] == ["strategy.periods[0].pack_title"]

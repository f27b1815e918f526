"""The strategy workbook: a trust's action plan in Excel, read into the import format's document.

`template_workbook` is an empty workbook (headings, drop-down lists, an Instructions sheet);
`export_workbook` is a strategy's structure in the same workbook; `read_workbook` turns a
workbook back into the document `import_strategy` takes, with a map from each document path to
the cell it came from, so the YAML import's own validator checks it and every error is shown at
its cell (`Actions!J14: unknown person "Jo Blogs" — did you mean "Jo Bloggs"?`).

The workbook holds the structure a programme office keeps in Excel — people, the strategy, its
quarters, goals, objectives, actions (with SROs and programme leads), their quarterly updates and
the BAF risks. Success measures, evidence, risk scores and metrics are not in it; an upload
leaves them as they are (the import never deletes what a document does not mention).

People are named by name or key. Text that a spreadsheet would run as a formula is written with
an apostrophe in front (`goals.core.downloads.safe_cell`) and read back without it; a formula
typed into a cell is refused, never calculated.
"""

from __future__ import annotations

import difflib
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils.text import slugify
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from goals import models as m
from goals.core.choices import RAG, PeriodState, UpdateState
from goals.core.downloads import FORMULA_TRIGGERS, safe_cell
from goals.core.quarters import parse_quarter
from goals.interchange.exporter import StrategyRows, read_strategy
from goals.interchange.loader import max_bytes, size_error
from goals.interchange.schema import DOCUMENT, FORMAT, DocumentError, nearest

MAX_ROWS = 5_000  # rows per sheet a workbook may hold
UNPACKED_RATIO = 20  # a workbook may unpack to at most this many times the upload limit
LIST_SEPARATOR = ";"
STATUS_LABELS = {"active": "active", "complete": "complete", "stepped_down": "stepped down"}


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its heading, the document field it fills, and how it is read."""

    heading: str
    field: str
    kind: str = "text"  # text | people | goals | date | number | yes | goal | objective | choice
    width: int = 20
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: tuple[Column, ...]
    intro: str
    optional_last: bool = False  # the last column came later: a workbook may leave it out

    def letter(self, field_name: str) -> str:
        index = next(i for i, column in enumerate(self.columns) if column.field == field_name)
        return get_column_letter(index + 1)


YES = ("yes",)
PEOPLE = Sheet(
    "People",
    (
        Column("Key", "key", width=22),
        Column("Name", "name", width=24),
        Column("Job title", "job_title", width=40),
        Column("Email", "email", width=30),
        Column("Archived", "archived", "yes", 10, YES),
    ),
    "Everyone named anywhere in the workbook. Key: optional, lower-case letters, digits and hyphens "
    "(made from the name when left empty).",
)
STRATEGY = Sheet(
    "Strategy",
    (Column("Field", "field", width=34), Column("Value", "value", width=80)),
    "One value per row. Add a row “We will know we are successful when” for each statement.",
)
STRATEGY_FIELDS = (
    ("Key", "slug"),
    ("Name", "name"),
    ("Organisation", "organisation"),
    ("Years", "years"),
    ("Vision", "vision"),
    ("Senior responsible owner", "sro"),
    ("Default pack layout", "default_layout"),
)
STATEMENT = "We will know we are successful when"
PERIODS = Sheet(
    "Quarters",
    (
        Column("Quarter", "quarter", width=14),
        Column("State", "state", "choice", 12, tuple(PeriodState.values)),
        Column("Deadline", "deadline", "date", 14),
        Column("Pack title", "pack_title", width=60),
    ),
    "Each quarter once, e.g. 2024-Q3 or Q3 2024/25. An open quarter needs a deadline. Pack title: the title on "
    "the cover of the quarter's board packs (leave empty for the strategy's name and years).",
    optional_last=True,
)
GOALS = Sheet(
    "Goals",
    (
        Column("Key", "key", width=22),
        Column("Title", "title", width=40),
        Column("Description", "description", width=60),
        Column("Objectives text", "objectives_text", width=60),
        Column("Archived", "archived", "yes", 10, YES),
    ),
    "One row per goal, in the order the strategy lists them.",
)
OBJECTIVES = Sheet(
    "Objectives",
    (
        Column("Goal", "goal", "goal", 22),
        Column("Key", "key", width=22),
        Column("Title", "title", width=40),
        Column("Theme", "theme", width=30),
        Column("Commitments", "commitments", width=60),
        Column("Aims", "aims", width=60),
        Column("Lead directors", "lead_directors", "people", 30),
        Column("Risk register reference", "reference", width=14),
        Column("Risk register date", "date", width=14),
        Column("Risk register entry", "entry", width=60),
        Column("Archived", "archived", "yes", 10, YES),
    ),
    "One row per objective. Goal: the goal's key or title.",
)
ACTIONS = Sheet(
    "Actions",
    (
        Column("Goal", "goal", "goal", 22),
        Column("Objective", "objective", "objective", 22),
        Column("Number", "number", "number", 10),
        Column("Title", "title", width=50),
        Column("Description", "description", width=60),
        Column("Status", "status", "choice", 14, tuple(STATUS_LABELS.values())),
        Column("Status changed on", "status_changed_on", "date", 14),
        Column("Status reason", "status_reason", width=40),
        Column("SROs", "sros", "people", 30),
        Column("Programme leads", "leads", "people", 30),
        Column("Archived", "archived", "yes", 10, YES),
    ),
    "One row per action. Objective: its key or title within the goal. SROs and programme leads: "
    "names or keys separated by semicolons.",
)
UPDATES = Sheet(
    "Updates",
    (
        Column("Goal", "goal", "goal", 22),
        Column("Objective", "objective", "objective", 22),
        Column("Action number", "action", "number", 10),
        Column("Quarter", "quarter", width=12),
        Column("RAG", "rag", "choice", 10, tuple(RAG.values)),
        Column("Progress", "progress", width=60),
        Column("Impact", "impact", width=40),
        Column("Next focus", "next_focus", width=40),
        Column("Reason for rating", "rag_reason", width=40),
        Column("State", "state", "choice", 12, tuple(UpdateState.values)),
    ),
    "An action's update for a quarter of the Quarters sheet. Amber and red need a reason.",
)
RISKS = Sheet(
    "Risks",
    (
        Column("Number", "number", width=10),
        Column("Title", "title", width=50),
        Column("Goals", "goals", "goals", 30),
        Column("Owner", "owner", "people", 24),
        Column("Target score", "target_score", "number", 12),
        Column("Archived", "archived", "yes", 10, YES),
    ),
    "The Board Assurance Framework. Goals: keys or titles separated by semicolons. Target score 1 to 25.",
)
SHEETS = (STRATEGY, PEOPLE, PERIODS, GOALS, OBJECTIVES, ACTIONS, UPDATES, RISKS)


# ----------------------------------------------------------------------------------------------
# Writing a workbook


def template_workbook() -> bytes:
    """An empty workbook: headings, drop-down lists, and the Instructions sheet."""
    return _workbook({sheet.name: [] for sheet in SHEETS}, strategy_values=[])


def export_workbook(strategy: m.Strategy) -> bytes:
    """The strategy's structure as the workbook; uploading it again changes nothing."""
    return _workbook(*_rows(read_strategy(strategy)))


def _rows(rows: StrategyRows) -> tuple[dict[str, list[list]], list[tuple[str, object]]]:
    people = rows.people
    names = [person.name for person in people.values()]
    unique = {name for name in names if names.count(name) == 1}

    def who(pks) -> str:
        return f"{LIST_SEPARATOR} ".join(people[pk].name if people[pk].name in unique else people[pk].key for pk in pks)

    strategy = rows.strategy
    goals = {goal.pk: goal for goal in rows.goals}
    objectives = {objective.pk: objective for objective in rows.objectives}
    actions = {action.pk: action for action in rows.actions}
    ordered_actions = sorted(
        rows.actions,
        key=lambda a: (goals[objectives[a.objective_id].goal_id].order, objectives[a.objective_id].order, a.number),
    )
    position = {action.pk: index for index, action in enumerate(ordered_actions)}
    periods = rows.periods
    strategy_values = [
        ("slug", strategy.slug),
        ("name", strategy.name),
        ("organisation", strategy.organisation),
        ("years", strategy.years),
        ("vision", strategy.vision),
        ("sro", who([strategy.sro_id]) if strategy.sro_id else None),
        ("default_layout", strategy.default_layout),
    ] + [(STATEMENT, statement) for statement in strategy.success_statements or []]
    sheets = {
        "People": [
            [p.key, p.name, p.job_title, p.email, _yes(p)]
            for p in sorted(people.values(), key=lambda p: (p.name, p.key))
        ],
        "Quarters": [
            [period.slug, period.state, period.deadline, period.pack_title]
            for period in sorted(periods.values(), key=lambda p: (p.year, p.quarter))
        ],
        "Goals": [[g.key, g.title, g.description, g.objectives_text, _yes(g)] for g in rows.goals],
        "Objectives": [
            [
                goals[o.goal_id].key,
                o.key,
                o.title,
                o.theme,
                o.commitments,
                o.aims,
                who(rows.lead_directors.get(o.pk, [])),
                o.risk_register_reference,
                o.risk_register_date,
                o.risk_register_entry,
                _yes(o),
            ]
            for o in rows.objectives
        ],
        "Actions": [
            [
                goals[objectives[a.objective_id].goal_id].key,
                objectives[a.objective_id].key,
                a.number,
                a.title,
                a.description,
                STATUS_LABELS.get(a.status, a.status),
                a.status_changed_on,
                a.status_reason,
                who(rows.sros.get(a.pk, [])),
                who(rows.leads.get(a.pk, [])),
                _yes(a),
            ]
            for a in ordered_actions
        ],
        "Updates": [
            [
                goals[objectives[actions[u.action_id].objective_id].goal_id].key,
                objectives[actions[u.action_id].objective_id].key,
                actions[u.action_id].number,
                periods[u.period_id].slug,
                u.rag,
                u.progress,
                u.impact,
                u.next_focus,
                u.rag_reason,
                u.state,
            ]
            for u in sorted(
                rows.updates,
                key=lambda u: (position[u.action_id], periods[u.period_id].year, periods[u.period_id].quarter),
            )
        ],
        "Risks": [
            [
                r.number,
                r.title,
                f"{LIST_SEPARATOR} ".join(goals[pk].key for pk in rows.risk_goals.get(r.pk, [])),
                who([r.owner_id]) if r.owner_id else None,
                r.target_score,
                _yes(r),
            ]
            for r in rows.risks
        ],
    }
    return sheets, strategy_values


def _workbook(sheets: dict[str, list[list]], strategy_values: list[tuple[str, object]]) -> bytes:
    workbook = Workbook()
    instructions = workbook.active
    instructions.title = "Instructions"
    _instructions(instructions)
    for spec in SHEETS:
        sheet = workbook.create_sheet(spec.name)
        sheet.append([column.heading for column in spec.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for index, column in enumerate(spec.columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = column.width
        if spec is STRATEGY:
            values = dict(strategy_values)
            for label, field_name in STRATEGY_FIELDS:
                sheet.append([label, safe_cell(values.get(field_name))])
            for name, value in strategy_values:
                if name == STATEMENT:
                    sheet.append([STATEMENT, safe_cell(value)])
            if not strategy_values:
                sheet.append([STATEMENT, None])
            continue
        for row in sheets.get(spec.name, []):
            sheet.append([_cell_value(value) for value in row])
        last = max(MAX_ROWS, sheet.max_row)
        for index, column in enumerate(spec.columns, start=1):
            if column.choices:
                letter = get_column_letter(index)
                listed = DataValidation(
                    type="list",
                    formula1='"' + ",".join(column.choices) + '"',
                    allow_blank=True,
                    showErrorMessage=True,
                    errorTitle=column.heading,
                    error=f"Choose one of: {', '.join(column.choices)}",
                )
                listed.add(f"{letter}2:{letter}{last}")
                sheet.add_data_validation(listed)
        for cells in sheet.iter_rows(min_row=2):
            for cell in cells:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _yes(row) -> str | None:
    return "yes" if row.archived_at else None


def _cell_value(value):
    if value in ("", None):
        return None
    return safe_cell(value)


def _instructions(sheet) -> None:
    sheet.column_dimensions["A"].width = 110
    lines = [
        ("Strategy workbook", True),
        ("Fill in the sheets, then upload the workbook on the strategy's page (or as a new strategy).", False),
        ("The whole workbook is checked first: every problem is listed with its cell, and nothing", False),
        ("is saved until the workbook has none. You then see what will be created and changed, and confirm.", False),
        ("Row 1 of each sheet is its headings: keep them. Empty rows are skipped.", False),
        ("Type values, not formulas: a cell holding a formula is refused.", False),
        ("People are named by their name or key; separate several with semicolons.", False),
        ("Uploading a workbook never deletes anything: rows it does not list are left as they are.", False),
        ("", False),
    ]
    lines += [(f"{spec.name}: {spec.intro}", False) for spec in SHEETS]
    for text, bold in lines:
        sheet.append([text])
        if bold:
            sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True, size=14)


# ----------------------------------------------------------------------------------------------
# Reading a workbook


@dataclass
class WorkbookDocument:
    """A workbook read as an import document: `cells` maps document paths to their cells."""

    document: dict | None
    cells: dict[str, str] = field(default_factory=dict)
    errors: list[DocumentError] = field(default_factory=list)

    def locate(self, errors: list[DocumentError]) -> list[DocumentError]:
        """The validator's errors, each at the cell its path came from."""
        located = []
        for error in errors:
            path = error.path
            missing = re.match(r'missing required field "(\w+)"', error.message)
            if missing and f"{path}.{missing.group(1)}" in self.cells:
                path = f"{path}.{missing.group(1)}"
            where = self.cells.get(path) or self._quarter_cell(path) or _nearest_cell(self.cells, path) or DOCUMENT
            message = _PATH.sub(lambda found: self.cells.get(found.group(0), found.group(0)), error.message)
            located.append(DocumentError(where, message))
        return located

    def _quarter_cell(self, path: str) -> str | None:
        """The Quarters row of an error the writer reports by quarter (`strategy.periods[Q2 2024/25]`)."""
        named = re.fullmatch(r"strategy\.periods\[(.*\D.*)\]", path)
        if not named or not self.document:
            return None
        for index, period in enumerate(self.document["strategy"].get("periods") or []):
            try:
                quarter = parse_quarter(_text(period.get("quarter")))
            except ValueError:
                continue
            if named.group(1) in (quarter.slug, quarter.label):
                return self.cells.get(f"strategy.periods[{index}]")
        return None


_PATH = re.compile(r"\b(?:strategy|people)[\w.\[\]-]*\]")  # a document path quoted in a message


def _nearest_cell(cells: dict[str, str], path: str) -> str | None:
    index = {key: position for position, key in enumerate(cells)}
    found = nearest(index, path)
    return list(cells.values())[found] if found is not None and path != DOCUMENT else None


class _Refused(Exception):
    pass


def read_workbook(content: bytes, *, known_people: dict[str, str] | None = None) -> WorkbookDocument:
    """The workbook as an import document, or the errors that stop it being read.

    `known_people` maps names and keys of people already in the database to their keys, so a
    workbook may name someone it does not list."""
    too_big = size_error(len(content))
    if too_big:
        return WorkbookDocument(None, errors=[too_big])
    try:
        unsafe = _unsafe_archive(content)
        if unsafe:
            return WorkbookDocument(None, errors=[DocumentError(DOCUMENT, unsafe)])
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        message = "this is not an Excel workbook (.xlsx): download the template and fill it in"
        return WorkbookDocument(None, errors=[DocumentError(DOCUMENT, f"{message} ({type(exc).__name__})")])
    try:
        return _Reader(workbook, known_people or {}).read()
    except _Refused as exc:
        return WorkbookDocument(None, errors=[DocumentError(DOCUMENT, str(exc))])
    finally:
        workbook.close()


def _unsafe_archive(content: bytes) -> str | None:
    """Why the workbook's zip is not safe to open, or None: a workbook unpacks to a few times its
    size, so one that would unpack to more than UNPACKED_RATIO times the upload limit (a "zip
    bomb") is refused, as is any part with a DOCTYPE (XML entities are never needed in a workbook)."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        parts = archive.infolist()
        if sum(part.file_size for part in parts) > UNPACKED_RATIO * max_bytes():
            return "the workbook unpacks to far more than a workbook of its size: it is refused"
        for part in parts:
            if part.filename.endswith((".xml", ".rels")):
                with archive.open(part) as stream:
                    if b"<!DOCTYPE" in stream.read(2048).upper():
                        return f"the workbook's part {part.filename} declares a DOCTYPE: it is refused"
    return None


class _Reader:
    def __init__(self, workbook, known_people: dict[str, str]):
        self.workbook = workbook
        self.known_people = known_people
        self.cells: dict[str, str] = {}
        self.errors: list[DocumentError] = []

    def error(self, where: str, message: str) -> None:
        self.errors.append(DocumentError(where, message))

    def rows(self, spec: Sheet) -> list[tuple[int, dict[str, tuple[str, object]]]]:
        """(row number, {field: (cell, value)}) for each non-empty row under the headings."""
        if spec.name not in self.workbook.sheetnames:
            if spec is STRATEGY:
                self.error(f"{spec.name}!A1", f'the "{spec.name}" sheet is missing: start from the template')
            return []
        sheet = self.workbook[spec.name]
        found = []
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            if number == 1:
                headings = [_text(cell.value) for cell in cells[: len(spec.columns)]]
                expected = [column.heading for column in spec.columns]
                wanted = expected
                if spec.optional_last and not "".join(headings[len(expected) - 1 :]):
                    # a workbook made from the template before its last column was added
                    headings, wanted = headings[: len(expected) - 1], expected[:-1]
                if [h.casefold() for h in headings] != [h.casefold() for h in wanted]:
                    self.error(
                        f"{spec.name}!A1",
                        f"the headings must be: {', '.join(expected)} (start from the template)",
                    )
                    return []
                continue
            values = {}
            for column, cell in zip(spec.columns, cells, strict=False):
                where = f"{spec.name}!{get_column_letter(cell.column)}{number}" if hasattr(cell, "column") else ""
                value = self.value(cell, where)
                if value not in (None, ""):
                    values[column.field] = (where, value)
            if values:
                found.append((number, values))
                if len(found) > MAX_ROWS:
                    raise _Refused(f"the {spec.name} sheet has more than {MAX_ROWS:,} rows")
        return found

    def value(self, cell, where: str):
        value = cell.value
        if getattr(cell, "data_type", None) == "f" or (isinstance(value, str) and value.startswith("=")):
            self.error(where, "this cell holds a formula: type the value instead (formulas are not read)")
            return None
        if isinstance(value, str):
            value = value.strip()
            if value.startswith("'") and value[1:].startswith(FORMULA_TRIGGERS):
                value = value[1:]  # written by safe_cell
        return value

    def read(self) -> WorkbookDocument:
        people, person_keys = self.people()
        self.person_keys = person_keys
        strategy = self.strategy()
        strategy["periods"] = self.periods()
        strategy["goals"] = self.goals()
        strategy["risks"] = self.risks(strategy["goals"])
        document = {"format": FORMAT, "people": people, "strategy": strategy}
        return WorkbookDocument(document, self.cells, self.errors)

    def record(self, path: str, row: int, sheet: Sheet, values: dict) -> None:
        self.cells[path] = f"{sheet.name}!A{row}"
        for column in sheet.columns:
            self.cells[f"{path}.{column.field}"] = f"{sheet.name}!{sheet.letter(column.field)}{row}"
        for name, (where, _value) in values.items():
            self.cells[f"{path}.{name}"] = where

    def entry(self, sheet: Sheet, values: dict, path: str, skip=()) -> dict:
        """The row's values as a document entry (without the columns in `skip`)."""
        entry = {}
        for column in sheet.columns:
            if column.field in skip or column.field not in values:
                continue
            where, value = values[column.field]
            entry[column.field] = self.convert(column, value, where)
        return {name: value for name, value in entry.items() if value is not None}

    def convert(self, column: Column, value, where: str):
        if column.kind == "people":
            names = _split(value)
            if column.field == "owner" and len(names) > 1:
                self.error(where, f"give one owner, not {len(names)}")
                return None
            keys = [key for key in (self.person(name, where) for name in names) if key]
            return keys[0] if column.field == "owner" and keys else keys or None
        if column.kind == "goals":
            return _split(value)
        if column.kind == "yes":
            text = _text(value).casefold()
            if text in ("yes", "y", "true"):
                return True
            if text in ("no", "n", "false"):
                return False
            self.error(where, f'"{_text(value)}" is not yes or no: write "yes" or leave it empty')
            return None
        if column.kind == "date" and isinstance(value, datetime):
            return value.date().isoformat()
        if column.kind == "date" and isinstance(value, date):
            return value.isoformat()
        if column.kind == "number" and isinstance(value, float) and value.is_integer():
            return int(value)
        if column.kind in ("text", "choice", "goal", "objective") and isinstance(value, (datetime, date)):
            return value.strftime("%Y-%m-%d")
        if column.kind in ("text", "choice", "goal", "objective") and isinstance(value, float) and value.is_integer():
            return str(int(value))
        return value

    def person(self, name: str, where: str) -> str | None:
        key = self.person_keys.get(name.casefold()) or self.known_people.get(name.casefold())
        if key == _AMBIGUOUS:
            self.error(where, f'"{name}" is the name of more than one person: use their key')
            return None
        if key:
            return key
        names = sorted({shown for shown in self.shown_names})
        close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
        hint = f' — did you mean "{close[0]}"?' if close else " — add them to the People sheet"
        self.error(where, f'unknown person "{name}"{hint}')
        return None

    def people(self) -> tuple[list[dict], dict[str, str]]:
        people, keys, self.shown_names = [], {}, set()
        names: dict[str, list[str]] = {}
        for index, (row, values) in enumerate(self.rows(PEOPLE)):
            path = f"people[{index}]"
            self.record(path, row, PEOPLE, values)
            entry = self.entry(PEOPLE, values, path)
            if "key" not in entry and isinstance(entry.get("name"), str):
                entry = {"key": _key(entry["name"]), **entry}
            people.append(entry)
            if isinstance(entry.get("key"), str):
                keys[entry["key"].casefold()] = entry["key"]
            if isinstance(entry.get("name"), str):
                names.setdefault(entry["name"].casefold(), []).append(entry.get("key"))
                self.shown_names.add(entry["name"])
        for name, listed in names.items():
            keys.setdefault(name, listed[0] if len(set(listed)) == 1 else _AMBIGUOUS)
        return people, keys

    def strategy(self) -> dict:
        strategy, statements = {}, []
        labels = {label.casefold(): name for label, name in STRATEGY_FIELDS}
        for row, values in self.rows(STRATEGY):
            label = _text(values.get("field", ("", ""))[1])
            where, value = values.get("value", (f"Strategy!B{row}", None))
            if label.casefold() == STATEMENT.casefold():
                if value not in (None, ""):
                    self.cells[f"strategy.success_statements[{len(statements)}]"] = where
                    statements.append(value)
                continue
            name = labels.get(label.casefold())
            if name is None:
                self.error(f"Strategy!A{row}", f'unknown field "{label}"; expected one of: {", ".join(labels)}')
                continue
            self.cells[f"strategy.{name}"] = where
            if value in (None, ""):
                continue
            if name == "sro":
                value = self.person(_text(value), where)
            strategy[name] = value
        self.cells.setdefault("strategy", "Strategy!A1")
        if statements:
            strategy["success_statements"] = statements
        return strategy

    def periods(self) -> list[dict]:
        periods = []
        for index, (row, values) in enumerate(self.rows(PERIODS)):
            path = f"strategy.periods[{index}]"
            self.record(path, row, PERIODS, values)
            periods.append(self.entry(PERIODS, values, path))
        return periods

    def goals(self) -> list[dict]:
        goals, by_name = [], {}
        for index, (row, values) in enumerate(self.rows(GOALS)):
            path = f"strategy.goals[{index}]"
            self.record(path, row, GOALS, values)
            goal = self.entry(GOALS, values, path)
            if "key" not in goal and isinstance(goal.get("title"), str):
                goal["key"] = _key(goal["title"])  # so risks may name the goal by its title
            goal["objectives"] = []
            goals.append(goal)
            for name in (goal.get("key"), goal.get("title")):
                if isinstance(name, str):
                    by_name.setdefault(name.casefold(), (index, goal))
        self.goal_names = by_name
        objectives_by_goal: dict[int, dict[str, tuple[int, dict]]] = {}
        for row, values in self.rows(OBJECTIVES):
            found = self.parent_goal(values, OBJECTIVES, row)
            if found is None:
                continue
            goal_index, goal = found
            path = f"strategy.goals[{goal_index}].objectives[{len(goal['objectives'])}]"
            self.record(path, row, OBJECTIVES, values)
            entry = self.entry(OBJECTIVES, values, path, skip=("goal",))
            register = {name: entry.pop(name) for name in ("reference", "date", "entry") if name in entry}
            for name in ("reference", "date", "entry"):
                self.cells[f"{path}.risk_register.{name}"] = self.cells[f"{path}.{name}"]
            objective = {
                name: entry[name] for name in ("key", "title", "theme", "commitments", "aims") if name in entry
            }
            if "lead_directors" in entry:
                objective["lead_directors"] = entry["lead_directors"]
            if register:
                objective["risk_register"] = register
            if "archived" in entry:
                objective["archived"] = entry["archived"]
            objective["actions"] = []
            position = len(goal["objectives"])
            goal["objectives"].append(objective)
            names = objectives_by_goal.setdefault(goal_index, {})
            for name in (objective.get("key"), objective.get("title")):
                if isinstance(name, str):
                    names.setdefault(name.casefold(), (position, objective))
        actions_by_number: dict[tuple, dict] = {}
        for row, values in self.rows(ACTIONS):
            found = self.parent_objective(values, ACTIONS, row, objectives_by_goal)
            if found is None:
                continue
            goal_index, position, objective = found
            path = f"strategy.goals[{goal_index}].objectives[{position}].actions[{len(objective['actions'])}]"
            self.record(path, row, ACTIONS, values)
            action = self.entry(ACTIONS, values, path, skip=("goal", "objective"))
            objective["actions"].append(action)
            actions_by_number.setdefault((goal_index, position, _text(action.get("number"))), (path, action))
        for row, values in self.rows(UPDATES):
            found = self.parent_objective(values, UPDATES, row, objectives_by_goal)
            if found is None:
                continue
            goal_index, position, _objective = found
            number = _text(self.entry(UPDATES, values, "", skip=()).get("action"))
            parent = actions_by_number.get((goal_index, position, number))
            if parent is None:
                where = values.get("action", (f"Updates!{UPDATES.letter('action')}{row}", None))[0]
                self.error(where, f'there is no action "{number}" of that objective on the Actions sheet')
                continue
            action_path, action = parent
            update = self.entry(UPDATES, values, "", skip=("goal", "objective", "action", "quarter"))
            quarter = _text(values.get("quarter", ("", ""))[1])
            if not quarter:
                self.error(f"Updates!{UPDATES.letter('quarter')}{row}", "give the quarter, e.g. 2024-Q3")
                continue
            updates = action.setdefault("updates", {})
            path = f"{action_path}.updates.{quarter}"
            if quarter in updates:
                self.error(values["quarter"][0], f"the update for {quarter} of this action is given twice")
                continue
            self.record(path, row, UPDATES, values)
            updates[quarter] = update
        for goal in goals:
            if not goal["objectives"]:
                del goal["objectives"]
            for objective in goal.get("objectives", []):
                if not objective["actions"]:
                    del objective["actions"]
        return goals

    def parent_goal(self, values: dict, sheet: Sheet, row: int):
        where, name = values.get("goal", (f"{sheet.name}!{sheet.letter('goal')}{row}", None))
        if name in (None, ""):
            self.error(where, "give the goal (its key or title, from the Goals sheet)")
            return None
        found = self.goal_names.get(_text(name).casefold())
        if found is None:
            shown = sorted(goal.get("title") or goal.get("key") for _, goal in self.goal_names.values())
            close = difflib.get_close_matches(_text(name), shown, n=1, cutoff=0.6)
            hint = f' — did you mean "{close[0]}"?' if close else " — add it to the Goals sheet"
            self.error(where, f'unknown goal "{_text(name)}"{hint}')
        return found

    def parent_objective(self, values: dict, sheet: Sheet, row: int, objectives_by_goal: dict):
        found = self.parent_goal(values, sheet, row)
        if found is None:
            return None
        goal_index, goal = found
        where, name = values.get("objective", (f"{sheet.name}!{sheet.letter('objective')}{row}", None))
        if name in (None, ""):
            self.error(where, "give the objective (its key or title, from the Objectives sheet)")
            return None
        names = objectives_by_goal.get(goal_index, {})
        match = names.get(_text(name).casefold())
        if match is None:
            shown = sorted({o.get("title") or o.get("key") for _, o in names.values()})
            close = difflib.get_close_matches(_text(name), shown, n=1, cutoff=0.6)
            hint = f' — did you mean "{close[0]}"?' if close else ""
            self.error(where, f'unknown objective "{_text(name)}" of goal "{goal.get("title")}"{hint}')
            return None
        return goal_index, match[0], match[1]

    def risks(self, goals: list[dict]) -> list[dict]:
        risks = []
        for index, (row, values) in enumerate(self.rows(RISKS)):
            path = f"strategy.risks[{index}]"
            self.record(path, row, RISKS, values)
            risk = self.entry(RISKS, values, path)
            if "number" in risk:
                risk["number"] = _text(risk["number"])
            if "goals" in risk:  # goal titles become their keys; the validator checks the keys
                risk["goals"] = [
                    self.goal_names.get(name.casefold(), (0, {"key": name}))[1].get("key") or name
                    for name in risk["goals"]
                ]
            risks.append(risk)
        return risks


_AMBIGUOUS = object()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _split(value) -> list[str]:
    return [part.strip() for part in re.split(r"[;\n]", _text(value)) if part.strip()]


def _key(name: str) -> str:
    return slugify(name)[:100].strip("-_") or name


def known_people() -> dict[str, str]:
    """Names and keys (folded) of the people already in the database, to their keys."""
    known: dict[str, str] = {}
    names: dict[str, set[str]] = {}
    for key, name in m.Person.objects.values_list("key", "name"):
        known[key.casefold()] = key
        names.setdefault(name.casefold(), set()).add(key)
    for name, keys in names.items():
        known.setdefault(name, next(iter(keys)) if len(keys) == 1 else _AMBIGUOUS)
    return known

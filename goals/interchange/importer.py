"""Import a whole strategy from the YAML format of docs/import-format.md.

Two phases. `validate_document` reads the whole document and returns every problem it finds,
each naming its place (`strategy.goals[1].objectives[0].actions[2].sros[0]: unknown person "x"`);
it only reads the database, to find people and goals the document refers to without listing
them. `import_strategy` validates, then writes everything in one transaction. Rows are matched
by their natural keys and only rows whose values differ are written, so importing the same
document twice changes nothing and adds no history records.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history, get_history_manager_for_model

from goals import models as m
from goals.core.choices import (
    RAG,
    ActionStatus,
    Frequency,
    Improvement,
    PeriodState,
    ReportLayout,
    UpdateState,
    needs_rag_reason,
)
from goals.core.quarters import Quarter, parse_quarter

FROZEN_STATES = (PeriodState.LOCKED, PeriodState.PUBLISHED)

FORMAT = "strategy-tracker/1"
DOCUMENT = "(document)"  # the path of errors about the document as a whole
CHANGE_REASON = "Imported from a strategy document"

# The fields each level of the document may have, in the documented order (strict schema:
# anything else is an error, so a typo such as `titel` is caught rather than ignored).
TOP_FIELDS = ("format", "people", "strategy")
PERSON_FIELDS = ("key", "name", "job_title", "email", "titles")
TITLE_FIELDS = ("name", "job_title")
STRATEGY_FIELDS = (
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
)
PERIOD_FIELDS = ("quarter", "state", "deadline")
GOAL_FIELDS = ("key", "title", "description", "objectives_text", "objectives")
OBJECTIVE_FIELDS = (
    "key",
    "title",
    "theme",
    "commitments",
    "aims",
    "lead_directors",
    "risk_register",
    "success_measures",
    "actions",
)
RISK_REGISTER_FIELDS = ("reference", "date", "entry")
MEASURE_FIELDS = ("title", "evidence")
EVIDENCE_FIELDS = ("evidence", "impact", "next_focus", "state")
ACTION_FIELDS = ("number", "title", "description", "status", "sros", "leads", "updates")
UPDATE_FIELDS = ("rag", "progress", "impact", "next_focus", "rag_reason", "state")
RISK_FIELDS = ("number", "title", "goals", "owner", "target_score", "scores")
SCORE_FIELDS = ("score", "likelihood", "consequence")
METRIC_FIELDS = (
    "key",
    "name",
    "description",
    "unit",
    "improvement",
    "target",
    "frequency",
    "goal",
    "objective",
    "values",
)
VALUE_FIELDS = ("date", "value", "annotation", "recalculate_limits")

_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_THOUSANDS = re.compile(r"^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$")
_LAST_STEP = re.compile(r"(\.[^.\[\]]*|\[\d+\])$")
_DECIMAL_PLACES = Decimal("0.0001")  # MetricValue.value and Metric.target keep four places
_DECIMAL_LIMIT = Decimal(10) ** 10  # max_digits 14 - decimal_places 4
_ORDER_SHIFT = 10000  # moved rows park above every real position, so unique orders never clash
_BATCH = 500


def _max_length(model, name: str) -> int | None:
    return model._meta.get_field(name).max_length


# ----------------------------------------------------------------------------------------------
# Results and errors


@dataclass(frozen=True)
class DocumentError:
    """One problem in a document: where it is (`path`, and the line when read from YAML) and what."""

    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f" (line {self.line})" if self.line else ""
        return f"{self.path}: {self.message}{where}"


class StrategyImportError(ValueError):
    """The document is invalid; `errors` lists every problem. Nothing was written."""

    def __init__(self, errors: list[DocumentError]):
        self.errors = list(errors)
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(error) for error in self.errors)


@dataclass
class KindCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


# Every kind of row an import writes, in the order it writes them.
KINDS = (
    m.Person,
    m.Strategy,
    m.Period,
    m.PersonTitle,
    m.Goal,
    m.Objective,
    m.SuccessMeasure,
    m.MeasureEvidence,
    m.Action,
    m.ActionUpdate,
    m.Risk,
    m.RiskScore,
    m.Metric,
    m.MetricValue,
)


@dataclass
class ImportResult:
    """What an import did: the strategy, and rows created/updated/unchanged per model."""

    strategy: m.Strategy
    counts: dict[type, KindCounts] = field(default_factory=lambda: {model: KindCounts() for model in KINDS})

    @property
    def created(self) -> int:
        return sum(count.created for count in self.counts.values())

    @property
    def updated(self) -> int:
        return sum(count.updated for count in self.counts.values())

    @property
    def unchanged(self) -> int:
        return sum(count.unchanged for count in self.counts.values())

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def summary(self) -> str:
        return f"{self.strategy.slug}: {self.created} created, {self.updated} updated, {self.unchanged} unchanged"

    def details(self) -> list[str]:
        """One line per kind of row the document holds, e.g. "action updates: 4 created, ..."."""
        return [
            f"{model._meta.verbose_name_plural}: {count.created} created, {count.updated} updated, "
            f"{count.unchanged} unchanged"
            for model, count in self.counts.items()
            if count.created or count.updated or count.unchanged
        ]

    def __str__(self) -> str:
        return self.summary()


# ----------------------------------------------------------------------------------------------
# Public functions


def validate_document(data: dict | str) -> list[DocumentError]:
    """Every problem in `data` (a parsed document, or YAML text); an empty list when it is valid."""
    _plan, errors = _read(data)
    return errors


def import_strategy(document: dict | str, *, by=None) -> ImportResult:
    """Validate `document` (parsed, or YAML text) and write it in one transaction.

    Raises StrategyImportError listing every problem, having written nothing. `by` is the user
    recorded in the history of the rows written.
    """
    plan, errors = _read(document)
    if errors:
        raise StrategyImportError(errors)
    with transaction.atomic():
        writer = _Writer(plan, by=by)
        strategy = writer.write()
    return ImportResult(strategy=strategy, counts=writer.counts)


def _read(document) -> tuple[dict | None, list[DocumentError]]:
    lines: dict[str, int] = {}
    errors: list[DocumentError] = []
    if isinstance(document, (str, bytes)):
        data, lines, errors = load_yaml(document)
        if errors and data is None:  # not YAML at all
            return None, errors
    else:
        data = document
    validator = _Validator(lines)
    plan = validator.document(data)
    errors += validator.errors
    if errors:  # in document order (references are checked last, all together)
        positions: dict[str, int] = {}
        _index_positions(data, "", positions)
        errors.sort(key=lambda error: _nearest(positions, error.path) or 0)
    return plan, errors


def _index_positions(value, path: str, positions: dict) -> None:
    positions[path or DOCUMENT] = len(positions)
    if isinstance(value, dict):
        for key, item in value.items():
            _index_positions(item, _join(path, key), positions)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _index_positions(item, f"{path}[{index}]", positions)


def _nearest(index: dict[str, int], path: str) -> int | None:
    """The value recorded for `path` or, failing that, for its nearest recorded parent."""
    while path:
        if path in index:
            return index[path]
        shorter = _LAST_STEP.sub("", path)
        if shorter == path:
            break
        path = shorter
    return index.get(DOCUMENT)


# ----------------------------------------------------------------------------------------------
# YAML


class _Loader(yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader):
    """Safe YAML that leaves dates as text, so a bad date is reported at its place, not fatally."""

    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }


def load_yaml(text: str | bytes) -> tuple[Any, dict[str, int], list[DocumentError]]:
    """Parse YAML text: (data, {path: line}, errors). Duplicate keys are errors, not overwrites."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}, [DocumentError(DOCUMENT, "the document is empty")]
        lines: dict[str, int] = {}
        errors: list[DocumentError] = []
        _index_lines(node, "", lines, errors, set())
        data = loader.construct_document(node)  # a key given twice keeps its last value
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = exc.problem or "not valid YAML"
        context = f" ({exc.context})" if exc.context else ""
        return None, {}, [DocumentError(DOCUMENT, f"YAML syntax error{where}: {problem}{context}")]
    except (yaml.YAMLError, ValueError, RecursionError) as exc:
        return None, {}, [DocumentError(DOCUMENT, f"YAML error: {exc}")]
    finally:
        loader.dispose()
    return data, lines, errors


def _index_lines(node, path: str, lines: dict, errors: list, seen: set) -> None:
    """Record the line of every path in the node tree; report keys given twice in one mapping."""
    if id(node) in seen:  # an alias: indexed where it was defined
        return
    seen.add(id(node))
    lines.setdefault(path or DOCUMENT, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else "?"
            child = f"{path}.{key}" if path else key
            line = key_node.start_mark.line + 1
            if key in first_line:
                errors.append(DocumentError(child, f'"{key}" is given twice (first on line {first_line[key]})', line))
                continue
            first_line[key] = line
            lines[child] = line
            _index_lines(value_node, child, lines, errors, seen)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _index_lines(item, f"{path}[{index}]", lines, errors, seen)


# ----------------------------------------------------------------------------------------------
# Phase 1: validation


_MISSING = object()


def _describe(value) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value: quote it to keep it as text)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, (int, float, Decimal)):
        return f"the number {value}"
    if isinstance(value, date):
        return f"the date {value.isoformat()}"
    if isinstance(value, str):
        return f'"{value}"'
    return type(value).__name__


def _join(path: str, name) -> str:
    return f"{path}.{name}" if path else str(name)


def _suggest(value: str, known) -> str:
    known = list(known)
    slug = slugify(value)
    if slug != value and slug in known:
        return f' (did you mean "{slug}"?)'
    close = difflib.get_close_matches(value, known, n=1)
    return f' (did you mean "{close[0]}"?)' if close else ""


def _quantize(value: Decimal) -> Decimal:
    return value.quantize(_DECIMAL_PLACES, rounding=ROUND_HALF_EVEN)


class _Validator:
    """Walks a parsed document, collecting every error and building a plan for the writer.

    The plan holds cleaned values under model field names; it is only used when there is no error.
    """

    def __init__(self, lines: dict[str, int]):
        self.lines = lines
        self.errors: list[DocumentError] = []
        self.people: dict[str, str] = {}  # person key -> its path in `people`
        self.quarters: dict[Quarter, str] = {}  # period quarter -> its path in `strategy.periods`
        self.goal_keys: dict[str, set[str]] = {}  # goal key -> its objective keys
        self.person_refs: list[tuple[str, str]] = []  # (person key, path) to resolve at the end
        self.goal_refs: list[tuple[str, str]] = []
        self.objective_refs: list[tuple[str, str, str]] = []

    # -- reporting

    def error(self, path: str, message: str) -> None:
        self.errors.append(DocumentError(path, message, self._line(path)))

    def _line(self, path: str) -> int | None:
        return _nearest(self.lines, path)

    # -- shapes

    def fields(self, value, path: str, allowed: tuple[str, ...]) -> dict | None:
        """`value` as a mapping whose keys are all in `allowed`, or None (and an error)."""
        if not isinstance(value, dict):
            self.error(path or DOCUMENT, f"expected a mapping with {', '.join(allowed)}; got {_describe(value)}")
            return None
        for key in value:
            if not isinstance(key, str) or key not in allowed:
                hint = _suggest(str(key), allowed) or f"; expected one of: {', '.join(allowed)}"
                self.error(_join(path, key), f'unknown field "{key}"{hint}')
        return value

    def sequence(self, obj: dict, name: str, path: str) -> list:
        value = obj.get(name)
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(_join(path, name), f"expected a list; got {_describe(value)}")
            return []
        return value

    def present(self, obj: dict, name: str, path: str, required: bool):
        """The field's value, or _MISSING when it is absent or empty (an error if required)."""
        value = obj.get(name, _MISSING)
        if value is None or value == "" or value is _MISSING:
            if required:
                if value is _MISSING:
                    self.error(path or DOCUMENT, f'missing required field "{name}"')
                else:
                    self.error(_join(path, name), "must not be empty")
            return _MISSING
        return value

    # -- scalars

    def text_value(self, value, where: str, *, max_length: int | None = None, required=False) -> str:
        if value is None:
            value = ""
        if isinstance(value, (bool, dict, list)):
            self.error(where, f"expected text; got {_describe(value)}")
            return ""
        if isinstance(value, (int, float, Decimal)):
            value = str(value)
        elif isinstance(value, date):
            value = value.isoformat()
        elif not isinstance(value, str):
            self.error(where, f"expected text; got {_describe(value)}")
            return ""
        value = value.rstrip()
        if required and not value:
            self.error(where, "must not be empty")
        if max_length and len(value) > max_length:
            self.error(where, f"is {len(value)} characters long; the limit is {max_length}")
        return value

    def text(self, obj: dict, name: str, path: str, *, required=False, max_length=None) -> str:
        value = self.present(obj, name, path, required)
        if value is _MISSING:
            return ""
        return self.text_value(value, _join(path, name), max_length=max_length, required=required)

    def slug(self, obj: dict, name: str, path: str, *, required=False) -> str | None:
        value = self.present(obj, name, path, required)
        if value is _MISSING:
            return None
        return self.slug_value(value, _join(path, name))

    def slug_value(self, value, where: str) -> str | None:
        if not isinstance(value, str) or not _SLUG.match(value) or len(value) > 100:
            shown = value if isinstance(value, str) else str(value)
            example = slugify(shown)[:100] or "great-outcomes"
            self.error(
                where,
                f"{_describe(value)} is not a valid key: use at most 100 lower-case letters, digits, "
                f'hyphens and underscores, e.g. "{example}"',
            )
            return None
        return value

    def key(self, obj: dict, path: str, title: str) -> str | None:
        """The explicit `key`, or the slug of the title."""
        if obj.get("key") not in (None, ""):
            return self.slug(obj, "key", path)
        if not title:
            return None  # the missing title is reported already
        key = slugify(title)[:100].strip("-_")
        if not key:
            self.error(path, f'give a key: the title "{title}" makes no usable key')
            return None
        return key

    def integer_value(self, value, where: str, low: int, high: int) -> int | None:
        number = None
        if isinstance(value, bool):
            pass
        elif isinstance(value, int):
            number = value
        elif (
            (isinstance(value, float) and value.is_integer())
            or (isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value())
            or (isinstance(value, str) and re.fullmatch(r"\s*[-+]?\d+\s*", value))
        ):
            number = int(value)
        if number is None:
            self.error(where, f"expected a whole number from {low} to {high}; got {_describe(value)}")
            return None
        if not low <= number <= high:
            self.error(where, f"must be from {low} to {high}, not {number}")
            return None
        return number

    def integer(self, obj: dict, name: str, path: str, *, low: int, high: int, required=False) -> int | None:
        value = self.present(obj, name, path, required)
        if value is _MISSING:
            return None
        return self.integer_value(value, _join(path, name), low, high)

    def decimal_value(self, value, where: str) -> Decimal | None:
        number = None
        try:
            if isinstance(value, bool):
                pass
            elif isinstance(value, (int, Decimal)):
                number = Decimal(value)
            elif isinstance(value, float):
                number = Decimal(repr(value))
            elif isinstance(value, str):
                text = value.strip()
                if _THOUSANDS.match(text):
                    text = text.replace(",", "")
                number = Decimal(text)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            self.error(where, f"expected a number; got {_describe(value)}")
            return None
        if abs(number) >= _DECIMAL_LIMIT:
            self.error(where, f"{number} is too large: at most 10 digits before the decimal point")
            return None
        return _quantize(number)

    def decimal(self, obj: dict, name: str, path: str, *, required=False) -> Decimal | None:
        value = self.present(obj, name, path, required)
        if value is _MISSING:
            return None
        return self.decimal_value(value, _join(path, name))

    def date(self, obj: dict, name: str, path: str, *, required=False) -> date | None:
        value = self.present(obj, name, path, required)
        if value is _MISSING:
            return None
        where = _join(path, name)
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if isinstance(value, str) and _ISO_DATE.match(value.strip()):
            try:
                return date.fromisoformat(value.strip())
            except ValueError as exc:
                self.error(where, f'"{value}" is not a date: {exc}')
                return None
        self.error(where, f"expected a date written as YYYY-MM-DD; got {_describe(value)}")
        return None

    def boolean(self, obj: dict, name: str, path: str) -> bool:
        value = self.present(obj, name, path, False)
        if value is _MISSING:
            return False
        if not isinstance(value, bool):
            self.error(_join(path, name), f"expected true or false; got {_describe(value)}")
            return False
        return value

    def choice(self, obj: dict, name: str, path: str, choices, default: str) -> str:
        value = self.present(obj, name, path, False)
        if value is _MISSING:
            return default
        allowed = list(choices.values)
        normalised = re.sub(r"[\s-]+", "_", value.strip().lower()) if isinstance(value, str) else None
        if normalised not in allowed:
            self.error(_join(path, name), f"unknown {name} {_describe(value)}; expected one of: {', '.join(allowed)}")
            return default
        return normalised

    def rag(self, obj: dict, path: str) -> str:
        value = self.present(obj, "rag", path, False)
        if value is _MISSING:
            return ""
        allowed = list(RAG.values)
        normalised = value.strip().lower() if isinstance(value, str) else None
        if normalised not in allowed:
            self.error(
                _join(path, "rag"),
                f"unknown RAG {_describe(value)}; expected one of: {', '.join(allowed)} "
                "(or leave it empty for not rated)",
            )
            return ""
        return normalised

    def email(self, obj: dict, name: str, path: str) -> str:
        value = self.text(obj, name, path, max_length=_max_length(m.Person, "email"))
        if value:
            try:
                validate_email(value)
            except ValidationError:
                self.error(_join(path, name), f'"{value}" is not an email address')
        return value

    def quarter_value(self, value, where: str) -> Quarter | None:
        try:
            return parse_quarter(value if isinstance(value, str) else str(value))
        except ValueError as exc:
            self.error(where, str(exc))
            return None

    # -- references (resolved in `resolve_references`, once everything is read)

    def person(self, obj: dict, name: str, path: str) -> str | None:
        value = self.present(obj, name, path, False)
        if value is _MISSING:
            return None
        return self.person_value(value, _join(path, name))

    def person_value(self, value, where: str) -> str | None:
        if not isinstance(value, str):
            self.error(where, f"expected a person key; got {_describe(value)}")
            return None
        self.person_refs.append((value, where))
        return value

    def person_list(self, obj: dict, name: str, path: str) -> list[str]:
        keys = []
        for index, value in enumerate(self.sequence(obj, name, path)):
            where = f"{_join(path, name)}[{index}]"
            key = self.person_value(value, where)
            if key in keys:
                self.error(where, f'person "{key}" is listed twice')
            elif key:
                keys.append(key)
        return keys

    def by_quarter(self, obj: dict, name: str, path: str) -> list[tuple[Quarter, str, Any]]:
        """Entries of a mapping keyed by quarter, each a quarter of `strategy.periods`."""
        value = obj.get(name)
        if value is None:
            return []
        where = _join(path, name)
        if not isinstance(value, dict):
            self.error(where, f"expected a mapping of quarter (e.g. 2024-Q2) to entry; got {_describe(value)}")
            return []
        entries, seen = [], {}
        for raw, item in value.items():
            child = f"{where}.{raw}"
            quarter = self.quarter_value(raw, child)
            if quarter is None:
                continue
            if quarter in seen:
                self.error(child, f"quarter {quarter.slug} is given twice (also as {seen[quarter]})")
                continue
            seen[quarter] = child
            if quarter not in self.quarters:
                self.error(child, f"quarter {quarter.slug} is not in strategy.periods")
            entries.append((quarter, child, item))
        return entries

    # -- the document, level by level

    def document(self, data) -> dict | None:
        if not isinstance(data, dict):
            self.error(DOCUMENT, f"expected a mapping with format, people and strategy; got {_describe(data)}")
            return None
        self.fields(data, "", TOP_FIELDS)
        if "format" not in data:
            self.error(DOCUMENT, f'missing required field "format" (write: format: {FORMAT})')
        elif data["format"] != FORMAT:
            self.error("format", f'expected "{FORMAT}"; got {_describe(data["format"])}')
        strategy = data.get("strategy", _MISSING)
        if strategy is _MISSING:
            self.error(DOCUMENT, 'missing required field "strategy"')
            strategy = None
        elif self.fields(strategy, "strategy", STRATEGY_FIELDS) is None:
            strategy = None
        # Periods first: people's titles and every update refer to them.
        periods = self.periods(strategy) if strategy is not None else []
        people = [
            self.person_entry(item, f"people[{index}]") for index, item in enumerate(self.sequence(data, "people", ""))
        ]
        plan = self.strategy(strategy, periods) if strategy is not None else None
        self.resolve_references(plan["slug"] if plan else None)
        return {
            "people": [person for person in people if person],
            "referenced_people": {key for key, _ in self.person_refs},
            "strategy": plan,
        }

    def person_entry(self, item, path: str) -> dict | None:
        obj = self.fields(item, path, PERSON_FIELDS)
        if obj is None:
            return None
        key = self.slug(obj, "key", path, required=True)
        if key in self.people:
            self.error(_join(path, "key"), f'duplicate person key "{key}" (also {self.people[key]})')
        elif key:
            self.people[key] = path
        name = self.text(obj, "name", path, required=True, max_length=_max_length(m.Person, "name"))
        plan = {
            "key": key,
            "fields": {
                "name": name,
                "job_title": self.text(obj, "job_title", path, max_length=_max_length(m.Person, "job_title")),
                "email": self.email(obj, "email", path),
            },
            "titles": [],
        }
        for quarter, where, value in self.by_quarter(obj, "titles", path):
            if isinstance(value, dict):
                title = self.fields(value, where, TITLE_FIELDS)
                title_name = self.text(title, "name", where, max_length=_max_length(m.PersonTitle, "name")) or name
                job_title = self.text(title, "job_title", where, max_length=_max_length(m.PersonTitle, "job_title"))
            else:
                title_name = name
                job_title = self.text_value(value, where, max_length=_max_length(m.PersonTitle, "job_title"))
            plan["titles"].append((quarter, {"name": title_name, "job_title": job_title}))
        return plan

    def periods(self, strategy: dict) -> list[tuple[Quarter, dict]]:
        periods = []
        for index, item in enumerate(self.sequence(strategy, "periods", "strategy")):
            path = f"strategy.periods[{index}]"
            obj = self.fields(item, path, PERIOD_FIELDS)
            if obj is None:
                continue
            value = self.present(obj, "quarter", path, True)
            quarter = None if value is _MISSING else self.quarter_value(value, _join(path, "quarter"))
            state = self.choice(obj, "state", path, PeriodState, PeriodState.PLANNED)
            deadline = self.date(obj, "deadline", path)
            if state == PeriodState.OPEN and deadline is None and obj.get("deadline") in (None, ""):
                self.error(path, "an open period needs a deadline (add deadline: YYYY-MM-DD)")
            if quarter is None:
                continue
            if quarter in self.quarters:
                self.error(
                    _join(path, "quarter"), f"quarter {quarter.slug} is listed twice (also {self.quarters[quarter]})"
                )
                continue
            self.quarters[quarter] = path
            periods.append((quarter, {"state": state, "deadline": deadline}))
        return periods

    def strategy(self, obj: dict, periods) -> dict:
        path = "strategy"
        statements = [
            self.text_value(value, f"strategy.success_statements[{index}]", required=True)
            for index, value in enumerate(self.sequence(obj, "success_statements", path))
        ]
        plan = {
            "slug": self.slug(obj, "slug", path, required=True),
            "fields": {
                "name": self.text(obj, "name", path, required=True, max_length=_max_length(m.Strategy, "name")),
                "organisation": self.text(
                    obj, "organisation", path, required=True, max_length=_max_length(m.Strategy, "organisation")
                ),
                "years": self.text(obj, "years", path, max_length=_max_length(m.Strategy, "years")),
                "vision": self.text(obj, "vision", path),
                "default_layout": self.choice(obj, "default_layout", path, ReportLayout, ReportLayout.PROGRESS),
                "success_statements": statements,
            },
            "sro": self.person(obj, "sro", path),
            "periods": periods,
        }
        goals, seen = [], {}
        for index, item in enumerate(self.sequence(obj, "goals", path)):
            goal = self.goal(item, f"strategy.goals[{index}]", seen)
            if goal:
                goals.append(goal)
        plan["goals"] = goals
        seen = {}
        plan["risks"] = [
            risk
            for index, item in enumerate(self.sequence(obj, "risks", path))
            if (risk := self.risk(item, f"strategy.risks[{index}]", seen))
        ]
        seen = {}
        plan["metrics"] = [
            metric
            for index, item in enumerate(self.sequence(obj, "metrics", path))
            if (metric := self.metric(item, f"strategy.metrics[{index}]", seen))
        ]
        return plan

    def goal(self, item, path: str, seen: dict) -> dict | None:
        obj = self.fields(item, path, GOAL_FIELDS)
        if obj is None:
            return None
        title = self.text(obj, "title", path, required=True, max_length=_max_length(m.Goal, "title"))
        key = self.key(obj, path, title)
        if key in seen:
            self.error(path, f'duplicate goal key "{key}" (also {seen[key]}); give each goal its own key')
        elif key:
            seen[key] = path
            self.goal_keys[key] = set()
        objectives, objective_paths = [], {}
        for index, entry in enumerate(self.sequence(obj, "objectives", path)):
            objective = self.objective(entry, f"{path}.objectives[{index}]", objective_paths)
            if objective:
                objectives.append(objective)
        if key in self.goal_keys:
            self.goal_keys[key] = set(objective_paths)
        return {
            "key": key,
            "fields": {
                "title": title,
                "description": self.text(obj, "description", path),
                "objectives_text": self.text(obj, "objectives_text", path),
            },
            "objectives": objectives,
        }

    def objective(self, item, path: str, seen: dict) -> dict | None:
        obj = self.fields(item, path, OBJECTIVE_FIELDS)
        if obj is None:
            return None
        title = self.text(obj, "title", path, required=True, max_length=_max_length(m.Objective, "title"))
        key = self.key(obj, path, title)
        if key in seen:
            self.error(path, f'duplicate objective key "{key}" (also {seen[key]}); give each objective its own key')
        elif key:
            seen[key] = path
        register = {"reference": "", "date": "", "entry": ""}
        if obj.get("risk_register") is not None:
            where = _join(path, "risk_register")
            entry = self.fields(obj["risk_register"], where, RISK_REGISTER_FIELDS)
            if entry is not None:
                register = {
                    "reference": self.text(
                        entry, "reference", where, max_length=_max_length(m.Objective, "risk_register_reference")
                    ),
                    "date": self.text(entry, "date", where, max_length=_max_length(m.Objective, "risk_register_date")),
                    "entry": self.text(entry, "entry", where),
                }
        measures = []
        for index, entry in enumerate(self.sequence(obj, "success_measures", path)):
            measure = self.measure(entry, f"{path}.success_measures[{index}]")
            if measure:
                measures.append(measure)
        actions, numbers = [], {}
        for index, entry in enumerate(self.sequence(obj, "actions", path)):
            action = self.action(entry, f"{path}.actions[{index}]", numbers)
            if action:
                actions.append(action)
        return {
            "key": key,
            "fields": {
                "title": title,
                "theme": self.text(obj, "theme", path, max_length=_max_length(m.Objective, "theme")),
                "commitments": self.text(obj, "commitments", path),
                "aims": self.text(obj, "aims", path),
                "risk_register_reference": register["reference"],
                "risk_register_date": register["date"],
                "risk_register_entry": register["entry"],
            },
            "lead_directors": self.person_list(obj, "lead_directors", path),
            "measures": measures,
            "actions": actions,
        }

    def measure(self, item, path: str) -> dict | None:
        obj = self.fields(item, path, MEASURE_FIELDS)
        if obj is None:
            return None
        evidence = []
        for quarter, where, value in self.by_quarter(obj, "evidence", path):
            entry = self.fields(value, where, EVIDENCE_FIELDS)
            if entry is None:
                continue
            evidence.append(
                (
                    quarter,
                    {
                        "evidence": self.text(entry, "evidence", where, max_length=m.TEXT_LIMIT * 2),
                        "impact": self.text(entry, "impact", where, max_length=m.TEXT_LIMIT),
                        "next_focus": self.text(entry, "next_focus", where, max_length=m.TEXT_LIMIT),
                        "state": self.choice(entry, "state", where, UpdateState, UpdateState.APPROVED),
                    },
                )
            )
        return {"fields": {"title": self.text(obj, "title", path)}, "evidence": evidence}

    def action(self, item, path: str, seen: dict) -> dict | None:
        obj = self.fields(item, path, ACTION_FIELDS)
        if obj is None:
            return None
        number = self.integer(obj, "number", path, low=1, high=32767, required=True)
        if number in seen:
            self.error(_join(path, "number"), f"duplicate action number {number} (also {seen[number]})")
        elif number is not None:
            seen[number] = path
        updates = []
        for quarter, where, value in self.by_quarter(obj, "updates", path):
            update = self.update(value, where)
            if update:
                updates.append((quarter, update))
        return {
            "number": number,
            "fields": {
                "title": self.text(obj, "title", path, required=True),
                "description": self.text(obj, "description", path),
                "status": self.choice(obj, "status", path, ActionStatus, ActionStatus.ACTIVE),
            },
            "sros": self.person_list(obj, "sros", path),
            "leads": self.person_list(obj, "leads", path),
            "updates": updates,
        }

    def update(self, value, path: str) -> dict | None:
        obj = self.fields(value, path, UPDATE_FIELDS)
        if obj is None:
            return None
        update = {
            "rag": self.rag(obj, path),
            "progress": self.text(obj, "progress", path, max_length=m.TEXT_LIMIT),
            "impact": self.text(obj, "impact", path, max_length=m.TEXT_LIMIT),
            "next_focus": self.text(obj, "next_focus", path, max_length=m.TEXT_LIMIT),
            "rag_reason": self.text(obj, "rag_reason", path, max_length=m.TEXT_LIMIT),
            "state": self.choice(obj, "state", path, UpdateState, UpdateState.APPROVED),
        }
        # The same rule as ActionUpdate.clean(): a submitted Amber or Red says why.
        if needs_rag_reason(update["rag"], update["rag_reason"]) and update["state"] != UpdateState.DRAFT:
            self.error(path, f"missing rag_reason: a {update['rag']} rating needs a reason unless its state is draft")
        return update

    def risk(self, item, path: str, seen: dict) -> dict | None:
        obj = self.fields(item, path, RISK_FIELDS)
        if obj is None:
            return None
        number = self.text(obj, "number", path, required=True, max_length=_max_length(m.Risk, "number"))
        if number in seen:
            self.error(_join(path, "number"), f'duplicate risk number "{number}" (also {seen[number]})')
        elif number:
            seen[number] = path
        goals = []
        for index, value in enumerate(self.sequence(obj, "goals", path)):
            where = f"{path}.goals[{index}]"
            if not isinstance(value, str):
                self.error(where, f"expected a goal key; got {_describe(value)}")
            elif value in goals:
                self.error(where, f'goal "{value}" is listed twice')
            else:
                goals.append(value)
                self.goal_refs.append((value, where))
        scores = []
        for quarter, where, value in self.by_quarter(obj, "scores", path):
            score = self.score(value, where)
            if score:
                scores.append((quarter, score))
        return {
            "number": number,
            "fields": {
                "title": self.text(obj, "title", path, required=True),
                "target_score": self.integer(obj, "target_score", path, low=1, high=25),
            },
            "owner": self.person(obj, "owner", path),
            "goals": goals,
            "scores": scores,
        }

    def score(self, value, path: str) -> dict | None:
        if not isinstance(value, dict):
            if value is None or isinstance(value, list):
                self.error(
                    path, f"expected a score from 1 to 25 or {{likelihood, consequence}}; got {_describe(value)}"
                )
                return None
            score = self.integer_value(value, path, 1, 25)
            return {"score": score, "likelihood": None, "consequence": None} if score else None
        obj = self.fields(value, path, SCORE_FIELDS)
        score = self.integer(obj, "score", path, low=1, high=25)
        likelihood = self.integer(obj, "likelihood", path, low=1, high=5)
        consequence = self.integer(obj, "consequence", path, low=1, high=5)
        given = {name for name in SCORE_FIELDS if obj.get(name) not in (None, "")}
        if ("likelihood" in given) != ("consequence" in given):
            self.error(path, "give both likelihood and consequence, or neither")
            return None
        if not given:
            self.error(path, "give a score, or likelihood and consequence")
            return None
        if likelihood and consequence:
            product = likelihood * consequence
            if score is None and "score" not in given:
                score = product
            elif score is not None and score != product:
                self.error(path, f"likelihood × consequence is {likelihood} × {consequence} = {product}, not {score}")
                return None
        if score is None:
            return None
        return {"score": score, "likelihood": likelihood, "consequence": consequence}

    def metric(self, item, path: str, seen: dict) -> dict | None:
        obj = self.fields(item, path, METRIC_FIELDS)
        if obj is None:
            return None
        key = self.slug(obj, "key", path, required=True)
        if key in seen:
            self.error(_join(path, "key"), f'duplicate metric key "{key}" (also {seen[key]})')
        elif key:
            seen[key] = path
        goal = self.present(obj, "goal", path, False)
        if goal is not _MISSING:
            if isinstance(goal, str):
                self.goal_refs.append((goal, _join(path, "goal")))
            else:
                self.error(_join(path, "goal"), f"expected a goal key; got {_describe(goal)}")
                goal = _MISSING
        objective = self.present(obj, "objective", path, False)
        if objective is not _MISSING:
            where = _join(path, "objective")
            if isinstance(objective, str) and objective.count("/") == 1:
                goal_key, objective_key = objective.split("/")
                self.objective_refs.append((goal_key, objective_key, where))
                objective = (goal_key, objective_key)
            else:
                self.error(where, f"expected goal-key/objective-key; got {_describe(objective)}")
                objective = _MISSING
        values, dates = [], {}
        for index, entry in enumerate(self.sequence(obj, "values", path)):
            where = f"{path}.values[{index}]"
            value = self.fields(entry, where, VALUE_FIELDS)
            if value is None:
                continue
            day = self.date(value, "date", where, required=True)
            if day in dates:
                self.error(_join(where, "date"), f"duplicate date {day.isoformat()} (also {dates[day]})")
            elif day:
                dates[day] = where
            values.append(
                (
                    day,
                    {
                        "value": self.decimal(value, "value", where, required=True),
                        "annotation": self.text(
                            value, "annotation", where, max_length=_max_length(m.MetricValue, "annotation")
                        ),
                        "recalculate_limits": self.boolean(value, "recalculate_limits", where),
                    },
                )
            )
        return {
            "key": key,
            "fields": {
                "name": self.text(obj, "name", path, required=True, max_length=_max_length(m.Metric, "name")),
                "description": self.text(obj, "description", path),
                "unit": self.text(obj, "unit", path, max_length=_max_length(m.Metric, "unit")),
                "improvement": self.choice(obj, "improvement", path, Improvement, Improvement.NEITHER),
                "target": self.decimal(obj, "target", path),
                "frequency": self.choice(obj, "frequency", path, Frequency, Frequency.MONTHLY),
            },
            "goal": None if goal is _MISSING else goal,
            "objective": None if objective is _MISSING else objective,
            "values": values,
        }

    def resolve_references(self, strategy_slug: str | None) -> None:
        """Report references to people and goals that neither the document nor the database has."""
        missing = {key for key, _ in self.person_refs if key not in self.people}
        found = set(m.Person.objects.filter(key__in=missing).values_list("key", flat=True)) if missing else set()
        for key, where in self.person_refs:
            if key not in self.people and key not in found:
                self.error(where, f'unknown person "{key}"{_suggest(key, self.people)}')

        goals = {key: set(objectives) for key, objectives in self.goal_keys.items()}
        unresolved = [key for key, _ in self.goal_refs if key not in goals]
        unresolved += [(g, o) for g, o, _ in self.objective_refs if o not in goals.get(g, ())]
        if unresolved and strategy_slug:  # goals kept in the database from an earlier import
            for goal_key, objective_key in m.Objective.objects.filter(goal__strategy__slug=strategy_slug).values_list(
                "goal__key", "key"
            ):
                goals.setdefault(goal_key, set()).add(objective_key)
            for goal_key in m.Goal.objects.filter(strategy__slug=strategy_slug).values_list("key", flat=True):
                goals.setdefault(goal_key, set())
        for key, where in self.goal_refs:
            if key not in goals:
                self.error(where, f'unknown goal "{key}"{_suggest(key, goals)}')
        for goal_key, objective_key, where in self.objective_refs:
            if objective_key not in goals.get(goal_key, ()):
                reference = f"{goal_key}/{objective_key}"
                known = [f"{g}/{o}" for g, objectives in goals.items() for o in objectives]
                self.error(where, f'unknown objective "{reference}"{_suggest(reference, known)}')


# ----------------------------------------------------------------------------------------------
# Phase 2: writing


CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


def _has_history(model) -> bool:
    return hasattr(model._meta, "simple_history_manager_attribute")


def _place(mentioned: list, existing: dict) -> tuple[dict, dict]:
    """Positions (from 1) for the rows a document lists, in its order, and new positions for the
    rows it does not list that would otherwise clash (those keep their relative order, after)."""
    orders = {key: position for position, key in enumerate(mentioned, start=1)}
    next_free = len(mentioned) + 1
    moved = {}
    unlisted = sorted((row.order, key) for key, row in existing.items() if key not in orders)
    for order, key in unlisted:
        new = max(order, next_free)
        next_free = new + 1
        if new != order:
            moved[key] = new
    return orders, moved


def _update_rows(model, rows: list, field_names: list[str]) -> None:
    """Save `field_names` of `rows`: one UPDATE statement run for every row (executemany).

    QuerySet.bulk_update builds a CASE expression per field per row, which takes minutes for
    tens of thousands of updates; this takes seconds on both SQLite and PostgreSQL.
    """
    fields = [model._meta.get_field(name) for name in field_names]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    sql = f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {quote(model._meta.pk.column)} = %s"
    params = [
        [field.get_db_prep_save(getattr(row, field.attname), connection) for field in fields] + [row.pk] for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


class _Writer:
    """Writes a validated plan: prefetches each kind's rows once, then bulk-creates and
    bulk-updates only what differs."""

    def __init__(self, plan: dict, *, by=None):
        self.plan = plan
        self.user = by if getattr(by, "pk", None) else None
        self.now = timezone.now()
        self.counts = {model: KindCounts() for model in KINDS}
        self.new_strategy = False

    # -- generic parts

    def sync(self, model, existing: dict, wanted: dict, *, on_create=None, on_update=None) -> tuple[dict, dict]:
        """Make rows match `wanted` ({natural key: field values}); write only rows that differ.

        Returns ({natural key: row}, {natural key: CREATED | UPDATED | UNCHANGED}).
        """
        rows, status = {}, {}
        creates, updates, moving, changed_fields = [], [], [], set()
        for key, values in wanted.items():
            row = existing.get(key)
            if row is None:
                row = model(**values)
                if on_create:
                    on_create(row)
                creates.append(row)
                status[key] = CREATED
            else:
                changed = [name for name, value in values.items() if getattr(row, name) != value]
                if changed:
                    if "order" in changed:
                        moving.append(row.pk)
                    for name in changed:
                        setattr(row, name, values[name])
                    changed_fields.update(changed)
                    if on_update:
                        changed_fields.update(on_update(row))
                    updates.append(row)
                    status[key] = UPDATED
                else:
                    status[key] = UNCHANGED
            rows[key] = row
        if moving:  # park moved rows first, so no two rows hold one position mid-update
            for start in range(0, len(moving), _BATCH):
                model.objects.filter(pk__in=moving[start : start + _BATCH]).update(order=F("order") + _ORDER_SHIFT)
        if updates:
            _update_rows(model, updates, sorted(changed_fields))
            if _has_history(model):
                get_history_manager_for_model(model).bulk_history_create(
                    updates,
                    update=True,
                    batch_size=_BATCH,
                    default_user=self.user,
                    default_change_reason=CHANGE_REASON,
                )
        if creates:
            if _has_history(model):
                bulk_create_with_history(
                    creates, model, batch_size=_BATCH, default_user=self.user, default_change_reason=CHANGE_REASON
                )
            else:
                model.objects.bulk_create(creates, batch_size=_BATCH)
        return rows, status

    def sync_m2m(self, model, name: str, owner_filter: dict, wanted: dict[int, list[int]]) -> set[int]:
        """Set each owner's `name` relation to exactly the wanted ids; return the owners changed."""
        relation = model._meta.get_field(name)
        through = relation.remote_field.through
        source, target = f"{relation.m2m_field_name()}_id", f"{relation.m2m_reverse_field_name()}_id"
        current: dict[int, dict[int, int]] = defaultdict(dict)
        if not self.new_strategy:
            for pk, owner, other in through.objects.filter(**owner_filter).values_list("pk", source, target):
                current[owner][other] = pk
        creates, deletes, changed = [], [], set()
        for owner, targets in wanted.items():
            have = current.get(owner, {})
            want = set(targets)
            for other in targets:
                if other not in have:
                    creates.append(through(**{source: owner, target: other}))
                    changed.add(owner)
            for other, pk in have.items():
                if other not in want:
                    deletes.append(pk)
                    changed.add(owner)
        for start in range(0, len(deletes), _BATCH):
            through.objects.filter(pk__in=deletes[start : start + _BATCH]).delete()
        through.objects.bulk_create(creates, batch_size=_BATCH)
        return changed

    def count(self, model, rows: dict, status: dict, m2m_changed: set[int] = frozenset()) -> None:
        counts = self.counts[model]
        for key, state in status.items():
            if state == UNCHANGED and rows[key].pk in m2m_changed:
                state = UPDATED
            setattr(counts, state, getattr(counts, state) + 1)

    def existing(self, queryset, key) -> dict:
        if self.new_strategy:
            return {}
        return {key(row): row for row in queryset}

    def stamp_update(self, row) -> list[str]:
        """An imported change to an update or evidence is a save like any other: bump its version."""
        self.refuse_if_frozen(row)
        row.version += 1
        row.updated_at = self.now
        row.updated_by = self.user
        return ["version", "updated_at", "updated_by"]

    def stamp_create(self, row) -> None:
        self.refuse_if_frozen(row)
        row.updated_by = self.user

    def refuse_if_frozen_fields(self, row) -> list[str]:
        self.refuse_if_frozen(row)
        return []

    def refuse_if_frozen(self, row) -> None:
        label = self.frozen_periods.get(row.period_id)
        if label:
            what = f"action {row.action_id}" if isinstance(row, m.ActionUpdate) else str(row._meta.verbose_name)
            self.frozen_errors.append(
                DocumentError(
                    f"strategy.periods[{label}]",
                    f"{label} is locked or published: its {what} entry cannot change by import (re-open it first)",
                )
            )

    # -- the document, kind by kind

    def write(self) -> m.Strategy:
        self.frozen_periods, self.frozen_errors = {}, []
        strategy = self._write()
        if self.frozen_errors:
            raise StrategyImportError(self.frozen_errors)  # inside the transaction: nothing is kept
        return strategy

    def _write(self) -> m.Strategy:
        people = self.write_people()
        strategy = self.write_strategy(people)
        periods = self.write_periods(strategy)
        self.write_titles(strategy, people, periods)
        objectives = self.write_goals(strategy, people)
        measures = self.write_measures(strategy, objectives)
        self.write_evidence(strategy, measures, periods)
        actions = self.write_actions(strategy, objectives, people)
        self.write_updates(strategy, actions, periods)
        goals = {goal.key: goal for goal in m.Goal.objects.filter(strategy=strategy)}
        self.write_risks(strategy, goals, people, periods)
        self.write_metrics(strategy, goals, periods)
        return strategy

    def write_people(self) -> dict[str, m.Person]:
        listed = self.plan["people"]
        keys = {person["key"] for person in listed} | self.plan["referenced_people"]
        existing = {person.key: person for person in m.Person.objects.filter(key__in=keys)}
        wanted = {person["key"]: {"key": person["key"], **person["fields"]} for person in listed}
        rows, status = self.sync(m.Person, existing, wanted)
        self.count(m.Person, rows, status)
        return {**existing, **rows}

    def write_strategy(self, people) -> m.Strategy:
        plan = self.plan["strategy"]
        existing = {row.slug: row for row in m.Strategy.objects.filter(slug=plan["slug"])}
        self.new_strategy = not existing
        sro = people[plan["sro"]].pk if plan["sro"] else None
        wanted = {plan["slug"]: {"slug": plan["slug"], **plan["fields"], "sro_id": sro}}
        rows, status = self.sync(m.Strategy, existing, wanted)
        self.count(m.Strategy, rows, status)
        return rows[plan["slug"]]

    def write_periods(self, strategy) -> dict[Quarter, m.Period]:
        existing = self.existing(m.Period.objects.filter(strategy=strategy), lambda p: Quarter(p.year, p.quarter))
        # Locked and published quarters are frozen: an import may repeat them but not change them,
        # and it cannot re-open one (that needs a recorded reason, through the programme office).
        self.frozen_periods = {p.pk: p.label for p in existing.values() if p.state in FROZEN_STATES}
        for quarter, values in self.plan["strategy"]["periods"]:
            period = existing.get(quarter)
            if period and period.pk in self.frozen_periods and values.get("state") not in FROZEN_STATES:
                self.frozen_errors.append(
                    DocumentError(
                        f"strategy.periods[{quarter.slug}]",
                        f"{period.label} is {period.state}: re-open it in the app (with a reason) instead of by import",
                    )
                )
        wanted = {
            quarter: {"strategy_id": strategy.pk, "year": quarter.year, "quarter": quarter.quarter, **values}
            for quarter, values in self.plan["strategy"]["periods"]
        }
        rows, status = self.sync(m.Period, existing, wanted)
        self.count(m.Period, rows, status)
        return {**existing, **rows}

    def write_titles(self, strategy, people, periods) -> None:
        existing = self.existing(
            m.PersonTitle.objects.filter(period__strategy=strategy), lambda t: (t.person_id, t.period_id)
        )
        wanted = {}
        for person in self.plan["people"]:
            person_id = people[person["key"]].pk
            for quarter, values in person["titles"]:
                period_id = periods[quarter].pk
                wanted[(person_id, period_id)] = {"person_id": person_id, "period_id": period_id, **values}
        rows, status = self.sync(m.PersonTitle, existing, wanted)
        self.count(m.PersonTitle, rows, status)

    def write_goals(self, strategy, people) -> dict[tuple[str, str], m.Objective]:
        plans = self.plan["strategy"]["goals"]
        existing = self.existing(m.Goal.objects.filter(strategy=strategy), lambda g: g.key)
        orders, moved = _place([goal["key"] for goal in plans], existing)
        wanted = {
            goal["key"]: {
                "strategy_id": strategy.pk,
                "key": goal["key"],
                "order": orders[goal["key"]],
                **goal["fields"],
            }
            for goal in plans
        }
        wanted.update({key: {"order": order} for key, order in moved.items()})
        goal_rows, status = self.sync(m.Goal, existing, wanted)
        self.count(m.Goal, goal_rows, {key: status[key] for key in orders})

        existing_objectives = self.existing(
            m.Objective.objects.filter(goal__strategy=strategy), lambda o: (o.goal_id, o.key)
        )
        by_goal = defaultdict(dict)
        for (goal_id, key), row in existing_objectives.items():
            by_goal[goal_id][key] = row
        wanted, listed = {}, []
        for goal in plans:
            goal_id = goal_rows[goal["key"]].pk
            orders, moved = _place([objective["key"] for objective in goal["objectives"]], by_goal[goal_id])
            for objective in goal["objectives"]:
                natural = (goal_id, objective["key"])
                listed.append(natural)
                wanted[natural] = {
                    "goal_id": goal_id,
                    "key": objective["key"],
                    "order": orders[objective["key"]],
                    **objective["fields"],
                }
            wanted.update({(goal_id, key): {"order": order} for key, order in moved.items()})
        rows, status = self.sync(m.Objective, existing_objectives, wanted)
        changed = self.sync_m2m(
            m.Objective,
            "lead_directors",
            {"objective__goal__strategy": strategy},
            {
                rows[(goal_rows[goal["key"]].pk, objective["key"])].pk: [
                    people[key].pk for key in objective["lead_directors"]
                ]
                for goal in plans
                for objective in goal["objectives"]
            },
        )
        self.count(m.Objective, rows, {key: status[key] for key in listed}, changed)
        return {
            (goal["key"], objective["key"]): rows[(goal_rows[goal["key"]].pk, objective["key"])]
            for goal in plans
            for objective in goal["objectives"]
        }

    def _each_objective(self):
        for goal in self.plan["strategy"]["goals"]:
            for objective in goal["objectives"]:
                yield (goal["key"], objective["key"]), objective

    def write_measures(self, strategy, objectives) -> dict[tuple, m.SuccessMeasure]:
        existing = self.existing(
            m.SuccessMeasure.objects.filter(objective__goal__strategy=strategy), lambda s: (s.objective_id, s.order)
        )
        wanted, plans = {}, {}
        for natural, objective in self._each_objective():
            objective_id = objectives[natural].pk
            for order, measure in enumerate(objective["measures"], start=1):
                wanted[(objective_id, order)] = {"objective_id": objective_id, "order": order, **measure["fields"]}
                plans[(objective_id, order)] = measure
        rows, status = self.sync(m.SuccessMeasure, existing, wanted)
        self.count(m.SuccessMeasure, rows, status)
        self.measure_plans = plans
        return rows

    def write_evidence(self, strategy, measures, periods) -> None:
        existing = self.existing(
            m.MeasureEvidence.objects.filter(measure__objective__goal__strategy=strategy),
            lambda e: (e.measure_id, e.period_id),
        )
        wanted = {}
        for natural, measure in self.measure_plans.items():
            measure_id = measures[natural].pk
            for quarter, values in measure["evidence"]:
                period_id = periods[quarter].pk
                wanted[(measure_id, period_id)] = {"measure_id": measure_id, "period_id": period_id, **values}
        rows, status = self.sync(
            m.MeasureEvidence, existing, wanted, on_create=self.stamp_create, on_update=self.stamp_update
        )
        self.count(m.MeasureEvidence, rows, status)

    def write_actions(self, strategy, objectives, people) -> dict[tuple, m.Action]:
        existing = self.existing(
            m.Action.objects.filter(objective__goal__strategy=strategy), lambda a: (a.objective_id, a.number)
        )
        wanted, plans = {}, {}
        for natural, objective in self._each_objective():
            objective_id = objectives[natural].pk
            for action in objective["actions"]:
                key = (objective_id, action["number"])
                wanted[key] = {"objective_id": objective_id, "number": action["number"], **action["fields"]}
                plans[key] = action
        rows, status = self.sync(m.Action, existing, wanted)
        changed = set()
        for relation in ("sros", "leads"):
            changed |= self.sync_m2m(
                m.Action,
                relation,
                {"action__objective__goal__strategy": strategy},
                {rows[key].pk: [people[k].pk for k in action[relation]] for key, action in plans.items()},
            )
        self.count(m.Action, rows, status, changed)
        self.action_plans = plans
        return rows

    def write_updates(self, strategy, actions, periods) -> None:
        existing = self.existing(
            m.ActionUpdate.objects.filter(action__objective__goal__strategy=strategy),
            lambda u: (u.action_id, u.period_id),
        )
        wanted = {}
        for key, action in self.action_plans.items():
            action_id = actions[key].pk
            for quarter, values in action["updates"]:
                period_id = periods[quarter].pk
                wanted[(action_id, period_id)] = {"action_id": action_id, "period_id": period_id, **values}
        rows, status = self.sync(
            m.ActionUpdate, existing, wanted, on_create=self.stamp_create, on_update=self.stamp_update
        )
        self.count(m.ActionUpdate, rows, status)

    def write_risks(self, strategy, goals, people, periods) -> None:
        plans = self.plan["strategy"]["risks"]
        existing = self.existing(m.Risk.objects.filter(strategy=strategy), lambda r: r.number)
        wanted = {
            risk["number"]: {
                "strategy_id": strategy.pk,
                "number": risk["number"],
                **risk["fields"],
                "owner_id": people[risk["owner"]].pk if risk["owner"] else None,
            }
            for risk in plans
        }
        rows, status = self.sync(m.Risk, existing, wanted)
        changed = self.sync_m2m(
            m.Risk,
            "goals",
            {"risk__strategy": strategy},
            {rows[risk["number"]].pk: [goals[key].pk for key in risk["goals"]] for risk in plans},
        )
        self.count(m.Risk, rows, status, changed)

        existing = self.existing(
            m.RiskScore.objects.filter(risk__strategy=strategy), lambda s: (s.risk_id, s.period_id)
        )
        wanted = {}
        for risk in plans:
            risk_id = rows[risk["number"]].pk
            for quarter, values in risk["scores"]:
                period_id = periods[quarter].pk
                wanted[(risk_id, period_id)] = {"risk_id": risk_id, "period_id": period_id, **values}
        rows, status = self.sync(
            m.RiskScore, existing, wanted, on_create=self.refuse_if_frozen, on_update=self.refuse_if_frozen_fields
        )
        self.count(m.RiskScore, rows, status)

    def write_metrics(self, strategy, goals, periods) -> None:
        plans = self.plan["strategy"]["metrics"]
        objectives = {}
        if any(metric["objective"] for metric in plans):
            objectives = {
                (objective.goal.key, objective.key): objective
                for objective in m.Objective.objects.filter(goal__strategy=strategy).select_related("goal")
            }
        existing = self.existing(m.Metric.objects.filter(strategy=strategy), lambda r: r.key)
        wanted = {
            metric["key"]: {
                "strategy_id": strategy.pk,
                "key": metric["key"],
                **metric["fields"],
                "goal_id": goals[metric["goal"]].pk if metric["goal"] else None,
                "objective_id": objectives[metric["objective"]].pk if metric["objective"] else None,
            }
            for metric in plans
        }
        rows, status = self.sync(m.Metric, existing, wanted)
        self.count(m.Metric, rows, status)

        existing = self.existing(
            m.MetricValue.objects.filter(metric__strategy=strategy), lambda v: (v.metric_id, v.date)
        )
        wanted = {}
        for metric in plans:
            metric_id = rows[metric["key"]].pk
            for day, values in metric["values"]:
                wanted[(metric_id, day)] = {"metric_id": metric_id, "date": day, **values}
        rows, status = self.sync(m.MetricValue, existing, wanted)
        self.count(m.MetricValue, rows, status)

"""Validating a whole strategy document: every error, each naming its place.

`read_document` parses (YAML text through the loader) and walks the whole document, collecting
every problem and building a plan for the writer (cleaned values under model field names). It
only reads the database, to find people and goals the document refers to without listing them.
"""

from __future__ import annotations

import difflib
import re
from datetime import date, datetime
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.text import slugify

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
from goals.interchange.loader import load_yaml
from goals.interchange.schema import (
    ACTION_FIELDS,
    DOCUMENT,
    EVIDENCE_FIELDS,
    FORMAT,
    GOAL_FIELDS,
    JOB_TITLE_FIELDS,
    MEASURE_FIELDS,
    METRIC_FIELDS,
    OBJECTIVE_FIELDS,
    PERIOD_FIELDS,
    PERSON_FIELDS,
    RISK_FIELDS,
    RISK_REGISTER_FIELDS,
    SCORE_FIELDS,
    STRATEGY_FIELDS,
    TITLE_FIELDS,
    TOP_FIELDS,
    UPDATE_FIELDS,
    VALUE_FIELDS,
    DocumentError,
)
from goals.interchange.schema import join as _join
from goals.interchange.schema import nearest as _nearest

_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_THOUSANDS = re.compile(r"^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$")
_DECIMAL_PLACES = Decimal("0.0001")  # MetricValue.value and Metric.target keep four places
_DECIMAL_LIMIT = Decimal(10) ** 10  # max_digits 14 - decimal_places 4


def _max_length(model, name: str) -> int | None:
    return model._meta.get_field(name).max_length


def read_document(document) -> tuple[dict | None, list[DocumentError]]:
    """(plan, errors) for a parsed document or YAML text; the plan is only for a valid document."""
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
                "archived": self.boolean(obj, "archived", path),
            },
            "job_titles": self.job_titles(obj, path),
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

    def job_titles(self, obj: dict, path: str) -> list[dict]:
        """Dated title changes: [{job_title, from}], `from` left out for the title before any change."""
        titles, starts = [], {}
        for index, item in enumerate(self.sequence(obj, "job_titles", path)):
            where = f"{_join(path, 'job_titles')}[{index}]"
            entry = self.fields(item, where, JOB_TITLE_FIELDS)
            if entry is None:
                continue
            starts_on = self.date(entry, "from", where)
            if starts_on is None and entry.get("from") not in (None, ""):
                starts_on = where  # a bad date (reported): not the same as "no date"
            if starts_on in starts:
                shown = starts_on.isoformat() if starts_on else "with no date"
                self.error(_join(where, "from"), f"a title starting {shown} is given twice (also {starts[starts_on]})")
                continue
            starts[starts_on] = where
            job_title = self.text(
                entry, "job_title", where, required=True, max_length=_max_length(m.JobTitle, "job_title")
            )
            titles.append({"starts_on": starts_on, "job_title": job_title})
        return titles

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
            pack_title = self.text(obj, "pack_title", path, max_length=_max_length(m.Period, "pack_title"))
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
            periods.append((quarter, {"state": state, "deadline": deadline, "pack_title": pack_title}))
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
                "archived": self.boolean(obj, "archived", path),
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
                "archived": self.boolean(obj, "archived", path),
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
        return {
            "fields": {"title": self.text(obj, "title", path), "archived": self.boolean(obj, "archived", path)},
            "evidence": evidence,
        }

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
                "status_changed_on": self.date(obj, "status_changed_on", path),
                "status_reason": self.text(obj, "status_reason", path, max_length=m.TEXT_LIMIT),
                "archived": self.boolean(obj, "archived", path),
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
                "archived": self.boolean(obj, "archived", path),
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
            return {"score": score, "likelihood": None, "consequence": None, "rationale": ""} if score else None
        obj = self.fields(value, path, SCORE_FIELDS)
        score = self.integer(obj, "score", path, low=1, high=25)
        likelihood = self.integer(obj, "likelihood", path, low=1, high=5)
        consequence = self.integer(obj, "consequence", path, low=1, high=5)
        rationale = self.text(obj, "rationale", path, max_length=_max_length(m.RiskScore, "rationale"))
        given = {name for name in ("score", "likelihood", "consequence") if obj.get(name) not in (None, "")}
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
        return {"score": score, "likelihood": likelihood, "consequence": consequence, "rationale": rationale}

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
                "baseline": self.integer(obj, "baseline", path, low=2, high=32767),
                "archived": self.boolean(obj, "archived", path),
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

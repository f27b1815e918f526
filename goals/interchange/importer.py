"""Import a whole strategy from the YAML format of docs/import-format.md.

Three steps, one module each: `loader` reads YAML safely (bounded size, depth, no aliases),
`validator` reads the whole document and returns every problem it finds, each naming its place
(`strategy.goals[1].objectives[0].actions[2].sros[0]: unknown person "x"`), and `writer` writes
a valid document in one transaction. Rows are matched by their natural keys and only rows whose
values differ are written, so importing the same document twice changes nothing and adds no
history records. The workbook import (`workbook.py`) builds the same document and comes here.
"""

from __future__ import annotations

from django.db import transaction

from goals.interchange.loader import load_yaml
from goals.interchange.schema import DOCUMENT, FORMAT, DocumentError, StrategyImportError
from goals.interchange.validator import read_document
from goals.interchange.writer import KINDS, ImportResult, KindCounts, write_plan

__all__ = [
    "DOCUMENT",
    "FORMAT",
    "KINDS",
    "DocumentError",
    "ImportResult",
    "KindCounts",
    "StrategyImportError",
    "import_strategy",
    "load_yaml",
    "validate_document",
]


def validate_document(data: dict | str) -> list[DocumentError]:
    """Every problem in `data` (a parsed document, or YAML text); an empty list when it is valid."""
    _plan, errors = read_document(data)
    return errors


def import_strategy(document: dict | str | bytes, *, by=None) -> ImportResult:
    """Validate `document` (parsed, or YAML text) and write it in one transaction.

    Raises StrategyImportError listing every problem, having written nothing. `by` is the user
    recorded in the history of the rows written.
    """
    plan, errors = read_document(document)
    if errors:
        raise StrategyImportError(errors)
    with transaction.atomic():
        return write_plan(plan, by=by)

"""manage.py import_strategy FILE [FILE ...]: load strategies from the YAML import format or
strategy workbooks (.xlsx, docs/onboarding.md)."""

import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from goals.interchange.importer import StrategyImportError, import_strategy, validate_document
from goals.interchange.loader import max_bytes, size_error
from goals.interchange.workbook import known_people, read_workbook


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


class Command(BaseCommand):
    help = (
        "Import whole strategies from YAML documents (docs/import-format.md) or strategy workbooks "
        "(.xlsx, docs/onboarding.md). If any document has an error, every error is printed as "
        "`path: message` (a workbook's as `Sheet!Cell: message`) and nothing at all is written."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "files",
            nargs="+",
            metavar="FILE",
            help='YAML documents or .xlsx workbooks; "-" reads YAML from standard input.',
        )
        parser.add_argument("--check", action="store_true", help="Validate only; write nothing.")

    def handle(self, *args, files, check, **options):
        documents = [(name, self._read(name)) for name in files]
        summaries, invalid = [], 0
        with transaction.atomic():  # every file or none
            for name, text in documents:
                started = time.perf_counter()
                workbook = None
                if isinstance(text, bytes):  # a workbook: read into the same document, errors at cells
                    workbook = read_workbook(text, known_people=known_people())
                    text = workbook.document
                try:
                    if workbook is not None and (text is None or workbook.errors):
                        errors = []  # not imported: reported with the workbook's own errors below
                        if text is not None:
                            errors = validate_document(text)
                    elif check:
                        errors = validate_document(text)
                    else:
                        result = import_strategy(text)
                        errors = []
                except StrategyImportError as exc:
                    errors = exc.errors
                if workbook is not None:
                    errors = workbook.errors + workbook.locate(errors)
                if errors:
                    invalid += 1
                    self.stderr.write(f"{name}: {_plural(len(errors), 'error')}")
                    for error in errors:
                        self.stderr.write(str(error))
                elif not check:
                    summaries.append(f"{result.summary()} ({name}, {time.perf_counter() - started:.1f}s)")
                    if options["verbosity"] >= 2:
                        summaries.extend(f"  {line}" for line in result.details())
            if invalid:
                transaction.set_rollback(True)
        if invalid:
            raise CommandError(f"{invalid} of {_plural(len(documents), 'document')} invalid; nothing was written.")
        if check:
            self.stdout.write(f"{_plural(len(documents), 'document')} valid; nothing written (--check).")
        for line in summaries:
            self.stdout.write(line)

    def _read(self, name: str) -> str | bytes:
        """The file's text (a workbook's bytes). A file over the import limit is refused before it
        is read; standard input is read no further than just past the limit (the loader refuses it)."""
        if name == "-":
            return sys.stdin.read(max_bytes() + 1)
        try:
            path = Path(name)
            too_big = size_error(path.stat().st_size)
            if too_big:
                raise CommandError(f"{name}: {too_big.message}; nothing was written.")
            if name.lower().endswith(".xlsx"):
                return path.read_bytes()
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"{name}: cannot read: {exc}") from exc

"""Onboarding a strategy from a workbook: check, preview, then import all or nothing.

Services in the project's shape (`workbook_<verb>(*, ..., by)`): each checks that `by` may
administer the strategy, reads the workbook into the import document (goals.interchange.workbook)
and uses the YAML import's own validator and writer. An upload waiting for confirmation is kept
in the user's session (in the database, not on a web process's disk) under its SHA-256, so the
confirmed import is of exactly the bytes that were previewed.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction

from goals import models as m
from goals.core import permissions
from goals.interchange.importer import DocumentError, ImportResult, StrategyImportError
from goals.interchange.validator import read_document
from goals.interchange.workbook import WorkbookDocument, known_people, read_workbook
from goals.interchange.writer import KINDS, write_plan

PENDING = "interchange.workbook"  # the session key of the upload waiting for confirmation


class WorkbookRefused(ValueError):
    """The workbook has errors, each at its cell; nothing was written."""

    def __init__(self, errors: list[DocumentError]):
        self.errors = list(errors)
        super().__init__("\n".join(str(error) for error in self.errors))


@dataclass(frozen=True)
class KindPreview:
    name: str
    created: list[str]
    updated: list[str]
    unchanged: int


@dataclass(frozen=True)
class Preview:
    """What confirming the upload would do: per kind of row, what is created, changed, left alone."""

    slug: str
    name: str
    new_strategy: bool
    kinds: list[KindPreview]

    @property
    def created(self) -> int:
        return sum(len(kind.created) for kind in self.kinds)

    @property
    def updated(self) -> int:
        return sum(len(kind.updated) for kind in self.kinds)

    @property
    def unchanged(self) -> int:
        return sum(kind.unchanged for kind in self.kinds)


def may_upload(user, strategy: m.Strategy | None) -> bool:
    """An upload onto a strategy needs its administration; a new strategy, a strategy admin."""
    if strategy is None:
        return permissions.is_strategy_admin(user)
    return permissions.may_administer(user, strategy)


def _require(user, strategy: m.Strategy | None) -> None:
    if not may_upload(user, strategy):
        raise PermissionDenied("Only a strategy admin of this strategy can import a workbook.")


def workbook_check(*, content: bytes, strategy: m.Strategy | None, by) -> WorkbookDocument:
    """The workbook read and validated as a whole; raises WorkbookRefused with every error at
    its cell. `strategy` is the strategy uploaded onto (None: a new strategy)."""
    return _checked(content, strategy, by)[0]


def _checked(content: bytes, strategy: m.Strategy | None, by) -> tuple[WorkbookDocument, dict]:
    _require(by, strategy)
    read = read_workbook(content, known_people=known_people())
    if read.document is None:
        raise WorkbookRefused(read.errors)
    plan, errors = read_document(read.document)
    errors = read.errors + read.locate(errors)
    slug = read.document["strategy"].get("slug")
    where = read.cells.get("strategy.slug", "Strategy!B2")
    if strategy is not None and slug and slug != strategy.slug:
        errors.append(DocumentError(where, f'this workbook is for "{slug}", not "{strategy.slug}"'))
    elif strategy is None and isinstance(slug, str):
        existing = m.Strategy.objects.filter(slug=slug).first()
        if existing is not None and not permissions.may_administer(by, existing):
            errors.append(DocumentError(where, f'"{slug}" is another strategy, which you do not administer'))
    if errors:
        raise WorkbookRefused(_unique(errors))
    return read, plan


def workbook_preview(*, content: bytes, strategy: m.Strategy | None, by) -> Preview:
    """What the import would create, change and leave alone: it runs, then is rolled back."""
    read, plan = _checked(content, strategy, by)
    with transaction.atomic():
        try:
            result = write_plan(plan, by=by)
        except StrategyImportError as exc:
            raise WorkbookRefused(read.locate(exc.errors)) from exc
        preview = Preview(
            slug=result.strategy.slug,
            name=result.strategy.name,
            new_strategy=strategy is None and result.counts[m.Strategy].created == 1,
            kinds=_kinds(result),
        )
        transaction.set_rollback(True)
    return preview


def workbook_import(*, content: bytes, strategy: m.Strategy | None, by) -> ImportResult:
    """Import the workbook, all or nothing; raises WorkbookRefused (having written nothing)."""
    read, plan = _checked(content, strategy, by)
    try:
        with transaction.atomic():
            return write_plan(plan, by=by)
    except StrategyImportError as exc:
        raise WorkbookRefused(read.locate(exc.errors)) from exc


def _kinds(result: ImportResult) -> list[KindPreview]:
    kinds = []
    for model in KINDS:
        count = result.counts[model]
        if count.created or count.updated or count.unchanged:
            kinds.append(
                KindPreview(
                    name=str(model._meta.verbose_name_plural).capitalize(),
                    created=[_label(row) for row in count.rows["created"]],
                    updated=[_label(row) for row in count.rows["updated"]],
                    unchanged=count.unchanged,
                )
            )
    return kinds


def _label(row) -> str:
    """A row's name in the preview, from its own fields (no queries)."""
    if isinstance(row, m.Action):
        return f"Action {row.number}: {row.title}"
    if isinstance(row, m.Risk):
        return f"{row.number} {row.title}"
    for name in ("title", "name", "job_title"):
        value = getattr(row, name, "")
        if value:
            return str(value)
    return f"{row._meta.verbose_name} {row.pk or ''}".strip()


def _unique(errors: list[DocumentError]) -> list[DocumentError]:
    seen, unique = set(), []
    for error in errors:
        if (error.path, error.message) not in seen:
            seen.add((error.path, error.message))
            unique.append(error)
    return unique


# -- the upload waiting for confirmation


def keep_upload(session, *, content: bytes, filename: str, strategy: m.Strategy | None) -> str:
    """Keep the upload in the session (one at a time) and return its SHA-256."""
    digest = hashlib.sha256(content).hexdigest()
    session[PENDING] = {
        "digest": digest,
        "filename": filename[:200],
        "strategy": strategy.slug if strategy else None,
        "content": base64.b64encode(content).decode("ascii"),
    }
    return digest


def pending_upload(session, digest: str) -> dict | None:
    """The kept upload with this digest — {filename, strategy, content} — if its bytes still hash to it."""
    pending = session.get(PENDING)
    if not pending or pending.get("digest") != digest:
        return None
    content = base64.b64decode(pending["content"])
    if hashlib.sha256(content).hexdigest() != digest:
        return None
    return {"filename": pending["filename"], "strategy": pending["strategy"], "content": content}


def forget_upload(session) -> None:
    session.pop(PENDING, None)

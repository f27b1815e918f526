"""The audit history: saving a row with who and why (`save_with_history`), and showing who changed
a row, when, why, and each field's before → after, read from django-simple-history's records."""

from dataclasses import dataclass
from datetime import datetime

UPDATE_HISTORY_FIELDS = ("state", "rag", "progress", "impact", "next_focus", "rag_reason", "review_comment")
EVIDENCE_HISTORY_FIELDS = ("state", "evidence", "impact", "next_focus")


def save_with_history(row, *, by, reason: str | None = None) -> None:
    """Validate (`full_clean`) and save a row; its history records `by` and the reason."""
    row.full_clean()
    row._history_user = by
    if reason:
        row._change_reason = reason
    row.save()


@dataclass
class FieldChange:
    label: str
    before: str
    after: str


@dataclass
class HistoryEntry:
    who: str
    when: datetime
    reason: str
    changes: list[FieldChange]


def _shown(record, name: str) -> str:
    model_field = record.instance_type._meta.get_field(name)
    value = getattr(record, name)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value)) if value else ""
    return value or ""


def history_of(row, fields: tuple[str, ...]) -> list[HistoryEntry]:
    """Every saved version of the row, newest first: who, when, the change reason and each
    field's before → after (django-simple-history's diff_against). One query."""
    if row is None:
        return []
    records = list(row.history.select_related("history_user").order_by("history_date", "history_id"))
    return history_entries(records, fields)


def history_entries(records, fields: tuple[str, ...]) -> list[HistoryEntry]:
    """HistoryEntries, newest first, from one row's history records in time order (no queries).
    The action page reads many updates' records in one query and calls this for each."""
    entries = []
    previous = None
    for record in records:
        if previous is None:
            changes = [FieldChange(_label(record, n), "", _shown(record, n)) for n in fields if _shown(record, n)]
        else:
            delta = record.diff_against(previous, included_fields=fields)
            changes = [
                FieldChange(_label(record, c.field), _shown(previous, c.field), _shown(record, c.field))
                for c in sorted(delta.changes, key=lambda c: fields.index(c.field))
            ]
        user = record.history_user
        entries.append(
            HistoryEntry(
                who=(user.get_full_name() or user.get_username()) if user else "Import or system",
                when=record.history_date,
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
        previous = record
    return entries[::-1]


def _label(record, name: str) -> str:
    label = str(record.instance_type._meta.get_field(name).verbose_name)
    return label[:1].upper() + label[1:]


# --- The submission tracker ------------------------------------------------------------------

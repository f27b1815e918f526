"""The audit history: saving a row with who and why (`save_with_history`), and showing who changed
a row, when, why, and each field's before → after, read from django-simple-history's records."""

from dataclasses import dataclass
from datetime import datetime

from goals.core.names import display_name

UPDATE_HISTORY_FIELDS = ("state", "rag", "progress", "impact", "next_focus", "rag_reason", "review_comment")
EVIDENCE_HISTORY_FIELDS = ("state", "evidence", "impact", "next_focus")
# An action's own history (its page and its edit page): who owns and leads it included.
ACTION_HISTORY_FIELDS = (
    "number",
    "title",
    "description",
    "sros",
    "leads",
    "status",
    "status_changed_on",
    "status_reason",
    "archived_at",
)


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


def _shown(record, name: str, m2m: dict | None = None) -> str:
    """A field's value as the history prints it; a many-to-many field as its names ("A, B")."""
    if m2m is not None and name in m2m:
        return m2m[name].get(record.history_id, "")
    model_field = record.instance_type._meta.get_field(name)
    value = getattr(record, name)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value)) if value else ""
    if isinstance(value, list):  # e.g. a strategy's success statements
        return "; ".join(str(item) for item in value)
    return value or ""


def history_of(row, fields: tuple[str, ...]) -> list[HistoryEntry]:
    """Every saved version of the row, newest first: who, when, the change reason and each
    field's before → after (django-simple-history's diff_against). One query."""
    if row is None:
        return []
    records = list(row.history.select_related("history_user").order_by("history_date", "history_id"))
    return history_entries(records, fields, m2m=m2m_names(type(row), records, fields))


def m2m_names(model, records, fields: tuple[str, ...]) -> dict[str, dict[int, str]]:
    """For each many-to-many field among `fields` (e.g. an action's SROs): the names it held in
    each history record, {field: {history_id: "A, B"}}. One query per such field, read from
    django-simple-history's m2m tables."""
    history_model = model.history.model
    tracked = {field.name for field in getattr(history_model, "_history_m2m_fields", ())}
    names: dict[str, dict[int, str]] = {}
    for name in fields:
        if name not in tracked:
            continue
        target = model._meta.get_field(name).m2m_reverse_field_name()
        rows = getattr(history_model, name).model.objects.filter(history__in=[r.history_id for r in records])
        held: dict[int, list[str]] = {}
        for row in rows.select_related(target):
            related = getattr(row, target, None)
            held.setdefault(row.history_id, []).append(str(getattr(related, "name", related)))
        names[name] = {history_id: ", ".join(sorted(shown)) for history_id, shown in held.items()}
    return names


def history_entries(records, fields: tuple[str, ...], m2m: dict | None = None) -> list[HistoryEntry]:
    """HistoryEntries, newest first, from one row's history records in time order (no queries).
    The action page reads many updates' records in one query and calls this for each.
    `m2m` ({field: {history_id: names}}, from `m2m_names`) prints many-to-many fields as
    "SROs: A, B → A, C"."""
    m2m = m2m or {}
    scalar = tuple(name for name in fields if name not in m2m)
    entries = []
    previous = None
    for record in records:
        if previous is None:
            changes = [
                FieldChange(_label(record, n), "", _shown(record, n, m2m)) for n in fields if _shown(record, n, m2m)
            ]
        else:
            changed = {c.field for c in record.diff_against(previous, included_fields=scalar).changes}
            changed |= {n for n in m2m if _shown(record, n, m2m) != _shown(previous, n, m2m)}
            changes = [
                FieldChange(_label(record, n), _shown(previous, n, m2m), _shown(record, n, m2m))
                for n in fields
                if n in changed
            ]
        user = record.history_user
        entries.append(
            HistoryEntry(
                who=display_name(user, "Import or system"),
                when=record.history_date,
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
        previous = record
    return entries[::-1]


def history_of_rows(records, fields: tuple[str, ...]) -> list[HistoryEntry]:
    """HistoryEntries of several rows of one model, newest first, from their history records in
    time order (no queries): e.g. every dated job title of a person, every score of a risk."""
    by_row: dict[int, list] = {}
    for record in records:
        by_row.setdefault(record.id, []).append(record)
    entries = [entry for rows in by_row.values() for entry in history_entries(rows, fields)]
    return sorted(entries, key=lambda entry: entry.when, reverse=True)


def _label(record, name: str) -> str:
    label = str(record.instance_type._meta.get_field(name).verbose_name)
    return label[:1].upper() + label[1:]


# --- The submission tracker ------------------------------------------------------------------

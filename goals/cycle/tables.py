"""The submission tracker's table (django-tables2): every active action of a quarter with its
leads, SROs, update state, RAG and last change, sortable. Its rows come from
goals.cycle.selectors.tracker_actions(period), narrowed by goals.cycle.filters.TrackerFilter."""

from dataclasses import dataclass

import django_tables2 as tables
from django.db.models import Case, F, IntegerField, Value, When
from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.timezone import localtime

from goals.core.choices import NOT_STARTED, RAG_SEVERITY, UpdateState, state_tag
from goals.core.numbering import action_number_of
from goals.core.tables import PlainTable, url_maker
from goals.cycle.notifications import address_of
from goals.models import Action
from goals.templatetags.nhsuk import rag_tag_html

NOT_YET_SUBMITTED = mark_safe('<span class="nhsuk-body-s">Not yet submitted</span>')


def _people(people, *, mail: bool) -> str:
    """Names, one a line; with `mail`, each linked to an email to them (for chasing)."""
    people = list(people)
    if not people:
        return "Not assigned"

    def one(person):
        address = address_of(person) if mail else ""
        return format_html('<a href="mailto:{}">{}</a>', address, person.name) if address else person.name

    return format_html_join(mark_safe("<br>"), "{}", ((one(person),) for person in people))


ACTION_ORDER = ("objective__goal__order", "objective__order", "number")
STATE_RANK = {
    NOT_STARTED: 0,
    **{
        state: rank
        for rank, state in enumerate(
            (UpdateState.DRAFT, UpdateState.RETURNED, UpdateState.SUBMITTED, UpdateState.APPROVED), start=1
        )
    },
}


def _order_by_rank(queryset, field: str, ranks: dict, is_descending: bool):
    """Order by a ranking of a field's values; NULL (no update) ranks as "" / not started."""
    missing = ranks.get("", ranks.get(NOT_STARTED))
    rank = Case(
        When(**{f"{field}__isnull": True}, then=Value(missing)),
        *(When(**{field: value}, then=Value(position)) for value, position in ranks.items() if value),
        default=Value(missing),
        output_field=IntegerField(),
    )
    return queryset.order_by(rank.desc() if is_descending else rank.asc(), *ACTION_ORDER)


class TrackerTable(PlainTable):
    """Rows drawn by `cell_<column>` methods (goals.core.tables.PlainTable)."""

    action = tables.Column(verbose_name="Action", accessor="number", order_by=ACTION_ORDER)
    leads = tables.Column(verbose_name="Lead", accessor="pk", orderable=False, empty_values=())
    sros = tables.Column(verbose_name="SRO", accessor="pk", orderable=False, empty_values=())
    state = tables.Column(verbose_name="State", accessor="update_state", empty_values=())
    rag = tables.Column(verbose_name="RAG", accessor="update_rag", empty_values=())
    updated_at = tables.Column(verbose_name="Last change", accessor="updated_at")

    class Meta(PlainTable.Meta):
        model = Action
        fields = ()
        sequence = ("action", "leads", "sros", "state", "rag", "updated_at")
        empty_text = "No actions match."
        attrs = {"id": "tracker"}

    def __init__(self, *args, period, **kwargs):
        self.period = period
        self.caption = f"Updates for {period.label}"
        self.update_url = url_maker("goals:update_edit", period=period.slug)
        self.state_tags: dict[str | None, str] = {}
        super().__init__(*args, **kwargs)

    # Sorting: states in the order of the workflow, RAG worst first, the same on every database
    # (SQLite and PostgreSQL put NULL, "no update yet", at opposite ends).
    def order_state(self, queryset, is_descending):
        return _order_by_rank(queryset, "update_state", STATE_RANK, is_descending), True

    def order_rag(self, queryset, is_descending):
        return _order_by_rank(queryset, "update_rag", RAG_SEVERITY, is_descending), True

    def order_updated_at(self, queryset, is_descending):
        key = F("updated_at").desc(nulls_last=True) if is_descending else F("updated_at").asc(nulls_first=True)
        return queryset.order_by(key, *ACTION_ORDER), True

    def cell_action(self, record):
        return format_html(
            '<a href="{}">{}. {}</a><br><span class="nhsuk-body-s">{}</span>',
            self.update_url(record.pk),
            action_number_of(record),
            record.title,
            record.objective.title,
        )

    def cell_leads(self, record):
        return _people(record.lead_list, mail=True)

    def cell_sros(self, record):
        return _people(record.sro_list, mail=False)

    def cell_state(self, record):
        """cycle/includes/state_tag.html, drawn once per state."""
        value = record.update_state
        if value not in self.state_tags:
            self.state_tags[value] = render_to_string("cycle/includes/state_tag.html", {"state": state_tag(value)})
        return mark_safe(self.state_tags[value])

    def cell_rag(self, record):
        # A draft's rating is the lead's working copy: the tracker shows that it is a draft, not what it says.
        if record.update_state == UpdateState.DRAFT:
            return NOT_YET_SUBMITTED
        return rag_tag_html(record.update_rag or "")

    def cell_updated_at(self, record):
        value = record.updated_at
        if value is None:
            return "—"
        who = " ".join(n for n in (record.updated_by_first_name, record.updated_by_last_name) if n)
        who = who or record.updated_by_username
        when = date_format(localtime(value), "j M Y, H:i")
        return format_html('{}<br><span class="nhsuk-body-s">{}</span>', when, who) if who else when


@dataclass
class EvidenceRow:
    """One success measure in the tracker's evidence list, ready to print."""

    pk: int
    url: str
    title: str
    objective_title: str
    state: SafeString  # cycle/includes/state_tag.html
    updated_at: str


def evidence_rows(measures, period) -> list[EvidenceRow]:
    """The tracker's evidence list (measures from goals.cycle.selectors.tracker_evidence, read as
    values): one URL reversed and one tag drawn per state, not per row."""
    url = url_maker("goals:evidence_edit", period=period.slug)
    tags: dict[str | None, SafeString] = {}
    rows = []
    fields = ("pk", "title", "objective__title", "evidence_state", "updated_at")
    for pk, title, objective_title, state, updated_at in measures.values_list(*fields):
        if state not in tags:
            tags[state] = mark_safe(render_to_string("cycle/includes/state_tag.html", {"state": state_tag(state)}))
        rows.append(
            EvidenceRow(
                pk=pk,
                url=url(pk),
                title=Truncator(title).words(25) or "Untitled success measure",
                objective_title=objective_title,
                state=tags[state],
                updated_at=date_format(localtime(updated_at), "j M Y, H:i") if updated_at else "–",
            )
        )
    return rows

"""django-tables2 tables, drawn by templates/django_tables2/nhsuk.html with their rows drawn in
Python (goals.core.tables.PlainTable: one `cell_<column>` method per column).

`RagColumn` is the one way a table shows a RAG rating: it renders the same include as
`{% rag_tag %}` (word and colour from goals.core.choices.RAG_STYLES), so use it for every RAG column.
"""

import django_tables2 as tables
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe

from goals.core.choices import UPDATE_STATE_LABELS, rag_style
from goals.core.movement import Movement
from goals.core.numbering import action_number
from goals.core.tables import PlainTable, url_maker
from goals.templatetags.nhsuk import rag_tag_html

MOVEMENT_LABELS = {value: str(label) for value, label in Movement.choices}
HEADER = {"th": {"role": "columnheader"}}
IN_STRATEGY_ORDER = ("objective__goal__order", "objective__order", "number")


class RagColumn(tables.Column):
    """A RAG rating as an NHS tag with its word (or, compact, its letter with the word hidden for
    screen readers). Empty means "not rated", which is printed too, never left blank."""

    empty_values = ()  # "" is "not rated", not a missing value

    def __init__(self, *args, compact: bool = False, **kwargs):
        self.compact = compact
        kwargs.setdefault("attrs", HEADER)
        super().__init__(*args, **kwargs)

    def render(self, value):
        return rag_tag_html(value or "", self.compact)

    def value(self, value):
        return rag_style(value).label


class ActionTable(PlainTable):
    """Actions in one quarter. Records are rows from goals.status.shared.action_rows (the action list,
    sorted and paginated in the database) or goals.status.shared.ActionRow (the dashboard's lists):
    both carry the same names. SROs come from `people` (goals.status.shared.ActionPeople), named as
    they were that quarter: set it before the table is drawn (the action list reads the SROs of the
    page's rows only, once it is paginated)."""

    number = tables.Column("No.", order_by=IN_STRATEGY_ORDER, attrs=HEADER)
    title = tables.Column("Action", order_by=("title",), attrs=HEADER)
    sros = tables.Column("SRO", empty_values=(), orderable=False, attrs=HEADER)
    rag = RagColumn("RAG", order_by=("rag_severity", *IN_STRATEGY_ORDER))
    rag_reason = tables.Column("Reason for rating", orderable=False, attrs=HEADER)
    previous_rag = RagColumn("Previous quarter", orderable=False)
    movement = tables.Column("Movement", order_by=("movement", *IN_STRATEGY_ORDER), attrs=HEADER)
    update_state = tables.Column("Update", order_by=("update_state", *IN_STRATEGY_ORDER), attrs=HEADER)

    class Meta:
        orderable = True
        empty_text = "No actions match."
        # Stacks on a phone (NHS responsive table); explicit roles keep it a table for screen
        # readers when CSS turns its rows into blocks.
        template_name = "status/includes/responsive_table.html"
        attrs = {"class": "nhsuk-table--responsive app-action-table", "role": "table"}

    def __init__(self, data, *, people, caption: str = "", **kwargs):
        super().__init__(data, **kwargs)
        self.people = people
        self.caption = caption
        self.action_url = url_maker("goals:action_detail")

    def row_start(self, index: int) -> str:
        return '<tr class="nhsuk-table__row" role="row">'

    def cell_tags(self, column) -> tuple[str, str]:
        """Each cell repeats its column's heading, shown only when the rows stack on a phone."""
        return (
            f'<td class="nhsuk-table__cell app-cell--{column.name}" role="cell">'
            f'<span class="nhsuk-table-responsive__heading" aria-hidden="true">{escape(column.header)} </span>'
            '<span class="app-cell__value">',
            "</span></td>",
        )

    def cell_number(self, record):
        return action_number(record.goal_order, record.objective_order, record.number)

    def cell_title(self, record):
        return format_html(
            '<a href="{}">{}</a><span class="nhsuk-body-s app-action-table__context">{} · {}</span>',
            self.action_url(record.pk),
            record.title,
            record.goal_title,
            record.objective_title,
        )

    def cell_sros(self, record):
        names = self.people.sros_of(record.pk)
        return format_html_join(mark_safe("<br>"), "{}", ((str(p),) for p in names)) if names else "Not assigned"

    def cell_rag(self, record):
        return self.base_columns["rag"].render(record.rag)

    def cell_rag_reason(self, record):
        return record.rag_reason or "—"

    def cell_previous_rag(self, record):
        return self.base_columns["previous_rag"].render(record.previous_rag)

    def cell_movement(self, record):
        return MOVEMENT_LABELS[record.movement]

    def cell_update_state(self, record):
        return UPDATE_STATE_LABELS[record.update_state]

"""django-tables2 tables whose rows are drawn in Python, one direct call per cell.

django-tables2 draws each cell by resolving the column's accessor on the record, inspecting the
signature of its `render_*` method to pick the arguments, and then each cell goes through the
template (`{% for column, cell in row.items %}`) with the column's attributes recomputed. On a
page of 25–50 rows that was most of a list page's time. A `PlainTable` keeps everything else
django-tables2 does (columns and headers, sorting in the database, pagination, the NHS table
template) and draws its rows itself:

- each column `name` has a method `cell_name(record)` on the table returning the cell's content
  (escaped unless it is a safe string);
- each row is one string of HTML, `<tr>` to `</tr>`, printed by the template's `table.tbody.row`
  block (templates/django_tables2/nhsuk_plain.html; templates/status/includes/responsive_table.html
  for tables that stack on a phone).

A table given its `count` does not count its queryset again. `url_maker` reverses a URL once per table and fills in each row's primary key by formatting.
"""

from collections.abc import Callable

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

PK_PLACEHOLDER = 2147483647  # any int that no real primary key in the URL prefix could be confused with


def url_maker(viewname: str, **kwargs) -> Callable[[int], str]:
    """A function pk → reverse(viewname, kwargs={"pk": pk, **kwargs}), reversing only once."""
    url = reverse(viewname, kwargs={"pk": PK_PLACEHOLDER, **kwargs})
    before, after = url.split(str(PK_PLACEHOLDER), 1)
    return lambda pk: f"{before}{int(pk)}{after}"


class PlainRow:
    """One record's row, as a template or a test reads a django-tables2 BoundRow: `record`,
    `items()` ((bound column, cell) pairs), `get_cell(name)`; and `html`, the whole <tr>."""

    __slots__ = ("record", "cells", "html", "_columns")

    def __init__(self, record, columns, cells: list, html: SafeString):
        self.record = record
        self._columns = columns
        self.cells = cells
        self.html = html

    def items(self):
        return list(zip(self._columns, self.cells, strict=True))

    def get_cell(self, name: str):
        return self.cells[[c.name for c in self._columns].index(name)]

    def __str__(self) -> str:
        return self.html


class PlainTable(tables.Table):
    """A Table whose cells come from `cell_<column name>(record)` methods (see the module's
    docstring). Rows: `<tr class="nhsuk-table__row even|odd">`, cells `<td class="nhsuk-table__cell">`;
    a subclass changes them with `row_start` and `cell_tags`."""

    class Meta:
        template_name = "django_tables2/nhsuk_plain.html"

    def __init__(self, data, *, count: int | None = None, **kwargs):
        """`count`: how many records a queryset `data` has, when the page already knows it more
        cheaply than the paginator's COUNT query would."""
        super().__init__(data, **kwargs)
        if count is not None:
            self.data._length = count  # django-tables2's cached length of queryset data

    def row_start(self, index: int) -> str:
        return f'<tr class="nhsuk-table__row {"odd" if index % 2 else "even"}">'

    def cell_tags(self, column) -> tuple[str, str]:
        """The HTML before and after the content of each cell of a (bound) column."""
        return '<td class="nhsuk-table__cell">', "</td>"

    def plain_row(self, index: int, record, columns, makers) -> PlainRow:
        cells = [make(record) for make in makers]
        html = [self.row_start(index)]
        for (before, after), cell in zip(self._tags, cells, strict=True):
            html += (before, conditional_escape(cell), after)
        html.append("</tr>")
        return PlainRow(record, columns, cells, mark_safe("".join(html)))

    @property
    def paginated_rows(self) -> list[PlainRow]:
        """The rows of the current page (every row if not paginated), drawn once."""
        page = getattr(self, "page", None)
        if getattr(self, "_plain_rows_of", False) is not page:
            rows = page.object_list if page is not None else self.rows
            columns = list(self.columns)
            makers = [getattr(self, f"cell_{column.name}") for column in columns]
            self._tags = [tuple(map(str, self.cell_tags(column))) for column in columns]
            self._plain_rows = [self.plain_row(index, row.record, columns, makers) for index, row in enumerate(rows)]
            self._plain_rows_of = page
        return self._plain_rows

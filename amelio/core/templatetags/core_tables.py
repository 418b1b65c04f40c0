"""The body of every list table, drawn in Python rather than by template loops.

django-tables2's own template draws each cell through four nested template tags; on a page
of 25 rows × 12 columns that was most of the request's time (bench/load.py). The cells are
still rendered by django-tables2 (each column's render method, its attributes, links and
choices' labels); only the loop that wraps them in <tr>/<td> is written here, the same
markup as django_tables2/bootstrap5.html's `table.tbody.row` block.

What django-tables2 recomputes for every cell although it cannot change from one row to the
next is computed once per table here (bench/page_cpu.py measures the difference):

- a column's `<td>` attributes, unless the table's or the column's `td`/`cell` attributes hold
  a callable (which may read the row's record: those are computed per cell, as before) not
  marked `same_for_every_row`;
- the label of a choice (`get_status_display()`), once per model, field, stored value and
  language, for the rendering of this one table only.

`render_list_table` renders the table's template in the page's own context, where
django-tables2's `render_table` renders it in a new one, running every context processor (the
menu, the unread notifications' count) a second time for nothing.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.template.base import render_value_in_context
from django.template.loader import get_template
from django.utils.formats import localize
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django_tables2 import A
from django_tables2.columns.linkcolumn import BaseLinkColumn
from django_tables2.columns.manytomanycolumn import ManyToManyColumn

register = template.Library()


def _cell(context: template.Context, column: Any, cell: Any) -> str:
    if column.localize is None:
        return render_value_in_context(cell, context)
    return str(conditional_escape(localize(cell, use_l10n=bool(column.localize))))


def _computed_per_row(table: Any, column: Any) -> bool:
    """Whether a column's cell attributes may depend on the row (a callable among them)."""
    for attributes in (table.attrs, column.column.attrs):
        for key in ("td", "cell"):
            values = dict(attributes.get(key) or {}).values()
            # A callable marked `same_for_every_row` (a column's name for the phone's card,
            # core/tables.py) reads only the column: computed once, like a plain value.
            if any(callable(value) and not getattr(value, "same_for_every_row", False) for value in values):
                return True
    return False


class _ChoiceLabels:
    """`get_FOO_display()` of each record, remembered by model, field, value and language
    while one table is drawn: the label is the field's choice for that value, the same for
    every row holding it."""

    def __init__(self) -> None:
        self.labels: dict[tuple[Any, ...], Any] = {}

    def label(self, record: models.Model, name: str, display: Any) -> Any:
        value = getattr(record, name, None)
        try:
            key = (type(record), name, value, get_language())
            hash(key)
        except TypeError:
            return display()
        if key not in self.labels:
            self.labels[key] = display()
        return self.labels[key]


def _render_cell(row: Any, bound_column: Any, default: Any, labels: _ChoiceLabels) -> Any:
    """BoundRow._get_and_render_with (django-tables2 3.0), with the choice's label remembered."""
    value: Any = None
    accessor = A(bound_column.accessor)
    column = bound_column.column
    record = row.record
    penultimate, remainder = accessor.penultimate(record)
    if isinstance(penultimate, models.Model):
        try:
            field = accessor.get_field(record)
            display = getattr(penultimate, f"get_{remainder}_display", None)
            if getattr(field, "choices", ()) and display:
                value = labels.label(penultimate, remainder, display)
                remainder = None
        except FieldDoesNotExist:
            pass
    if remainder:
        try:
            value = accessor.resolve(record)
        except Exception:
            if isinstance(column, BaseLinkColumn) and column.text is not None:
                return row._call_render(bound_column)
    if value in column.empty_values or (isinstance(column, ManyToManyColumn) and not value.exists()):
        return default
    return row._call_render(bound_column, value)


@register.simple_tag(takes_context=True)
def table_rows(context: template.Context, table: Any) -> SafeString:
    columns = list(table.columns)
    defaults = [column.default for column in columns]
    fixed_attributes = [
        None if _computed_per_row(table, column) else column.attrs["td"].as_html() for column in columns
    ]
    labels = _ChoiceLabels()
    rows = []
    for row in table.paginated_rows:
        cells = []
        for column, default, attributes in zip(columns, defaults, fixed_attributes, strict=True):
            cell = _render_cell(row, column, default, labels)
            if attributes is None:
                # As BoundRow.items(): the row's record and value, for the callables.
                column.current_value, column.current_record = cell, row.record
                attributes = column.attrs["td"].as_html()
            cells.append(f"<td {attributes}>{_cell(context, column, cell)}</td>")
        rows.append(format_html("<tr {}>{}</tr>", row.attrs.as_html(), mark_safe("".join(cells))))
    return mark_safe("\n".join(rows))


@register.simple_tag(takes_context=True)
def render_list_table(context: template.Context, table: Any) -> SafeString:
    """django-tables2's `{% render_table table %}` for a Table, in the page's context."""
    request = context.get("request")
    table.context = context  # as render_table: TemplateColumn renders in it
    try:
        table.before_render(request)
        with context.push(table=table):
            compiled = get_template(table.template_name).template  # type: ignore[attr-defined]
            return mark_safe(compiled.render(context))
    finally:
        del table.context

"""The body of every list table, drawn in Python rather than by template loops.

django-tables2's own template draws each cell through four nested template tags; on a page
of 25 rows × 12 columns that was most of the request's time (bench/load.py). The cells are
still rendered by django-tables2 (each column's render method, its attributes, links and
choices' labels); only the loop that wraps them in <tr>/<td> is written here, the same
markup as django_tables2/bootstrap5.html's `table.tbody.row` block.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.base import render_value_in_context
from django.utils.formats import localize
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def _cell(context: template.Context, column: Any, cell: Any) -> str:
    if column.localize is None:
        return render_value_in_context(cell, context)
    return str(conditional_escape(localize(cell, use_l10n=bool(column.localize))))


@register.simple_tag(takes_context=True)
def table_rows(context: template.Context, table: Any) -> SafeString:
    rows = []
    for row in table.paginated_rows:
        cells = "".join(
            f"<td {column.attrs['td'].as_html()}>{_cell(context, column, cell)}</td>" for column, cell in row.items()
        )
        rows.append(format_html("<tr {}>{}</tr>", row.attrs.as_html(), mark_safe(cells)))
    return mark_safe("\n".join(rows))

"""Columns every list table uses, registered with django-tables2 in place of its own.

django-tables2 draws a date or a date-time column through a TemplateColumn, which compiles
`{{ value|date:"..." }}` anew for every cell: on a list of 25 rows with two dates that was a
fifth of the page's time. These columns give the same text (the `date` filter's formatting,
in the current time zone) from Python. Registered when core is ready, before any app's
tables are built, so columns generated from model fields use them too.
"""

from __future__ import annotations

import datetime
from typing import Any

import django_tables2 as tables
from django.db import models
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.html import conditional_escape
from django.utils.translation import get_language


class DateColumn(tables.DateColumn):
    empty_values = (None, "")  # the column's default ("—") then, as the template's |default gave

    def __init__(self, format: str | None = None, short: bool = True, *args: Any, **kwargs: Any) -> None:
        super().__init__(format, short, *args, **kwargs)
        self.date_format = format or ("SHORT_DATE_FORMAT" if short else "DATE_FORMAT")

    @classmethod
    def from_field(cls, field: Any, **kwargs: Any) -> DateColumn | None:
        if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
            return cls(**kwargs)
        return None

    def render(self, value: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        if not isinstance(value, datetime.date):
            return conditional_escape(value)
        return formats.date_format(value, self.date_format)


class DateTimeColumn(tables.DateTimeColumn):
    empty_values = (None, "")

    def __init__(self, format: str | None = None, short: bool = True, *args: Any, **kwargs: Any) -> None:
        super().__init__(format, short, *args, **kwargs)
        self.date_format = format or ("SHORT_DATETIME_FORMAT" if short else "DATETIME_FORMAT")

    @classmethod
    def from_field(cls, field: Any, **kwargs: Any) -> DateTimeColumn | None:
        if isinstance(field, models.DateTimeField):
            return cls(**kwargs)
        return None

    def render(self, value: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        if not isinstance(value, datetime.datetime):
            return conditional_escape(value)
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return formats.date_format(value, self.date_format)


class BooleanColumn(tables.BooleanColumn):
    """On the page a tick or a cross, as django-tables2 draws them; in an export the boolean
    itself, which the export writes as yes or no in the reader's language (core.exports.readable)
    where django-tables2 would write "True" or "False"."""

    @classmethod
    def from_field(cls, field: Any, **kwargs: Any) -> BooleanColumn | None:
        if isinstance(field, models.BooleanField):
            return cls(null=getattr(field, "null", False), **kwargs)
        return None

    def value(self, record: Any, value: Any, bound_column: Any) -> Any:  # type: ignore[override]
        return self._get_bool_value(record, value, bound_column)


def register_columns() -> None:
    library = tables.columns.library
    for column in (DateColumn, DateTimeColumn, BooleanColumn):
        if column not in library.columns:
            library.register(column)


def table_fragment(table: Any, template_name: str, context: dict[str, Any], *, key: Any = None) -> str:
    """`render_to_string(template_name, context)` for a cell (a status badge), remembered for
    the rendering of this one table by `key` (by default the context's values) and the
    language: a page of 25 rows holds a handful of distinct badges, and each template
    rendering costs more than the rest of the cell (bench/page_cpu.py). The template stays the
    one the detail pages include. `key` must hold everything of the context the template
    reads; a key that cannot be a dictionary key is rendered every time."""
    fragments = table.__dict__.setdefault("_rendered_fragments", {})
    if key is None:
        key = tuple(sorted(context.items()))
    key = (template_name, key, get_language())
    try:
        return fragments[key]
    except TypeError:
        return render_to_string(template_name, context)
    except KeyError:
        fragments[key] = render_to_string(template_name, context)
        return fragments[key]


# What a narrow screen keeps of a list. On a phone (below 768 px) each row of a list becomes a
# card, one line per cell headed by its column's name; between 768 and 1200 px the table keeps
# its columns. A column declared a *detail* (`attrs=detail()`) is left out of both and shown
# from 1200 px only (the record's own page has it); every other column is always shown. The
# classes and labels are read by amelio.css (`.table-cards`, `.col-detail`); declaring them
# here, once per column, keeps the templates and the row renderer free of them.
def _header(bound_column: Any) -> str:
    return str(bound_column.header)


# Reads only the column: the row renderer (templatetags/core_tables.py) computes it once per table.
_header.same_for_every_row = True  # type: ignore[attr-defined]


def column_attrs(*classes: str, detail: bool = False) -> dict[str, Any]:
    """A list column's `attrs`: its cells' classes, and `detail=True` for a column a narrow
    screen leaves out. Each cell carries its column's name, for the phone's card."""
    classes = (*classes, "col-detail") if detail else classes
    td: dict[str, Any] = {"data-label": _header}
    if classes:
        td["class"] = " ".join(classes)
    return {"th": {"class": " ".join(classes)}, "td": td} if classes else {"td": td}


def detail() -> dict[str, Any]:
    """The `attrs` of a column a narrow screen leaves out (shown from 1200 px)."""
    return column_attrs(detail=True)


def list_table_attrs(classes: str = "table table-hover align-middle") -> dict[str, Any]:
    """A list table's `Meta.attrs`: its classes, and on each cell the column's name, which
    the phone's card shows before the value."""
    return {"class": classes, "td": {"data-label": _header}}

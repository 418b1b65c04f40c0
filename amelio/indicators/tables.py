from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import django_tables2 as tables
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from amelio.core.tables import column_attrs, detail, list_table_attrs, table_fragment

from .models import Indicator, Objective
from .selectors import with_standings


class IndicatorTable(tables.Table):
    code = tables.Column(linkify=True)
    name = tables.Column(linkify=True)
    scope_kind = tables.Column(attrs=detail())
    unit = tables.Column(attrs=detail())
    direction = tables.Column(attrs=detail())
    source = tables.Column(attrs=detail())

    class Meta:
        model = Indicator
        fields = ["code", "name", "process", "scope_kind", "unit", "direction", "source", "owner"]
        attrs = list_table_attrs()

    def render_process(self, value: Any) -> str:
        return value.code

    def value_process(self, value: Any) -> str:
        return str(value)


NO_WRAP = column_attrs("text-nowrap")


def _label(field: str) -> Any:
    """An objective field's name as a column heading (capitalised, as the table does for its own)."""
    return capfirst(Objective._meta.get_field(field).verbose_name)  # type: ignore[union-attr]


class ObjectiveTable(tables.Table):
    """Objectives with their computed standing: the rows are read once and their standings
    computed together (selectors.with_standings), so a page or an export runs a fixed number
    of queries; sorting by standing sorts those rows."""

    # Named from the model's fields: the rows are a list, from which the table cannot tell the model.
    code = tables.Column(linkify=True, attrs=NO_WRAP, verbose_name=_label("code"))
    statement = tables.Column(linkify=True, verbose_name=_label("statement"))
    process = tables.Column(verbose_name=_label("process"), order_by="process__code")
    owner = tables.Column(
        verbose_name=_label("owner"),
        order_by=("owner__last_name", "owner__first_name"),
    )
    academic_year = tables.Column(
        attrs=column_attrs("text-nowrap", detail=True),
        verbose_name=_label("academic_year"),
        order_by="academic_year__starts_on",
    )
    due_on = tables.Column(attrs=NO_WRAP, verbose_name=_label("due_on"))
    standing = tables.Column(verbose_name=_("Standing"), accessor="standing", orderable=True)

    class Meta:
        model = Objective
        fields = ["code", "statement", "status", "standing", "process", "owner", "academic_year", "due_on"]
        attrs = list_table_attrs()

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(with_standings(list(data if data is not None else [])), *args, **kwargs)

    def render_process(self, value: Any) -> str:
        return value.code

    def value_process(self, value: Any) -> str:
        return str(value)

    def render_standing(self, value: str) -> str:
        # The badge's template alone, without the request's context (no context processor per row).
        return table_fragment(self, "indicators/_standing.html", {"standing": value})

    def value_standing(self, record: Any) -> str:
        return str(record.standing_label)


def dashboard_export_rows(board: Any) -> Iterator[list[Any]]:
    """A dashboard as spreadsheet rows (header first): one row per figure, as on the page."""
    previous = board.previous_year.label if board.previous_year is not None else ""
    yield [
        str(_("Code")),
        str(_("Indicator")),
        str(_("Process")),
        str(_("Scope")),
        str(_("Academic year")),
        str(pgettext("indicator", "Value")),
        str(_("Unit")),
        str(_("Target")),
        str(_("Alert threshold")),
        str(_("Status")),
        str(_("Value of %(year)s") % {"year": previous}) if previous else str(_("Value of the year before")),
        str(_("Trend")),
        str(_("Improvement item")),
    ]
    year = board.academic_year.label if board.academic_year is not None else ""
    trends = {"better": _("better"), "worse": _("worse"), "same": _("same"), "": ""}
    for line in board.lines:
        indicator = line.indicator
        yield [
            indicator.code,
            indicator.name,
            indicator.process.code if indicator.process is not None else "",
            line.scope_label if line.value is not None else "",
            year,
            _number(line.value.value if line.value is not None else None),
            indicator.unit,
            _number(line.target.target if line.target is not None else None),
            _number(line.target.alert_threshold if line.target is not None else None),
            line.light_label,
            _number(line.previous.value if line.previous is not None else None),
            str(trends[line.trend]),
            line.item.reference if line.item is not None else "",
        ]


def _number(value: Decimal | None) -> Decimal | None:
    """2 decimal places as stored; a whole number without them."""
    if value is None:
        return None
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()

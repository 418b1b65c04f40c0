"""The inputs of a management review (ISO 9001 9.3.2) that this app holds, registered with
core's registry so that the reviews app compiles them without reading these tables:

- c) 2) the extent to which the quality objectives have been met;
- c) 3) process performance: each indicator, by process, its latest value against its target
  and alert threshold in the academic years the review's period overlaps.

Each compiler returns a JSON-serialisable snapshot (its texts frozen by core.frozen_text) in
the shape documented in amelio/core/registry.py."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy

from amelio.core.frozen_text import choice_text, display
from amelio.core.frozen_text import gettext_frozen as _
from amelio.core.registry import register_review_input
from amelio.organisation.models import AcademicYear

from .choices import Light, ObjectiveStatus
from .models import IndicatorValue, Objective, Target
from .selectors import objective_standings

CLOSED_STATUSES = (ObjectiveStatus.ACHIEVED, ObjectiveStatus.NOT_ACHIEVED, ObjectiveStatus.ABANDONED)


def _figure(number: Decimal | None) -> str:
    """55.00 as "55", 55.50 as "55.5", no value as ""."""
    return "" if number is None else f"{Decimal(number).normalize():f}"


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _years_overlapping(starts_on: datetime.date, ends_on: datetime.date) -> list[AcademicYear]:
    return list(AcademicYear.objects.filter(starts_on__lte=ends_on, ends_on__gte=starts_on).order_by("starts_on"))


def objectives_met(starts_on: datetime.date, ends_on: datetime.date) -> dict[str, Any]:
    """The objectives the period concerns — those of an academic year it overlaps, due in it,
    or closed in it (drafts left out: nothing was committed to) — with their status, and for
    those still active how they stand against their indicators. The share met counts the
    achieved among those closed achieved or not achieved (abandoned ones are neither)."""
    objectives = list(
        Objective.objects.exclude(status=ObjectiveStatus.DRAFT)
        .filter(
            Q(academic_year__starts_on__lte=ends_on, academic_year__ends_on__gte=starts_on)
            | Q(due_on__range=(starts_on, ends_on))
            | Q(closed_on__range=(starts_on, ends_on))
        )
        .select_related("process", "owner", "academic_year")
        .order_by("code", "pk")
    )
    standings = objective_standings(
        [objective for objective in objectives if objective.status == ObjectiveStatus.ACTIVE]
    )
    counts = {status: sum(objective.status == status for objective in objectives) for status in ObjectiveStatus}
    achieved, missed = counts[ObjectiveStatus.ACHIEVED], counts[ObjectiveStatus.NOT_ACHIEVED]
    share = _percent(achieved, achieved + missed)
    rows = []
    for objective in objectives:
        standing = standings.get(objective.pk)
        rows.append(
            [
                objective.code,
                objective.statement,
                objective.process.code if objective.process is not None else "",
                str(objective.owner),
                str(objective.academic_year),
                objective.due_on.isoformat(),
                display(objective, "status"),
                choice_text(standing.label) if standing is not None else "",
            ]
        )
    return {
        "figures": [
            {"label": _("Objectives"), "value": len(objectives), "unit": "", "note": ""},
            {"label": _("Achieved"), "value": achieved, "unit": "", "note": ""},
            {"label": _("Not achieved"), "value": missed, "unit": "", "note": ""},
            {"label": _("Abandoned"), "value": counts[ObjectiveStatus.ABANDONED], "unit": "", "note": ""},
            {"label": _("Still active"), "value": counts[ObjectiveStatus.ACTIVE], "unit": "", "note": ""},
            {
                "label": _("Objectives met"),
                "value": "" if share is None else share,
                "unit": "%",
                "note": _("achieved among those closed achieved or not achieved"),
            },
        ],
        "tables": [
            {
                "title": _("Quality objectives"),
                "columns": [
                    _("Reference"),
                    _("Statement"),
                    _("Process"),
                    _("Owner"),
                    _("Academic year"),
                    _("Due on"),
                    _("Status"),
                    _("Standing"),
                ],
                "rows": rows,
            }
        ],
        "summary": _("%(met)s of %(closed)s closed objectives achieved; %(active)s still active.")
        % {"met": achieved, "closed": achieved + missed, "active": counts[ObjectiveStatus.ACTIVE]},
    }


def _latest_first(value: IndicatorValue) -> tuple[datetime.date, bool, str]:
    """Orders an indicator's values in one scope: the later year first; within a year the
    whole year's value (it sums the year up), then the later period ("S2" after "S1",
    "2026-03" after "2026-02")."""
    return (value.academic_year.starts_on, value.period == "", value.period)


def process_performance(starts_on: datetime.date, ends_on: datetime.date) -> dict[str, Any]:
    """Each indicator in each of its scopes, by process then indicator, with its latest value
    in the academic years the period overlaps, set against that year's target and alert
    threshold. One row per indicator and scope, not per value: the review reads where each
    indicator stands (its months and semesters are on the indicator's page), and the table
    stays the size of the indicator list whatever their periodicity — every row of the PDF
    costs its drawing (bench/review_pdf.py)."""
    years = _years_overlapping(starts_on, ends_on)
    latest: dict[tuple[int, str], IndicatorValue] = {}
    for candidate in IndicatorValue.objects.filter(academic_year__in=years).select_related(
        "indicator__process", "academic_year", "department", "programme"
    ):
        key = (candidate.indicator_id, candidate.scope_key)
        if key not in latest or _latest_first(candidate) > _latest_first(latest[key]):
            latest[key] = candidate
    values = sorted(
        latest.values(),
        key=lambda value: (
            value.indicator.process.code if value.indicator.process is not None else "",
            value.indicator.code,
            value.scope_key,
        ),
    )
    targets = {
        (found.indicator_id, found.academic_year_id): found
        for found in Target.objects.filter(academic_year__in=years).select_related("indicator")
    }
    lights = dict.fromkeys(Light, 0)
    rows = []
    for value in values:
        target = targets.get((value.indicator_id, value.academic_year_id))
        light = target.light(value.value) if target is not None else Light.UNKNOWN
        lights[Light(light)] += 1
        process = value.indicator.process
        rows.append(
            [
                f"{process.code} {process.name}" if process is not None else "",
                f"{value.indicator.code} {value.indicator.name}",
                # The period's name is stored as written ("2025-2026, semester 1", "October
                # 2025"): core.frozen_text keeps gettext's words, not a date format's.
                value.period_label,
                value.scope_label if value.department_id or value.programme_id else _("Whole school"),
                _figure(value.value),
                value.indicator.unit,
                _figure(target.target) if target is not None else "",
                _figure(target.alert_threshold) if target is not None else "",
                choice_text(Light(light).label),
            ]
        )
    return {
        "figures": [
            {"label": choice_text(Light(light).label), "value": count, "unit": "", "note": ""}
            for light, count in lights.items()
        ],
        "tables": [
            {
                "title": _("Indicators by process"),
                "columns": [
                    _("Process"),
                    _("Indicator"),
                    _("Period"),
                    _("Scope"),
                    _("Value"),
                    _("Unit"),
                    _("Target"),
                    _("Alert threshold"),
                    _("Standing"),
                ],
                "rows": rows,
            }
        ],
        "summary": _(
            "%(alert)s indicators beyond their alert threshold, %(on_target)s on target, out of %(total)s "
            "(latest value in each scope)."
        )
        % {"alert": lights[Light.ALERT], "on_target": lights[Light.ON_TARGET], "total": len(values)},
    }


def register() -> None:
    register_review_input(
        "indicators.objectives",
        order=32,
        clause="9.3.2 c) 2)",
        title=gettext_lazy("Extent to which the quality objectives have been met"),
        compile=objectives_met,
    )
    register_review_input(
        "indicators.process_performance",
        order=33,
        clause="9.3.2 c) 3)",
        title=gettext_lazy("Process performance"),
        compile=process_performance,
    )

"""Reads of indicators, narrowed to what the user may see, each with a fixed number of
queries whatever the number of indicators, values and years."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from amelio.core.charts import LineChart, line_chart
from amelio.core.models import StoredFile
from amelio.core.permissions import visible
from amelio.organisation.models import AcademicYear

from .choices import Light, PeriodKind
from .computed import input_label
from .models import Indicator, IndicatorValue, OffTargetItem, Target
from .periods import WHOLE_YEAR, Period, periods_of


def indicator_list(*, user: Any) -> QuerySet[Indicator]:
    return visible(user, Indicator.objects.select_related("process", "owner")).order_by("code")


def indicator_get(*, user: Any, pk: int) -> Indicator:
    return get_object_or_404(indicator_list(user=user), pk=pk)


def current_academic_year() -> AcademicYear | None:
    """The year marked current, else the latest begun by today, else the latest (one query:
    the years are few)."""
    years = list(AcademicYear.objects.order_by("-starts_on"))
    today = timezone.localdate()
    return (
        next((year for year in years if year.is_current), None)
        or next((year for year in years if year.starts_on <= today), None)
        or (years[0] if years else None)
    )


@dataclass
class ValueRow:
    value: IndicatorValue
    target: Target | None
    light: str
    evidence: list[StoredFile] = field(default_factory=list)
    off_target_item: Any = None

    @property
    def inputs(self) -> list[tuple[str, Any]]:
        """The counts a computed value was made of, named for the reader."""
        return [(input_label(name), count) for name, count in self.value.inputs.items()]


@dataclass
class YearBlock:
    academic_year: AcademicYear
    target: Target | None
    rows: list[ValueRow]


def _light(target: Target | None, value: Decimal | None) -> str:
    return target.light(value) if target is not None else Light.UNKNOWN


def indicator_detail(*, user: Any, indicator: Indicator) -> dict[str, Any]:
    """The indicator's values by year (latest first) and scope with their lights, evidence
    and raised items, its targets, and the trend chart of each scope over the years."""
    years = list(AcademicYear.objects.order_by("starts_on"))
    targets = {target.academic_year_id: target for target in visible(user, indicator.targets.all())}
    for target in targets.values():
        target.indicator = indicator
    values = list(
        visible(user, indicator.values.select_related("department", "programme", "recorded_by")).order_by(
            "academic_year__starts_on", "scope_key"
        )
    )
    evidence: dict[int, list[StoredFile]] = {}
    if values:
        files = StoredFile.objects.filter(
            owner_type__app_label="indicators",
            owner_type__model="indicatorvalue",
            owner_id__in=[value.pk for value in values],
        ).order_by("uploaded_at", "id")
        for stored in files:
            evidence.setdefault(stored.owner_id, []).append(stored)
    items = {
        (link.academic_year_id, link.period, link.scope_key): link.item
        for link in OffTargetItem.objects.filter(indicator=indicator).select_related("item")
    }
    by_pk = {year.pk: year for year in years}
    for value in values:
        value.academic_year = by_pk[value.academic_year_id]
    blocks = []
    for year in reversed(years):
        # A semester's or a month's values in the order of time, then of scope.
        year_values = sorted(
            (value for value in values if value.academic_year_id == year.pk),
            key=lambda value: (value.period, value.scope_key),
        )
        target = targets.get(year.pk)
        if not year_values and target is None:
            continue
        rows = [
            ValueRow(
                value=value,
                target=target,
                light=_light(target, value.value),
                evidence=evidence.get(value.pk, []),
                off_target_item=items.get((year.pk, value.period, value.scope_key)),
            )
            for value in year_values
        ]
        blocks.append(YearBlock(academic_year=year, target=target, rows=rows))
    if indicator.period_kind != PeriodKind.ACADEMIC_YEAR:
        return {
            "blocks": blocks,
            "by_period": True,
            **period_chart(indicator=indicator, years=years, values=values, targets=targets),
        }
    yearly = [value for value in values if value.period == WHOLE_YEAR]
    return {"blocks": blocks, "chart": trend_chart(indicator=indicator, years=years, values=yearly, targets=targets)}


# How far back the chart of an indicator measured per semester or per month looks.
RECENT_PERIODS: dict[str, int] = {PeriodKind.SEMESTER: 6, PeriodKind.MONTH: 12}


def _axis_label(period: Period, *, first: bool) -> str:
    """ "Oct", and "Jan 26" where a calendar year begins (and on the first point); "S1 2025-2026"."""
    if period.kind == PeriodKind.SEMESTER:
        return f"{period.code} {period.academic_year.label}"
    with_year = first or period.starts_on.month == 1
    return formats.date_format(period.starts_on, "M y" if with_year else "M")


def period_chart(
    *, indicator: Indicator, years: list[AcademicYear], values: list[IndicatorValue], targets: dict[int, Target]
) -> dict[str, Any]:
    """For an indicator measured per semester or per month: its latest periods up to the
    latest with a value (twelve months, six semesters), across academic years, one line per
    scope, with each year's target and alert threshold as steps. Returns the chart and its
    first and last periods."""
    kind = indicator.period_kind
    measured = [value for value in values if value.period != WHOLE_YEAR]
    if not measured or kind not in RECENT_PERIODS:
        return {"chart": line_chart(x_labels=[], series=[], unit=indicator.unit), "chart_periods": None}
    sequence = [period for year in years for period in periods_of(year, kind)]
    position = {(period.academic_year.pk, period.code): index for index, period in enumerate(sequence)}
    last = max(position.get((value.academic_year_id, value.period), -1) for value in measured)
    shown = sequence[max(0, last + 1 - RECENT_PERIODS[kind]) : last + 1]
    by_scope: dict[str, dict[tuple[int, str], Decimal | None]] = {}
    labels: dict[str, str] = {}
    for value in measured:
        by_scope.setdefault(value.scope_key, {})[(value.academic_year_id, value.period)] = value.value
        labels[value.scope_key] = value.scope_label
    keys = [(period.academic_year.pk, period.code) for period in shown]
    series = [(labels[key], [points.get(at) for at in keys]) for key, points in sorted(by_scope.items())]
    year_targets = [targets.get(period.academic_year.pk) for period in shown]
    references = [
        (_("Target"), [target.target if target is not None else None for target in year_targets]),
        (_("Alert threshold"), [target.alert_threshold if target is not None else None for target in year_targets]),
    ]
    chart = line_chart(
        x_labels=[_axis_label(period, first=index == 0) for index, period in enumerate(shown)],
        series=series,
        references=references,
        unit=indicator.unit,
    )
    return {"chart": chart, "chart_periods": (shown[0], shown[-1]) if shown else None}


def trend_chart(
    *, indicator: Indicator, years: list[AcademicYear], values: list[IndicatorValue], targets: dict[int, Target]
) -> LineChart:
    """One line per scope over the years that have a value or a target, with the target and
    the alert threshold of each year as dashed lines."""
    shown = [year for year in years if year.pk in targets or any(v.academic_year_id == year.pk for v in values)]
    by_scope: dict[str, dict[int, Decimal | None]] = {}
    labels: dict[str, str] = {}
    for value in values:
        by_scope.setdefault(value.scope_key, {})[value.academic_year_id] = value.value
        labels[value.scope_key] = value.scope_label
    series = [(labels[key], [points.get(year.pk) for year in shown]) for key, points in sorted(by_scope.items())]
    references = [
        (_("Target"), [targets[year.pk].target if year.pk in targets else None for year in shown]),
        (_("Alert threshold"), [targets[year.pk].alert_threshold if year.pk in targets else None for year in shown]),
    ]
    return line_chart(
        x_labels=[year.label for year in shown], series=series, references=references, unit=indicator.unit
    )


def latest_period(values: list[IndicatorValue]) -> list[IndicatorValue]:
    """Of an indicator's values of one academic year, those of its latest period: the
    year's, or the latest semester's or month's for one measured so (a dashboard shows one
    figure per scope)."""
    if not values:
        return values
    latest = max(value.period for value in values)
    return [value for value in values if value.period == latest]


@dataclass
class DashboardRow:
    indicator: Indicator
    target: Target | None
    values: list[tuple[IndicatorValue, str]]


def dashboard(*, user: Any, academic_year: AcademicYear | None) -> list[DashboardRow]:
    """Every indicator the user sees, with its target and its values of the year and their
    lights. Four queries whatever the number of indicators."""
    indicators = list(indicator_list(user=user))
    if academic_year is None:
        return [DashboardRow(indicator=indicator, target=None, values=[]) for indicator in indicators]
    targets = {
        target.indicator_id: target
        for target in visible(user, Target.objects.filter(academic_year=academic_year, indicator__in=indicators))
    }
    values: dict[int, list[IndicatorValue]] = {}
    for value in visible(
        user,
        IndicatorValue.objects.filter(academic_year=academic_year, indicator__in=indicators).select_related(
            "department", "programme"
        ),
    ).order_by("scope_key"):
        values.setdefault(value.indicator_id, []).append(value)
    rows = []
    for indicator in indicators:
        target = targets.get(indicator.pk)
        if target is not None:
            target.indicator = indicator
        rows.append(
            DashboardRow(
                indicator=indicator,
                target=target,
                values=[(value, _light(target, value.value)) for value in latest_period(values.get(indicator.pk, []))],
            )
        )
    return rows

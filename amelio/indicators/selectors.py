"""Reads of indicators, narrowed to what the user may see, each with a fixed number of
queries whatever the number of indicators, values and years."""

from __future__ import annotations

import hashlib
import threading
from collections import Counter, OrderedDict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from amelio.core.charts import LineChart, line_chart
from amelio.core.models import StoredFile
from amelio.core.permissions import roles_for, visible
from amelio.improvement.choices import OPEN_ACTION_STATUSES, OPEN_ITEM_STATUSES
from amelio.improvement.models import Action
from amelio.organisation.models import AcademicYear

from .choices import DashboardKind, Direction, Light, ObjectiveStatus, PeriodKind, ScopeKind, Standing
from .computed import input_label
from .models import Indicator, IndicatorValue, Objective, ObjectiveMeasure, OffTargetItem, Target
from .periods import WHOLE_YEAR, Period, periods_of
from .rules import answered_for


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
    *,
    indicator: Indicator,
    years: list[AcademicYear],
    values: list[IndicatorValue],
    targets: dict[int, Target],
    small: bool = False,
) -> LineChart:
    """One line per scope over the years that have a value or a target, with the target and
    the alert threshold of each year as dashed lines. A small chart (a dashboard's card)
    names the years shortly ("24-25") when more than four of them share its width."""
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
    if not small:
        return line_chart(
            x_labels=[year.label for year in shown], series=series, references=references, unit=indicator.unit
        )
    labels_shown = [_short_year_label(year.label) if len(shown) > 4 else year.label for year in shown]
    return line_chart(
        x_labels=labels_shown,
        series=series,
        references=references,
        # A long unit ("entreprises") does not fit beside the ticks: the caption names it.
        unit=indicator.unit if len(indicator.unit) <= SMALL_CHART_UNIT_LENGTH else "",
        width=SMALL_CHART_WIDTH,
        plot_height=SMALL_CHART_PLOT_HEIGHT,
    )


def latest_period(values: list[IndicatorValue]) -> list[IndicatorValue]:
    """Of an indicator's values of one academic year, those of its latest period: the
    year's, or the latest semester's or month's for one measured so (a dashboard shows one
    figure per scope)."""
    if not values:
        return values
    latest = max(value.period for value in values)
    return [value for value in values if value.period == latest]


SMALL_CHART_WIDTH = 420
SMALL_CHART_PLOT_HEIGHT = 120
SMALL_CHART_UNIT_LENGTH = 3


def _short_year_label(label: str) -> str:
    """ "2024-2025" as "24-25"; any other label as it is."""
    first, _dash, second = label.partition("-")
    if len(first) == 4 and len(second) == 4 and first.isdigit() and second.isdigit():
        return f"{first[2:]}-{second[2:]}"
    return label


@dataclass
class DashboardLine:
    """One figure of a dashboard: an indicator's value for one scope in the chosen year (or
    the indicator alone when it has no value that year), its target, its light, the same
    scope's value the year before, and the item raised when it went off target."""

    indicator: Indicator
    value: IndicatorValue | None
    target: Target | None
    light: str
    previous: IndicatorValue | None = None
    item: Any = None
    is_first_of_indicator: bool = True

    @property
    def scope_label(self) -> str:
        if self.value is None:
            return "—"
        if self.value.period:
            return f"{self.value.scope_label}, {self.value.period_short}"
        return self.value.scope_label

    @property
    def light_label(self) -> str:
        return str(Light(self.light).label)

    @property
    def change(self) -> str:
        """ "up", "down" or "same" against the year before; "" when either value is missing."""
        if self.value is None or self.value.value is None or self.previous is None or self.previous.value is None:
            return ""
        if self.value.value == self.previous.value:
            return "same"
        return "up" if self.value.value > self.previous.value else "down"

    @property
    def trend(self) -> str:
        """ "better", "worse" or "same" against the year before, read with the indicator's
        direction; "" when either value is missing."""
        change = self.change
        if change in ("", "same"):
            return change
        higher_is_better = self.indicator.direction == Direction.HIGHER_IS_BETTER
        return "better" if (change == "up") == higher_is_better else "worse"


# Drawn charts kept by what they draw: a dashboard of 200 indicators spent most of its time
# rendering the same SVG again at every request. The key is the chart's whole content (its
# values, targets, thresholds, labels) with the language and the figure's id and title, so a
# changed value or target draws anew and nothing stale is ever shown. Per process, bounded.
DRAWN_CHARTS_KEPT = 4096
_drawn_charts: OrderedDict[str, str] = OrderedDict()
_drawn_charts_lock = threading.Lock()


def drawn_chart(chart: LineChart, *, chart_id: str, title: str, for_print: bool = False) -> str:
    """The chart's SVG (core/_line_chart.html), drawn once for each distinct content. On
    paper a point has no tooltip: without them WeasyPrint draws a chart a quarter faster."""
    key = hashlib.sha256(repr((get_language(), chart_id, title, for_print, chart)).encode()).hexdigest()
    with _drawn_charts_lock:
        svg = _drawn_charts.get(key)
        if svg is not None:
            _drawn_charts.move_to_end(key)
            return svg
    svg = render_to_string(
        "core/_line_chart.html",
        {"chart": chart, "chart_id": chart_id, "chart_title": title, "for_print": for_print},
    )
    with _drawn_charts_lock:  # the threads of one process share the charts
        _drawn_charts[key] = svg
        while len(_drawn_charts) > DRAWN_CHARTS_KEPT:
            _drawn_charts.popitem(last=False)
    return svg


@dataclass
class IndicatorTrend:
    indicator: Indicator
    chart: LineChart

    @property
    def chart_id(self) -> str:
        return f"trend-{self.indicator.pk}"

    @property
    def svg(self) -> str:
        # Safe as rendered: the template engine escaped it when it drew it.
        return drawn_chart(self.chart, chart_id=self.chart_id, title=self.indicator.name)

    @property
    def print_svg(self) -> str:
        return drawn_chart(self.chart, chart_id=self.chart_id, title=self.indicator.name, for_print=True)


@dataclass
class Dashboard:
    kind: str
    subject: Any  # the department or the process shown; None for the school and "my indicators"
    academic_year: AcademicYear | None
    previous_year: AcademicYear | None
    lines: list[DashboardLine] = field(default_factory=list)
    trends: list[IndicatorTrend] = field(default_factory=list)
    light: str = ""  # the light the indicators shown are chosen by; "" for all
    light_counts: Counter[str] = field(default_factory=Counter)  # over every indicator, whatever is shown
    page: Page | None = None  # the page of indicators shown, when the dashboard is paginated

    @property
    def title(self) -> str:
        label = str(DashboardKind(self.kind).label)
        if self.subject is None:
            return label
        return _("%(dashboard)s: %(subject)s") % {"dashboard": label, "subject": self.subject}

    @property
    def counts(self) -> list[tuple[str, str, int]]:
        """(light, its label, how many figures have it), every light listed, counted over
        every indicator of the dashboard whichever page or light is shown."""
        counted = self.light_counts or Counter(line.light for line in self.lines)
        return [(light.value, str(light.label), counted[light.value]) for light in Light]

    @property
    def off_target(self) -> list[DashboardLine]:
        """The figures not on target (beyond the alert threshold first)."""
        order = {Light.ALERT: 0, Light.WATCH: 1}
        return sorted((line for line in self.lines if line.light in order), key=lambda line: order[Light(line.light)])


def _figure_before(value: IndicatorValue, values: list[IndicatorValue], order: dict[int, int]) -> IndicatorValue | None:
    """The same scope's figure just before `value`, among `values` (periods in time order)."""

    def when(figure: IndicatorValue) -> tuple[int, str]:
        return order[figure.academic_year_id], figure.period

    earlier = [v for v in values if v.scope_key == value.scope_key and when(v) < when(value)]
    return max(earlier, key=when) if earlier else None


def _latest_of_each_year(values: list[IndicatorValue]) -> list[IndicatorValue]:
    """A trend over the years shows, for an indicator measured per semester or month, each
    year's latest figure of each scope."""
    latest: dict[tuple[int, str], IndicatorValue] = {}
    for value in values:
        key = (value.academic_year_id, value.scope_key)
        if key not in latest or value.period > latest[key].period:
            latest[key] = value
    return list(latest.values())


def dashboard_filters(*, user: Any, kind: str, subject: Any) -> tuple[Q, Q]:
    """Which indicators a dashboard lists, and which of their values it shows:

    - school: every indicator, every value (the whole school, each department, each programme);
    - department D: the indicators measured per department or per programme, with D's value
      and the values of D's programmes; and the indicators of D's processes, with their
      values for the whole school too (those are D's own measures);
    - process P: the indicators of P, every value;
    - my indicators: those the user owns and, for a department head, those of the processes
      of their departments (rules.answered_for), every value.
    """
    if kind == DashboardKind.DEPARTMENT:
        return (
            Q(scope_kind__in=[ScopeKind.DEPARTMENT, ScopeKind.PROGRAMME]) | Q(process__department=subject),
            Q(department=subject)
            | Q(programme__department=subject)
            | Q(scope_key="school", indicator__process__department=subject),
        )
    if kind == DashboardKind.PROCESS:
        return Q(process=subject), Q()
    if kind == DashboardKind.MINE:
        return answered_for(roles_for(user)), Q()
    return Q(), Q()


# A dashboard page shows this many indicators (their lines and trend charts): a school's
# two hundred would make a page of four megabytes that takes seconds to draw. A multiple
# of 2 and 3, so that the charts fill their rows.
DASHBOARD_INDICATORS_PER_PAGE = 24


def dashboard_for(
    *,
    user: Any,
    kind: str,
    subject: Any = None,
    academic_year: AcademicYear | None,
    charts: bool = True,
    light: str = "",
    page_number: int | None = None,
) -> Dashboard:
    """A dashboard of one kind (see dashboard_filters) for one academic year: a line per
    value of the year with its target, light, the year before and its raised item, and (with
    `charts`) a trend chart per indicator over the years.

    `light` keeps the figures of that light (and the trend charts of their indicators). `page_number` shows one page of
    DASHBOARD_INDICATORS_PER_PAGE indicators (the lights are still counted over them all);
    None shows them all, as the exports do. Eight queries whatever the number of indicators,
    values and years; one when the indicators are none."""
    indicator_filter, value_filter = dashboard_filters(user=user, kind=kind, subject=subject)
    indicators = list(indicator_list(user=user).filter(indicator_filter))
    if not indicators:
        return Dashboard(kind=kind, subject=subject, academic_year=academic_year, previous_year=None, light=light)
    years = list(AcademicYear.objects.order_by("starts_on"))
    previous = None
    if academic_year is not None:
        earlier = [year for year in years if year.starts_on < academic_year.starts_on]
        previous = earlier[-1] if earlier else None
    board = Dashboard(kind=kind, subject=subject, academic_year=academic_year, previous_year=previous, light=light)
    order = {year.pk: position for position, year in enumerate(years)}
    by_pk = {indicator.pk: indicator for indicator in indicators}
    # First the chosen year and the one before, for every indicator: the lines and their lights.
    wanted = [year.pk for year in (academic_year, previous) if year is not None]
    targets: dict[int, dict[int, Target]] = {}  # indicator -> academic year -> target
    values: dict[int, list[IndicatorValue]] = {}
    _read_figures(user, by_pk, targets, values, value_filter, Q(academic_year__in=wanted))
    for own in values.values():  # in time order, as the lines and the charts read them
        own.sort(key=lambda value: (order[value.academic_year_id], value.scope_key))
    items = {}
    if academic_year is not None:
        items = {
            (link.indicator_id, link.scope_key, link.period): link.item
            for link in OffTargetItem.objects.filter(
                indicator__in=list(by_pk), academic_year=academic_year
            ).select_related("item")
        }
    lines: dict[int, list[DashboardLine]] = {}
    if academic_year is not None:
        for indicator in indicators:
            lines[indicator.pk] = _lines_of(
                indicator,
                values.get(indicator.pk, []),
                targets.get(indicator.pk, {}),
                academic_year=academic_year,
                previous=previous,
                order=order,
                items=items,
            )
    board.light_counts = Counter(line.light for own in lines.values() for line in own)
    shown = [
        indicator
        for indicator in indicators
        if not light or any(line.light == light for line in lines.get(indicator.pk, []))
    ]
    if page_number is not None:
        board.page = Paginator(shown, DASHBOARD_INDICATORS_PER_PAGE).get_page(page_number)
        shown = list(board.page.object_list)
    board.lines = [
        line for indicator in shown for line in lines.get(indicator.pk, []) if not light or line.light == light
    ]
    for before, line in zip([None, *board.lines], board.lines, strict=False):
        # The indicator is named on its first line shown, whichever lines the light kept.
        line.is_first_of_indicator = before is None or before.indicator.pk != line.indicator.pk
    if charts and shown:
        # Then every other year of the indicators shown, for their trend charts.
        _read_figures(
            user,
            {indicator.pk: indicator for indicator in shown},
            targets,
            values,
            value_filter,
            ~Q(academic_year__in=wanted),
        )
        for own in values.values():
            own.sort(key=lambda value: (order[value.academic_year_id], value.scope_key))
        for indicator in shown:
            chart = trend_chart(
                indicator=indicator,
                years=years,
                values=_latest_of_each_year(values.get(indicator.pk, [])),
                targets=targets.get(indicator.pk, {}),
                small=True,
            )
            board.trends.append(IndicatorTrend(indicator=indicator, chart=chart))
    return board


def _read_figures(
    user: Any,
    by_pk: dict[int, Indicator],
    targets: dict[int, dict[int, Target]],
    values: dict[int, list[IndicatorValue]],
    value_filter: Q,
    years: Q,
) -> None:
    """Adds to `targets` and `values` those of the indicators `by_pk` in `years` (two queries)."""
    for target in visible(user, Target.objects.filter(years, indicator__in=list(by_pk))):
        target.indicator = by_pk[target.indicator_id]
        targets.setdefault(target.indicator_id, {})[target.academic_year_id] = target
    for value in visible(
        user,
        IndicatorValue.objects.filter(value_filter, years, indicator__in=list(by_pk)).select_related(
            "department", "programme"
        ),
    ):
        value.indicator = by_pk[value.indicator_id]
        values.setdefault(value.indicator_id, []).append(value)


def _lines_of(
    indicator: Indicator,
    own: list[IndicatorValue],
    own_targets: dict[int, Target],
    *,
    academic_year: AcademicYear,
    previous: AcademicYear | None,
    order: dict[int, int],
    items: dict[tuple[int, str, str], Any],
) -> list[DashboardLine]:
    """One line per scope of the indicator in the year: the year's figure, or its latest
    semester's or month's, compared with the same scope's figure just before it (the year
    before, or the period before); a single line saying so when it has none."""
    target = own_targets.get(academic_year.pk)
    this_year = latest_period([v for v in own if v.academic_year_id == academic_year.pk])
    shown_years = {academic_year.pk} | ({previous.pk} if previous is not None else set())
    before = {
        value.scope_key: figure
        for value in this_year
        if (figure := _figure_before(value, [v for v in own if v.academic_year_id in shown_years], order))
    }
    return [
        DashboardLine(
            indicator=indicator,
            value=value,
            target=target,
            light=_light(target, value.value),
            previous=before.get(value.scope_key),
            item=items.get((indicator.pk, value.scope_key, value.period)),
            is_first_of_indicator=position == 0,
        )
        for position, value in enumerate(this_year)
    ] or [DashboardLine(indicator=indicator, value=None, target=target, light=Light.UNKNOWN)]


def dashboard_pickers(*, user: Any) -> dict[str, list[Any]]:
    """The departments and the processes whose dashboards a dashboard links to."""
    from amelio.organisation.models import Department
    from amelio.processes.models import Process

    return {
        "departments": list(visible(user, Department.objects.filter(is_active=True).order_by("name"))),
        "processes": list(visible(user, Process.objects.filter(is_active=True).order_by("code"))),
    }


# Quality objectives (ISO 9001 clause 6.2) --------------------------------------------------------


def objective_list(*, user: Any) -> QuerySet[Objective]:
    return visible(user, Objective.objects.select_related("process", "owner", "academic_year")).order_by("code")


def objective_get(*, user: Any, pk: int) -> Objective:
    return get_object_or_404(objective_list(user=user), pk=pk)


@dataclass
class MeasureStanding:
    """Where one measure stands: the latest value of its indicator (for the objective's
    department when the indicator is kept per department, else the least favourable of its
    scopes), against the objective's target and the indicator's alert threshold of that year."""

    measure: ObjectiveMeasure
    value: IndicatorValue | None
    threshold: Decimal | None
    standing: str
    # The measured scopes' values by year (for the trend), and the years they span.
    history: list[IndicatorValue] = field(default_factory=list)
    thresholds: dict[int, Decimal] = field(default_factory=dict)

    @property
    def standing_label(self) -> str:
        return str(Standing(self.standing).label)


@dataclass
class ObjectiveStanding:
    standing: str
    measures: list[MeasureStanding]

    @property
    def label(self) -> str:
        return str(Standing(self.standing).label)


def _measured_values(measure: ObjectiveMeasure, values: list[IndicatorValue]) -> list[IndicatorValue]:
    indicator, process = measure.indicator, measure.objective.process
    if indicator.scope_kind == ScopeKind.DEPARTMENT and process is not None and process.department_id is not None:
        return [value for value in values if value.department_id == process.department_id]
    return values


def _least_favourable(indicator: Indicator, values: list[IndicatorValue]) -> IndicatorValue:
    key = lambda value: value.value  # noqa: E731
    if indicator.direction == Direction.HIGHER_IS_BETTER:
        return min(values, key=key)
    return max(values, key=key)


def _measure_standing(
    measure: ObjectiveMeasure, values: list[IndicatorValue], thresholds: dict[int, Decimal]
) -> MeasureStanding:
    history = _measured_values(measure, values)
    with_value = [value for value in history if value.value is not None]
    if not with_value:
        return MeasureStanding(measure, None, None, Standing.NOT_MEASURED, history, thresholds)
    latest_start = max(value.academic_year.starts_on for value in with_value)
    latest = _least_favourable(
        measure.indicator, [value for value in with_value if value.academic_year.starts_on == latest_start]
    )
    threshold = thresholds.get(latest.academic_year_id)
    assert latest.value is not None
    if measure.is_met(latest.value):
        standing = Standing.ON_TRACK
    elif threshold is not None and (
        latest.value < threshold
        if measure.indicator.direction == Direction.HIGHER_IS_BETTER
        else latest.value > threshold
    ):
        standing = Standing.AT_RISK
    else:
        standing = Standing.BEHIND
    return MeasureStanding(measure, latest, threshold, standing, history, thresholds)


def _overall(measures: list[MeasureStanding]) -> str:
    standings = {measure.standing for measure in measures}
    if Standing.AT_RISK in standings:
        return Standing.AT_RISK
    if Standing.BEHIND in standings:
        return Standing.BEHIND
    if standings == {Standing.ON_TRACK}:
        return Standing.ON_TRACK
    return Standing.NOT_MEASURED


def objective_standings(objectives: list[Objective]) -> dict[int, ObjectiveStanding]:
    """The standing of each objective and of each of its measures, in three queries whatever
    the number of objectives, measures, values and years: at risk when a measure's latest
    value is beyond its indicator's alert threshold, behind when one falls short of the
    objective's target, on track when every measure meets it, not measured otherwise."""
    by_pk = {objective.pk: objective for objective in objectives}
    if not by_pk:
        return {}
    measures = list(
        ObjectiveMeasure.objects.filter(objective_id__in=list(by_pk))
        .select_related("indicator")
        .order_by("indicator__code")
    )
    indicator_ids = {measure.indicator_id for measure in measures}
    values: dict[int, list[IndicatorValue]] = {}
    thresholds: dict[int, dict[int, Decimal]] = {}
    if indicator_ids:
        for value in (
            IndicatorValue.objects.filter(indicator_id__in=indicator_ids)
            .select_related("academic_year", "department", "programme")
            .order_by("academic_year__starts_on", "scope_key")
        ):
            values.setdefault(value.indicator_id, []).append(value)
        for indicator_id, year_id, threshold in Target.objects.filter(indicator_id__in=indicator_ids).values_list(
            "indicator_id", "academic_year_id", "alert_threshold"
        ):
            thresholds.setdefault(indicator_id, {})[year_id] = threshold
    rows: dict[int, list[MeasureStanding]] = {pk: [] for pk in by_pk}
    for measure in measures:
        measure.objective = by_pk[measure.objective_id]
        rows[measure.objective_id].append(
            _measure_standing(measure, values.get(measure.indicator_id, []), thresholds.get(measure.indicator_id, {}))
        )
    return {pk: ObjectiveStanding(_overall(found), found) for pk, found in rows.items()}


def with_standings(objectives: list[Objective]) -> list[Objective]:
    """The objectives, each with its `standing` (a Standing value) and `standing_label`."""
    standings = objective_standings(objectives)
    for objective in objectives:
        found = standings[objective.pk]
        objective.standing = found.standing  # type: ignore[attr-defined]
        objective.standing_label = found.label  # type: ignore[attr-defined]
    return objectives


def measure_chart(row: MeasureStanding) -> LineChart:
    """The trend of a measure over the years it has values: one line per measured scope,
    with the objective's target and the indicator's alert threshold of each year."""
    measure = row.measure
    years: dict[int, AcademicYear] = {}
    by_scope: dict[str, dict[int, Decimal | None]] = {}
    labels: dict[str, str] = {}
    for value in row.history:
        years[value.academic_year_id] = value.academic_year
        by_scope.setdefault(value.scope_key, {})[value.academic_year_id] = value.value
        labels[value.scope_key] = value.scope_label
    shown = sorted(years.values(), key=lambda year: year.starts_on)
    return line_chart(
        x_labels=[year.label for year in shown],
        series=[(labels[key], [points.get(year.pk) for year in shown]) for key, points in sorted(by_scope.items())],
        references=[
            (_("Objective's target"), [measure.target for _year in shown]),
            (_("Alert threshold"), [row.thresholds.get(year.pk) for year in shown]),
        ],
        unit=measure.indicator.unit,
    )


@dataclass
class ObjectiveMeasureRow:
    row: MeasureStanding
    chart: LineChart


def objective_detail(*, user: Any, objective: Objective) -> dict[str, Any]:
    """The objective's standing, each measure with its latest value, standing and trend
    chart, and the actions that serve it with their state and due dates (those the user may
    see). A fixed number of queries whatever the number of measures, values and actions."""
    standing = objective_standings([objective])[objective.pk]
    actions = list(visible(user, objective.actions.select_related("owner", "item")).order_by("due_on", "id"))
    return {
        "standing": standing,
        "measure_rows": [ObjectiveMeasureRow(row=row, chart=measure_chart(row)) for row in standing.measures],
        "actions": actions,
        "today": timezone.localdate(),
    }


def indicator_objectives(*, user: Any, indicator: Indicator) -> list[ObjectiveMeasure]:
    """The objectives this indicator measures, each through its measure (the objective's target)."""
    return list(
        ObjectiveMeasure.objects.filter(indicator=indicator, objective__in=visible(user, Objective.objects.all()))
        .select_related("objective")
        .order_by("objective__code")
    )


def objectives_at_risk(*, user: Any) -> list[Objective]:
    """The active objectives `user` owns whose standing is at risk (their home card)."""
    owned = list(
        Objective.objects.filter(owner_id=getattr(user, "pk", None), status=ObjectiveStatus.ACTIVE)
        .select_related("process")
        .order_by("due_on", "code")
    )
    return [objective for objective in with_standings(owned) if objective.standing == Standing.AT_RISK]  # type: ignore[attr-defined]


def measure_get(*, user: Any, pk: int) -> ObjectiveMeasure:
    return get_object_or_404(
        visible(
            user,
            ObjectiveMeasure.objects.select_related("objective__process", "objective__academic_year", "indicator"),
        ),
        pk=pk,
        objective__in=visible(user, Objective.objects.all()),
    )


def linkable_actions(*, user: Any, objective: Objective) -> QuerySet[Action]:
    """Open improvement actions the user sees that do not serve the objective yet."""
    return (
        visible(user, Action.objects.filter(status__in=OPEN_ACTION_STATUSES))
        .exclude(objectives=objective)
        .only("id", "title", "due_on")
        .order_by("due_on", "id")
    )


def my_active_objectives(*, user: Any) -> list[Objective]:
    """The active objectives `user` owns, by due date, each with its standing ("My work")."""
    owned = list(
        Objective.objects.filter(owner_id=getattr(user, "pk", None), status=ObjectiveStatus.ACTIVE)
        .select_related("process")
        .order_by("due_on", "code")
    )
    return with_standings(owned)


def my_open_off_target_items(*, user: Any) -> list[OffTargetItem]:
    """The open items raised by a value off target that wait on `user`: on a process they
    own, or about an indicator they answer for (rules.answered_for). Newest first."""
    if getattr(user, "pk", None) is None:
        return []
    waiting = Q(item__process__owner_id=user.pk) | Q(
        indicator__in=Indicator.objects.filter(answered_for(roles_for(user)))
    )
    return list(
        OffTargetItem.objects.filter(waiting, item__status__in=OPEN_ITEM_STATUSES)
        .select_related("indicator", "item", "academic_year")
        .order_by("-item__raised_on", "-id")
    )


# The public results page ------------------------------------------------------------------


@dataclass
class PublishedResult:
    indicator: Indicator
    value: IndicatorValue | None  # the latest figure for the whole school; None when it has none yet

    @property
    def definition(self) -> str:
        computed = self.indicator.computed
        return str(computed.definition_text) if computed is not None else self.indicator.description


def published_results() -> list[PublishedResult]:
    """The indicators the quality manager published, each with its latest figure for the
    whole school (the latest ended academic year, and in it the latest semester or month, that
    has one: the year under way is not complete, and what is published stays true). Only
    school-wide figures: a department's or programme's could single out a few people. Open to
    all: it reads nothing else. Two queries."""
    indicators = list(Indicator.objects.filter(is_published=True).order_by("code"))
    latest: dict[int, IndicatorValue] = {}
    values = (
        IndicatorValue.objects.filter(
            indicator__in=indicators,
            scope_key="school",
            value__isnull=False,
            academic_year__ends_on__lt=timezone.localdate(),
        )
        .select_related("academic_year")
        .order_by("indicator_id", "academic_year__starts_on", "period")
    )
    for value in values:
        latest[value.indicator_id] = value  # ordered: the last one read is the latest
    return [PublishedResult(indicator=indicator, value=latest.get(indicator.pk)) for indicator in indicators]

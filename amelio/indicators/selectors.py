"""Reads of indicators, narrowed to what the user may see, each with a fixed number of
queries whatever the number of indicators, values and years."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from amelio.core.charts import LineChart, line_chart
from amelio.core.models import StoredFile
from amelio.core.permissions import roles_for, visible
from amelio.organisation.models import AcademicYear

from .choices import DashboardKind, Direction, Light, ScopeKind
from .computed import input_label
from .models import Indicator, IndicatorValue, OffTargetItem, Target
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
        (link.academic_year_id, link.scope_key): link.item
        for link in OffTargetItem.objects.filter(indicator=indicator).select_related("item")
    }
    blocks = []
    for year in reversed(years):
        year_values = [value for value in values if value.academic_year_id == year.pk]
        target = targets.get(year.pk)
        if not year_values and target is None:
            continue
        rows = [
            ValueRow(
                value=value,
                target=target,
                light=_light(target, value.value),
                evidence=evidence.get(value.pk, []),
                off_target_item=items.get((year.pk, value.scope_key)),
            )
            for value in year_values
        ]
        blocks.append(YearBlock(academic_year=year, target=target, rows=rows))
    return {"blocks": blocks, "chart": trend_chart(indicator=indicator, years=years, values=values, targets=targets)}


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
        return self.value.scope_label if self.value is not None else "—"

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


@dataclass
class IndicatorTrend:
    indicator: Indicator
    chart: LineChart

    @property
    def chart_id(self) -> str:
        return f"trend-{self.indicator.pk}"


@dataclass
class Dashboard:
    kind: str
    subject: Any  # the department or the process shown; None for the school and "my indicators"
    academic_year: AcademicYear | None
    previous_year: AcademicYear | None
    lines: list[DashboardLine] = field(default_factory=list)
    trends: list[IndicatorTrend] = field(default_factory=list)

    @property
    def title(self) -> str:
        label = str(DashboardKind(self.kind).label)
        if self.subject is None:
            return label
        return _("%(dashboard)s: %(subject)s") % {"dashboard": label, "subject": self.subject}

    @property
    def counts(self) -> list[tuple[str, str, int]]:
        """(light, its label, how many figures have it), every light listed."""
        counted = Counter(line.light for line in self.lines)
        return [(light.value, str(light.label), counted[light.value]) for light in Light]

    @property
    def off_target(self) -> list[DashboardLine]:
        """The figures not on target (beyond the alert threshold first)."""
        order = {Light.ALERT: 0, Light.WATCH: 1}
        return sorted((line for line in self.lines if line.light in order), key=lambda line: order[Light(line.light)])


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


def dashboard_for(
    *, user: Any, kind: str, subject: Any = None, academic_year: AcademicYear | None, charts: bool = True
) -> Dashboard:
    """A dashboard of one kind (see dashboard_filters) for one academic year: a line per
    value of the year with its target, light, the year before and its raised item, and (with
    `charts`) a trend chart per indicator over the years. Six queries whatever the number of
    indicators, values and years; one when the indicators are none."""
    indicator_filter, value_filter = dashboard_filters(user=user, kind=kind, subject=subject)
    indicators = list(indicator_list(user=user).filter(indicator_filter))
    if not indicators:
        return Dashboard(kind=kind, subject=subject, academic_year=academic_year, previous_year=None)
    years = list(AcademicYear.objects.order_by("starts_on"))
    previous = None
    if academic_year is not None:
        earlier = [year for year in years if year.starts_on < academic_year.starts_on]
        previous = earlier[-1] if earlier else None
    board = Dashboard(kind=kind, subject=subject, academic_year=academic_year, previous_year=previous)
    by_pk = {indicator.pk: indicator for indicator in indicators}
    targets: dict[int, dict[int, Target]] = {}  # indicator -> academic year -> target
    target_query = Target.objects.filter(indicator__in=list(by_pk))
    value_query = IndicatorValue.objects.filter(value_filter, indicator__in=list(by_pk))
    if not charts:
        wanted = [year.pk for year in (academic_year, previous) if year is not None]
        target_query = target_query.filter(academic_year__in=wanted)
        value_query = value_query.filter(academic_year__in=wanted)
    for target in visible(user, target_query):
        target.indicator = by_pk[target.indicator_id]
        targets.setdefault(target.indicator_id, {})[target.academic_year_id] = target
    values: dict[int, list[IndicatorValue]] = {}
    for value in visible(user, value_query.select_related("department", "programme")).order_by(
        "academic_year__starts_on", "scope_key"
    ):
        value.indicator = by_pk[value.indicator_id]
        values.setdefault(value.indicator_id, []).append(value)
    items = {}
    if academic_year is not None:
        items = {
            (link.indicator_id, link.scope_key): link.item
            for link in OffTargetItem.objects.filter(
                indicator__in=list(by_pk), academic_year=academic_year
            ).select_related("item")
        }
    for indicator in indicators:
        own, own_targets = values.get(indicator.pk, []), targets.get(indicator.pk, {})
        if academic_year is not None:
            target = own_targets.get(academic_year.pk)
            before = {v.scope_key: v for v in own if previous is not None and v.academic_year_id == previous.pk}
            this_year = [v for v in own if v.academic_year_id == academic_year.pk]
            board.lines += [
                DashboardLine(
                    indicator=indicator,
                    value=value,
                    target=target,
                    light=_light(target, value.value),
                    previous=before.get(value.scope_key),
                    item=items.get((indicator.pk, value.scope_key)),
                    is_first_of_indicator=position == 0,
                )
                for position, value in enumerate(this_year)
            ] or [DashboardLine(indicator=indicator, value=None, target=target, light=Light.UNKNOWN)]
        if charts:
            chart = trend_chart(
                indicator=indicator,
                years=years,
                values=own,
                targets=own_targets,
                small=True,
            )
            board.trends.append(IndicatorTrend(indicator=indicator, chart=chart))
    return board


def dashboard_pickers(*, user: Any) -> dict[str, list[Any]]:
    """The departments and the processes whose dashboards a dashboard links to."""
    from amelio.organisation.models import Department
    from amelio.processes.models import Process

    return {
        "departments": list(visible(user, Department.objects.filter(is_active=True).order_by("name"))),
        "processes": list(visible(user, Process.objects.filter(is_active=True).order_by("code"))),
    }

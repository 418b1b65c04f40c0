"""Figures of internships and of the school's work with companies, by academic year and
department, for the quality system (a later issue turns them into indicators).

Each figure is one aggregate query (two when a distinct count must also be made over the
whole school), whatever the number of internships, over the internships `user` may see.
Each function returns a dict keyed by (academic year id, department id); the key with
department None is the year over every department shown.

What is counted:

- *internships*: agreements in force, i.e. signed, under way, finished or evaluated. A
  draft is not an internship yet, a cancelled one never was, and an amended one is
  counted through its amendment.
- *signed before the start*: among the agreements signed at some point (the statuses
  above and "replaced by an amendment"), those whose last signature is dated on or
  before the first day. Amendments are left out: they are signed during the internship
  by nature, and the question is whether the intern was covered from day one.
- *mid-term contacts on time*: among the mid-term contact milestones of internships in
  force due before `today`, those done on or before their due date.
- *company evaluation*: the average score (out of 5) of the company tutors' evaluations.
- *students abroad*: distinct students with an internship of kind "abroad", among the
  distinct students with an internship (both in force).
- *professional teaching hours*: hours delivered by industry professionals.
- *a part of the year* (`between`, the indicators per semester or month): the agreements
  starting in it for "signed before the start", the contacts due in it, the evaluations of
  the internships ending in it, and the internships in force during part of it for the
  students abroad.
- *active partner companies*: distinct companies with an internship in force, a teaching
  intervention, or a partnership agreement signed (signed, active, since expired, or
  terminated: until its termination) whose period overlaps the academic year. A merged
  record counts as the company it was merged into.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amelio.core.charts import Figure, bar_chart
from amelio.core.permissions import visible
from amelio.organisation.models import AcademicYear, Department, Programme
from amelio.partners.models import Intervention, PartnershipAgreement

from .choices import InternshipKind, InternshipStatus, MilestoneKind
from .models import Evaluation, Internship, Milestone

Key = tuple[int, int | None]  # (academic year id, department id or None for all departments)

IN_FORCE_STATUSES = (
    InternshipStatus.SIGNED,
    InternshipStatus.UNDER_WAY,
    InternshipStatus.FINISHED,
    InternshipStatus.EVALUATED,
)
SIGNED_STATUSES = (*IN_FORCE_STATUSES, InternshipStatus.AMENDED)
# Partnership agreements that were in force over their period: an expired one was, and a
# terminated one until its termination.
AGREEMENT_IN_FORCE_STATUSES = ("signed", "active", "expired", "terminated")


@dataclass(frozen=True)
class Share:
    part: int
    whole: int

    @property
    def percent(self) -> float | None:
        return 100 * self.part / self.whole if self.whole else None

    def __add__(self, other: Share) -> Share:
        return Share(self.part + other.part, self.whole + other.whole)


@dataclass(frozen=True)
class Average:
    total: Decimal
    count: int

    @property
    def value(self) -> Decimal | None:
        if not self.count:
            return None
        return (self.total / self.count).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    def __add__(self, other: Average) -> Average:
        return Average(self.total + other.total, self.count + other.count)


# --- The internships looked at ---------------------------------------------------------------


def _year_id(academic_year: AcademicYear | int | None) -> int | None:
    return academic_year.pk if isinstance(academic_year, AcademicYear) else academic_year


def _department_id(department: Department | int | None) -> int | None:
    return department.pk if isinstance(department, Department) else department


def _internships(
    user: Any,
    academic_year: AcademicYear | int | None,
    department: Department | int | None,
    programme: Programme | int | None = None,
) -> QuerySet[Internship]:
    queryset = visible(user, Internship.objects.all())
    if (year_id := _year_id(academic_year)) is not None:
        queryset = queryset.filter(academic_year_id=year_id)
    if (department_id := _department_id(department)) is not None:
        queryset = queryset.filter(programme__department_id=department_id)
    if programme is not None:
        # One programme's figures (the indicators per programme): its department's key holds them.
        queryset = queryset.filter(programme_id=programme.pk if isinstance(programme, Programme) else programme)
    return queryset.order_by()


def _in_force(user: Any, academic_year: Any, department: Any, programme: Any = None) -> QuerySet[Internship]:
    return _internships(user, academic_year, department, programme).filter(status__in=IN_FORCE_STATUSES)


def _with_totals(by_department: dict[Key, Any], zero: Any) -> dict[Key, Any]:
    """Adds each year's total over its departments, for figures that add up."""
    totals: dict[Key, Any] = {}
    for (year_id, _department), value in by_department.items():
        totals[(year_id, None)] = totals.get((year_id, None), zero) + value
    return {**by_department, **totals}


# --- The figures ----------------------------------------------------------------------------------


def internships_by_kind(
    user: Any, academic_year: AcademicYear | int | None = None, department: Department | int | None = None
) -> dict[Key, dict[str, int]]:
    """Internships in force by kind."""
    rows = (
        _in_force(user, academic_year, department)
        .values("academic_year_id", "programme__department_id", "kind")
        .annotate(total=Count("id"))
    )
    found: dict[Key, dict[str, int]] = defaultdict(dict)
    for row in rows:
        for key in ((row["academic_year_id"], row["programme__department_id"]), (row["academic_year_id"], None)):
            found[key][row["kind"]] = found[key].get(row["kind"], 0) + row["total"]
    return dict(found)


def signed_before_start(
    user: Any,
    academic_year: AcademicYear | int | None = None,
    department: Department | int | None = None,
    *,
    programme: Programme | int | None = None,
    between: tuple[datetime.date, datetime.date] | None = None,
) -> dict[Key, Share]:
    """Agreements whose three signatures are all dated on or before the first day (those
    starting `between` the two dates when given)."""
    on_time = Q(
        student_signed_on__lte=F("starts_on"),
        company_signed_on__lte=F("starts_on"),
        school_signed_on__lte=F("starts_on"),
    )
    internships = _internships(user, academic_year, department, programme)
    if between is not None:
        internships = internships.filter(starts_on__range=between)
    rows = (
        internships.filter(status__in=SIGNED_STATUSES, amends__isnull=True)
        .values("academic_year_id", "programme__department_id")
        .annotate(whole=Count("id"), part=Count("id", filter=on_time))
    )
    return _with_totals(
        {(row["academic_year_id"], row["programme__department_id"]): Share(row["part"], row["whole"]) for row in rows},
        Share(0, 0),
    )


def midterm_contacts_on_time(
    user: Any,
    academic_year: AcademicYear | int | None = None,
    department: Department | int | None = None,
    *,
    today: datetime.date | None = None,
    programme: Programme | int | None = None,
    between: tuple[datetime.date, datetime.date] | None = None,
) -> dict[Key, Share]:
    """Mid-term contacts due before `today` (default: today) done by their due date (those
    due `between` the two dates when given)."""
    today = today or timezone.localdate()
    milestones = Milestone.objects.filter(
        kind=MilestoneKind.MIDTERM_CONTACT,
        due_on__lt=today,
        internship__in=_in_force(user, academic_year, department, programme).values("pk"),
    )
    if between is not None:
        milestones = milestones.filter(due_on__range=between)
    rows = (
        milestones.order_by()
        .values("internship__academic_year_id", "internship__programme__department_id")
        .annotate(whole=Count("id"), part=Count("id", filter=Q(done_on__lte=F("due_on"))))
    )
    return _with_totals(
        {
            (row["internship__academic_year_id"], row["internship__programme__department_id"]): Share(
                row["part"], row["whole"]
            )
            for row in rows
        },
        Share(0, 0),
    )


def company_evaluation_average(
    user: Any,
    academic_year: AcademicYear | int | None = None,
    department: Department | int | None = None,
    *,
    programme: Programme | int | None = None,
    between: tuple[datetime.date, datetime.date] | None = None,
) -> dict[Key, Average]:
    """The company tutors' evaluations: their average score out of 5 (those of the
    internships ending `between` the two dates when given)."""
    internships = _internships(user, academic_year, department, programme)
    if between is not None:
        internships = internships.filter(ends_on__range=between)
    rows = (
        Evaluation.objects.filter(kind="company_tutor", internship__in=internships.values("pk"))
        .order_by()
        .values("internship__academic_year_id", "internship__programme__department_id")
        .annotate(total=Sum("score"), count=Count("id"))
    )
    return _with_totals(
        {
            (row["internship__academic_year_id"], row["internship__programme__department_id"]): Average(
                Decimal(row["total"] or 0), row["count"]
            )
            for row in rows
        },
        Average(Decimal(0), 0),
    )


def students_abroad(
    user: Any,
    academic_year: AcademicYear | int | None = None,
    department: Department | int | None = None,
    *,
    programme: Programme | int | None = None,
    between: tuple[datetime.date, datetime.date] | None = None,
) -> dict[Key, Share]:
    """Distinct students with an internship abroad among those with an internship. A student
    counts once in the year's total even with internships in two departments. With
    `between`, the internships in force during part of that stretch."""
    internships = _in_force(user, academic_year, department, programme)
    if between is not None:
        internships = internships.filter(starts_on__lte=between[1], ends_on__gte=between[0])
    abroad = Q(kind=InternshipKind.ABROAD)
    found: dict[Key, Share] = {}
    by_department = internships.values("academic_year_id", "programme__department_id").annotate(
        whole=Count("student_id", distinct=True), part=Count("student_id", distinct=True, filter=abroad)
    )
    for row in by_department:
        found[(row["academic_year_id"], row["programme__department_id"])] = Share(row["part"], row["whole"])
    by_year = internships.values("academic_year_id").annotate(
        whole=Count("student_id", distinct=True), part=Count("student_id", distinct=True, filter=abroad)
    )
    for total in by_year:
        found[(total["academic_year_id"], None)] = Share(total["part"], total["whole"])
    return found


def professional_teaching_hours(
    user: Any, academic_year: AcademicYear | int | None = None, department: Department | int | None = None
) -> dict[Key, Decimal]:
    """Hours of teaching delivered by industry professionals."""
    rows = (
        _interventions(user, academic_year, department)
        .values("academic_year_id", "department_id")
        .annotate(hours=Sum("delivered_hours"))
        .values_list("academic_year_id", "department_id", "hours")
    )
    return _with_totals(
        {(year_id, department_id): Decimal(hours or 0) for year_id, department_id, hours in rows}, Decimal(0)
    )


def _interventions(user: Any, academic_year: Any, department: Any) -> QuerySet[Intervention]:
    queryset = visible(user, Intervention.objects.all())
    if (year_id := _year_id(academic_year)) is not None:
        queryset = queryset.filter(academic_year_id=year_id)
    if (department_id := _department_id(department)) is not None:
        queryset = queryset.filter(department_id=department_id)
    return queryset.order_by()


def active_partner_companies(
    user: Any,
    academic_year: AcademicYear | int | None = None,
    department: Department | int | None = None,
    *,
    years: Iterable[AcademicYear] | None = None,
) -> dict[Key, int]:
    """Distinct companies with an internship in force, a teaching intervention or a signed
    partnership agreement in the year. The rows walked are distinct (year, department,
    company) triples, not internships; an agreement without department counts in the
    year's total only."""
    company = Coalesce("company__merged_into_id", "company_id")
    pairs: dict[Key, set[int]] = defaultdict(set)

    def collect(triples: Iterable[tuple[int, int | None, int]]) -> None:
        for year_id, department_id, company_id in triples:
            pairs[(year_id, None)].add(company_id)
            if department_id is not None:
                pairs[(year_id, department_id)].add(company_id)

    collect(
        _in_force(user, academic_year, department)
        .annotate(firm=company)
        .values_list("academic_year_id", "programme__department_id", "firm")
        .distinct()
    )
    collect(
        _interventions(user, academic_year, department)
        .annotate(firm=company)
        .values_list("academic_year_id", "department_id", "firm")
        .distinct()
    )
    if years is None:
        years = _years(academic_year)
    years = list(years)
    agreements = visible(user, PartnershipAgreement.objects.filter(status__in=AGREEMENT_IN_FORCE_STATUSES))
    if (department_id := _department_id(department)) is not None:
        agreements = agreements.filter(departments=department_id)
    agreements = agreements.annotate(firm=company, until=Coalesce("terminated_on", "ends_on"))
    if years:
        agreements = agreements.filter(
            starts_on__lte=max(year.ends_on for year in years), until__gte=min(year.starts_on for year in years)
        )
    # Agreements are few (tens to hundreds); each is placed in the years its period overlaps.
    for starts_on, ends_on, department_of_agreement, firm in agreements.order_by().values_list(
        "starts_on", "until", "departments", "firm"
    ):
        if department_id is not None and department_of_agreement != department_id:
            continue
        collect(
            (year.pk, department_of_agreement, firm)
            for year in years
            if starts_on <= year.ends_on and ends_on >= year.starts_on
        )
    return {key: len(companies) for key, companies in pairs.items()}


# --- The table of the page ---------------------------------------------------------------------------


@dataclass
class FigureRow:
    department: Department | None  # None: every department shown
    by_kind: list[tuple[str, int]]  # (kind label, count), in the order of InternshipKind
    internships: int
    signed_before_start: Share
    midterm_on_time: Share
    company_evaluation: Average
    abroad: Share
    teaching_hours: Decimal
    active_companies: int


@dataclass
class YearFigures:
    academic_year: AcademicYear
    rows: list[FigureRow]
    total: FigureRow

    @property
    def lines(self) -> list[tuple[FigureRow, bool]]:
        """The department rows then the total, each with "is the total"."""
        return [(row, False) for row in self.rows] + [(self.total, True)]


def _years(academic_year: AcademicYear | int | None) -> list[AcademicYear]:
    """The academic years begun by today, oldest first (or only the one asked for)."""
    years = AcademicYear.objects.filter(starts_on__lte=timezone.localdate()).order_by("starts_on")
    if (year_id := _year_id(academic_year)) is not None:
        years = AcademicYear.objects.filter(pk=year_id)
    return list(years)


def figures_by_year(
    user: Any,
    academic_year: AcademicYear | int | None = None,
    department: Department | int | None = None,
    *,
    today: datetime.date | None = None,
) -> list[YearFigures]:
    """Every figure, one table per academic year (oldest first) with a row per department
    and the year's total; years without any figure are left out. A fixed number of queries."""
    years = _years(academic_year)
    departments = list(Department.objects.order_by("name"))
    if (department_id := _department_id(department)) is not None:
        departments = [d for d in departments if d.pk == department_id]
    kinds = internships_by_kind(user, academic_year, department)
    signed = signed_before_start(user, academic_year, department)
    midterm = midterm_contacts_on_time(user, academic_year, department, today=today)
    evaluation = company_evaluation_average(user, academic_year, department)
    abroad = students_abroad(user, academic_year, department)
    hours = professional_teaching_hours(user, academic_year, department)
    companies = active_partner_companies(user, academic_year, department, years=years)
    with_data = {
        year_id for figures in (kinds, signed, midterm, evaluation, hours, companies) for year_id, _d in figures
    }

    def row(year: AcademicYear, department: Department | None) -> FigureRow:
        key = (year.pk, department.pk if department is not None else None)
        counts = kinds.get(key, {})
        return FigureRow(
            department=department,
            by_kind=[(str(label), counts.get(value, 0)) for value, label in InternshipKind.choices],
            internships=sum(counts.values()),
            signed_before_start=signed.get(key, Share(0, 0)),
            midterm_on_time=midterm.get(key, Share(0, 0)),
            company_evaluation=evaluation.get(key, Average(Decimal(0), 0)),
            abroad=abroad.get(key, Share(0, 0)),
            teaching_hours=hours.get(key, Decimal(0)),
            active_companies=companies.get(key, 0),
        )

    tables = []
    for year in years:
        if year.pk not in with_data:
            continue
        tables.append(
            YearFigures(
                academic_year=year,
                rows=[row(year, department) for department in departments],
                total=row(year, None),
            )
        )
    return tables


# --- The trend chart ---------------------------------------------------------------------------------

CHART_WIDTH = 720
CHART_HEIGHT = 340
MARGIN_LEFT = 56
MARGIN_RIGHT = 24
MARGIN_TOP = 20
MARGIN_BOTTOM = 36  # the years under the axis
LEGEND_LINE = 20  # the legend: one line per series, under the years


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    year: str
    value: float


@dataclass(frozen=True)
class Tick:
    x: float  # where the grid line or the year is
    y: float
    label_x: float  # where its label is written
    label_y: float
    label: str


@dataclass
class ChartSeries:
    key: str
    label: str
    color: str
    dash: str  # stroke-dasharray, so that the lines differ without colour too
    segments: list[list[ChartPoint]]  # consecutive years with a value are joined
    legend_x: float = 0.0
    legend_y: float = 0.0

    @property
    def points(self) -> list[ChartPoint]:
        return [point for segment in self.segments for point in segment]

    @property
    def legend_line_end(self) -> float:
        return self.legend_x + 28

    @property
    def legend_text_x(self) -> float:
        return self.legend_x + 34

    @property
    def legend_text_y(self) -> float:
        return self.legend_y + 4


@dataclass
class TrendChart:
    width: float
    height: float
    left: float
    right: float
    top: float
    bottom: float
    y_ticks: list[Tick]  # percentages, with a grid line
    x_ticks: list[Tick]  # academic years
    series: list[ChartSeries]

    @property
    def is_empty(self) -> bool:
        return not any(series.segments for series in self.series)


SERIES = [
    ("signed_before_start", _("Agreements signed before the start"), "#1f6feb", ""),
    ("midterm_on_time", _("Mid-term contacts on time"), "#b35900", "8 4"),
    ("abroad", _("Students with an internship abroad"), "#2d8a3e", "2 4"),
]


def trend_chart(tables: list[YearFigures]) -> TrendChart:
    """The geometry of a line chart, 0 to 100 %, of the three shares over the years (the
    total row of each year). The template draws it as inline SVG."""
    plot_bottom = CHART_HEIGHT - MARGIN_BOTTOM - LEGEND_LINE * len(SERIES)
    plot_height = plot_bottom - MARGIN_TOP
    plot_right = CHART_WIDTH - MARGIN_RIGHT
    count = len(tables)
    step = (plot_right - MARGIN_LEFT) / count if count else 0.0

    def x_of(index: int) -> float:
        return MARGIN_LEFT + step * (index + 0.5)

    def y_of(percent: float) -> float:
        return plot_bottom - plot_height * percent / 100

    series = []
    for position, (key, label, color, dash) in enumerate(SERIES):
        segments: list[list[ChartPoint]] = []
        current: list[ChartPoint] = []
        for index, table in enumerate(tables):
            share: Share = getattr(table.total, key)
            percent = share.percent
            if percent is None:
                if current:
                    segments.append(current)
                current = []
                continue
            current.append(ChartPoint(x_of(index), y_of(percent), table.academic_year.label, percent))
        if current:
            segments.append(current)
        series.append(
            ChartSeries(
                key=key,
                label=str(label),
                color=color,
                dash=dash,
                segments=segments,
                legend_x=MARGIN_LEFT,
                legend_y=plot_bottom + MARGIN_BOTTOM + LEGEND_LINE * position + LEGEND_LINE / 2,
            )
        )
    y_ticks = [
        Tick(MARGIN_LEFT, y_of(percent), MARGIN_LEFT - 8, y_of(percent) + 4, f"{percent} %")
        for percent in (0, 25, 50, 75, 100)
    ]
    x_ticks = [
        Tick(x_of(index), plot_bottom, x_of(index), plot_bottom + 20, table.academic_year.label)
        for index, table in enumerate(tables)
    ]
    return TrendChart(
        width=CHART_WIDTH,
        height=CHART_HEIGHT,
        left=MARGIN_LEFT,
        right=plot_right,
        top=MARGIN_TOP,
        bottom=plot_bottom,
        y_ticks=y_ticks,
        x_ticks=x_ticks,
        series=series,
    )


def breakdown_figures(tables: list[YearFigures]) -> list[Figure]:
    """The latest year's internships by department and by kind, drawn as bars with their
    numbers as tables (core.charts.Figure); none before the first year."""
    if not tables:
        return []
    latest = tables[-1]
    year = latest.academic_year.label
    by_department = [(str(row.department.name if row.department else ""), row.internships) for row in latest.rows]
    by_kind = [(str(label).capitalize(), count) for label, count in latest.total.by_kind]
    count_header = str(_("Internships"))
    return [
        Figure(
            key="by-department",
            title=str(_("Internships by department, %(year)s") % {"year": year}),
            chart=bar_chart([(label, total, str(total)) for label, total in by_department]),
            header=[str(_("Department")), count_header],
            rows=by_department,
        ),
        Figure(
            key="by-kind",
            title=str(_("Internships by kind, %(year)s") % {"year": year}),
            chart=bar_chart([(label, total, str(total)) for label, total in by_kind]),
            header=[str(_("Kind")), count_header],
            rows=by_kind,
        ),
    ]

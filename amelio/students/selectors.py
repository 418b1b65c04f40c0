"""Reads of students' records, narrowed to what the user may see."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Min, Prefetch, Q, QuerySet
from django.db.models.functions import Least
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from amelio.core.charts import Figure, bar_chart
from amelio.core.permissions import can, visible
from amelio.indicators.computed import ComputedResult, IndicatorScope
from amelio.indicators.periods import Period
from amelio.organisation.models import AcademicYear, Department

from . import indicators
from .choices import FINAL_OUTCOMES, Outcome, SurveyWave, YearOfStudy
from .models import Enrolment, InsertionRecord, Student
from .requirements import StudentRequirements, requirements_for, rules

ENROLMENTS = Enrolment.objects.select_related("academic_year", "programme").order_by("academic_year__starts_on")


def student_list(*, user: Any) -> QuerySet[Student]:
    return visible(user, Student.objects.select_related("programme__department"))


def student_detail(*, user: Any, pk: int) -> Student:
    queryset = visible(user, Student.objects.select_related("programme__department", "person")).prefetch_related(
        Prefetch("enrolments", queryset=ENROLMENTS),
        "mobilities",
        "english_certifications",
        "insertion_records__company",
    )
    return get_object_or_404(queryset, pk=pk)


def student_get(*, user: Any, pk: int) -> Student:
    """A record to write on: out of the user's sight, a 404."""
    return get_object_or_404(visible(user, Student.objects.select_related("programme__department")), pk=pk)


def enrolment_get(*, user: Any, student_pk: int, pk: int) -> Enrolment:
    queryset = visible(user, Enrolment.objects.select_related("student__programme__department", "academic_year"))
    return _of_student(get_object_or_404(queryset, pk=pk), student_pk)


def insertion_record_get(*, user: Any, student_pk: int, pk: int) -> InsertionRecord:
    queryset = visible(user, InsertionRecord.objects.select_related("student__programme__department"))
    return _of_student(get_object_or_404(queryset, pk=pk), student_pk)


def _of_student(record: Any, student_pk: int) -> Any:
    """The record when it is the student's in the address; a 404 otherwise. Compared here
    rather than in the query: a number past the database's integers in a foreign key's lookup
    raises instead of matching nothing (the primary key's lookup is guarded by Django)."""
    if record.student_id != student_pk:
        raise Http404
    return record


def own_record(*, user: Any) -> Student:
    record = Student.objects.filter(person_id=user.pk).first() if getattr(user, "pk", None) else None
    if record is None:
        raise Http404
    return record


def graduates_of_year(
    *, academic_year_id: int, department_id: int | None = None, programme_id: int | None = None
) -> QuerySet[Enrolment]:
    """The enrolments that ended with the diploma in the academic year (one per graduate),
    with their student and programme, narrowed to a programme or a department when given.
    Pseudonymised records are left out: nobody is to be contacted through them."""
    enrolments = (
        Enrolment.objects.filter(academic_year_id=academic_year_id, outcome=Outcome.GRADUATED)
        .filter(student__pseudonymised_at__isnull=True)
        .select_related("student", "programme")
        .order_by("student_id")
    )
    if programme_id:
        enrolments = enrolments.filter(programme_id=programme_id)
    elif department_id:
        enrolments = enrolments.filter(programme__department_id=department_id)
    return enrolments


def current_year() -> AcademicYear | None:
    return AcademicYear.objects.filter(is_current=True).first() or AcademicYear.objects.order_by("-starts_on").first()


def at_risk(*, user: Any, department: Department | None = None) -> list[StudentRequirements]:
    """The students in their final year this academic year who do not meet a requirement
    yet, in the user's scope: four queries whatever their number."""
    year = current_year()
    if year is None:
        return []
    # The final year of a programme is the 2 preparatory years plus its duration (requirements.final_year).
    final_enrolments = (
        Enrolment.objects.filter(
            academic_year=year, year_of_study__gte=Least(F("programme__duration_years") + 2, YearOfStudy.FIFTH)
        )
        .exclude(outcome__in=FINAL_OUTCOMES)
        .order_by()
    )
    if department is not None:
        final_enrolments = final_enrolments.filter(programme__department=department)
    this_year = ENROLMENTS.filter(academic_year=year)
    # Only this year's enrolment is read: it is each student's latest.
    students = list(
        student_list(user=user)
        .filter(pk__in=final_enrolments.values("student_id"))
        .prefetch_related(Prefetch("enrolments", queryset=this_year))
    )
    return [entry for entry in requirements_for(students, settings=rules()) if entry.is_at_risk]


@dataclass
class FigureCell:
    value: Any
    hidden: bool = False
    unit: str = ""  # "%", "€" or none, written after the value


@dataclass
class FigureRow:
    scope: IndicatorScope
    cells: list[FigureCell]


def figure_columns(wave: int = SurveyWave.SIX_MONTHS) -> list[tuple[str, str]]:
    """The figures page's columns: success, then insertion at `wave` months after graduation."""
    return [
        ("students.success_rate", "%"),
        ("students.dropout_rate", "%"),
        ("students.apprentice_share", "%"),
        ("students.time_to_diploma", ""),
        (indicators.insertion_code(wave, "net_employment_rate"), "%"),
        (indicators.insertion_code(wave, "hired_within_2_months"), "%"),
        (indicators.insertion_code(wave, "permanent_contracts"), "%"),
        (indicators.insertion_code(wave, "cadre"), "%"),
        (indicators.insertion_code(wave, "abroad"), "%"),
        (indicators.insertion_code(wave, "median_salary"), "€"),
    ]


def figures(*, user: Any, year: AcademicYear, wave: int = SurveyWave.SIX_MONTHS) -> list[FigureRow]:
    """The school's and each department's figures for the year, computed by the registered
    indicators' own functions (one definition). A salary figure of fewer than 5 graduates
    is hidden, except to the quality manager, who sees it computed without the rule."""
    from amelio.indicators.computed import computed_indicator

    period = Period(year, "", year.starts_on, year.ends_on)
    sees_small_groups = can(user, "students.view_salaries")
    scopes = [IndicatorScope.school(), *(IndicatorScope.of(d) for d in Department.objects.filter(is_active=True))]
    rows = []
    for scope in scopes:
        cells = []
        for code, _unit in figure_columns(wave):
            entry = computed_indicator(code)
            assert entry is not None
            result: ComputedResult = entry.compute(scope, period)
            hidden = result.value is None and "salaries" in result.inputs and result.inputs["salaries"] > 0
            if hidden and sees_small_groups:
                cells.append(FigureCell(_unrestricted_salary(code, scope, period)))
            else:
                cells.append(FigureCell(result.value, hidden=hidden))
        rows.append(FigureRow(scope, cells))
    return rows


def _unrestricted_salary(code: str, scope: IndicatorScope, period: Period) -> Any:
    """The same figure without the group-size rule (the quality manager's view)."""
    for figure, field, how, _label in indicators.SALARY_FIGURES:
        if code == indicators.insertion_code(SurveyWave.SIX_MONTHS, figure):
            return indicators.salary_figure(SurveyWave.SIX_MONTHS, field, how, minimum=1)(scope, period).value
    return None


# Cohorts ------------------------------------------------------------------------------------


@dataclass
class CohortYear:
    """One academic year of a cohort: how many of its students were enrolled at the school,
    in which year of study, how their year ended, and where the cohort stands after it."""

    academic_year: AcademicYear
    enrolled: int
    by_year_of_study: dict[int, int]
    by_outcome: dict[str, int]
    graduated_so_far: int
    left_so_far: int


@dataclass
class Cohort:
    programme: Any
    entry_year: AcademicYear
    size: int
    years: list[CohortYear]

    def share(self, count: int) -> Decimal | None:
        return (Decimal(100) * count / self.size).quantize(Decimal("0.1")) if self.size else None

    @property
    def graduated(self) -> int:
        return self.years[-1].graduated_so_far if self.years else 0

    @property
    def left(self) -> int:
        return self.years[-1].left_so_far if self.years else 0

    @property
    def still_enrolled(self) -> int:
        return self.size - self.graduated - self.left

    @property
    def graduated_share(self) -> Decimal | None:
        return self.share(self.graduated)

    @property
    def left_share(self) -> Decimal | None:
        return self.share(self.left)


def cohort_default() -> dict[str, Any]:
    """The cohort shown before anything is chosen: the one that entered three years before
    the current year (it has had the time to reach its final year), or the earliest one, in
    the programme the most students entered that year."""
    from amelio.organisation.models import Programme

    current = current_year()
    years = [
        year
        for year in AcademicYear.objects.order_by("starts_on")
        if current is None or year.starts_on <= current.starts_on
    ]
    entry_year = years[-3] if len(years) >= 3 else (years[0] if years else None)
    programmes = Programme.objects.filter(is_active=True).annotate(
        entered=Count("enrolments", filter=Q(enrolments__academic_year=entry_year))
    )
    return {"programme": programmes.order_by("-entered", "code").first(), "entry_year": entry_year}


def cohort_progression(*, programme: Any, entry_year: AcademicYear) -> Cohort:
    """The cohort of `programme` entered in `entry_year` (the students whose first enrolment
    in the programme is in that year), followed through every later year from the
    enrolments: a student who repeats is counted once per year, one who left or graduated
    no longer counts as enrolled. Aggregates only, of every student (figures, not records).
    Three queries whatever the cohort's size."""
    members = (
        Enrolment.objects.filter(programme=programme)
        .values("student_id")
        .annotate(first_year=Min("academic_year__starts_on"))
        .filter(first_year=entry_year.starts_on)
        .values("student_id")
    )
    rows = list(
        Enrolment.objects.filter(student_id__in=members, academic_year__starts_on__gte=entry_year.starts_on)
        .order_by()
        .values_list("student_id", "academic_year_id", "year_of_study", "outcome")
    )
    size = len({student for student, _year, _study, _outcome in rows})
    years = list(AcademicYear.objects.filter(starts_on__gte=entry_year.starts_on).order_by("starts_on"))
    by_year: dict[int, list[tuple[int, int, str]]] = {}
    for student, year_id, study, outcome in rows:
        by_year.setdefault(year_id, []).append((student, study, outcome))
    graduated: set[int] = set()
    left: set[int] = set()
    progression = []
    for year in years:
        entries = by_year.get(year.pk, [])
        graduated |= {student for student, _study, outcome in entries if outcome == Outcome.GRADUATED}
        left |= {student for student, _study, outcome in entries if outcome == Outcome.LEFT}
        progression.append(
            CohortYear(
                academic_year=year,
                enrolled=len(entries),
                by_year_of_study=dict(Counter(study for _student, study, _outcome in entries)),
                by_outcome=dict(Counter(outcome for _student, _study, outcome in entries)),
                graduated_so_far=len(graduated),
                left_so_far=len(left),
            )
        )
    # Years after the last one anybody of the cohort was enrolled in tell nothing more.
    while progression and progression[-1].enrolled == 0:
        progression.pop()
    return Cohort(programme=programme, entry_year=entry_year, size=size, years=progression)


def figure_charts(*, columns: list[tuple[Any, str]], rows: list[FigureRow]) -> list[Figure]:
    """The departments side by side on the shares of the figures page (success, insertion…),
    one bar chart each with its numbers as a table (core.charts.Figure); a hidden or unknown
    value draws no bar."""
    charts = []
    departments = rows[1:]  # the first row is the whole school's
    for index, (entry, unit) in enumerate(columns):
        if unit != "%":
            continue
        known = [
            (str(row.scope), float(row.cells[index].value))
            for row in departments
            if row.cells[index].value is not None and not row.cells[index].hidden
        ]
        if not known:
            continue
        charts.append(
            Figure(
                key=entry.code.replace(".", "-"),
                title=str(entry.label),
                chart=bar_chart(
                    [(label, value, f"{formats.number_format(value, decimal_pos=1)}\u00a0%") for label, value in known],
                    maximum=100,
                ),
                header=[str(_("Department")), str(entry.label)],
                rows=[(label, f"{formats.number_format(value, decimal_pos=1)}\u00a0%") for label, value in known],
            )
        )
    return charts

"""The students' computed indicators (see indicators.computed), per academic year and per
school, department or programme, with the national graduate survey's definitions (CGE):

- success rate (overall and per year of study): among the enrolments of the year whose
  outcome is decided, the share passed or graduated. One enrolment per student and year,
  so a student who repeats is counted once in each year;
- drop-out rate: among the same, the share who left the school;
- share of apprentices: among the year's enrolments, the apprentices';
- time to diploma: among the year's graduates, the mean number of years enrolled;
- for each survey date (6, 18, 30 months), over the graduates of the year: net employment
  rate = employed ÷ (employed + seeking a job), further study, PhD, volunteering and other
  situations left out of both; among the employed: hired within 2 months of the diploma,
  hired before it, permanent contracts, cadre status, working abroad; median and mean gross
  annual salary with and without bonuses of jobs in France, hidden (no value) for fewer
  than MINIMUM_GROUP salaries.
"""

from __future__ import annotations

import datetime
import statistics
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from amelio.indicators.choices import ScopeKind
from amelio.indicators.computed import ComputedResult, IndicatorScope, register_computed
from amelio.indicators.periods import Period
from amelio.organisation.models import AcademicYear

from .choices import DECIDED_OUTCOMES, Contract, Outcome, Situation, StudentStatus, SurveyWave, YearOfStudy
from .models import Enrolment, InsertionRecord

SCOPES = (ScopeKind.SCHOOL, ScopeKind.DEPARTMENT, ScopeKind.PROGRAMME)
READS = ("students.student", "students.enrolment")
INSERTION_READS = (*READS, "students.insertionrecord")
# Salaries of fewer graduates than this are never shown as a figure: they would tell one
# person's pay.
MINIMUM_GROUP = 5
HOME_COUNTRY = "FR"
Compute = Callable[[IndicatorScope, Period], ComputedResult]


def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def enrolments(year: AcademicYear, scope: IndicatorScope) -> QuerySet[Enrolment]:
    queryset = Enrolment.objects.order_by().filter(academic_year=year)
    if scope.programme is not None:
        return queryset.filter(programme=scope.programme)
    if scope.department is not None:
        return queryset.filter(programme__department=scope.department)
    return queryset


def success_rate(year_of_study: int | None = None) -> Compute:
    def compute(scope: IndicatorScope, period: Period) -> ComputedResult:
        rows = enrolments(period.academic_year, scope).filter(outcome__in=DECIDED_OUTCOMES)
        if year_of_study is not None:
            rows = rows.filter(year_of_study=year_of_study)
        counts = rows.aggregate(
            whole=Count("pk"), part=Count("pk", filter=Q(outcome__in=(Outcome.PASSED, Outcome.GRADUATED)))
        )
        return ComputedResult(percent(counts["part"], counts["whole"]), counts)

    return compute


def dropout_rate(scope: IndicatorScope, period: Period) -> ComputedResult:
    counts = (
        enrolments(period.academic_year, scope)
        .filter(outcome__in=DECIDED_OUTCOMES)
        .aggregate(whole=Count("pk"), part=Count("pk", filter=Q(outcome=Outcome.LEFT)))
    )
    return ComputedResult(percent(counts["part"], counts["whole"]), counts)


def apprentice_share(scope: IndicatorScope, period: Period) -> ComputedResult:
    counts = enrolments(period.academic_year, scope).aggregate(
        whole=Count("pk"), part=Count("pk", filter=Q(student__status=StudentStatus.APPRENTICE))
    )
    return ComputedResult(percent(counts["part"], counts["whole"]), counts)


def time_to_diploma(scope: IndicatorScope, period: Period) -> ComputedResult:
    graduates = enrolments(period.academic_year, scope).filter(outcome=Outcome.GRADUATED).values("student_id")
    years = list(
        Enrolment.objects.order_by()
        .filter(student_id__in=graduates)
        .values("student_id")
        .annotate(years=Count("pk"))
        .values_list("years", flat=True)
    )
    if not years:
        return ComputedResult(None, {"students": 0})
    mean = (Decimal(sum(years)) / len(years)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return ComputedResult(mean, {"students": len(years), "years": sum(years)})


# Graduates' insertion --------------------------------------------------------------------


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - every month has a 28th


def graduates_records(year: AcademicYear, scope: IndicatorScope, wave: int) -> list[tuple[InsertionRecord, Any]]:
    """The survey's answers of the year's graduates at this date, each with the diploma's date."""
    diplomas = dict(enrolments(year, scope).filter(outcome=Outcome.GRADUATED).values_list("student_id", "diploma_on"))
    records = InsertionRecord.objects.order_by("pk").filter(student_id__in=list(diplomas), wave=wave)
    return [(record, diplomas[record.student_id]) for record in records]


def _employed(rows: list[tuple[InsertionRecord, Any]]) -> list[tuple[InsertionRecord, Any]]:
    return [(record, diploma) for record, diploma in rows if record.situation == Situation.EMPLOYED]


def net_employment_rate(wave: int) -> Compute:
    def compute(scope: IndicatorScope, period: Period) -> ComputedResult:
        rows = graduates_records(period.academic_year, scope, wave)
        employed = sum(1 for record, _diploma in rows if record.situation == Situation.EMPLOYED)
        seeking = sum(1 for record, _diploma in rows if record.situation == Situation.JOB_SEEKING)
        return ComputedResult(percent(employed, employed + seeking), {"part": employed, "whole": employed + seeking})

    return compute


def employed_share(wave: int, counts: Callable[[InsertionRecord, Any], bool | None]) -> Compute:
    """Among the employed whose answer tells (`counts` gives None when it does not), the share
    for whom `counts` is true."""

    def compute(scope: IndicatorScope, period: Period) -> ComputedResult:
        answers = [
            counts(record, diploma)
            for record, diploma in _employed(graduates_records(period.academic_year, scope, wave))
        ]
        told = [answer for answer in answers if answer is not None]
        part = sum(1 for answer in told if answer)
        return ComputedResult(percent(part, len(told)), {"part": part, "whole": len(told)})

    return compute


def hired_within(record: InsertionRecord, diploma: datetime.date | None) -> bool | None:
    if record.first_job_on is None or diploma is None:
        return None
    return record.first_job_on <= _add_months(diploma, 2)


def hired_before(record: InsertionRecord, diploma: datetime.date | None) -> bool | None:
    if record.first_job_on is None or diploma is None:
        return None
    return record.first_job_on <= diploma


def salary_figure(wave: int, field: str, how: str, *, minimum: int = MINIMUM_GROUP) -> Compute:
    def compute(scope: IndicatorScope, period: Period) -> ComputedResult:
        salaries = [
            getattr(record, field)
            for record, _diploma in _employed(graduates_records(period.academic_year, scope, wave))
            if record.country == HOME_COUNTRY and getattr(record, field) is not None
        ]
        if len(salaries) < minimum or not salaries:
            return ComputedResult(None, {"salaries": len(salaries)})
        value = statistics.median(salaries) if how == "median" else sum(salaries) / len(salaries)
        return ComputedResult(
            Decimal(value).quantize(Decimal("1"), rounding=ROUND_HALF_UP), {"salaries": len(salaries)}
        )

    return compute


INSERTION_SHARES: list[tuple[str, Any, Any, Callable[[InsertionRecord, Any], bool | None]]] = [
    (
        "hired_within_2_months",
        _("Hired within 2 months"),
        _(
            "Among the employed graduates who gave the date of their first job, the share whose first job started "
            "no later than 2 months after the diploma."
        ),
        hired_within,
    ),
    (
        "hired_before_graduation",
        _("Hired before graduation"),
        _(
            "Among the employed graduates who gave the date of their first job, the share whose first job started "
            "no later than the diploma's date."
        ),
        hired_before,
    ),
    (
        "permanent_contracts",
        _("Permanent contracts"),
        _("Among the employed graduates, the share on a permanent contract (CDI)."),
        lambda record, _diploma: record.contract == Contract.PERMANENT,
    ),
    (
        "cadre",
        _("Cadre status"),
        _("Among the employed graduates who said, the share with executive (cadre) status."),
        lambda record, _diploma: record.is_cadre,
    ),
    (
        "abroad",
        _("Working abroad"),
        _("Among the employed graduates, the share whose job is outside France."),
        lambda record, _diploma: bool(record.country) and record.country != HOME_COUNTRY,
    ),
]

SALARY_FIGURES = [
    ("median_salary", "salary_without_bonuses", "median", _("Median gross annual salary without bonuses")),
    ("mean_salary", "salary_without_bonuses", "mean", _("Mean gross annual salary without bonuses")),
    ("median_salary_with_bonuses", "salary_with_bonuses", "median", _("Median gross annual salary with bonuses")),
    ("mean_salary_with_bonuses", "salary_with_bonuses", "mean", _("Mean gross annual salary with bonuses")),
]


def insertion_code(wave: int, figure: str) -> str:
    return f"students.insertion_{wave}m.{figure}"


def _register() -> None:
    register_computed(
        "students.success_rate",
        label=_("Success rate"),
        definition_text=_(
            "Among the year's enrolments whose outcome is decided, the share passed or graduated (a student who "
            "repeats a year is counted once in each year)."
        ),
        compute=success_rate(),
        scope_kinds=SCOPES,
        reads=READS,
        unit="%",
    )
    for year in YearOfStudy:
        register_computed(
            f"students.success_rate.year_{year.value}",
            label=format_lazy("{} — {}", _("Success rate"), year.label),
            definition_text=_(
                "Among the year's enrolments in this year of study whose outcome is decided, the share passed or "
                "graduated."
            ),
            compute=success_rate(year.value),
            scope_kinds=SCOPES,
            reads=READS,
            unit="%",
        )
    register_computed(
        "students.dropout_rate",
        label=_("Drop-out rate"),
        definition_text=_("Among the year's enrolments whose outcome is decided, the share who left the school."),
        compute=dropout_rate,
        scope_kinds=SCOPES,
        reads=READS,
        unit="%",
    )
    register_computed(
        "students.apprentice_share",
        label=_("Share of apprentices"),
        definition_text=_("Among the year's enrolments, the share of apprentices."),
        compute=apprentice_share,
        scope_kinds=SCOPES,
        reads=READS,
        unit="%",
    )
    register_computed(
        "students.time_to_diploma",
        label=_("Time to diploma"),
        definition_text=_("Among the year's graduates, the mean number of academic years they were enrolled."),
        compute=time_to_diploma,
        scope_kinds=SCOPES,
        reads=READS,
        unit=_("years"),
    )
    for wave in SurveyWave:
        register_computed(
            insertion_code(wave.value, "net_employment_rate"),
            label=format_lazy("{} — {}", _("Net employment rate"), wave.label),
            definition_text=_(
                "Among the year's graduates surveyed at this date, employed ÷ (employed + seeking a job), as the "
                "national graduate survey defines it: graduates in further study, PhD, volunteering or another "
                "situation are left out."
            ),
            compute=net_employment_rate(wave.value),
            scope_kinds=SCOPES,
            reads=INSERTION_READS,
            unit="%",
        )
        for figure, label, definition, counts in INSERTION_SHARES:
            register_computed(
                insertion_code(wave.value, figure),
                label=format_lazy("{} — {}", label, wave.label),
                definition_text=definition,
                compute=employed_share(wave.value, counts),
                scope_kinds=SCOPES,
                reads=INSERTION_READS,
                unit="%",
            )
        for figure, field, how, label in SALARY_FIGURES:
            register_computed(
                insertion_code(wave.value, figure),
                label=format_lazy("{} — {}", label, wave.label),
                definition_text=format_lazy(
                    "{} {}",
                    _("Over the employed graduates of the year working in France who gave their salary, in euros."),
                    _("Not shown for fewer than 5 salaries."),
                ),
                compute=salary_figure(wave.value, field, how),
                scope_kinds=SCOPES,
                reads=INSERTION_READS,
                unit="€",
            )


_register()

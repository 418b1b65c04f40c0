"""The registry of computed indicators: an indicator whose values come from the records is
a registered function of (scope, period) → value.

An app registers its computed indicators when Django starts (this app's own below; the later
surveys and students apps register theirs the same way, from their AppConfig.ready):

    register_computed(
        "internships.signed_before_start",
        label=_("Internship agreements signed before the start"),
        definition_text=_("Among the agreements signed ..., the share ..."),
        compute=signed_before_start,           # (IndicatorScope, Period) -> ComputedResult
        unit="%",
        scope_kinds=("school", "department"),  # the scopes the function can answer for
        period_kinds=("academic_year", "semester", "month"),  # the periods it can answer for
        reads=("internships.internship",),     # the models whose records it counts
    )

The `Period` (periods.py) is the academic year and the dates the value covers: the whole
year, a semester or a month. A function that counts dated records reads them between
`period.starts_on` and `period.ends_on` and declares every kind of period; one whose
records know only their academic year (a teaching intervention, a programme's teaching
volume) reads `period.academic_year` and declares the academic year alone (the default).

`compute` reads the records as the system (every record, no user's scope), returns the value
(None when there is nothing to measure, e.g. a share of nothing) and the counts it was made
of (`inputs`), which the value keeps so that anyone can check the figure. An indicator
definition names its function by `code`; its page shows `definition_text`.

`reads` names the models whose records the function counts: when a service changes one of
them (every service writes its history, see history.services.register_change_listener), the
indicators computed by that function are recomputed after commit, by the worker.
"""

from __future__ import annotations

import datetime
import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from amelio.improvement.choices import ActionStatus, ItemStatus, Origin
from amelio.improvement.models import Action, ImprovementItem
from amelio.internships import figures
from amelio.organisation.choices import PersonKind
from amelio.organisation.models import Department, Person, Programme
from amelio.partners.models import Intervention, TeachingVolume

from .choices import PeriodKind, ScopeKind
from .periods import Period


@dataclass(frozen=True)
class IndicatorScope:
    """What a value covers: the whole school, one department or one programme."""

    kind: str
    department: Department | None = None
    programme: Programme | None = None

    @classmethod
    def school(cls) -> IndicatorScope:
        return cls(ScopeKind.SCHOOL)

    @classmethod
    def of(cls, target: Department | Programme | None) -> IndicatorScope:
        if isinstance(target, Department):
            return cls(ScopeKind.DEPARTMENT, department=target)
        if isinstance(target, Programme):
            return cls(ScopeKind.PROGRAMME, programme=target)
        return cls.school()

    @property
    def key(self) -> str:
        """The value's scope as one column: "school", "department:3", "programme:7"."""
        if self.kind == ScopeKind.DEPARTMENT and self.department is not None:
            return f"department:{self.department.pk}"
        if self.kind == ScopeKind.PROGRAMME and self.programme is not None:
            return f"programme:{self.programme.pk}"
        return "school"

    @property
    def department_id(self) -> int | None:
        if self.department is not None:
            return self.department.pk
        if self.programme is not None:
            return self.programme.department_id
        return None

    def __str__(self) -> str:
        if self.department is not None:
            return str(self.department)
        if self.programme is not None:
            return str(self.programme)
        return str(_("Whole school"))


@dataclass(frozen=True)
class ComputedResult:
    value: Decimal | None
    inputs: dict[str, Any] = field(default_factory=dict)


Compute = Callable[[IndicatorScope, Period], ComputedResult]

# How the counts kept with a computed value are named on its page.
INPUT_LABELS: dict[str, Any] = {
    "part": _("counted"),
    "whole": _("out of"),
    "evaluations": _("evaluations"),
    "total_score": _("sum of the scores"),
    "companies": _("companies"),
    "items_closed": _("items closed"),
    "complaints": _("complaints"),
    "students": _("students"),
    "interventions": _("interventions"),
    "delivered_hours": _("hours delivered by professionals"),
    "total_hours": _("total teaching hours"),
    "programmes_without_volume": _("programmes without a teaching volume"),
}


def input_label(name: str) -> str:
    return str(INPUT_LABELS.get(name, name))


@dataclass(frozen=True)
class ComputedIndicator:
    code: str
    label: Any
    definition_text: Any
    compute: Compute
    unit: Any = ""
    scope_kinds: tuple[str, ...] = (ScopeKind.SCHOOL, ScopeKind.DEPARTMENT)
    reads: frozenset[str] = frozenset()
    period_kinds: tuple[str, ...] = (PeriodKind.ACADEMIC_YEAR,)
    # What a value of a semester or a month counts, when it is not plain from the definition.
    period_text: Any = ""


_COMPUTED: dict[str, ComputedIndicator] = {}


def register_computed(
    code: str,
    *,
    label: Any,
    definition_text: Any,
    compute: Compute,
    unit: Any = "",
    scope_kinds: Iterable[str] = (ScopeKind.SCHOOL, ScopeKind.DEPARTMENT),
    reads: Iterable[str] = (),
    period_kinds: Iterable[str] = (PeriodKind.ACADEMIC_YEAR,),
    period_text: Any = "",
) -> ComputedIndicator:
    entry = ComputedIndicator(
        code,
        label,
        definition_text,
        compute,
        unit,
        tuple(scope_kinds),
        frozenset(label.lower() for label in reads),
        tuple(period_kinds),
        period_text,
    )
    if _COMPUTED.get(code, entry) != entry:
        raise ValueError(f"The computed indicator {code!r} is registered twice.")
    _COMPUTED[code] = entry
    return entry


def computed_indicator(code: str) -> ComputedIndicator | None:
    return _COMPUTED.get(code)


def computed_indicators() -> list[ComputedIndicator]:
    return sorted(_COMPUTED.values(), key=lambda entry: entry.code)


def computations_reading(labels: Iterable[str]) -> set[str]:
    """The codes of the computations that count records of any of these models."""
    wanted = set(labels)
    return {entry.code for entry in _COMPUTED.values() if entry.reads & wanted}


def computation_choices() -> list[tuple[str, str]]:
    return [(entry.code, str(entry.label)) for entry in computed_indicators()]


# --- Helpers ---------------------------------------------------------------------------------


def _rounded(number: Decimal | float, places: str = "0.1") -> Decimal:
    return Decimal(str(number)).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def _percent(part: int, whole: int) -> Decimal | None:
    return _rounded(Decimal(100) * part / whole) if whole else None


def _share(share: figures.Share) -> ComputedResult:
    return ComputedResult(_percent(share.part, share.whole), {"part": share.part, "whole": share.whole})


def _internship_key(scope: IndicatorScope, period: Period) -> tuple[int, int | None]:
    """The key of the scope's figure: the year's total, since the figures are asked for the
    scope's department or programme only."""
    return (period.academic_year.pk, None)


def _between(period: Period) -> tuple[datetime.date, datetime.date] | None:
    """The dates internships.figures narrows to: none for the whole year (its records are
    those of the academic year, whatever their dates)."""
    return None if period.is_whole_year else (period.starts_on, period.ends_on)


# internships.figures answers for the school, a department and a programme.
ANY_SCOPE = (ScopeKind.SCHOOL, ScopeKind.DEPARTMENT, ScopeKind.PROGRAMME)
# For the functions that count dated records.
ANY_PERIOD = (PeriodKind.ACADEMIC_YEAR, PeriodKind.SEMESTER, PeriodKind.MONTH)


def _in_period(prefix: str, period: Period) -> Q:
    return Q(**{f"{prefix}__gte": period.starts_on, f"{prefix}__lte": period.ends_on})


def _items_in_scope(scope: IndicatorScope) -> QuerySet[ImprovementItem]:
    items = ImprovementItem.objects.order_by()
    if scope.department is not None:
        items = items.annotate(unit=Coalesce("department_id", "process__department_id")).filter(
            unit=scope.department.pk
        )
    return items


# --- Internships and partners (their counting rules are internships.figures') ---------------


def signed_before_start(scope: IndicatorScope, period: Period) -> ComputedResult:
    found = figures.signed_before_start(
        None, period.academic_year, scope.department, programme=scope.programme, between=_between(period)
    )
    return _share(found.get(_internship_key(scope, period), figures.Share(0, 0)))


def midterm_contacts_on_time(scope: IndicatorScope, period: Period) -> ComputedResult:
    found = figures.midterm_contacts_on_time(
        None, period.academic_year, scope.department, programme=scope.programme, between=_between(period)
    )
    return _share(found.get(_internship_key(scope, period), figures.Share(0, 0)))


def company_evaluation_average(scope: IndicatorScope, period: Period) -> ComputedResult:
    found = figures.company_evaluation_average(
        None, period.academic_year, scope.department, programme=scope.programme, between=_between(period)
    )
    average = found.get(_internship_key(scope, period), figures.Average(Decimal(0), 0))
    return ComputedResult(average.value, {"evaluations": average.count, "total_score": str(average.total)})


def students_abroad(scope: IndicatorScope, period: Period) -> ComputedResult:
    found = figures.students_abroad(
        None, period.academic_year, scope.department, programme=scope.programme, between=_between(period)
    )
    return _share(found.get(_internship_key(scope, period), figures.Share(0, 0)))


def active_partner_companies(scope: IndicatorScope, period: Period) -> ComputedResult:
    # Per academic year only: a teaching intervention knows its year, not its dates.
    year = period.academic_year
    found = figures.active_partner_companies(None, year, scope.department, years=[year])
    count = found.get(_internship_key(scope, period), 0)
    return ComputedResult(Decimal(count), {"companies": count})


# --- Teaching by professionals (partners) ------------------------------------------------------


def _in_programmes_of(scope: IndicatorScope, prefix: str = "") -> Q:
    if scope.programme is not None:
        return Q(**{f"{prefix}programme": scope.programme})
    if scope.department is not None:
        return Q(**{f"{prefix}programme__department": scope.department})
    return Q()


def _hours(number: Decimal | None) -> Decimal:
    return Decimal(number or 0).quantize(Decimal("0.01"))


def professional_teaching_hours(scope: IndicatorScope, period: Period) -> ComputedResult:
    # Per academic year only: an intervention knows its academic year, not its dates.
    counts = (
        Intervention.objects.order_by()
        .filter(_in_programmes_of(scope), academic_year=period.academic_year)
        .aggregate(interventions=Count("id"), hours=Sum("delivered_hours"))
    )
    hours = _hours(counts["hours"])
    return ComputedResult(hours, {"interventions": counts["interventions"], "delivered_hours": str(hours)})


def professional_teaching_share(scope: IndicatorScope, period: Period) -> ComputedResult:
    """As the partners' page of teaching hours counts it: the programmes with an
    intervention or a teaching volume in the year; no share while one of those with an
    intervention has no volume (its hours would have nothing to be a share of)."""
    delivered = dict(
        Intervention.objects.order_by()
        .filter(_in_programmes_of(scope), academic_year=period.academic_year)
        .values("programme_id")
        .annotate(hours=Sum("delivered_hours"))
        .values_list("programme_id", "hours")
    )
    volumes = dict(
        TeachingVolume.objects.order_by()
        .filter(_in_programmes_of(scope), academic_year=period.academic_year)
        .values_list("programme_id", "total_hours")
    )
    part = _hours(sum((hours or Decimal(0) for hours in delivered.values()), Decimal(0)))
    whole = _hours(sum(volumes.values(), Decimal(0)))
    missing = len(set(delivered) - set(volumes))
    value = None if missing or not whole else _rounded(Decimal(100) * part / whole)
    inputs: dict[str, Any] = {"delivered_hours": str(part), "total_hours": str(whole)}
    if missing:
        inputs["programmes_without_volume"] = missing
    return ComputedResult(value, inputs)


# --- Improvement -----------------------------------------------------------------------------


def actions_done_on_time(scope: IndicatorScope, period: Period) -> ComputedResult:
    actions = Action.objects.order_by().filter(
        _in_period("completed_on", period), status=ActionStatus.DONE, completed_on__isnull=False
    )
    if scope.department is not None:
        unit = Coalesce(
            "department_id", "item__department_id", "process__department_id", "item__process__department_id"
        )
        actions = actions.annotate(unit=unit).filter(unit=scope.department.pk)
    counts = actions.aggregate(whole=Count("id"), part=Count("id", filter=Q(completed_on__lte=F("due_on"))))
    return _share(figures.Share(counts["part"], counts["whole"]))


def items_closed_effective(scope: IndicatorScope, period: Period) -> ComputedResult:
    checked = [ItemStatus.CLOSED_EFFECTIVE, ItemStatus.REOPENED]
    counts = (
        _items_in_scope(scope)
        .filter(_in_period("raised_on", period), status__in=checked)
        .aggregate(whole=Count("id"), part=Count("id", filter=Q(status=ItemStatus.CLOSED_EFFECTIVE)))
    )
    return _share(figures.Share(counts["part"], counts["whole"]))


def median_days_to_close(scope: IndicatorScope, period: Period) -> ComputedResult:
    closed = (
        _items_in_scope(scope)
        .filter(_in_period("closed_on", period), status=ItemStatus.CLOSED_EFFECTIVE)
        .values_list("raised_on", "closed_on")
    )
    days = [(closed_on - raised_on).days for raised_on, closed_on in closed if closed_on is not None]
    value = _rounded(statistics.median(days)) if days else None
    return ComputedResult(value, {"items_closed": len(days)})


def complaints_per_100_students(scope: IndicatorScope, period: Period) -> ComputedResult:
    complaints = _items_in_scope(scope).filter(_in_period("raised_on", period), origin=Origin.COMPLAINT).count()
    students = Person.objects.filter(kind=PersonKind.STUDENT, is_active=True)
    if scope.department is not None:
        students = students.filter(Q(department=scope.department) | Q(programme__department=scope.department))
    student_count = students.count()
    value = _rounded(Decimal(100) * complaints / student_count, "0.01") if student_count else None
    return ComputedResult(value, {"complaints": complaints, "students": student_count})


# --- This app's registrations ------------------------------------------------------------------

register_computed(
    "internships.signed_before_start",
    label=_("Internship agreements signed before the start"),
    definition_text=_(
        "Among the internship agreements of the academic year that were signed (signed, under way, finished, "
        "evaluated or replaced by an amendment; amendments themselves left out), the share whose three "
        "signatures are all dated on or before the internship's first day."
    ),
    compute=signed_before_start,
    period_kinds=ANY_PERIOD,
    period_text=_("For a semester or a month: the agreements whose internship starts in it."),
    scope_kinds=ANY_SCOPE,
    reads=("internships.internship",),
    unit="%",
)
register_computed(
    "internships.midterm_contacts_on_time",
    label=_("Mid-term contacts on time"),
    definition_text=_(
        "Among the mid-term contacts by the academic tutor of the academic year's internships in force, due "
        "before today, the share done on or before their due date."
    ),
    compute=midterm_contacts_on_time,
    period_kinds=ANY_PERIOD,
    period_text=_("For a semester or a month: the contacts due in it."),
    scope_kinds=ANY_SCOPE,
    reads=("internships.internship", "internships.milestone"),
    unit="%",
)
register_computed(
    "internships.company_evaluation_average",
    label=_("Average evaluation by the company tutors"),
    definition_text=_(
        "The average overall score (out of 5) of the company tutors' evaluations of the academic year's interns."
    ),
    compute=company_evaluation_average,
    period_kinds=ANY_PERIOD,
    period_text=_("For a semester or a month: the evaluations of the internships that end in it."),
    scope_kinds=ANY_SCOPE,
    reads=("internships.internship", "internships.evaluation"),
    unit="/5",
)
register_computed(
    "internships.students_abroad",
    label=_("Share of students with an internship abroad"),
    definition_text=_(
        "Among the distinct students with an internship in force in the academic year, the share with an "
        "internship of kind “abroad”."
    ),
    compute=students_abroad,
    period_kinds=ANY_PERIOD,
    period_text=_("For a semester or a month: the students with an internship in force during part of it."),
    scope_kinds=ANY_SCOPE,
    reads=("internships.internship",),
    unit="%",
)
register_computed(
    "partners.active_companies",
    label=_("Active partner companies"),
    definition_text=_(
        "The number of distinct companies with, in the academic year, an internship in force, a teaching "
        "intervention, or a partnership agreement in force over part of the year (a merged company counts "
        "as the one it was merged into)."
    ),
    compute=active_partner_companies,
    reads=(
        "internships.internship",
        "partners.company",
        "partners.intervention",
        "partners.partnershipagreement",
    ),
    unit=_("companies"),
)
register_computed(
    "partners.professional_teaching_hours",
    label=_("Hours taught by professionals"),
    definition_text=_(
        "The hours of teaching delivered in the academic year by industry professionals (teaching interventions "
        "of the year's programmes: their delivered hours, not the planned ones not yet given)."
    ),
    compute=professional_teaching_hours,
    scope_kinds=ANY_SCOPE,
    reads=("partners.intervention",),
    unit=_("hours"),
)
register_computed(
    "partners.professional_teaching_share",
    label=_("Share of the programme's teaching given by professionals"),
    definition_text=_(
        "The hours delivered by industry professionals in the academic year, as a share of the total teaching "
        "hours of the programmes (their teaching volume of the year), over the programmes with an intervention "
        "or a teaching volume that year. No value while a programme with an intervention has no teaching "
        "volume entered."
    ),
    compute=professional_teaching_share,
    scope_kinds=ANY_SCOPE,
    reads=("partners.intervention", "partners.teachingvolume"),
    unit="%",
)
register_computed(
    "improvement.actions_on_time",
    label=_("Improvement actions done on time"),
    definition_text=_(
        "Among the improvement actions marked done during the academic year, the share completed on or before "
        "their due date."
    ),
    compute=actions_done_on_time,
    period_kinds=ANY_PERIOD,
    period_text=_("For a semester or a month: the actions marked done in it."),
    reads=("improvement.action", "improvement.improvementitem"),
    unit="%",
)
register_computed(
    "improvement.items_closed_effective",
    label=_("Improvement items closed effective"),
    definition_text=_(
        "Among the improvement items raised during the academic year whose effectiveness has been checked "
        "(closed as effective, or reopened as not effective), the share closed as effective."
    ),
    compute=items_closed_effective,
    period_kinds=ANY_PERIOD,
    period_text=_("For a semester or a month: the items raised in it."),
    reads=("improvement.improvementitem",),
    unit="%",
)
register_computed(
    "improvement.median_days_to_close",
    label=_("Median days to close an improvement item"),
    definition_text=_(
        "The median number of days between the raising of an improvement item and its closing as effective, "
        "over the items closed as effective during the academic year."
    ),
    compute=median_days_to_close,
    period_kinds=ANY_PERIOD,
    period_text=_("For a semester or a month: the items closed in it."),
    reads=("improvement.improvementitem",),
    unit=_("days"),
)
register_computed(
    "improvement.complaints_per_100_students",
    label=_("Complaints per 100 students"),
    definition_text=_(
        "The number of complaints raised during the academic year for every 100 active students (people of "
        "kind student; for a department, those of the department or of one of its programmes)."
    ),
    compute=complaints_per_100_students,
    period_kinds=ANY_PERIOD,
    period_text=_("For a semester or a month: the complaints raised in it."),
    reads=("improvement.improvementitem", "organisation.person"),
    unit="",
)

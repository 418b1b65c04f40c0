"""The graduation requirements of each student, computed from the records: weeks in
companies (internship agreements), weeks abroad (agreements abroad and stays abroad) and
the English level certified.

Weeks are counted over the union of the periods, so an amendment (its original is marked
"replaced", and even two agreements overlapping) never counts a day twice; a cancelled
agreement, or one not yet approved by the department, counts nothing. A student is *at
risk* when a requirement is not met and the year under way is their final year: the last
year before their planned graduation."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from amelio.core import clock
from amelio.internships.choices import InternshipKind, InternshipStatus
from amelio.internships.models import Internship

from .choices import FINAL_OUTCOMES, CefrLevel, RequirementState, StudentStatus, YearOfStudy, cefr_at_least
from .models import EnglishCertification, Mobility, Student, StudentRules

# Agreements approved by the department and not cancelled or replaced: the company time
# the school has agreed to, including what is planned and not yet done.
COUNTED_INTERNSHIP_STATUSES = frozenset(
    {
        InternshipStatus.VALIDATED,
        InternshipStatus.SIGNED,
        InternshipStatus.UNDER_WAY,
        InternshipStatus.FINISHED,
        InternshipStatus.EVALUATED,
    }
)
HOME_COUNTRY = "FR"
# Weeks needed to find a host and have an agreement signed: missing weeks that would only
# fit in less time than what is left are at risk already.
PLANNING_WEEKS = Decimal(6)
Interval = tuple[datetime.date, datetime.date]


def rules() -> StudentRules:
    found = StudentRules.objects.order_by("pk").first()
    return found if found is not None else StudentRules()


def union_days(intervals: Iterable[Interval]) -> int:
    """Days covered by the intervals (both ends included), each day once."""
    total = 0
    current: Interval | None = None
    for start, end in sorted(intervals):
        if current is None or start > current[1] + datetime.timedelta(days=1):
            if current is not None:
                total += (current[1] - current[0]).days + 1
            current = (start, end)
        elif end > current[1]:
            current = (current[0], end)
    if current is not None:
        total += (current[1] - current[0]).days + 1
    return total


def weeks_of(days: int) -> Decimal:
    return (Decimal(days) / Decimal(7)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def final_year(programme: Any) -> int:
    """The year of study in which the programme's students graduate: the engineering cycle
    ends `duration_years` after the two preparatory years."""
    duration = getattr(programme, "duration_years", 3) or 3
    return min(int(YearOfStudy.FIFTH), 2 + duration)


@dataclass
class Requirement:
    label: str
    required: Any
    achieved: Any
    state: str

    @property
    def is_met(self) -> bool:
        return self.state == RequirementState.MET

    @property
    def is_at_risk(self) -> bool:
        return self.state == RequirementState.AT_RISK


@dataclass
class StudentRequirements:
    student: Student
    internship_weeks: Decimal
    mobility_weeks: Decimal
    english_level: str
    in_final_year: bool
    requirements: list[Requirement] = field(default_factory=list)

    @property
    def is_at_risk(self) -> bool:
        return any(requirement.is_at_risk for requirement in self.requirements)

    @property
    def missing(self) -> list[Requirement]:
        return [requirement for requirement in self.requirements if not requirement.is_met]


def _state(met: bool, in_final_year: bool) -> str:
    if met:
        return RequirementState.MET
    return RequirementState.AT_RISK if in_final_year else RequirementState.PENDING


def weeks_left(intervals: list[Interval], year_ends_on: datetime.date, today: datetime.date) -> Decimal:
    """The weeks still free for more time in a company or abroad before the year's end:
    from today, or from the end of what is already planned, whichever is later, less
    PLANNING_WEEKS to find a host and sign the agreement."""
    planned_until = max((end for _start, end in intervals), default=today)
    start = max(today, planned_until + datetime.timedelta(days=1))
    return weeks_of(max(0, (year_ends_on - start).days + 1)) - PLANNING_WEEKS


def _weeks_state(achieved: Decimal, required: int, in_final_year: bool, left: Decimal) -> str:
    """In the final year, weeks still missing are at risk only when they no longer fit
    before the year's end."""
    if achieved >= required:
        return RequirementState.MET
    if in_final_year and required - achieved > left:
        return RequirementState.AT_RISK
    return RequirementState.PENDING


def requirements_for(students: list[Student], *, settings: StudentRules | None = None) -> list[StudentRequirements]:
    """Every student's requirements in three queries, whatever their number. Each student
    comes with `latest_enrolment` (see selectors.with_latest_enrolment) or has its
    enrolments prefetched."""
    from django.utils.translation import gettext as _

    settings = settings or rules()
    people = {student.person_id: student.pk for student in students if student.person_id}
    ids = [student.pk for student in students]
    company_intervals: dict[int, list[Interval]] = defaultdict(list)
    abroad_intervals: dict[int, list[Interval]] = defaultdict(list)
    linked_internships: set[int] = set()
    for student_id, internship_id, starts_on, ends_on in Mobility.objects.filter(student_id__in=ids).values_list(
        "student_id", "internship_id", "starts_on", "ends_on"
    ):
        abroad_intervals[student_id].append((starts_on, ends_on))
        if internship_id:
            linked_internships.add(internship_id)
    if people:
        rows = (
            Internship.objects.order_by()
            .filter(student_id__in=people, status__in=COUNTED_INTERNSHIP_STATUSES)
            .values_list("pk", "student_id", "starts_on", "ends_on", "kind", "company__country", "site__country")
        )
        for pk, person_id, starts_on, ends_on, kind, company_country, site_country in rows:
            student_id = people[person_id]
            company_intervals[student_id].append((starts_on, ends_on))
            country = site_country or company_country or HOME_COUNTRY
            if (kind == InternshipKind.ABROAD or country != HOME_COUNTRY) and pk not in linked_internships:
                abroad_intervals[student_id].append((starts_on, ends_on))
    levels: dict[int, str] = {}
    for student_id, level in EnglishCertification.objects.filter(student_id__in=ids).values_list("student_id", "level"):
        if student_id not in levels or cefr_at_least(level, levels[student_id]):
            levels[student_id] = level

    today = clock.today()
    results = []
    for student in students:
        enrolment = latest_enrolment(student)
        in_final_year = (
            enrolment is not None
            and enrolment.outcome not in FINAL_OUTCOMES
            and enrolment.year_of_study >= final_year(enrolment.programme)
        )
        company_periods = company_intervals.get(student.pk, [])
        abroad_periods = abroad_intervals.get(student.pk, [])
        internship_weeks = weeks_of(union_days(company_periods))
        mobility_weeks = weeks_of(union_days(abroad_periods))
        year_ends_on = enrolment.academic_year.ends_on if enrolment is not None else today
        mobility_required = (
            settings.mobility_weeks_apprentice
            if student.status == StudentStatus.APPRENTICE
            else settings.mobility_weeks_student
        )
        level = levels.get(student.pk, "")
        english_met = bool(level) and cefr_at_least(level, settings.english_level or CefrLevel.B2)
        results.append(
            StudentRequirements(
                student=student,
                internship_weeks=internship_weeks,
                mobility_weeks=mobility_weeks,
                english_level=level,
                in_final_year=in_final_year,
                requirements=[
                    Requirement(
                        _("Weeks in companies"),
                        settings.internship_weeks,
                        internship_weeks,
                        _weeks_state(
                            internship_weeks,
                            settings.internship_weeks,
                            in_final_year,
                            weeks_left(company_periods, year_ends_on, today),
                        ),
                    ),
                    Requirement(
                        _("Weeks abroad"),
                        mobility_required,
                        mobility_weeks,
                        _weeks_state(
                            mobility_weeks,
                            mobility_required,
                            in_final_year,
                            weeks_left(abroad_periods, year_ends_on, today),
                        ),
                    ),
                    Requirement(
                        _("English level"),
                        settings.english_level,
                        level or "—",
                        _state(english_met, in_final_year),
                    ),
                ],
            )
        )
    return results


def latest_enrolment(student: Student) -> Any:
    """The student's latest enrolment: given by the selector's annotation-free prefetch."""
    prefetched = getattr(student, "_prefetched_objects_cache", {}).get("enrolments")
    if prefetched is not None:
        enrolments = list(prefetched)
    else:
        enrolments = list(student.enrolments.select_related("programme", "academic_year"))
    if not enrolments:
        return None
    return max(enrolments, key=lambda enrolment: enrolment.academic_year.starts_on)

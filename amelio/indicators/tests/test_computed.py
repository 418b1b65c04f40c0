"""Each computed indicator against records built here, compared with the figure worked out
by hand in the comments, for the school and for a department."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal
from typing import Any

import pytest

from amelio.improvement.choices import ActionStatus, ItemStatus, Origin
from amelio.improvement.models import Action, ImprovementItem
from amelio.indicators.choices import PeriodKind
from amelio.indicators.computed import IndicatorScope, computed_indicator, computed_indicators
from amelio.indicators.periods import period_of
from amelio.internships.choices import EvaluationKind, InternshipKind, InternshipStatus, MilestoneKind
from amelio.internships.models import Evaluation, Internship, Milestone
from amelio.internships.tests.factories import CompanyFactory, ContactFactory
from amelio.organisation.choices import PersonKind
from amelio.organisation.tests.factories import PersonFactory, ProgrammeFactory
from amelio.partners.models import TeachingVolume
from amelio.partners.tests.factories import InterventionFactory

from .factories import year

pytestmark = pytest.mark.django_db

D = datetime.date
START = D(2025, 3, 3)
SIGNED = D(2025, 2, 10)
_numbers = itertools.count(1)


def internship(
    *,
    student: Any,
    programme: Any,
    academic_year: Any,
    company: Any,
    kind: str = InternshipKind.ENGINEER,
    status: str = InternshipStatus.EVALUATED,
    signed_on: datetime.date = SIGNED,
    midterm: tuple[datetime.date, datetime.date | None] | None = None,
    score: str | None = None,
) -> Internship:
    created = Internship.objects.create(
        reference=f"ST-I-{next(_numbers):05d}",
        student=student,
        company=company,
        company_tutor=ContactFactory(company=company),
        programme=programme,
        academic_year=academic_year,
        kind=kind,
        subject="Sujet",
        starts_on=START,
        ends_on=START + datetime.timedelta(days=60),
        status=status,
        student_signed_on=signed_on,
        company_signed_on=signed_on,
        school_signed_on=signed_on,
    )
    if midterm is not None:
        Milestone.objects.create(
            internship=created, kind=MilestoneKind.MIDTERM_CONTACT, due_on=midterm[0], done_on=midterm[1]
        )
    if score is not None:
        Evaluation.objects.create(internship=created, kind=EvaluationKind.COMPANY_TUTOR, score=Decimal(score))
    return created


def item(
    department: Any,
    *,
    raised_on: datetime.date,
    status: str,
    closed_on: datetime.date | None = None,
    origin: str = Origin.NONCONFORMITY,
) -> ImprovementItem:
    return ImprovementItem.objects.create(
        reference=f"NC-T-{next(_numbers):05d}",
        origin=origin,
        title="Sujet",
        description="Description",
        department=department,
        raised_on=raised_on,
        status=status,
        closed_on=closed_on,
    )


@pytest.fixture
def records(school: dict[str, Any]) -> dict[str, Any]:
    civil, electrical = school["civil"], school["electrical"]
    academic_year = year(2024)
    programme_civil = ProgrammeFactory(department=civil)
    programme_electrical = ProgrammeFactory(department=electrical)
    students = [PersonFactory(kind=PersonKind.STUDENT, department=civil, programme=programme_civil) for _ in range(4)]
    students.append(PersonFactory(kind=PersonKind.STUDENT, department=electrical, programme=programme_electrical))
    PersonFactory(kind=PersonKind.STUDENT, department=civil, is_active=False)  # left the school: not counted
    company_1, company_2, company_3 = CompanyFactory(), CompanyFactory(), CompanyFactory()
    common = {"programme": programme_civil, "academic_year": academic_year}
    # Civil: four agreements, one signed a week after the start; two mid-term contacts (one
    # late); two company evaluations (4.0 and 3.5); one student abroad; two companies.
    internship(
        student=students[0],
        company=company_1,
        kind=InternshipKind.ABROAD,
        midterm=(D(2025, 4, 1), D(2025, 3, 30)),
        score="4.0",
        **common,
    )
    internship(student=students[1], company=company_1, midterm=(D(2025, 4, 1), D(2025, 4, 5)), score="3.5", **common)
    internship(student=students[2], company=company_2, **common)
    internship(student=students[3], company=company_2, signed_on=D(2025, 3, 10), **common)
    # Cancelled: counted nowhere.
    internship(student=students[3], company=company_3, status=InternshipStatus.CANCELLED, **common)
    # Electrical: one agreement, abroad, its mid-term contact not done, evaluated 5.0.
    internship(
        student=students[4],
        company=company_3,
        programme=programme_electrical,
        academic_year=academic_year,
        kind=InternshipKind.ABROAD,
        midterm=(D(2025, 4, 1), None),
        score="5.0",
    )
    # Improvement items of the year: civil A (10 days), B (20), C (40) closed effective, D
    # reopened; electrical E (100 days) closed effective, F reopened. And one of last year.
    item(civil, raised_on=D(2024, 10, 1), status=ItemStatus.CLOSED_EFFECTIVE, closed_on=D(2024, 10, 11))
    item(civil, raised_on=D(2024, 11, 1), status=ItemStatus.CLOSED_EFFECTIVE, closed_on=D(2024, 11, 21))
    item(civil, raised_on=D(2025, 1, 1), status=ItemStatus.CLOSED_EFFECTIVE, closed_on=D(2025, 2, 10))
    item(civil, raised_on=D(2025, 2, 1), status=ItemStatus.REOPENED)
    item(electrical, raised_on=D(2024, 12, 1), status=ItemStatus.CLOSED_EFFECTIVE, closed_on=D(2025, 3, 11))
    item(electrical, raised_on=D(2025, 3, 1), status=ItemStatus.REOPENED)
    item(civil, raised_on=D(2023, 10, 1), status=ItemStatus.CLOSED_EFFECTIVE, closed_on=D(2023, 10, 2))
    # Complaints of the year: two in civil, one in electrical (and one of last year).
    for department, raised_on in (
        (civil, D(2024, 10, 5)),
        (civil, D(2025, 5, 5)),
        (electrical, D(2025, 1, 5)),
        (civil, D(2023, 12, 1)),
    ):
        item(department, raised_on=raised_on, status=ItemStatus.NEW, origin=Origin.COMPLAINT)
    # Actions done in the year: civil on time, late, on its due day; electrical late; and one
    # done the year before; one still planned.
    owner = school["teacher"]
    for department, due_on, completed_on, status in (
        (civil, D(2025, 1, 15), D(2025, 1, 10), ActionStatus.DONE),
        (civil, D(2025, 1, 20), D(2025, 2, 1), ActionStatus.DONE),
        (civil, D(2025, 5, 1), D(2025, 5, 1), ActionStatus.DONE),
        (electrical, D(2025, 1, 20), D(2025, 2, 1), ActionStatus.DONE),
        (civil, D(2023, 11, 1), D(2023, 11, 1), ActionStatus.DONE),
        (civil, D(2025, 6, 1), None, ActionStatus.PLANNED),
    ):
        Action.objects.create(
            kind="corrective",
            title="Action",
            owner=owner,
            department=department,
            due_on=due_on,
            completed_on=completed_on,
            status=status,
        )
    return {
        "year": academic_year,
        "civil": civil,
        "electrical": electrical,
        "programme_civil": programme_civil,
        "programme_electrical": programme_electrical,
    }


def compute(
    code: str, records: dict[str, Any], department: Any = None, period: str = ""
) -> tuple[Decimal | None, dict[str, Any]]:
    entry = computed_indicator(code)
    assert entry is not None
    found = period_of(records["year"], period)
    assert found is not None
    result = entry.compute(IndicatorScope.of(department), found)
    return result.value, result.inputs


def test_internship_figures_per_programme(records: dict[str, Any]) -> None:
    # The electrical programme: its one agreement signed before the start, its student
    # abroad, its mid-term contact not done, its evaluation 5.0.
    electrical = records["programme_electrical"]
    assert compute("internships.signed_before_start", records, electrical)[0] == Decimal("100.0")
    assert compute("internships.students_abroad", records, electrical)[0] == Decimal("100.0")
    assert compute("internships.midterm_contacts_on_time", records, electrical) == (
        Decimal("0.0"),
        {"part": 0, "whole": 1},
    )
    assert compute("internships.company_evaluation_average", records, electrical)[0] == Decimal("5.00")
    # The civil programme holds all of civil's agreements: the same figures as its department.
    assert compute("internships.signed_before_start", records, records["programme_civil"])[1] == {
        "part": 3,
        "whole": 4,
    }


def test_signed_before_start(records: dict[str, Any]) -> None:
    # School: 4 of 5 signed on or before the first day; civil 3 of 4.
    assert compute("internships.signed_before_start", records) == (Decimal("80.0"), {"part": 4, "whole": 5})
    assert compute("internships.signed_before_start", records, records["civil"]) == (
        Decimal("75.0"),
        {"part": 3, "whole": 4},
    )


def test_midterm_contacts_on_time(records: dict[str, Any]) -> None:
    # School: 1 of 3 contacts done by its due date = 33.3 %; civil 1 of 2.
    assert compute("internships.midterm_contacts_on_time", records) == (Decimal("33.3"), {"part": 1, "whole": 3})
    assert compute("internships.midterm_contacts_on_time", records, records["civil"])[0] == Decimal("50.0")


def test_company_evaluation_average(records: dict[str, Any]) -> None:
    # School: (4.0 + 3.5 + 5.0) / 3 = 4.1666… → 4.17; civil (4.0 + 3.5) / 2 = 3.75.
    value, inputs = compute("internships.company_evaluation_average", records)
    assert (value, inputs["evaluations"]) == (Decimal("4.17"), 3)
    assert compute("internships.company_evaluation_average", records, records["civil"])[0] == Decimal("3.75")


def test_students_abroad(records: dict[str, Any]) -> None:
    # School: 2 distinct students abroad among 5 = 40 %; civil 1 among 4 = 25 %.
    assert compute("internships.students_abroad", records) == (Decimal("40.0"), {"part": 2, "whole": 5})
    assert compute("internships.students_abroad", records, records["civil"])[0] == Decimal("25.0")


def test_active_partner_companies(records: dict[str, Any]) -> None:
    # School: companies 1, 2 and 3 (the cancelled agreement adds none); civil: 1 and 2.
    assert compute("partners.active_companies", records) == (Decimal(3), {"companies": 3})
    assert compute("partners.active_companies", records, records["civil"])[0] == Decimal(2)


def test_actions_done_on_time(records: dict[str, Any]) -> None:
    # School: 2 of the 4 actions done in the year were on time; civil 2 of 3 = 66.7 %.
    assert compute("improvement.actions_on_time", records) == (Decimal("50.0"), {"part": 2, "whole": 4})
    assert compute("improvement.actions_on_time", records, records["civil"])[0] == Decimal("66.7")


def test_items_closed_effective(records: dict[str, Any]) -> None:
    # School: 4 closed effective among the 6 checked = 66.7 %; civil 3 of 4 = 75 %.
    assert compute("improvement.items_closed_effective", records) == (Decimal("66.7"), {"part": 4, "whole": 6})
    assert compute("improvement.items_closed_effective", records, records["civil"])[0] == Decimal("75.0")


def test_median_days_to_close(records: dict[str, Any]) -> None:
    # School: median of 10, 20, 40, 100 days = 30; civil: median of 10, 20, 40 = 20.
    assert compute("improvement.median_days_to_close", records) == (Decimal("30.0"), {"items_closed": 4})
    assert compute("improvement.median_days_to_close", records, records["civil"])[0] == Decimal("20.0")


def test_complaints_per_100_students(records: dict[str, Any]) -> None:
    # School: 3 complaints for 6 active students (the school's own student and the five
    # above) = 50 per 100; civil: 2 for 5 = 40 per 100.
    assert compute("improvement.complaints_per_100_students", records) == (
        Decimal("50.00"),
        {"complaints": 3, "students": 6},
    )
    assert compute("improvement.complaints_per_100_students", records, records["civil"]) == (
        Decimal("40.00"),
        {"complaints": 2, "students": 5},
    )


def test_nothing_to_measure_gives_no_value(school: dict[str, Any]) -> None:
    empty = {"year": year(2030)}
    assert compute("internships.signed_before_start", empty) == (None, {"part": 0, "whole": 0})
    assert compute("improvement.median_days_to_close", empty) == (None, {"items_closed": 0})


# --- Over a semester or a month (the year 2024-2025: S1 from September to January) ------------


def test_improvement_figures_over_a_semester_or_a_month(records: dict[str, Any]) -> None:
    # Items raised in S1: A (Oct.), B (Nov.), C (Jan.), E (Dec., electrical), all closed
    # effective = 4 of 4; in S2: D (Feb.) and F (March), both reopened = 0 of 2.
    assert compute("improvement.items_closed_effective", records, period="S1") == (
        Decimal("100.0"),
        {"part": 4, "whole": 4},
    )
    assert compute("improvement.items_closed_effective", records, period="S2") == (
        Decimal("0.0"),
        {"part": 0, "whole": 2},
    )
    # Closed in S1: A (10 days, closed in Oct.) and B (20, Nov.): median 15; in S2: C (40,
    # closed in Feb.) and E (100, March): median 70.
    assert compute("improvement.median_days_to_close", records, period="S1") == (Decimal("15.0"), {"items_closed": 2})
    assert compute("improvement.median_days_to_close", records, period="S2") == (Decimal("70.0"), {"items_closed": 2})
    # October 2024: one complaint (civil, Oct. 5) for 6 active students = 16.67 per 100.
    assert compute("improvement.complaints_per_100_students", records, period="2024-10") == (
        Decimal("16.67"),
        {"complaints": 1, "students": 6},
    )
    # Actions done in January 2025: one, on time; in S2: Feb. 1 late (civil), May 1 on its
    # due day, Feb. 1 late (electrical) = 1 of 3.
    assert compute("improvement.actions_on_time", records, period="2025-01") == (
        Decimal("100.0"),
        {"part": 1, "whole": 1},
    )
    assert compute("improvement.actions_on_time", records, period="S2") == (
        Decimal("33.3"),
        {"part": 1, "whole": 3},
    )


def test_internship_figures_over_a_semester_or_a_month(records: dict[str, Any]) -> None:
    # Every internship starts on 2025-03-03 and ends on 2025-05-02; the contacts are due on
    # 2025-04-01.
    assert compute("internships.signed_before_start", records, period="2025-03") == (
        Decimal("80.0"),
        {"part": 4, "whole": 5},
    )
    assert compute("internships.signed_before_start", records, period="S1") == (None, {"part": 0, "whole": 0})
    assert compute("internships.midterm_contacts_on_time", records, period="2025-04")[1] == {"part": 1, "whole": 3}
    assert compute("internships.midterm_contacts_on_time", records, period="2025-03")[0] is None
    # Evaluations of the internships ending in May: (4.0 + 3.5 + 5.0) / 3; none end in April.
    assert compute("internships.company_evaluation_average", records, period="2025-05")[0] == Decimal("4.17")
    assert compute("internships.company_evaluation_average", records, period="2025-04")[0] is None
    # In force during part of April: the five students, two abroad; none in S1 or June.
    assert compute("internships.students_abroad", records, period="2025-04") == (
        Decimal("40.0"),
        {"part": 2, "whole": 5},
    )
    assert compute("internships.students_abroad", records, period="2025-06")[0] is None


def test_each_computation_declares_the_periods_it_answers_for() -> None:
    by_year_only = {entry.code for entry in computed_indicators() if entry.period_kinds == (PeriodKind.ACADEMIC_YEAR,)}
    # Interventions, teaching volumes and survey campaigns know their academic year, not their
    # dates; so do enrolments and the graduates of a year.
    surveys = {code for code in by_year_only if code.startswith("surveys.")}
    students = {code for code in by_year_only if code.startswith("students.")}
    assert surveys and students
    assert by_year_only - surveys - students == {
        "partners.active_companies",
        "partners.professional_teaching_hours",
        "partners.professional_teaching_share",
    }
    for entry in computed_indicators():
        if entry.code not in by_year_only:
            assert set(entry.period_kinds) == {PeriodKind.ACADEMIC_YEAR, PeriodKind.SEMESTER, PeriodKind.MONTH}
            assert entry.period_text, entry.code


# --- Teaching by industry professionals -----------------------------------------------------


@pytest.fixture
def teaching(school: dict[str, Any]) -> dict[str, Any]:
    civil, electrical = school["civil"], school["electrical"]
    academic_year = year(2025)
    structures = ProgrammeFactory(department=civil)
    geotechnics = ProgrammeFactory(department=civil)
    energy = ProgrammeFactory(department=electrical)
    robotics = ProgrammeFactory(department=electrical)
    # Structures: 12 + 8.5 hours delivered (and 10 more planned, not given yet: 0); 400 h in all.
    for planned, delivered in (("12", "12"), ("10", "8.5"), ("10", "0")):
        InterventionFactory(
            programme=structures,
            academic_year=academic_year,
            planned_hours=Decimal(planned),
            delivered_hours=Decimal(delivered),
        )
    TeachingVolume.objects.create(programme=structures, academic_year=academic_year, total_hours=Decimal("400"))
    # Geotechnics: no intervention, 100 h in all.
    TeachingVolume.objects.create(programme=geotechnics, academic_year=academic_year, total_hours=Decimal("100"))
    # Energy: 30 h delivered, 300 h in all; robotics: 6 h delivered, no volume entered.
    InterventionFactory(programme=energy, academic_year=academic_year, delivered_hours=Decimal("30"))
    TeachingVolume.objects.create(programme=energy, academic_year=academic_year, total_hours=Decimal("300"))
    InterventionFactory(programme=robotics, academic_year=academic_year, delivered_hours=Decimal("6"))
    # Another year's intervention and volume: counted in neither.
    InterventionFactory(programme=structures, academic_year=year(2024), delivered_hours=Decimal("50"))
    TeachingVolume.objects.create(programme=structures, academic_year=year(2024), total_hours=Decimal("90"))
    return {
        "year": academic_year,
        "civil": civil,
        "electrical": electrical,
        "structures": structures,
        "geotechnics": geotechnics,
        "energy": energy,
        "robotics": robotics,
    }


def test_hours_taught_by_professionals(teaching: dict[str, Any]) -> None:
    code = "partners.professional_teaching_hours"
    # Civil: 12 + 8.5 + 0 = 20.5 h over three interventions; electrical 30 + 6 = 36 h;
    # the school 56.5 h; the structures programme alone 20.5 h, geotechnics 0 h.
    assert compute(code, teaching, teaching["civil"]) == (
        Decimal("20.50"),
        {"interventions": 3, "delivered_hours": "20.50"},
    )
    assert compute(code, teaching, teaching["electrical"])[0] == Decimal("36.00")
    assert compute(code, teaching) == (Decimal("56.50"), {"interventions": 5, "delivered_hours": "56.50"})
    assert compute(code, teaching, teaching["structures"])[0] == Decimal("20.50")
    assert compute(code, teaching, teaching["geotechnics"]) == (
        Decimal("0.00"),
        {"interventions": 0, "delivered_hours": "0.00"},
    )


def test_share_of_the_programmes_volume_taught_by_professionals(teaching: dict[str, Any]) -> None:
    code = "partners.professional_teaching_share"
    # Structures: 20.5 / 400 = 5.125 % → 5.1; geotechnics 0 / 100 = 0; energy 30 / 300 = 10 %.
    assert compute(code, teaching, teaching["structures"]) == (
        Decimal("5.1"),
        {"delivered_hours": "20.50", "total_hours": "400.00"},
    )
    assert compute(code, teaching, teaching["geotechnics"])[0] == Decimal("0.0")
    assert compute(code, teaching, teaching["energy"])[0] == Decimal("10.0")
    # Civil: (20.5 + 0) / (400 + 100) = 4.1 %.
    assert compute(code, teaching, teaching["civil"]) == (
        Decimal("4.1"),
        {"delivered_hours": "20.50", "total_hours": "500.00"},
    )
    # Robotics has hours but no volume: no share for it, for electrical, nor for the school.
    assert compute(code, teaching, teaching["robotics"]) == (
        None,
        {"delivered_hours": "6.00", "total_hours": "0.00", "programmes_without_volume": 1},
    )
    assert compute(code, teaching, teaching["electrical"])[0] is None
    assert compute(code, teaching)[1]["programmes_without_volume"] == 1
    # Once robotics' 150 h are entered: electrical (30 + 6) / (300 + 150) = 8 %; the school
    # (20.5 + 36) / (500 + 450) = 5.947… → 5.9 %.
    TeachingVolume.objects.create(programme=teaching["robotics"], academic_year=teaching["year"], total_hours=150)
    assert compute(code, teaching, teaching["electrical"])[0] == Decimal("8.0")
    assert compute(code, teaching) == (Decimal("5.9"), {"delivered_hours": "56.50", "total_hours": "950.00"})

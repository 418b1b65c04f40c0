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
from amelio.indicators.computed import IndicatorScope, computed_indicator
from amelio.indicators.periods import period_of
from amelio.internships.choices import EvaluationKind, InternshipKind, InternshipStatus, MilestoneKind
from amelio.internships.models import Evaluation, Internship, Milestone
from amelio.internships.tests.factories import CompanyFactory, ContactFactory
from amelio.organisation.choices import PersonKind
from amelio.organisation.tests.factories import PersonFactory, ProgrammeFactory

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

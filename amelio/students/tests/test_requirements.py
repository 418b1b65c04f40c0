"""Each graduation requirement computed from the records, and its at-risk rule: weeks
summed across agreements, an amendment not counted twice, cancelled agreements ignored,
a stay abroad recorded both ways counted once, the English level certified."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from amelio.core import clock
from amelio.internships.tests.factories import CompanyFactory
from amelio.organisation.choices import PersonKind
from amelio.organisation.tests.factories import PersonFactory, ProgrammeFactory
from amelio.students.choices import RequirementState, StudentStatus
from amelio.students.models import EnglishCertification, Mobility, StudentRules
from amelio.students.requirements import requirements_for, union_days
from amelio.students.selectors import at_risk

from .factories import StudentFactory, agreement, enrol, year

pytestmark = pytest.mark.django_db
MONDAY = datetime.date(2025, 6, 2)


@pytest.fixture(autouse=True)
def in_august_2027() -> Iterator[None]:
    """A month before the end of the final year 2026-2027: missing weeks no longer fit."""
    with clock.frozen_at(timezone.make_aware(datetime.datetime(2027, 8, 1, 12))):
        yield


def states(student: Any) -> dict[str, tuple[Decimal | str, str]]:
    entry = requirements_for([student])[0]
    names = ("internship", "mobility", "english")
    return {
        name: (requirement.achieved, requirement.state)
        for name, requirement in zip(names, entry.requirements, strict=True)
    }


@pytest.fixture
def final_year_student(school: dict[str, Any]) -> Any:
    year(2026, current=True)
    programme = ProgrammeFactory(department=school["civil"], duration_years=3)
    person = PersonFactory(kind=PersonKind.STUDENT)
    student = StudentFactory(person=person)
    enrol(student, programme, 2024, 3, "passed")
    enrol(student, programme, 2025, 4, "passed")
    enrol(student, programme, 2026, 5)
    return student


def test_union_of_periods_counts_each_day_once() -> None:
    first = (datetime.date(2025, 1, 1), datetime.date(2025, 1, 10))
    overlapping = (datetime.date(2025, 1, 5), datetime.date(2025, 1, 14))
    adjacent = (datetime.date(2025, 1, 15), datetime.date(2025, 1, 15))
    apart = (datetime.date(2025, 2, 1), datetime.date(2025, 2, 2))
    assert union_days([apart, overlapping, first, adjacent]) == 15 + 2
    assert union_days([]) == 0


def test_weeks_summed_across_agreements_amendment_once_cancelled_and_drafts_ignored(final_year_student: Any) -> None:
    person, programme = final_year_student.person, final_year_student.programme
    agreement(person, programme, MONDAY - datetime.timedelta(days=364), 10, status="finished")
    original = agreement(person, programme, MONDAY, 12, status="amended")
    agreement(person, programme, MONDAY, 14, status="signed", amends=original)
    agreement(person, programme, MONDAY + datetime.timedelta(days=200), 20, status="cancelled")
    agreement(person, programme, MONDAY + datetime.timedelta(days=400), 20, status="draft")
    # 10 + 14 = 24 weeks: the amended original's 12 and the cancelled or draft agreements count nothing.
    assert states(final_year_student)["internship"] == (Decimal("24.0"), RequirementState.AT_RISK)
    agreement(person, programme, MONDAY + datetime.timedelta(days=98), 4, status="validated")
    assert states(final_year_student)["internship"] == (Decimal("28.0"), RequirementState.MET)


def test_overlapping_agreements_count_their_days_once(final_year_student: Any) -> None:
    person, programme = final_year_student.person, final_year_student.programme
    agreement(person, programme, MONDAY, 20, status="evaluated")
    agreement(person, programme, MONDAY + datetime.timedelta(days=70), 20, status="signed")
    assert states(final_year_student)["internship"][0] == Decimal("30.0")


def test_weeks_abroad_from_agreements_abroad_and_stays_counted_once(final_year_student: Any) -> None:
    person, programme = final_year_student.person, final_year_student.programme
    abroad = agreement(person, programme, MONDAY, 12, company=CompanyFactory(country="DE"))
    agreement(person, programme, MONDAY + datetime.timedelta(days=100), 4)  # in France
    Mobility.objects.create(
        student=final_year_student,
        kind="internship_abroad",
        country="DE",
        host="Berlin GmbH",
        starts_on=abroad.starts_on,
        ends_on=abroad.ends_on,
        internship=abroad,
    )
    assert states(final_year_student)["mobility"] == (Decimal("12.0"), RequirementState.AT_RISK)
    Mobility.objects.create(
        student=final_year_student,
        kind="semester_abroad",
        country="ES",
        host="Universidad de Sevilla",
        starts_on=datetime.date(2026, 1, 5),
        ends_on=datetime.date(2026, 1, 5) + datetime.timedelta(days=34),
    )
    assert states(final_year_student)["mobility"] == (Decimal("17.0"), RequirementState.MET)


def test_an_apprentice_needs_the_apprentices_minimum_a_school_setting(final_year_student: Any) -> None:
    final_year_student.status = StudentStatus.APPRENTICE
    final_year_student.save()
    agreement(final_year_student.person, None, MONDAY, 9, kind="abroad")
    assert states(final_year_student)["mobility"] == (Decimal("9.0"), RequirementState.MET)
    StudentRules.objects.create(mobility_weeks_apprentice=10)
    assert states(final_year_student)["mobility"] == (Decimal("9.0"), RequirementState.AT_RISK)


def test_english_level_b2_by_default_best_certification_counts(final_year_student: Any) -> None:
    assert states(final_year_student)["english"] == ("—", RequirementState.AT_RISK)
    EnglishCertification.objects.create(
        student=final_year_student, test="TOEIC", score=Decimal("780"), level="B2", taken_on=datetime.date(2026, 3, 1)
    )
    EnglishCertification.objects.create(
        student=final_year_student, test="TOEIC", score=Decimal("600"), level="B1", taken_on=datetime.date(2026, 5, 1)
    )
    assert states(final_year_student)["english"] == ("B2", RequirementState.MET)
    StudentRules.objects.create(english_level="C1")
    assert states(final_year_student)["english"] == ("B2", RequirementState.AT_RISK)


def test_before_the_final_year_a_missing_requirement_is_pending_not_at_risk(school: dict[str, Any]) -> None:
    year(2026, current=True)
    programme = ProgrammeFactory(department=school["civil"])
    student = StudentFactory()
    enrol(student, programme, 2026, 4)
    assert {state for _achieved, state in states(student).values()} == {RequirementState.PENDING}


def test_at_risk_list_per_department_and_scope(school: dict[str, Any], final_year_student: Any) -> None:
    other_programme = ProgrammeFactory(department=school["electrical"])
    other = StudentFactory()
    enrol(other, other_programme, 2026, 5)
    fine = StudentFactory(person=PersonFactory(kind=PersonKind.STUDENT))
    enrol(fine, final_year_student.programme, 2026, 5)
    agreement(fine.person, None, MONDAY, 28, company=CompanyFactory(country="IT"))
    EnglishCertification.objects.create(student=fine, test="IELTS", level="C1", taken_on=datetime.date(2026, 1, 1))
    left = StudentFactory()
    enrol(left, final_year_student.programme, 2026, 5, "left")

    def names(user: Any, department: Any = None) -> set[int]:
        return {row.student.pk for row in at_risk(user=user, department=department)}

    assert names(school["office"]) == {final_year_student.pk, other.pk}
    assert names(school["office"], school["civil"]) == {final_year_student.pk}
    assert names(school["head_civil"]) == {final_year_student.pk}
    assert names(school["head_electrical"]) == {other.pk}
    assert names(school["auditor"]) == set()


def test_missing_weeks_that_still_fit_before_the_years_end_are_pending(final_year_student: Any) -> None:
    person, programme = final_year_student.person, final_year_student.programme
    agreement(person, programme, MONDAY, 20, status="finished")
    # In December, 8 missing weeks fit in the months left (less 6 weeks to find a host): pending.
    with clock.frozen_at(timezone.make_aware(datetime.datetime(2026, 12, 1, 12))):
        assert states(final_year_student)["internship"] == (Decimal("20.0"), RequirementState.PENDING)
        # Ten more weeks planned from June: met.
        agreement(person, programme, datetime.date(2027, 6, 7), 10, status="signed")
        assert states(final_year_student)["internship"] == (Decimal("30.0"), RequirementState.MET)
    with clock.frozen_at(timezone.make_aware(datetime.datetime(2027, 5, 1, 12))):
        final_year_student.person.internships.filter(status="signed").update(status="cancelled")
        agreement(person, programme, datetime.date(2027, 5, 3), 14, status="signed")
        # 34 weeks: met. With 40 required, 6 missing after mid-August: at risk.
        assert states(final_year_student)["internship"][1] == RequirementState.MET
        StudentRules.objects.create(internship_weeks=40)
        assert states(final_year_student)["internship"] == (Decimal("34.0"), RequirementState.AT_RISK)

"""Students' records written directly (the services are tested on their own)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import factory

from amelio.internships.models import Internship
from amelio.internships.tests.factories import CompanyFactory, ContactFactory
from amelio.organisation.models import AcademicYear, Programme
from amelio.organisation.tests.factories import ProgrammeFactory
from amelio.students.choices import Outcome
from amelio.students.models import Enrolment, InsertionRecord, Student


class StudentFactory(factory.django.DjangoModelFactory[Student]):
    class Meta:
        model = Student

    ine = factory.Sequence(lambda n: f"{n:09d}AB")
    first_name = factory.Sequence(lambda n: f"Élève{n}")
    last_name = factory.Sequence(lambda n: f"Nom{n}")
    email = factory.Sequence(lambda n: f"eleve{n}@school.test")


def year(start: int, *, current: bool = False) -> AcademicYear:
    found, _created = AcademicYear.objects.get_or_create(
        label=f"{start}-{start + 1}",
        defaults={
            "starts_on": datetime.date(start, 9, 1),
            "ends_on": datetime.date(start + 1, 8, 31),
            "is_current": current,
        },
    )
    return found


def enrol(
    student: Student,
    programme: Programme,
    start: int,
    year_of_study: int,
    outcome: str = Outcome.PENDING,
    **extra: Any,
) -> Enrolment:
    if outcome == Outcome.GRADUATED:
        extra.setdefault("diploma_on", datetime.date(start + 1, 7, 1))
    if outcome == Outcome.LEFT:
        extra.setdefault("leaving_reason", "reorientation")
    enrolment = Enrolment.objects.create(
        student=student,
        academic_year=year(start),
        programme=programme,
        year_of_study=year_of_study,
        outcome=outcome,
        **extra,
    )
    Student.objects.filter(pk=student.pk).update(programme=programme)
    student.programme = programme
    return enrolment


def agreement(
    person: Any, programme: Programme | None, starts_on: datetime.date, weeks: int, **extra: Any
) -> Internship:
    """An agreement of `weeks` full weeks (Monday to Sunday), signed, written directly."""
    company = extra.pop("company", None) or CompanyFactory()
    return Internship.objects.create(
        reference=f"T-{Internship.objects.count() + 1:05d}",
        student=person,
        company=company,
        company_tutor=ContactFactory(company=company),
        programme=programme or ProgrammeFactory(),
        academic_year=year(starts_on.year if starts_on.month >= 9 else starts_on.year - 1),
        kind=extra.pop("kind", "engineer"),
        subject="Sujet",
        starts_on=starts_on,
        ends_on=starts_on + datetime.timedelta(days=7 * weeks - 1),
        status=extra.pop("status", "signed"),
        **extra,
    )


def situation(student: Student, wave: int = 6, situation: str = "employed", **extra: Any) -> InsertionRecord:
    if situation == "employed":
        extra.setdefault("employer_name", "Employeur")
        extra.setdefault("contract", "permanent")
        extra.setdefault("country", "FR")
    return InsertionRecord.objects.create(
        student=student, wave=wave, surveyed_on=datetime.date(2027, 1, 15), situation=situation, **extra
    )


SALARY = Decimal("38000")

"""Factories and a small school for the tests of every app."""

from __future__ import annotations

import datetime
from typing import Any

import factory
from django.utils import timezone

from amelio.organisation.choices import PersonKind, Role, ScopeKind
from amelio.organisation.models import AcademicYear, Department, Person, Programme, RoleAssignment

PASSWORD = "test-Password-2026"


class DepartmentFactory(factory.django.DjangoModelFactory[Department]):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"D{n}")
    name = factory.Sequence(lambda n: f"Département {n}")


class ProgrammeFactory(factory.django.DjangoModelFactory[Programme]):
    class Meta:
        model = Programme

    code = factory.Sequence(lambda n: f"P{n}")
    name = factory.Sequence(lambda n: f"Spécialité {n}")
    department = factory.SubFactory(DepartmentFactory)


class AcademicYearFactory(factory.django.DjangoModelFactory[AcademicYear]):
    class Meta:
        model = AcademicYear

    label = factory.Sequence(lambda n: f"{2000 + n}-{2001 + n}")
    starts_on = factory.LazyAttribute(lambda o: datetime.date(int(o.label[:4]), 9, 1))
    ends_on = factory.LazyAttribute(lambda o: datetime.date(int(o.label[:4]) + 1, 8, 31))


class PersonFactory(factory.django.DjangoModelFactory[Person]):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@school.test")
    first_name = factory.Sequence(lambda n: f"Prénom{n}")
    last_name = factory.Sequence(lambda n: f"Nom{n}")
    kind = PersonKind.STAFF
    password = factory.django.Password(PASSWORD)


def grant(person: Person, role: str, scope: Any = None, **extra: Any) -> RoleAssignment:
    """A role assignment written directly (the grant service is tested on its own)."""
    from amelio.processes.models import Process

    if isinstance(scope, Department):
        return RoleAssignment.objects.create(
            person=person, role=role, scope_kind=ScopeKind.DEPARTMENT, department=scope, **extra
        )
    if isinstance(scope, Process):
        return RoleAssignment.objects.create(
            person=person, role=role, scope_kind=ScopeKind.PROCESS, process=scope, **extra
        )
    return RoleAssignment.objects.create(person=person, role=role, scope_kind=ScopeKind.SCHOOL, **extra)


def school_fixture() -> dict[str, Any]:
    from amelio.processes.tests.factories import ProcessFactory

    civil = DepartmentFactory(code="GC", name="Génie Civil")
    electrical = DepartmentFactory(code="GE", name="Génie Électrique")
    quality_manager = PersonFactory(first_name="Quentin", last_name="Qualité", email="qm@school.test")
    director = PersonFactory(first_name="Diane", last_name="Directrice", email="director@school.test")
    head_civil = PersonFactory(first_name="Hugo", last_name="Civil", email="head.gc@school.test", department=civil)
    head_electrical = PersonFactory(
        first_name="Hélène", last_name="Électrique", email="head.ge@school.test", department=electrical
    )
    teacher = PersonFactory(
        first_name="Théo",
        last_name="Enseignant",
        email="teacher@school.test",
        kind=PersonKind.TEACHER,
        department=civil,
    )
    student = PersonFactory(
        first_name="Sacha", last_name="Étudiant", email="student@school.test", kind=PersonKind.STUDENT, department=civil
    )
    auditor = PersonFactory(
        first_name="Alex", last_name="Auditeur", email="auditor@school.test", kind=PersonKind.EXTERNAL
    )
    office = PersonFactory(first_name="Olivia", last_name="Stages", email="office@school.test")
    grant(office, Role.INTERNSHIP_OFFICE)
    grant(quality_manager, Role.QUALITY_MANAGER)
    grant(director, Role.DIRECTOR)
    grant(head_civil, Role.DEPARTMENT_HEAD, civil)
    grant(head_electrical, Role.DEPARTMENT_HEAD, electrical)
    grant(teacher, Role.TEACHER, civil)
    grant(student, Role.STUDENT, civil)
    grant(auditor, Role.EXTERNAL_AUDITOR, ends_on=timezone.localdate() + datetime.timedelta(days=30))
    process_civil = ProcessFactory(code="R-GC", name="Projets de génie civil", department=civil, owner=teacher)
    process_electrical = ProcessFactory(
        code="R-GE", name="Projets de génie électrique", department=electrical, owner=head_electrical
    )
    process_school = ProcessFactory(code="M-01", name="Piloter l'école", kind="management", owner=director)
    return {
        "civil": civil,
        "electrical": electrical,
        "quality_manager": quality_manager,
        "director": director,
        "head_civil": head_civil,
        "head_electrical": head_electrical,
        "teacher": teacher,
        "student": student,
        "auditor": auditor,
        "office": office,
        "process_civil": process_civil,
        "process_electrical": process_electrical,
        "process_school": process_school,
    }

"""The services: who may write what (allowed, denied, out of scope, nothing changed on
denial), every refused input with its message, the history without personal values, and
pseudonymisation through the worker leaving every figure identical."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from amelio.history.models import HistoryEntry
from amelio.indicators.computed import IndicatorScope, computed_indicators
from amelio.indicators.periods import Period
from amelio.organisation.choices import PersonKind
from amelio.organisation.tests.factories import PersonFactory, ProgrammeFactory
from amelio.students import services
from amelio.students.models import Enrolment, InsertionRecord, Student

from .factories import StudentFactory, enrol, situation, year

pytestmark = pytest.mark.django_db


def history_of(student: Student) -> list[HistoryEntry]:
    return list(HistoryEntry.objects.filter(object_id=str(student.pk), content_type__model="student").order_by("id"))


def test_the_office_records_a_student_linked_to_their_account_and_enrols_them(school: dict[str, Any]) -> None:
    programme = ProgrammeFactory(department=school["civil"])
    student = services.student_create(
        actor=school["office"],
        data={"ine": "1234567890a", "first_name": "Sacha", "last_name": "Étudiant", "email": "STUDENT@school.test"},
    )
    assert student.ine == "1234567890A" and student.person == school["student"]
    enrolment = services.enrolment_create(
        actor=school["office"],
        student=student,
        data={
            "academic_year": year(2025),
            "programme": programme,
            "year_of_study": 3,
            "entry_route": "competitive_exam",
        },
    )
    student.refresh_from_db()
    assert student.programme == programme and enrolment.outcome == "pending"
    entries = history_of(student)
    assert [entry.action for entry in entries] == ["create", "create"]
    # Names, email and INE are recorded as given, never with their values.
    assert entries[0].changes["last_name"] == ["", "•••"] and "Étudiant" not in str(entries[0].changes)
    assert entries[1].changes["year_of_study"][1]


def test_department_head_writes_in_their_department_only_nothing_changed_on_denial(school: dict[str, Any]) -> None:
    civil = ProgrammeFactory(department=school["civil"])
    electrical = ProgrammeFactory(department=school["electrical"])
    student = StudentFactory()
    enrolment = enrol(student, civil, 2025, 3)
    services.enrolment_update(actor=school["head_civil"], enrolment=enrolment, data={"outcome": "passed"})
    for actor in (school["head_electrical"], school["teacher"], school["student"], school["auditor"]):
        with pytest.raises(PermissionDenied):
            services.enrolment_update(actor=actor, enrolment=enrolment, data={"outcome": "repeating"})
        with pytest.raises(PermissionDenied):
            services.enrolment_create(
                actor=actor,
                student=student,
                data={"academic_year": year(2026), "programme": electrical, "year_of_study": 4},
            )
    enrolment.refresh_from_db()
    assert enrolment.outcome == "passed" and student.enrolments.count() == 1
    # Moving the student to another department needs the right there too.
    with pytest.raises(PermissionDenied):
        services.enrolment_create(
            actor=school["head_civil"],
            student=student,
            data={"academic_year": year(2026), "programme": electrical, "year_of_study": 4},
        )
    assert student.enrolments.count() == 1


def test_rejected_inputs_name_their_field(school: dict[str, Any]) -> None:
    programme = ProgrammeFactory(department=school["civil"])
    with pytest.raises(ValidationError) as error:
        services.student_create(actor=school["office"], data={"ine": "12", "first_name": "A", "last_name": "B"})
    assert "11 digits" in str(error.value.message_dict["ine"])
    student = StudentFactory()
    enrolment = enrol(student, programme, 2025, 3)
    with pytest.raises(ValidationError) as error:
        services.enrolment_update(actor=school["office"], enrolment=enrolment, data={"outcome": "left"})
    assert error.value.message_dict["leaving_reason"] == ["Say why the student left."]
    with pytest.raises(ValidationError) as error:
        services.enrolment_update(actor=school["office"], enrolment=enrolment, data={"outcome": "graduated"})
    assert "diploma date" in str(error.value.message_dict["diploma_on"])
    with pytest.raises(ValidationError) as error:
        services.enrolment_update(actor=school["office"], enrolment=enrolment, data={"student": StudentFactory()})
    assert "cannot be changed here" in error.value.messages[0]
    with pytest.raises(ValidationError) as error:
        services.enrolment_create(
            actor=school["office"],
            student=student,
            data={"academic_year": year(2025), "programme": programme, "year_of_study": 4},
        )
    enrolment.refresh_from_db()
    assert enrolment.outcome == "pending"
    # A situation is surveyed for graduates only, once per survey date, with its employer.
    with pytest.raises(ValidationError, match="Only a graduate"):
        services.insertion_record_create(
            actor=school["office"],
            student=student,
            data={"wave": 6, "surveyed_on": datetime.date(2027, 1, 1), "situation": "job_seeking"},
        )
    services.enrolment_update(
        actor=school["office"],
        enrolment=enrolment,
        data={"outcome": "graduated", "diploma_on": datetime.date(2026, 7, 1)},
    )
    with pytest.raises(ValidationError) as error:
        services.insertion_record_create(
            actor=school["office"],
            student=student,
            data={"wave": 6, "surveyed_on": datetime.date(2027, 1, 1), "situation": "employed"},
        )
    assert error.value.message_dict["employer_name"] == ["Name the employer of an employed graduate."]
    with pytest.raises(ValidationError) as error:
        services.insertion_record_create(
            actor=school["office"],
            student=student,
            data={
                "wave": 6,
                "surveyed_on": datetime.date(2027, 1, 1),
                "situation": "job_seeking",
                "salary_without_bonuses": Decimal(30000),
            },
        )
    assert "Only an employed graduate" in str(error.value.message_dict["situation"])
    services.insertion_record_create(
        actor=school["office"],
        student=student,
        data={"wave": 6, "surveyed_on": datetime.date(2027, 1, 1), "situation": "job_seeking"},
    )
    with pytest.raises(ValidationError) as error:
        services.insertion_record_create(
            actor=school["office"],
            student=student,
            data={"wave": 6, "surveyed_on": datetime.date(2027, 2, 1), "situation": "phd"},
        )
    assert "already recorded" in str(error.value.message_dict["wave"])
    assert InsertionRecord.objects.filter(student=student).count() == 1


def test_requirement_settings_are_the_quality_managers(school: dict[str, Any]) -> None:
    with pytest.raises(PermissionDenied):
        services.student_rules_update(actor=school["head_civil"], data={"internship_weeks": 20})
    rules = services.student_rules_update(actor=school["quality_manager"], data={"internship_weeks": 20})
    assert rules.internship_weeks == 20 and rules.mobility_weeks_student == 17


def _all_figures(years: list[int]) -> dict[tuple[str, str, int], Any]:
    from amelio.organisation.models import Department

    scopes = [IndicatorScope.school(), *(IndicatorScope.of(d) for d in Department.objects.all())]
    values = {}
    for entry in computed_indicators():
        if not entry.code.startswith("students."):
            continue
        for scope in scopes:
            for start in years:
                academic_year = year(start)
                period = Period(academic_year, "", academic_year.starts_on, academic_year.ends_on)
                values[(entry.code, scope.key, start)] = entry.compute(scope, period)
    return values


def test_pseudonymisation_after_the_retention_period_through_the_worker_keeps_every_figure(
    school: dict[str, Any],
) -> None:
    programme = ProgrammeFactory(department=school["civil"])
    old, recent, current = (StudentFactory(person=PersonFactory(kind=PersonKind.STUDENT)) for _ in range(3))
    for index, student in enumerate((old, recent)):
        enrol(student, programme, 2015 + 5 * index, 4, "passed")
        enrol(student, programme, 2016 + 5 * index, 5, "graduated", diploma_on=datetime.date(2017 + 5 * index, 7, 1))
        situation(student, salary_without_bonuses=Decimal(40000))
    enrol(current, programme, 2020, 3, "left")
    enrol(current, programme, 2021, 3)  # came back: still enrolled
    before = _all_figures([2015, 2016, 2020, 2021])
    # Retention 5 years (default) with today after 1 July 2022: only the 2017 graduate is due.
    call_command("pseudonymise_students")
    old.refresh_from_db()
    recent.refresh_from_db()
    current.refresh_from_db()
    assert old.pseudonymised_at is not None and old.person is None and old.email == ""
    assert old.first_name == "" and old.last_name.startswith("Student ") and len(old.ine) == 11
    assert recent.pseudonymised_at is None and current.pseudonymised_at is None
    assert _all_figures([2015, 2016, 2020, 2021]) == before
    entry = history_of(old)[-1]
    assert entry.reason == "Personal data pseudonymised after the retention period."
    assert entry.changes["email"] == ["•••", ""] and "school.test" not in str(entry.changes)
    assert Enrolment.objects.filter(student=old).count() == 2
    with pytest.raises(ValidationError):
        services.student_pseudonymise(actor=school["quality_manager"], student=old)
    with pytest.raises(PermissionDenied):
        services.student_pseudonymise(actor=school["head_civil"], student=recent)
    recent.refresh_from_db()
    assert recent.pseudonymised_at is None

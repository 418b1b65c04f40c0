"""Writes on students' records: each through its service, checked, with its history in the
same transaction (the student's page shows it). Personal values (names, email, INE,
salaries) are never copied into the history: it records that they changed, not what they
were, so that pseudonymisation leaves nothing behind."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from amelio.core import clock
from amelio.core.concurrency import check_version
from amelio.core.permissions import require
from amelio.core.services import refuse_other_fields
from amelio.history.choices import HistoryAction
from amelio.history.services import diff, history_record, snapshot
from amelio.organisation.choices import PersonKind
from amelio.organisation.models import Person

from .choices import FINAL_OUTCOMES
from .models import EnglishCertification, Enrolment, InsertionRecord, Mobility, Student, StudentRules

# Values the history records as changed without saying what they were.
PERSONAL_FIELDS = frozenset(
    {"ine", "first_name", "last_name", "email", "person", "salary_without_bonuses", "salary_with_bonuses"}
)
MASK = "•••"


def _masked(changes: dict[str, list[str]]) -> dict[str, list[str]]:
    return {
        name: [MASK if old else "", MASK if new else ""] if name in PERSONAL_FIELDS else [old, new]
        for name, (old, new) in changes.items()
    }


def _create(*, model: type[models.Model], data: dict[str, Any], actor: Any, target: models.Model | None = None) -> Any:
    instance = model(**data)
    instance.full_clean()
    instance.save()
    after = snapshot(instance, [name for name in data if name != "student"])
    changes = {name: ["", value] for name, value in after.items() if value != ""}
    history_record(instance=instance, action=HistoryAction.CREATE, actor=actor, changes=_masked(changes), target=target)
    return instance


def _update(
    *,
    instance: models.Model,
    data: dict[str, Any],
    actor: Any,
    version: str | None,
    target: models.Model | None = None,
    reason: str = "",
    versioned: Iterable[str] | None = None,
) -> dict[str, list[str]]:
    allowed = instance.editable_fields  # type: ignore[attr-defined]
    refuse_other_fields(data, allowed)
    if version:
        locked = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
        check_version(locked, version, allowed if versioned is None else versioned)
    before = snapshot(instance, data)
    for name, value in data.items():
        setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    changes = diff(before, snapshot(instance, data))
    if changes:
        history_record(
            instance=instance,
            action=HistoryAction.UPDATE,
            actor=actor,
            changes=_masked(changes),
            target=target,
            reason=reason,
        )
    return changes


def _account_for(email: str) -> Person | None:
    """The student's account, when the school already knows them (as an intern, say): the
    record is linked to it rather than a second person being made."""
    if not email:
        return None
    return (
        Person.objects.filter(email=email.strip().lower(), kind=PersonKind.STUDENT, student_record__isnull=True)
        .order_by("pk")
        .first()
    )


@transaction.atomic
def student_create(*, actor: Any, data: dict[str, Any]) -> Student:
    """A student's record. `programme` (optional) is where their first enrolment will be;
    the actor must write students' records there."""
    require(actor, "students.manage", data.get("programme"))
    data = {**data, "email": (data.get("email") or "").strip().lower(), "ine": (data.get("ine") or "").strip().upper()}
    if "person" not in data:
        data["person"] = _account_for(data["email"])
    return _create(model=Student, data=data, actor=actor)  # type: ignore[no-any-return]


@transaction.atomic
def student_update(
    *, actor: Any, student: Student, data: dict[str, Any], version: str | None = None
) -> dict[str, list[str]]:
    require(actor, "students.manage", student)
    if "email" in data:
        data = {**data, "email": data["email"].strip().lower()}
    return _update(instance=student, data=data, actor=actor, version=version)


def _follow_programme(student: Student) -> None:
    """The student is seen by the department of their latest enrolment."""
    latest = student.enrolments.select_related("programme").order_by("-academic_year__starts_on").first()
    programme_id = latest.programme_id if latest is not None else None
    if student.programme_id != programme_id:
        Student.objects.filter(pk=student.pk).update(programme_id=programme_id)
        student.programme_id = programme_id
        student.programme = latest.programme if latest is not None else None


@transaction.atomic
def enrolment_create(*, actor: Any, student: Student, data: dict[str, Any]) -> Enrolment:
    """A year at the school. The actor must write records both where the student is seen
    today and in the programme of the year."""
    require(actor, "students.manage", data.get("programme"))
    if student.programme_id is not None:
        require(actor, "students.manage", student)
    enrolment: Enrolment = _create(model=Enrolment, data={**data, "student": student}, actor=actor, target=student)
    _follow_programme(student)
    return enrolment


@transaction.atomic
def enrolment_update(
    *, actor: Any, enrolment: Enrolment, data: dict[str, Any], version: str | None = None
) -> dict[str, list[str]]:
    """The year's outcome (passed, repeating, left with its reason, graduated with the
    diploma's date), or a correction of the enrolment."""
    require(actor, "students.manage", enrolment.student)
    if "programme" in data:
        require(actor, "students.manage", data["programme"])
    changes = _update(instance=enrolment, data=data, actor=actor, version=version, target=enrolment.student)
    _follow_programme(enrolment.student)
    return changes


@transaction.atomic
def mobility_create(*, actor: Any, student: Student, data: dict[str, Any]) -> Mobility:
    require(actor, "students.manage", student)
    internship = data.get("internship")
    if internship is not None and internship.student_id != student.person_id:
        raise ValidationError({"internship": _("This agreement is another student's.")})
    return _create(  # type: ignore[no-any-return]
        model=Mobility, data={**data, "student": student}, actor=actor, target=student
    )


@transaction.atomic
def english_certification_create(*, actor: Any, student: Student, data: dict[str, Any]) -> EnglishCertification:
    require(actor, "students.manage", student)
    return _create(  # type: ignore[no-any-return]
        model=EnglishCertification, data={**data, "student": student}, actor=actor, target=student
    )


def _refuse_non_graduate(student: Student) -> None:
    if not student.enrolments.filter(outcome="graduated").exists():
        raise ValidationError(_("Only a graduate's situation is surveyed."))


@transaction.atomic
def insertion_record_create(*, actor: Any, student: Student, data: dict[str, Any]) -> InsertionRecord:
    """A graduate's situation at one survey date (6, 18 or 30 months after graduation)."""
    require(actor, "students.manage", student)
    _refuse_non_graduate(student)
    if InsertionRecord.objects.filter(student=student, wave=data.get("wave") or 0).exists():
        raise ValidationError({"wave": _("This graduate's situation at this date is already recorded.")})
    return _create(  # type: ignore[no-any-return]
        model=InsertionRecord, data={**data, "student": student}, actor=actor, target=student
    )


@transaction.atomic
def insertion_record_update(
    *, actor: Any, record: InsertionRecord, data: dict[str, Any], version: str | None = None, reason: str = ""
) -> dict[str, list[str]]:
    """The version covers the fields handed in: a form that leaves out the salaries (for
    someone who may not see them) neither reveals them in its version nor conflicts on them."""
    require(actor, "students.manage", record.student)
    return _update(
        instance=record,
        data=data,
        actor=actor,
        version=version,
        target=record.student,
        reason=reason,
        versioned=tuple(data),
    )


@transaction.atomic
def student_rules_update(*, actor: Any, data: dict[str, Any], version: str | None = None) -> StudentRules:
    require(actor, "students.configure")
    found = StudentRules.objects.select_for_update().order_by("pk").first()
    if found is None:
        found = _create(model=StudentRules, data={}, actor=actor)
    _update(instance=found, data=data, actor=actor, version=version)
    return found  # type: ignore[no-any-return]


# Pseudonymisation ---------------------------------------------------------------------------


def left_on(student: Student) -> datetime.date | None:
    """The day the student left the school: the end of the year of their final outcome."""
    enrolments = sorted(student.enrolments.all(), key=lambda enrolment: enrolment.academic_year.starts_on)
    if not enrolments or enrolments[-1].outcome not in FINAL_OUTCOMES:
        return None
    last = enrolments[-1]
    return last.diploma_on or last.academic_year.ends_on


def students_due_for_pseudonymisation(*, today: datetime.date, retention_years: int) -> list[Student]:
    candidates = (
        Student.objects.filter(pseudonymised_at__isnull=True, enrolments__outcome__in=FINAL_OUTCOMES)
        .distinct()
        .prefetch_related("enrolments__academic_year")
    )
    due = []
    for student in candidates:
        left = left_on(student)
        if left is not None and _years_after(left, retention_years) <= today:
            due.append(student)
    return due


def _years_after(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def pseudonym(student: Student) -> str:
    """Stable, and says nothing of the student: a digest of the row's key alone."""
    return hashlib.sha256(f"amelio-student-{student.pk}".encode()).hexdigest()[:10].upper()


@transaction.atomic
def student_pseudonymise(*, actor: Any, student: Student) -> Student:
    """Replaces the student's personal fields and unlinks their account; enrolments,
    outcomes, stays abroad, tests and situations stay, so every figure is unchanged."""
    require(actor, "students.pseudonymise", student)
    student = Student.objects.select_for_update().get(pk=student.pk)
    if student.pseudonymised_at is not None:
        raise ValidationError(_("This student's record is already pseudonymised."))
    code = pseudonym(student)
    before = snapshot(student, ["ine", "first_name", "last_name", "email", "person"])
    student.ine = ("P" + code)[:11].ljust(11, "0")
    student.first_name = ""
    student.last_name = _("Student %(code)s") % {"code": code}
    student.email = ""
    student.person = None
    student.pseudonymised_at = clock.now()
    student.save()
    history_record(
        instance=student,
        action=HistoryAction.UPDATE,
        actor=actor,
        changes=_masked(diff(before, snapshot(student, ["ine", "first_name", "last_name", "email", "person"]))),
        reason=_("Personal data pseudonymised after the retention period."),
    )
    return student


def students_pseudonymise_due(*, actor: Any, today: datetime.date | None = None) -> int:
    """Every student whose retention period is over; run by the worker."""
    from .requirements import rules

    today = today or clock.today()
    count = 0
    for student in students_due_for_pseudonymisation(today=today, retention_years=rules().retention_years):
        student_pseudonymise(actor=actor, student=student)
        count += 1
    return count

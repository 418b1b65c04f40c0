"""Who may see and write students' records. Staff see the students of their scope; a
student sees their own record; auditors see aggregates only; graduates' individual salaries
are for the quality manager alone."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q

from amelio.core.permissions import rule, scope
from amelio.organisation.choices import Role
from amelio.organisation.models import Department, Programme
from amelio.organisation.permissions import UserRoles

# Roles that see every student of their scope (the school or a department).
RECORD_READERS = (Role.QUALITY_MANAGER, Role.DIRECTOR, Role.INTERNSHIP_OFFICE, Role.DEPARTMENT_HEAD)
# Roles that write students' records in their scope.
RECORD_WRITERS = (Role.QUALITY_MANAGER, Role.INTERNSHIP_OFFICE, Role.DEPARTMENT_HEAD)


def department_of(obj: Any) -> int | None:
    if obj is None:
        return None
    if isinstance(obj, Department):
        return obj.pk
    if isinstance(obj, Programme):
        return obj.department_id
    programme = getattr(obj, "programme", None)
    if programme is not None:
        return int(programme.department_id)
    student = getattr(obj, "student", None)
    return department_of(student) if student is not None else None


def _in_scope(roles: UserRoles, obj: Any, role_names: tuple[str, ...]) -> bool:
    if roles.has_school_wide(*role_names):
        return True
    department_id = department_of(obj)
    return department_id is not None and department_id in roles.departments_for(*role_names)


def _own(roles: UserRoles, obj: Any) -> bool:
    student = getattr(obj, "student", obj)
    person_id = getattr(student, "person_id", None)
    return person_id is not None and person_id == roles.user.pk


@rule("students.view_list")
def view_list(roles: UserRoles, obj: Any) -> bool:
    return roles.has_anywhere(*RECORD_READERS)


@rule("students.view")
def view(roles: UserRoles, obj: Any) -> bool:
    return _own(roles, obj) or _in_scope(roles, obj, RECORD_READERS)


@rule("students.own_record")
def own_record(roles: UserRoles, obj: Any) -> bool:
    """The 'my record' entry: students (the page itself finds their record, or 404);
    asked on every page, so it reads no table."""
    return getattr(roles.user, "kind", "") == "student"


@rule("students.manage")
def manage(roles: UserRoles, obj: Any) -> bool:
    """Enrolments, outcomes, stays abroad, English tests, graduates' situations. Without an
    object: whether the person writes students' records anywhere."""
    if obj is None:
        return roles.has_anywhere(*RECORD_WRITERS)
    return _in_scope(roles, obj, RECORD_WRITERS)


@rule("students.view_at_risk")
def view_at_risk(roles: UserRoles, obj: Any) -> bool:
    if obj is None:
        return roles.has_anywhere(*RECORD_READERS)
    return _in_scope(roles, obj, RECORD_READERS)


@rule("students.view_figures")
def view_figures(roles: UserRoles, obj: Any) -> bool:
    """Aggregates only, with small groups hidden: every staff member, auditors included."""
    return roles.sees_staff_pages


@rule("students.view_salaries")
def view_salaries(roles: UserRoles, obj: Any) -> bool:
    """A graduate's own salary, and groups under the minimum size: the quality manager only."""
    return roles.is_quality_manager


@rule("students.configure")
def configure(roles: UserRoles, obj: Any) -> bool:
    return roles.is_quality_manager


@rule("students.pseudonymise")
def pseudonymise(roles: UserRoles, obj: Any) -> bool:
    return roles.is_quality_manager


def _visible_filter(roles: UserRoles, prefix: str) -> Q | None:
    """None: every row; otherwise the rows of the user's departments and their own."""
    if roles.has_school_wide(*RECORD_READERS):
        return None
    departments = roles.departments_for(*RECORD_READERS)
    return Q(**{f"{prefix}programme__department__in": departments}) | Q(**{f"{prefix}person_id": roles.user.pk})


@scope("students.student")
def visible_students(roles: UserRoles, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
    condition = _visible_filter(roles, "")
    return queryset if condition is None else queryset.filter(condition)


def _through_student(roles: UserRoles, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
    condition = _visible_filter(roles, "student__")
    return queryset if condition is None else queryset.filter(condition)


for _label in ("students.enrolment", "students.mobility", "students.englishcertification", "students.insertionrecord"):
    scope(_label)(_through_student)


@scope("students.studentrules")
def visible_rules(roles: UserRoles, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
    return queryset if roles.sees_staff_pages else queryset.none()

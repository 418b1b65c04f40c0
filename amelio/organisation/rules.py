"""Permission rules and visibility scopes of the organisation app."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q

from amelio.core.permissions import rule, scope

from .choices import PersonKind, Role, ScopeKind
from .permissions import UserRoles

# Roles a department head may grant, and only within their own department.
DEPARTMENT_GRANTABLE_ROLES = {Role.TEACHER, Role.STUDENT, Role.INTERNAL_AUDITOR}
SCHOOL_READERS = (Role.QUALITY_MANAGER, Role.DIRECTOR, Role.INTERNAL_AUDITOR, Role.EXTERNAL_AUDITOR)


@rule("organisation.view_staff_pages")
def view_staff_pages(roles: UserRoles, obj: Any) -> bool:
    return roles.sees_staff_pages


@rule("organisation.manage_structure")
def manage_structure(roles: UserRoles, obj: Any) -> bool:
    """Departments, academic years and the school itself."""
    return roles.has_school_wide(Role.QUALITY_MANAGER, Role.DIRECTOR)


@rule("organisation.change_programme")
def change_programme(roles: UserRoles, programme_or_department: Any) -> bool:
    if roles.has_school_wide(Role.QUALITY_MANAGER, Role.DIRECTOR):
        return True
    department_id = getattr(programme_or_department, "department_id", None)
    if department_id is None and programme_or_department is not None and hasattr(programme_or_department, "code"):
        department_id = getattr(programme_or_department, "pk", None)
    return department_id is not None and Role.DEPARTMENT_HEAD in {
        g.role for g in roles.grants if g.department_id == department_id
    }


@rule("organisation.view_people")
def view_people(roles: UserRoles, obj: Any) -> bool:
    return roles.sees_staff_pages


@rule("organisation.view_person")
def view_person(roles: UserRoles, person: Any) -> bool:
    """Anyone's own page; other people's pages from the staff side (within `visible_people`)."""
    return roles.sees_staff_pages or (person is not None and person.pk == roles.user.pk)


@rule("organisation.change_person")
def change_person(roles: UserRoles, person: Any) -> bool:
    """Quality manager: anyone; department head: the people of their department."""
    if roles.is_quality_manager:
        return True
    department_id = getattr(person, "department_id", None)
    return department_id is not None and department_id in roles.departments_for(Role.DEPARTMENT_HEAD)


@rule("organisation.add_person")
def add_person(roles: UserRoles, department: Any) -> bool:
    if roles.is_quality_manager:
        return True
    return department is not None and department.pk in roles.departments_for(Role.DEPARTMENT_HEAD)


@rule("organisation.grant_role")
def grant_role(roles: UserRoles, assignment: Any) -> bool:
    """Quality manager: any role anywhere. Department head: teacher, student and internal
    auditor roles within their own department only."""
    if roles.is_quality_manager:
        return True
    if assignment is None:
        return bool(roles.departments_for(Role.DEPARTMENT_HEAD))
    return (
        assignment.role in DEPARTMENT_GRANTABLE_ROLES
        and assignment.scope_kind == ScopeKind.DEPARTMENT
        and assignment.department_id in roles.departments_for(Role.DEPARTMENT_HEAD)
    )


@rule("organisation.view_roles")
def view_roles(roles: UserRoles, obj: Any) -> bool:
    return roles.sees_staff_pages


@scope("organisation.person")
def visible_people(roles: UserRoles, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
    """School readers and the internship office see everyone; other staff see the staff
    directory plus, for a department head, the students of their department; a student
    sees only themself."""
    if roles.has_school_wide(*SCHOOL_READERS, Role.INTERNSHIP_OFFICE):
        return queryset
    if not roles.sees_staff_pages:
        return queryset.filter(pk=roles.user.pk)
    departments = roles.departments_for(Role.DEPARTMENT_HEAD, Role.INTERNSHIP_OFFICE, Role.DIRECTOR)
    return queryset.filter(~Q(kind=PersonKind.STUDENT) | Q(department__in=departments) | Q(pk=roles.user.pk))


@scope("organisation.roleassignment")
def visible_role_assignments(roles: UserRoles, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
    if roles.has_school_wide(*SCHOOL_READERS):
        return queryset
    if not roles.sees_staff_pages:
        return queryset.filter(person_id=roles.user.pk)
    departments = roles.departments_for(Role.DEPARTMENT_HEAD)
    return queryset.filter(
        ~Q(person__kind=PersonKind.STUDENT) | Q(department__in=departments) | Q(person_id=roles.user.pk)
    )


@scope("organisation.department")
def visible_departments(roles: UserRoles, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
    return queryset if roles.sees_staff_pages else queryset.none()


@scope("organisation.programme")
def visible_programmes(roles: UserRoles, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
    return queryset if roles.sees_staff_pages else queryset.none()


@scope("organisation.academicyear")
def visible_academic_years(roles: UserRoles, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
    return queryset if roles.sees_staff_pages else queryset.none()


@scope("organisation.school")
def visible_school(roles: UserRoles, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
    return queryset if roles.sees_staff_pages else queryset.none()

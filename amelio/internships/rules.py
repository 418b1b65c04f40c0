"""Who may see and move internship agreements."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q

from amelio.core.permissions import rule, scope
from amelio.organisation.choices import Role
from amelio.organisation.permissions import UserRoles

from .choices import EDITABLE_BY_OFFICE_STATUSES, EDITABLE_BY_STUDENT_STATUSES, REPORT_STATUSES

READERS = (Role.QUALITY_MANAGER, Role.DIRECTOR, Role.INTERNAL_AUDITOR, Role.EXTERNAL_AUDITOR)


def _department_of(internship: Any) -> int | None:
    return internship.programme.department_id if internship.programme_id else None


def is_office_for(roles: UserRoles, internship: Any) -> bool:
    """The internship office of the whole school, or of the programme's department."""
    if roles.has_school_wide(Role.INTERNSHIP_OFFICE):
        return True
    return _department_of(internship) in roles.departments_for(Role.INTERNSHIP_OFFICE)


@rule("internships.list")
def list_internships(roles: UserRoles, obj: Any) -> bool:
    # Everyone signed in: a student sees their own, a tutor theirs, the office its scope.
    return True


@rule("internships.create")
def create(roles: UserRoles, obj: Any) -> bool:
    """A student drafts their own agreement; the office drafts for a student."""
    return roles.has_anywhere(Role.INTERNSHIP_OFFICE) or getattr(roles.user, "kind", "") == "student"


@rule("internships.view")
def view(roles: UserRoles, internship: Any) -> bool:
    if roles.has_school_wide(*READERS) or is_office_for(roles, internship):
        return True
    if internship.student_id == roles.user.pk or internship.academic_tutor_id == roles.user.pk:
        return True
    return _department_of(internship) in roles.departments_for(Role.DEPARTMENT_HEAD, Role.DIRECTOR)


@rule("internships.edit")
def edit(roles: UserRoles, internship: Any) -> bool:
    """The student while it is a draft; the office until it is validated."""
    if internship.status in EDITABLE_BY_STUDENT_STATUSES and internship.student_id == roles.user.pk:
        return True
    return internship.status in EDITABLE_BY_OFFICE_STATUSES and is_office_for(roles, internship)


@rule("internships.office")
def office(roles: UserRoles, internship: Any) -> bool:
    """Check, send back, record signatures, start, cancel, send evaluation links."""
    return is_office_for(roles, internship)


@rule("internships.record_archive")
def record_archive(roles: UserRoles, internship: Any) -> bool:
    """Take a past internship from the archives: the office of its programme's department."""
    return is_office_for(roles, internship)


@rule("internships.validate")
def validate(roles: UserRoles, internship: Any) -> bool:
    """Validation is the head of the programme's department."""
    return _department_of(internship) in roles.departments_for(Role.DEPARTMENT_HEAD)


@rule("internships.follow")
def follow(roles: UserRoles, internship: Any) -> bool:
    """Milestones and the end of the internship: the office and the academic tutor."""
    return is_office_for(roles, internship) or internship.academic_tutor_id == roles.user.pk


@rule("internships.follow_or_own")
def follow_or_own(roles: UserRoles, internship: Any) -> bool:
    """The internship's student, and those who follow it."""
    return internship.student_id == roles.user.pk or follow(roles, internship)


@rule("internships.add_report")
def add_report(roles: UserRoles, internship: Any) -> bool:
    """The internship's reports: its student, and those who follow it, once it is under way."""
    return internship.status in REPORT_STATUSES and follow_or_own(roles, internship)


@scope("internships.internship")
def visible_internships(roles: UserRoles, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
    if roles.has_school_wide(*READERS, Role.INTERNSHIP_OFFICE):
        return queryset
    departments = roles.departments_for(Role.INTERNSHIP_OFFICE, Role.DEPARTMENT_HEAD, Role.DIRECTOR)
    return queryset.filter(
        Q(student_id=roles.user.pk) | Q(academic_tutor_id=roles.user.pk) | Q(programme__department__in=departments)
    )


@scope("internships.milestone")
def visible_milestones(roles: UserRoles, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
    from .models import Internship

    return queryset.filter(internship__in=visible_internships(roles, Internship.objects.all()).values("pk"))


@scope("internships.legalfigure")
def visible_figures(roles: UserRoles, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
    return queryset if roles.sees_staff_pages else queryset.none()

"""Who may see and manage companies, agreements and interventions."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models

from amelio.core.permissions import rule, scope
from amelio.organisation.choices import Role
from amelio.organisation.permissions import UserRoles

from .choices import EDITABLE_AGREEMENT_STATUSES

MANAGERS = (Role.QUALITY_MANAGER, Role.DIRECTOR, Role.INTERNSHIP_OFFICE)


@rule("partners.view_companies")
def view_companies(roles: UserRoles, obj: Any) -> bool:
    return roles.sees_staff_pages


@rule("partners.manage_companies")
def manage_companies(roles: UserRoles, obj: Any) -> bool:
    """Companies and contacts are kept by the internship & company-relations office (any
    scope) and the school's management."""
    return roles.has_school_wide(*MANAGERS) or roles.has_anywhere(Role.INTERNSHIP_OFFICE)


@rule("partners.manage_agreement")
def manage_agreement(roles: UserRoles, agreement: Any) -> bool:
    """The office and management; a department head for an agreement of their department."""
    if manage_companies(roles, agreement):
        return True
    if agreement is None or agreement.pk is None:
        return bool(roles.departments_for(Role.DEPARTMENT_HEAD))
    headed = roles.departments_for(Role.DEPARTMENT_HEAD)
    return any(department.pk in headed for department in agreement.departments.all())


@rule("partners.edit_agreement")
def edit_agreement(roles: UserRoles, agreement: Any) -> bool:
    """The content of an agreement changes until it is signed, by those who manage it."""
    return agreement.status in EDITABLE_AGREEMENT_STATUSES and manage_agreement(roles, agreement)


@rule("partners.assign_departments")
def assign_departments(roles: UserRoles, departments: Iterable[Any] | None) -> bool:
    """May the user put an agreement on, or take it off, these departments? A department
    head only their own; the office and management any."""
    if manage_companies(roles, None):
        return True
    headed = roles.departments_for(Role.DEPARTMENT_HEAD)
    return all(department.pk in headed for department in departments or ())


@rule("partners.manage_interventions")
def manage_interventions(roles: UserRoles, intervention: Any) -> bool:
    if manage_companies(roles, intervention):
        return True
    department_id = getattr(intervention, "department_id", None)
    if department_id is None:
        return bool(roles.departments_for(Role.DEPARTMENT_HEAD))
    return department_id in roles.departments_for(Role.DEPARTMENT_HEAD)


@rule("partners.manage_teaching_volume")
def manage_teaching_volume(roles: UserRoles, programme: Any) -> bool:
    """A programme's total teaching hours: the office and management, or the head of the
    programme's department."""
    if manage_companies(roles, programme):
        return True
    department_id = getattr(programme, "department_id", None)
    if department_id is None:
        return bool(roles.departments_for(Role.DEPARTMENT_HEAD))
    return department_id in roles.departments_for(Role.DEPARTMENT_HEAD)


def _staff_only(roles: UserRoles, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
    return queryset if roles.sees_staff_pages else queryset.none()


for _label in (
    "partners.company",
    "partners.site",
    "partners.contact",
    "partners.partnershipagreement",
    "partners.intervention",
    "partners.teachingvolume",
):
    scope(_label)(_staff_only)

"""Permission rules and visibility scopes of the process map."""

from __future__ import annotations

from typing import Any

from django.db import models

from amelio.core.permissions import rule, scope
from amelio.organisation.choices import Role
from amelio.organisation.permissions import UserRoles
from amelio.standards.access import auditor_scope


@rule("processes.view_process")
def view_process(roles: UserRoles, process: Any) -> bool:
    # The map is shared knowledge: everyone on the staff side knows the processes; an
    # external auditor only those of their open accesses (standards/access.py).
    narrowed = auditor_scope(roles)
    if narrowed is None:
        return roles.sees_staff_pages
    if process is None or process._meta.label_lower != "processes.process":
        return bool(narrowed.process_ids)
    return process.pk in narrowed.process_ids


@rule("processes.add_process")
def add_process(roles: UserRoles, obj: Any) -> bool:
    return roles.is_quality_manager


@rule("processes.change_process")
def change_process(roles: UserRoles, process: Any) -> bool:
    """Quality manager; the process's owner (pilote) or a co-owner by role; the head of the
    department the process belongs to."""
    if roles.is_quality_manager:
        return True
    if process is None:
        return False
    if process.owner_id == roles.user.pk:
        return True
    if process.pk is not None and roles.has(Role.PROCESS_OWNER, process_id=process.pk):
        return True
    return process.department_id is not None and process.department_id in roles.departments_for(Role.DEPARTMENT_HEAD)


@rule("processes.manage_context")
def manage_context(roles: UserRoles, obj: Any) -> bool:
    """Context issues and interested parties (4.1, 4.2)."""
    return roles.has_school_wide(Role.QUALITY_MANAGER, Role.DIRECTOR)


@rule("processes.write_statement")
def write_statement(roles: UserRoles, obj: Any) -> bool:
    return roles.has_school_wide(Role.QUALITY_MANAGER, Role.DIRECTOR)


@rule("processes.approve_statement")
def approve_statement(roles: UserRoles, obj: Any) -> bool:
    # The scope and the policy are top management's commitment (clause 5.1).
    return roles.has_school_wide(Role.DIRECTOR)


def _staff_only(roles: UserRoles, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
    return queryset if roles.sees_staff_pages else queryset.none()


@scope("processes.process")
def visible_processes(roles: UserRoles, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
    narrowed = auditor_scope(roles)
    if narrowed is None:
        return _staff_only(roles, queryset)
    return queryset.filter(pk__in=narrowed.process_ids)


for _label in (
    "processes.processinteraction",
    "processes.activity",
    "processes.raciassignment",
    "processes.contextissue",
    "processes.interestedparty",
    "processes.statement",
):
    scope(_label)(_staff_only)

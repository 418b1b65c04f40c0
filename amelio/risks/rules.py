"""Who may see and manage the risk register: the quality manager everything; a process
owner the risks of their processes; a department head those of their department's
processes; the staff side reads (auditors included, read-only); students nothing."""

from __future__ import annotations

from typing import Any

from django.db import models

from amelio.core.permissions import rule, scope
from amelio.organisation.choices import Role
from amelio.organisation.permissions import UserRoles


def manages_process_risks(roles: UserRoles, process: Any) -> bool:
    if roles.is_quality_manager:
        return True
    if process is None:
        return False
    if process.owner_id == roles.user.pk or roles.has(Role.PROCESS_OWNER, process_id=process.pk):
        return True
    return process.department_id is not None and process.department_id in roles.departments_for(Role.DEPARTMENT_HEAD)


@rule("risks.view_risk")
def view_risk(roles: UserRoles, risk: Any) -> bool:
    return roles.sees_staff_pages


@rule("risks.add_risk")
def add_risk(roles: UserRoles, target: Any) -> bool:
    """Record a risk: on a process one manages; without a process (the register's button),
    anyone who manages the risks of some process."""
    if roles.is_quality_manager:
        return True
    process = getattr(target, "process", None) if target is not None else None
    if process is not None:
        return manages_process_risks(roles, process)
    if target is not None and getattr(target, "process_id", None) is not None:
        return False
    from amelio.processes.models import Process

    return (
        bool(roles.processes_for(Role.PROCESS_OWNER))
        or bool(roles.departments_for(Role.DEPARTMENT_HEAD))
        or Process.objects.filter(owner_id=roles.user.pk).exists()
    )


@rule("risks.manage_risk")
def manage_risk(roles: UserRoles, risk: Any) -> bool:
    """Edit, plan actions, treat, close, reopen."""
    return manages_process_risks(roles, risk.process)


@rule("risks.raise_item")
def raise_item(roles: UserRoles, risk: Any) -> bool:
    """Raise an improvement item that carries out the risk's treatment: its owner, and those
    who manage the risks of its process (process owner, department head, quality manager)."""
    return risk.owner_id == roles.user.pk or manages_process_risks(roles, risk.process)


@rule("risks.review_risk")
def review_risk(roles: UserRoles, risk: Any) -> bool:
    """Record a review: those who manage the risk, and its owner, who is reminded of it."""
    return risk.owner_id == roles.user.pk or manages_process_risks(roles, risk.process)


@rule("risks.configure_scale")
def configure_scale(roles: UserRoles, scale: Any) -> bool:
    return roles.is_quality_manager


@scope("risks.risk")
def visible_risks(roles: UserRoles, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
    return queryset if roles.sees_staff_pages else queryset.none()


@scope("risks.riskscale")
def visible_scales(roles: UserRoles, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
    return queryset if roles.sees_staff_pages else queryset.none()

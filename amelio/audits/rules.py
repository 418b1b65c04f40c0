"""Who may see and do what with audits: the quality manager plans (programmes, audits,
closing, cancelling); the lead auditor conducts their audit; the lead and the team answer
its checklist and record its findings (the quality manager records an external body's);
the process owner and the department head see the audits of their processes and
departments; the management team and the auditors read them all; students nothing."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q

from amelio.core.permissions import rule, scope
from amelio.organisation.choices import Role
from amelio.organisation.permissions import UserRoles

# Read every audit of the school (held school-wide).
SCHOOL_READERS = (Role.QUALITY_MANAGER, Role.DIRECTOR, Role.INTERNAL_AUDITOR, Role.EXTERNAL_AUDITOR)


def _audits_member(roles: UserRoles, audit: Any) -> bool:
    """Leads or sits in the team of this audit."""
    user_id = roles.user.pk
    if audit.lead_auditor_id == user_id:
        return True
    return audit.pk is not None and any(person.pk == user_id for person in audit.team.all())


def _concerned(roles: UserRoles, audit: Any) -> bool:
    """Owns one of its processes, or heads one of its departments (or a process's)."""
    if audit.pk is None:
        return False
    owned = roles.processes_for(Role.PROCESS_OWNER)
    headed = roles.departments_for(Role.DEPARTMENT_HEAD)
    for process in audit.processes.all():
        if process.owner_id == roles.user.pk or process.pk in owned or process.department_id in headed:
            return True
    return any(department.pk in headed for department in audit.departments.all())


@rule("audits.view_audits")
def view_audits(roles: UserRoles, target: Any) -> bool:
    """The programme and the audit list (each list narrowed by the scope below)."""
    return roles.sees_staff_pages


@rule("audits.view_audit")
def view_audit(roles: UserRoles, audit: Any) -> bool:
    if not roles.sees_staff_pages:
        return False
    if roles.has_school_wide(*SCHOOL_READERS):
        return True
    return _audits_member(roles, audit) or _concerned(roles, audit)


@rule("audits.plan_audit")
def plan_audit(roles: UserRoles, target: Any) -> bool:
    """Programmes, audits and their scope, closing and cancelling."""
    return roles.is_quality_manager


@rule("audits.conduct_audit")
def conduct_audit(roles: UserRoles, audit: Any) -> bool:
    """Start the audit and issue its report: its lead auditor, or the quality manager."""
    return roles.is_quality_manager or (audit.lead_auditor_id is not None and audit.lead_auditor_id == roles.user.pk)


@rule("audits.answer_checklist")
def answer_checklist(roles: UserRoles, audit: Any) -> bool:
    """The auditors of this audit, and they alone: they saw the evidence."""
    return _audits_member(roles, audit)


@rule("audits.record_finding")
def record_finding(roles: UserRoles, audit: Any) -> bool:
    """An internal audit's auditors; the quality manager writes down an external body's."""
    if audit.is_external:
        return roles.is_quality_manager
    return _audits_member(roles, audit)


@rule("audits.view_finding")
def view_finding(roles: UserRoles, finding: Any) -> bool:
    return finding is not None and view_audit(roles, finding.audit)


@rule("audits.link_finding")
def link_finding(roles: UserRoles, finding: Any) -> bool:
    """Link a finding to the requirements it evidences: the quality manager, or whoever may
    record it."""
    return finding is not None and (roles.is_quality_manager or record_finding(roles, finding.audit))


@rule("audits.raise_item")
def raise_item(roles: UserRoles, audit: Any) -> bool:
    """Turn a finding into an improvement item: the quality manager or the lead auditor."""
    return conduct_audit(roles, audit)


def _visible_audits(roles: UserRoles) -> Q:
    from .models import Audit

    user_id = roles.user.pk
    owned = roles.processes_for(Role.PROCESS_OWNER)
    headed = roles.departments_for(Role.DEPARTMENT_HEAD)
    # pk__in subqueries rather than joins: the list stays one row per audit.
    concerned = Audit.objects.filter(
        Q(processes__owner_id=user_id)
        | Q(processes__in=owned)
        | Q(processes__department__in=headed)
        | Q(departments__in=headed)
        | Q(team__id=user_id)
    ).values("pk")
    return Q(lead_auditor_id=user_id) | Q(pk__in=concerned)


@scope("audits.audit")
def visible_audits(roles: UserRoles, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
    if not roles.sees_staff_pages:
        return queryset.none()
    if roles.has_school_wide(*SCHOOL_READERS):
        return queryset
    return queryset.filter(_visible_audits(roles))


@scope("audits.auditprogramme")
def visible_programmes(roles: UserRoles, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
    return queryset if roles.sees_staff_pages else queryset.none()


@scope("audits.finding")
def visible_findings(roles: UserRoles, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
    if not roles.sees_staff_pages:
        return queryset.none()
    if roles.has_school_wide(*SCHOOL_READERS):
        return queryset
    from .models import Audit

    return queryset.filter(audit__in=Audit.objects.filter(_visible_audits(roles)).values("pk"))

"""Who may see indicators, define them, and record their targets and values.

- Everyone on the staff side sees every indicator (the school measures itself in the open);
  auditors therefore read them, and change nothing. A student sees none.
- The quality manager defines indicators and records anything.
- An indicator's owner, and the head of its department (its process's department), set its
  targets, record its values and recompute it.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from amelio.core.permissions import rule, scope
from amelio.organisation.choices import Role
from amelio.organisation.permissions import UserRoles


@rule("indicators.view_indicator")
def view_indicator(roles: UserRoles, indicator: Any) -> bool:
    return roles.sees_staff_pages


@rule("indicators.manage_indicators")
def manage_indicators(roles: UserRoles, indicator: Any) -> bool:
    """Create an indicator and change its definition."""
    return roles.is_quality_manager


def _department_of(indicator: Any) -> int | None:
    process = indicator.process
    return process.department_id if process is not None else None


def answered_for(roles: UserRoles) -> models.Q:
    """The indicators a person answers for, as a filter: those they own, and those of the
    departments they head (the owner and department-head clauses of record_indicator, read
    as a query: their "my indicators" dashboard and home card)."""
    return models.Q(owner_id=roles.user.pk) | models.Q(
        process__department_id__in=sorted(roles.departments_for(Role.DEPARTMENT_HEAD))
    )


@rule("indicators.record_indicator")
def record_indicator(roles: UserRoles, indicator: Any) -> bool:
    """Set the targets, record values (with evidence), recompute."""
    if roles.is_quality_manager:
        return True
    if indicator is None:
        return False
    if indicator.owner_id == roles.user.pk:
        return True
    department_id = _department_of(indicator)
    return department_id is not None and department_id in roles.departments_for(Role.DEPARTMENT_HEAD)


def _staff_only(roles: UserRoles, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
    return queryset if roles.sees_staff_pages else queryset.none()


@scope("indicators.indicator")
def visible_indicators(roles: UserRoles, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
    return _staff_only(roles, queryset)


@scope("indicators.indicatorvalue")
def visible_values(roles: UserRoles, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
    return _staff_only(roles, queryset)


@scope("indicators.target")
def visible_targets(roles: UserRoles, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
    return _staff_only(roles, queryset)


# Quality objectives (ISO 9001 clause 6.2) --------------------------------------------------------
#
# Staff read them all (auditors too, changing nothing; a student sees none). The quality
# manager and the school's director manage every objective; its owner manages their own; the
# head of a department (or a director of it) those of its processes. Reopening a closed one
# is the quality manager's or the director's.


def _leads_school(roles: UserRoles) -> bool:
    return roles.is_quality_manager or roles.has_school_wide(Role.DIRECTOR)


def _heads(roles: UserRoles, process: Any) -> bool:
    department_id = process.department_id if process is not None else None
    return department_id is not None and department_id in roles.departments_for(Role.DEPARTMENT_HEAD, Role.DIRECTOR)


@rule("indicators.view_objective")
def view_objective(roles: UserRoles, objective: Any) -> bool:
    return roles.sees_staff_pages


@rule("indicators.add_objective")
def add_objective(roles: UserRoles, objective: Any) -> bool:
    """Set a new objective: the quality manager, the director, or a department head for a
    process of their department (asked without an objective: may they set any)."""
    if _leads_school(roles):
        return True
    if objective is None:
        return bool(roles.departments_for(Role.DEPARTMENT_HEAD, Role.DIRECTOR))
    return _heads(roles, objective.process)


@rule("indicators.manage_objective")
def manage_objective(roles: UserRoles, objective: Any) -> bool:
    """Change it, its measures and actions, move it along its workflow."""
    if _leads_school(roles):
        return True
    if objective is None:
        return False
    return objective.owner_id == roles.user.pk or _heads(roles, objective.process)


@rule("indicators.reopen_objective")
def reopen_objective(roles: UserRoles, objective: Any) -> bool:
    return _leads_school(roles)


@scope("indicators.objective")
def visible_objectives(roles: UserRoles, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
    return _staff_only(roles, queryset)


@scope("indicators.objectivemeasure")
def visible_measures(roles: UserRoles, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
    return _staff_only(roles, queryset)

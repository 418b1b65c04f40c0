"""Who may raise, see, move and act on improvement items and actions."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q

from amelio.core.permissions import rule, scope
from amelio.organisation.choices import Role
from amelio.organisation.permissions import UserRoles

from .choices import ACTION_STATES_OF_ITEM, CLOSED_ITEM_STATUSES, ItemStatus

SCHOOL_READERS = (Role.QUALITY_MANAGER, Role.DIRECTOR, Role.INTERNAL_AUDITOR, Role.EXTERNAL_AUDITOR)


def _owns_process(roles: UserRoles, process: Any) -> bool:
    if process is None:
        return False
    return process.owner_id == roles.user.pk or roles.has(Role.PROCESS_OWNER, process_id=process.pk)


def _heads_department(roles: UserRoles, department_id: int | None) -> bool:
    return department_id is not None and department_id in roles.departments_for(Role.DEPARTMENT_HEAD)


def manages_item(roles: UserRoles, item: Any) -> bool:
    """Accepts, analyses and acts on an item: the quality manager, the owner of the item's
    process, or, for an item tied to no process, the head of its department."""
    if roles.is_quality_manager:
        return True
    if item.process_id is not None:
        return _owns_process(roles, item.process)
    return _heads_department(roles, item.department_id)


@rule("improvement.raise_item")
def raise_item(roles: UserRoles, obj: Any) -> bool:
    # Anyone with an account, a student included, may report a problem or an idea.
    return True


@rule("improvement.raise_classified")
def raise_classified(roles: UserRoles, obj: Any) -> bool:
    """Raise an item with its ISO classification (origin, severity, clauses): the staff side
    of the school (staff, teachers, anyone holding a staff role). Students and people from
    outside report a problem or an idea in plain words, classified later (item_report)."""
    return roles.sees_staff_pages


@rule("improvement.view_item")
def view_item(roles: UserRoles, item: Any) -> bool:
    if roles.has_school_wide(*SCHOOL_READERS) or manages_item(roles, item):
        return True
    if item.raised_by_id == roles.user.pk:
        return True
    departments = roles.departments_for(Role.DEPARTMENT_HEAD, Role.DIRECTOR, Role.INTERNAL_AUDITOR)
    if item.department_id in departments:
        return True
    return item.actions.filter(owner_id=roles.user.pk).exists()


@rule("improvement.manage_item")
def manage_item(roles: UserRoles, item: Any) -> bool:
    """Accept, reject, analyse, plan actions, ask for the effectiveness check."""
    return manages_item(roles, item)


@rule("improvement.attach_to_item")
def attach_to_item(roles: UserRoles, item: Any) -> bool:
    """Add a file to an item: the person who raised it while it is new, and those who manage
    it; nobody once it is closed."""
    if item.status in CLOSED_ITEM_STATUSES:
        return False
    if item.raised_by_id == roles.user.pk and item.status in (ItemStatus.TO_CLASSIFY, ItemStatus.NEW):
        return True
    return manages_item(roles, item)


@rule("improvement.add_action_to_item")
def add_action_to_item(roles: UserRoles, item: Any) -> bool:
    """Plan an action of an item: those who manage it, while it takes actions."""
    return item.status in ACTION_STATES_OF_ITEM and manages_item(roles, item)


@rule("improvement.check_effectiveness")
def check_effectiveness(roles: UserRoles, item: Any) -> bool:
    """Closing as effective, or reopening as not effective, is the quality manager's."""
    return roles.is_quality_manager


@rule("improvement.add_standalone_action")
def add_standalone_action(roles: UserRoles, target: Any) -> bool:
    """An action of no item: the quality manager, or within a process they own or a
    department they head."""
    if roles.is_quality_manager:
        return True
    if target is None:
        return bool(roles.departments_for(Role.DEPARTMENT_HEAD)) or bool(roles.processes_for(Role.PROCESS_OWNER))
    process = getattr(target, "process", None)
    if process is not None:
        return _owns_process(roles, process)
    return _heads_department(roles, getattr(target, "department_id", None))


def manages_action(roles: UserRoles, action: Any) -> bool:
    if roles.is_quality_manager:
        return True
    if action.item_id is not None:
        return manages_item(roles, action.item)
    if action.process_id is not None:
        return _owns_process(roles, action.process)
    return _heads_department(roles, action.department_id)


@rule("improvement.manage_action")
def manage_action(roles: UserRoles, action: Any) -> bool:
    """Change the plan of an action (owner, due date) or cancel it."""
    return manages_action(roles, action)


@rule("improvement.work_on_action")
def work_on_action(roles: UserRoles, action: Any) -> bool:
    """Start, note progress, attach evidence, complete: the owner and those who manage it."""
    return action.owner_id == roles.user.pk or manages_action(roles, action)


@rule("improvement.view_action")
def view_action(roles: UserRoles, action: Any) -> bool:
    if roles.has_school_wide(*SCHOOL_READERS) or action.owner_id == roles.user.pk or manages_action(roles, action):
        return True
    return action.item_id is not None and view_item(roles, action.item)


def _item_visibility(roles: UserRoles) -> Q:
    from .models import Action

    user_id = roles.user.pk
    owned = Q(process__owner_id=user_id) | Q(process__in=roles.processes_for(Role.PROCESS_OWNER))
    departments = roles.departments_for(Role.DEPARTMENT_HEAD, Role.DIRECTOR, Role.INTERNAL_AUDITOR)
    # pk__in rather than a correlated EXISTS: the database reads the person's actions once.
    acting = Q(pk__in=Action.objects.filter(owner_id=user_id, item__isnull=False).values("item_id"))
    return owned | Q(department__in=departments) | Q(raised_by_id=user_id) | acting


@scope("improvement.improvementitem")
def visible_items(roles: UserRoles, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
    if roles.has_school_wide(*SCHOOL_READERS):
        return queryset
    return queryset.filter(_item_visibility(roles))


@scope("improvement.action")
def visible_actions(roles: UserRoles, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
    if roles.has_school_wide(*SCHOOL_READERS):
        return queryset
    user_id = roles.user.pk
    departments = roles.departments_for(Role.DEPARTMENT_HEAD, Role.DIRECTOR, Role.INTERNAL_AUDITOR)
    owned_processes = Q(process__owner_id=user_id) | Q(process__in=roles.processes_for(Role.PROCESS_OWNER))
    item_processes = Q(item__process__owner_id=user_id) | Q(item__process__in=roles.processes_for(Role.PROCESS_OWNER))
    return queryset.filter(
        Q(owner_id=user_id)
        | owned_processes
        | item_processes
        | Q(department__in=departments)
        | Q(item__department__in=departments)
        | Q(item__raised_by_id=user_id)
    )

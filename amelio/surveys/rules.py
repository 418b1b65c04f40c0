"""Who may author questionnaires, run campaigns and read their results.

The quality manager manages everything; a department head the questionnaires and campaigns
of their department, a process owner the campaigns of their process; staff read the results
of the campaigns of their scope (the school's, their department's); students only answer,
through their personal link, without an account."""

from __future__ import annotations

from typing import Any

from django.db import models

from amelio.core.permissions import can, rule, scope
from amelio.organisation.choices import Role
from amelio.organisation.permissions import UserRoles

SCHOOL_MANAGERS = (Role.QUALITY_MANAGER,)


def _headed(roles: UserRoles) -> set[int]:
    return roles.departments_for(Role.DEPARTMENT_HEAD)


def _owned_processes(roles: UserRoles) -> set[int]:
    from amelio.processes.models import Process

    return set(Process.objects.filter(owner_id=roles.user.pk).values_list("pk", flat=True))


@rule("surveys.view")
def view(roles: UserRoles, obj: Any) -> bool:
    return roles.sees_staff_pages


@rule("surveys.manage_questionnaire")
def manage_questionnaire(roles: UserRoles, questionnaire: Any) -> bool:
    if roles.has_school_wide(*SCHOOL_MANAGERS):
        return True
    if questionnaire is None:  # may they create one at all
        return bool(_headed(roles))
    return questionnaire.department_id is not None and questionnaire.department_id in _headed(roles)


@rule("surveys.manage_campaign")
def manage_campaign(roles: UserRoles, campaign: Any) -> bool:
    if roles.has_school_wide(*SCHOOL_MANAGERS):
        return True
    if campaign is None:  # may they create one at all
        return bool(_headed(roles)) or bool(_owned_processes(roles))
    if campaign.department_id is not None and campaign.department_id in _headed(roles):
        return True
    return campaign.process_id is not None and campaign.process_id in _owned_processes(roles)


@rule("surveys.view_results")
def view_results(roles: UserRoles, campaign: Any) -> bool:
    if manage_campaign(roles, campaign):
        return True
    if not roles.sees_staff_pages:
        return False
    if campaign is None:
        return True
    return campaign.department_id is None or campaign.department_id in _departments_of(roles)


@rule("surveys.raise_from_comment")
def raise_from_comment(roles: UserRoles, campaign: Any) -> bool:
    return manage_campaign(roles, campaign) and can(roles.user, "improvement.raise_item")


def _departments_of(roles: UserRoles) -> set[int]:
    own = getattr(roles.user, "department_id", None)
    found = {grant.department_id for grant in roles.grants if grant.department_id is not None}
    return found | ({own} if own else set())


@scope("surveys.questionnaire")
def questionnaires(roles: UserRoles, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
    return queryset if roles.sees_staff_pages else queryset.none()


@scope("surveys.campaign")
def campaigns(roles: UserRoles, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
    if not roles.sees_staff_pages:
        return queryset.none()
    if roles.has_school_wide(Role.QUALITY_MANAGER, Role.DIRECTOR):
        return queryset
    return queryset.filter(
        models.Q(department__isnull=True)
        | models.Q(department_id__in=_departments_of(roles))
        | models.Q(process_id__in=_owned_processes(roles))
    )

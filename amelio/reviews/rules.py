"""Who may see and conduct a management review: the quality manager prepares it (creates,
compiles, writes the notes and records the decisions); the director chairs it, writes
notes and approves it; its participants and the auditors read it; nobody else sees it."""

from __future__ import annotations

from typing import Any

from django.db import models

from amelio.core.permissions import rule, scope
from amelio.organisation.choices import Role
from amelio.organisation.permissions import UserRoles

AUDITOR_ROLES = (Role.INTERNAL_AUDITOR, Role.EXTERNAL_AUDITOR)


def _is_director(roles: UserRoles) -> bool:
    return roles.has_school_wide(Role.DIRECTOR)


def _sees_every_review(roles: UserRoles) -> bool:
    return roles.is_quality_manager or _is_director(roles) or roles.has_anywhere(*AUDITOR_ROLES)


def _takes_part(roles: UserRoles, review: Any) -> bool:
    if review.chair_id == roles.user.pk:
        return True
    return review.participants.filter(pk=roles.user.pk).exists()


@rule("reviews.view_review")
def view_review(roles: UserRoles, review: Any) -> bool:
    if not roles.sees_staff_pages:
        return False
    if review is None:  # the list: each person sees the reviews in their scope
        return True
    return _sees_every_review(roles) or _takes_part(roles, review)


@rule("reviews.add_review")
def add_review(roles: UserRoles, target: Any) -> bool:
    return roles.is_quality_manager


@rule("reviews.prepare_review")
def prepare_review(roles: UserRoles, review: Any) -> bool:
    """Edit, compile, record the decisions."""
    return roles.is_quality_manager


@rule("reviews.write_note")
def write_note(roles: UserRoles, review: Any) -> bool:
    return roles.is_quality_manager or _is_director(roles)


@rule("reviews.approve_review")
def approve_review(roles: UserRoles, review: Any) -> bool:
    return _is_director(roles)


@scope("reviews.managementreview")
def visible_reviews(roles: UserRoles, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
    if not roles.sees_staff_pages:
        return queryset.none()
    if _sees_every_review(roles):
        return queryset
    return queryset.filter(models.Q(chair_id=roles.user.pk) | models.Q(participants=roles.user.pk)).distinct()

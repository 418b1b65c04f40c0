"""Who may read the audit trail."""

from __future__ import annotations

from typing import Any

from django.db import models

from amelio.core.permissions import rule, scope
from amelio.organisation.choices import Role
from amelio.organisation.permissions import UserRoles

TRAIL_READERS = (Role.QUALITY_MANAGER, Role.INTERNAL_AUDITOR, Role.EXTERNAL_AUDITOR)


@rule("history.search_trail")
def search_trail(roles: UserRoles, obj: Any) -> bool:
    """The whole trail: the quality manager, and auditors for their evidence."""
    return roles.has_school_wide(*TRAIL_READERS)


@scope("history.historyentry")
def visible_entries(roles: UserRoles, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
    # Outside the trail readers, entries are only shown on the page of a record the user
    # may already see (the record's own selector checks that), never listed on their own.
    return queryset if roles.has_school_wide(*TRAIL_READERS) else queryset.none()

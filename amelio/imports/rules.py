from __future__ import annotations

from typing import Any

from django.db import models

from amelio.core.permissions import rule, scope
from amelio.organisation.choices import Role
from amelio.organisation.permissions import UserRoles


@rule("imports.import")
def import_files(roles: UserRoles, obj: Any) -> bool:
    """Imports write many records at once: the internship office and the quality manager."""
    return roles.has_school_wide(Role.INTERNSHIP_OFFICE, Role.QUALITY_MANAGER)


@scope("imports.importbatch")
def own_batches(roles: UserRoles, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
    if roles.is_quality_manager:
        return queryset
    return queryset.filter(created_by_id=roles.user.pk)

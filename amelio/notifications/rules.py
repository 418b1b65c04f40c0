from __future__ import annotations

from typing import Any

from django.db import models

from amelio.core.permissions import scope
from amelio.organisation.permissions import UserRoles


@scope("notifications.notification")
def own_notifications(roles: UserRoles, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
    return queryset.filter(recipient_id=roles.user.pk)

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from amelio.core.permissions import visible

from .models import Notification, Preference


def notification_list(*, user: Any) -> QuerySet[Notification]:
    return visible(user, Notification.objects.all()).order_by("-created_at", "-id")


def preference_of(*, user: Any) -> Preference:
    """The user's stored choice, or the default (not saved) when they never chose."""
    return Preference.objects.filter(person_id=user.pk).first() or Preference(person_id=user.pk)


def unread_count(*, user: Any) -> int:
    return notification_list(user=user).filter(read_at__isnull=True).count()

"""Reads of the audit trail."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from amelio.core.permissions import visible

from .models import HistoryEntry

RECORD_HISTORY_LIMIT = 100


def object_history(*, user: Any, instance: models.Model, limit: int = RECORD_HISTORY_LIMIT) -> list[HistoryEntry]:
    """The latest entries of one record. Callers show it on the record's own page, which
    its selector has already checked the user may see."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    content_type = ContentType.objects.get_for_model(instance)
    return list(
        HistoryEntry.objects.filter(content_type=content_type, object_id=str(instance.pk)).select_related(
            "actor", "content_type"
        )[:limit]
    )


def trail_search(*, user: Any) -> QuerySet[HistoryEntry]:
    """The whole trail, for those allowed to search it."""
    return visible(user, HistoryEntry.objects.select_related("actor", "content_type"))

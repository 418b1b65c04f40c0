"""The audit trail: one append-only table for every change to every record."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from amelio.core import clock

from .choices import HistoryAction


class HistoryEntryQuerySet(models.QuerySet["HistoryEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise TypeError("History entries are append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("History entries are append-only.")


class HistoryEntry(models.Model):
    """What changed, on which record, by whom and when (UTC).

    `changes` maps each changed field name to [old, new], both as display strings, so an
    entry still reads correctly after the record (or a record it pointed to) is gone.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, verbose_name=_("record type"))
    object_id = models.CharField(_("record id"), max_length=64)
    object_repr = models.CharField(_("record"), max_length=300)
    action = models.CharField(_("action"), max_length=20, choices=HistoryAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    actor_repr = models.CharField(_("name of the author"), max_length=300, blank=True)
    timestamp = models.DateTimeField(_("when"), default=clock.now, editable=False, db_index=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    objects = HistoryEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("history entry")
        verbose_name_plural = _("history entries")
        ordering = ["-timestamp", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "-timestamp"], name="history_object_idx"),
            models.Index(fields=["actor", "-timestamp"], name="history_actor_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.timestamp:%Y-%m-%d %H:%M} {self.object_repr} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # An invariant of the trail, not business logic: entries are never rewritten.
        if self.pk is not None and not kwargs.get("force_insert"):
            raise TypeError("History entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("History entries are append-only.")

    @property
    def change_rows(self) -> list[tuple[str, Any, Any]]:
        return [(field, values[0], values[1]) for field, values in (self.changes or {}).items()]

"""Shared records of the core app."""

from __future__ import annotations

from django.db import models


class ReferenceCounter(models.Model):
    """The last number given per prefix and year, so references (ST-2026-00042) never
    repeat, even when two people save at the same moment (the row is locked)."""

    prefix = models.CharField(max_length=8)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="unique_core_reference_counter")]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last_number}"

"""Clause libraries of the standards the school follows (ISO 9001:2015 first)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Framework(models.Model):
    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("framework")
        verbose_name_plural = _("frameworks")

    def __str__(self) -> str:
        return self.name


class Clause(models.Model):
    """A numbered clause (titles only: the text of the standard is not reproduced)."""

    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="clauses", verbose_name=_("framework")
    )
    number = models.CharField(_("number"), max_length=20)
    title_en = models.CharField(_("title (English)"), max_length=300)
    title_fr = models.CharField(_("title (French)"), max_length=300)
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )
    sort_key = models.CharField(max_length=40, editable=False, db_index=True)

    class Meta:
        verbose_name = _("clause")
        verbose_name_plural = _("clauses")
        ordering = ["framework", "sort_key"]
        constraints = [models.UniqueConstraint(fields=["framework", "number"], name="unique_clause_number")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def title(self) -> str:
        return self.title_fr if (get_language() or "fr").startswith("fr") else self.title_en

    @staticmethod
    def sort_key_for(number: str) -> str:
        """'10.2' sorts after '9.3': each part zero-padded."""
        return ".".join(part.zfill(3) for part in number.split("."))

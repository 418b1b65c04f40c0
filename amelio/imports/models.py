"""An uploaded import file, kept between its preview and its application."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils.translation import gettext_lazy as _

from amelio.core import clock
from amelio.core.reversing import reverse


class ImportKind(models.TextChoices):
    COMPANIES = "companies", _("companies")
    CONTACTS = "contacts", _("contacts")
    INTERNSHIPS = "internships", _("internships")
    ARCHIVES = "internship_archives", _("past internships (archives)")
    STUDENTS = "students", _("students and enrolments")
    ENGLISH_TESTS = "english_tests", _("English test results")
    GRADUATES = "graduate_situations", _("graduates' situations")
    PEOPLE = "people", _("people (staff, teachers, students)")
    ESUP_AGREEMENTS = "esup_agreements", _("internship agreements (Esup-Stage export)")
    ESUP_STRUCTURES = "esup_structures", _("host companies (Esup-Stage structure CSV)")


class ImportStatus(models.TextChoices):
    CHECKING = "checking", _("being checked")
    PREVIEWED = "previewed", _("previewed")
    APPLYING = "applying", _("being written")
    APPLIED = "applied", _("applied")
    REFUSED = "refused", _("refused")


class ImportBatch(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=ImportKind.choices)
    original_name = models.CharField(_("file name"), max_length=255)
    status = models.CharField(_("status"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.CHECKING)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    error_count = models.PositiveIntegerField(_("rows refused"), default=0)
    # [{"row": 3, "field": "siret", "message": "..."}], and the row values of the preview.
    report = models.JSONField(_("report"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    created_at = models.DateTimeField(_("uploaded at"), default=clock.now, editable=False)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    # Kept by the core file store (purpose "import"): the file as it was uploaded.
    files = GenericRelation("core.StoredFile", content_type_field="owner_type", object_id_field="owner_id")

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.original_name}"

    def get_absolute_url(self) -> str:
        return reverse("imports:batch_detail", args=[self.pk])

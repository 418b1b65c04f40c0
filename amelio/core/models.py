"""Shared records of the core app."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amelio.core.reversing import reverse


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


class FilePurpose(models.TextChoices):
    """What a stored file is to the record it belongs to."""

    ATTACHMENT = "attachment", _("attachment")
    EVIDENCE = "evidence", _("evidence")
    SIGNED_AGREEMENT = "signed_agreement", _("signed agreement")
    REPORT = "report", _("report")
    IMPORT = "import", _("import file")
    LOGO = "logo", _("logo")


class StoredFile(models.Model):
    """An uploaded file, kept once for every app (see amelio/core/files.py).

    It belongs to one record through a generic relation (`owner`); who may download it is
    what the owner's app registered with `register_file_owner`. The type was read from the
    content at upload and is the type it is served with; on disk the file has a generated
    name, and the sender's name (its extension corrected to the true type) is data only.
    """

    file = models.FileField(_("file"), upload_to="files/%Y/%m/", max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("uploaded by")
    )
    # A default rather than auto_now_add: files moved from the older stores keep their date.
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now, editable=False)
    # "owner_type", not "content_type": that name is the file's MIME type above.
    owner_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("record type")
    )
    owner_id = models.PositiveBigIntegerField(_("record id"))
    owner = GenericForeignKey("owner_type", "owner_id")
    purpose = models.CharField(_("purpose"), max_length=30, choices=FilePurpose.choices)

    class Meta:
        verbose_name = _("stored file")
        verbose_name_plural = _("stored files")
        ordering = ["uploaded_at", "id"]
        indexes = [models.Index(fields=["owner_type", "owner_id", "purpose"], name="core_storedfile_owner")]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("core:file_download", args=[self.pk])


class PreparedExportStatus(models.TextChoices):
    PENDING = "pending", _("being prepared")
    READY = "ready", _("ready")
    FAILED = "failed", _("could not be prepared")


class PreparedExport(models.Model):
    """A file built by the worker for the person who asked for it (see
    amelio/core/prepared_exports.py); only they may download it, for a few days."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("requested by")
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now, editable=False)
    title = models.CharField(_("title"), max_length=200)
    builder = models.CharField(max_length=100)
    parameters = models.JSONField(default=dict)
    language = models.CharField(max_length=10)
    status = models.CharField(
        _("status"), max_length=10, choices=PreparedExportStatus.choices, default=PreparedExportStatus.PENDING
    )
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    file = models.FileField(upload_to="exports/%Y/%m/", max_length=255, blank=True)
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)

    class Meta:
        verbose_name = _("prepared export")
        verbose_name_plural = _("prepared exports")
        indexes = [models.Index(fields=["requested_by", "requested_at"], name="core_export_requester")]

    def __str__(self) -> str:
        return self.title


class WorkerHeartbeat(models.Model):
    """When the background worker last ran its every-minute task (tasks.worker_heartbeat_task):
    /health/ reads it to tell a stopped worker. A table rather than the cache, which is each
    process's own memory when Redis is not configured. One row."""

    beat_at = models.DateTimeField(_("last heartbeat"))

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return f"{self.beat_at:%Y-%m-%d %H:%M:%S}"

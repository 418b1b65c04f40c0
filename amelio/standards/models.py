"""Frameworks as data (ISO 9001:2015, Qualiopi, the school's CTI criteria): each a tree of
requirements (`Clause`, the name other apps already point to), requirements of different
frameworks mapped to one another, and the records of any app that evidence them."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from amelio.core import clock
from amelio.core.constraints import CheckConstraint
from amelio.core.reversing import reverse

from .choices import AccessStatus, Apprenticeship


class Framework(models.Model):
    editable_fields: ClassVar[tuple[str, ...]] = ("name", "description")

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    # Loaded from the app's data files by a migration: its requirements are the published
    # framework's, not the school's to change. The school's own lists (CTI criteria) are not.
    is_published_data = models.BooleanField(_("loaded from published data"), default=False, editable=False)

    class Meta:
        verbose_name = _("framework")
        verbose_name_plural = _("frameworks")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("standards:framework_detail", args=[self.pk])


class Clause(models.Model):
    """A requirement of a framework: an ISO clause, a Qualiopi criterion or indicator, a CTI
    criterion. Titles only for published standards: their text is not reproduced."""

    editable_fields: ClassVar[tuple[str, ...]] = ("title_fr", "title_en", "text")

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
    text = models.TextField(_("text"), blank=True, help_text=_("What the requirement asks, in the school's words."))
    applicability = models.CharField(
        _("applies to"), max_length=200, blank=True, help_text=_("Which activities the requirement applies to.")
    )
    apprenticeship = models.CharField(
        _("apprenticeship training"), max_length=10, choices=Apprenticeship.choices, blank=True, default=""
    )
    # Qualiopi: any breach of such an indicator is a major nonconformity.
    major_only = models.BooleanField(_("any breach is a major nonconformity"), default=False)

    class Meta:
        verbose_name = _("requirement")
        verbose_name_plural = _("requirements")
        ordering = ["framework", "sort_key"]
        constraints = [models.UniqueConstraint(fields=["framework", "number"], name="unique_clause_number")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("standards:requirement_detail", args=[self.pk])

    @property
    def title(self) -> str:
        return self.title_fr if (get_language() or "fr").startswith("fr") else self.title_en

    @property
    def depth(self) -> int:
        return self.number.count(".")

    @staticmethod
    def sort_key_for(number: str) -> str:
        """'10.2' sorts after '9.3': each part zero-padded."""
        return ".".join(part.zfill(3) for part in number.split("."))


class ClauseMapping(models.Model):
    """Two requirements of different frameworks that ask for the same thing (Qualiopi
    indicator 31 and ISO 9001 10.2): what evidences one helps to evidence the other. Stored
    once (the lower id first) and read both ways."""

    first = models.ForeignKey(Clause, on_delete=models.CASCADE, related_name="+", verbose_name=_("requirement"))
    second = models.ForeignKey(Clause, on_delete=models.CASCADE, related_name="+", verbose_name=_("mapped requirement"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)

    class Meta:
        verbose_name = _("requirement mapping")
        verbose_name_plural = _("requirement mappings")
        ordering = ["first", "second"]
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="unique_clause_mapping"),
            CheckConstraint(
                condition=models.Q(first__lt=models.F("second")),
                name="clause_mapping_ordered",
                violation_error_message=_("A mapping is stored with its lower requirement first."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first} ↔ {self.second}"


class EvidenceLink(models.Model):
    """A record of any app (a process, a document, a risk...) evidences a requirement. The
    kinds of record that may be linked, how they are named and who may see or link them are
    what their apps registered (see evidence.py)."""

    clause = models.ForeignKey(
        Clause, on_delete=models.CASCADE, related_name="evidence_links", verbose_name=_("requirement")
    )
    record_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("kind"))
    record_id = models.PositiveBigIntegerField(_("record id"))
    record = GenericForeignKey("record_type", "record_id")
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)

    class Meta:
        verbose_name = _("evidence link")
        verbose_name_plural = _("evidence links")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["clause", "record_type", "record_id"], name="unique_evidence_link")
        ]
        indexes = [models.Index(fields=["record_type", "record_id"], name="standards_evidence_record")]

    def __str__(self) -> str:
        return f"{self.clause.number} ← {self.record_type_id}:{self.record_id}"


class AccessLogEntry(models.Model):
    """A page or a file an external auditor opened: who, what, when. Append-only, read by
    the quality manager."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, related_name="+", verbose_name=_("person")
    )
    # The access it was opened under (none for an auditor's page outside the standards app).
    access = models.ForeignKey(
        "AuditorAccess", on_delete=models.CASCADE, null=True, related_name="log", verbose_name=_("access")
    )
    opened_at = models.DateTimeField(_("opened at"), default=clock.now, editable=False, db_index=True)
    path = models.CharField(_("page"), max_length=500)
    view_name = models.CharField(_("view"), max_length=120, blank=True)
    is_file = models.BooleanField(_("file"), default=False)
    status_code = models.PositiveSmallIntegerField(_("answer"))

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log entries")
        ordering = ["-opened_at", "-id"]

    def __str__(self) -> str:
        return f"{self.opened_at:%Y-%m-%d %H:%M} {self.path}"


class AuditorAccess(models.Model):
    """The quality manager lets an external auditor read chosen frameworks and processes from
    a start date to an end date (both included): an account, or a person without one through
    a personal link (only a hash of its token is kept). The access ends by itself the day after
    its end date; it may be revoked before (see workflows.py)."""

    editable_fields: ClassVar[tuple[str, ...]] = ("starts_on", "ends_on", "note")

    auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="auditor_accesses",
        verbose_name=_("auditor's account"),
    )
    auditor_name = models.CharField(_("auditor's name"), max_length=200, blank=True)
    auditor_email = models.EmailField(_("auditor's email"), blank=True)
    frameworks = models.ManyToManyField(Framework, blank=True, related_name="+", verbose_name=_("frameworks"))
    processes = models.ManyToManyField("processes.Process", blank=True, related_name="+", verbose_name=_("processes"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    status = models.CharField(_("status"), max_length=10, choices=AccessStatus.choices, default=AccessStatus.GRANTED)
    token_hash = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    note = models.CharField(_("note"), max_length=300, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("granted by")
    )
    granted_at = models.DateTimeField(_("granted at"), default=clock.now, editable=False)

    class Meta:
        verbose_name = _("auditor access")
        verbose_name_plural = _("auditor accesses")
        ordering = ["-starts_on", "-id"]
        constraints = [
            CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="auditor_access_dates_ordered",
                violation_error_message=_("The end date must come after the start date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.auditor_label} ({self.starts_on:%Y-%m-%d} – {self.ends_on:%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return reverse("standards:access_detail", args=[self.pk])

    @property
    def auditor_label(self) -> str:
        if self.auditor_id is not None:
            return str(self.auditor)
        return self.auditor_name or self.auditor_email

    def is_open_on(self, day: Any) -> bool:
        return self.status == AccessStatus.GRANTED and self.starts_on <= day <= self.ends_on

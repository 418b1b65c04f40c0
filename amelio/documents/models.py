"""Documented information (ISO 9001 clause 7.5): documents under control, their versions
(the one approved is the one everyone reads, the older ones kept and marked superseded),
who must read them and who has acknowledged the version in force."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amelio.core import clock
from amelio.core.constraints import CheckConstraint, UniqueConstraint
from amelio.core.reversing import reverse
from amelio.organisation.choices import Role

from .choices import DocumentKind, DocumentStatus, VersionStatus


class Document(models.Model):
    # What its update service accepts and its edit form shows.
    # The reference is given once, at creation: records and other documents cite it.
    editable_fields: ClassVar[tuple[str, ...]] = (
        "title",
        "kind",
        "processes",
        "owner",
        "author",
        "reviewer",
        "approver",
        "review_due_on",
        "retention_years",
        "description",
    )

    reference = models.CharField(
        _("reference"), max_length=30, unique=True, help_text=_("Short reference, e.g. PR-S05-01.")
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    description = models.TextField(_("description"), blank=True)
    processes = models.ManyToManyField(
        "processes.Process", blank=True, related_name="documents", verbose_name=_("processes")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_documents", verbose_name=_("owner")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="authored_documents",
        verbose_name=_("author"),
        help_text=_("Who usually writes its versions."),
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviewed_documents",
        verbose_name=_("reviewer"),
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approved_documents",
        verbose_name=_("approver"),
        help_text=_("Never the author of the version to approve; the quality manager may approve too."),
    )
    review_due_on = models.DateField(_("next review"), null=True, blank=True)
    # The review date the owner was reminded of: one reminder per review date.
    review_reminded_for = models.DateField(_("reminder sent for the review of"), null=True, blank=True, editable=False)
    retention_years = models.PositiveSmallIntegerField(
        _("retention (years)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("How long the records it produces are kept; leave empty for a document that is not a record."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=DocumentStatus.choices, default=DocumentStatus.DRAFT, editable=False
    )
    current_version = models.OneToOneField(
        "DocumentVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("version in force"),
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["reference"]

    def __str__(self) -> str:
        return f"{self.reference} — {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("documents:document_detail", args=[self.pk])

    @property
    def review_overdue(self) -> bool:
        return (
            self.status == DocumentStatus.IN_FORCE
            and self.review_due_on is not None
            and self.review_due_on < clock.today()
        )


class DocumentVersion(models.Model):
    # What its update service accepts and its edit form shows (a draft only).
    editable_fields: ClassVar[tuple[str, ...]] = ("change_summary", "text")

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="versions", verbose_name=_("document")
    )
    number = models.PositiveIntegerField(_("version"))
    change_summary = models.TextField(_("what changed"), blank=True)
    text = models.TextField(
        _("text"),
        blank=True,
        help_text=_(
            "Plain text. A line starting with “# ” is a heading, with “- ” an item of a list; "
            "**words** are shown in bold. No HTML."
        ),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="document_versions",
        verbose_name=_("author"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=VersionStatus.choices, default=VersionStatus.DRAFT, editable=False
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("approved by"),
    )
    approved_on = models.DateField(_("approved on"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)
    # Kept by the core file store: the version's file (purpose "attachment").
    files = GenericRelation("core.StoredFile", content_type_field="owner_type", object_id_field="owner_id")

    class Meta:
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        ordering = ["document", "-number"]
        constraints = [
            UniqueConstraint(
                fields=["document", "number"],
                name="unique_document_version_number",
                field="number",
                violation_error_message=_("The document already has a version with this number."),
            ),
            # Two versions in force at once would leave readers guessing which one applies.
            UniqueConstraint(
                fields=["document"],
                condition=Q(status=VersionStatus.APPROVED),
                name="one_approved_version_per_document",
                field="status",
                violation_error_message=_("The document already has an approved version."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document.reference} v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("documents:version_detail", args=[self.pk])


class Distribution(models.Model):
    """Who must read a document: every holder of a role, or one person."""

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="distribution", verbose_name=_("document")
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices, blank=True)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )

    class Meta:
        verbose_name = _("reader")
        verbose_name_plural = _("readers")
        constraints = [
            CheckConstraint(
                condition=(Q(role="") & Q(person__isnull=False)) | (~Q(role="") & Q(person__isnull=True)),
                name="distribution_role_or_person",
                field="role",
                violation_error_message=_("A reader is a role or a person, not both."),
            ),
            UniqueConstraint(
                fields=["document", "role"],
                condition=~Q(role=""),
                name="unique_distribution_role",
                field="role",
                violation_error_message=_("This role already reads the document."),
            ),
            UniqueConstraint(
                fields=["document", "person"],
                condition=Q(person__isnull=False),
                name="unique_distribution_person",
                field="person",
                violation_error_message=_("This person already reads the document."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.person) if self.person_id else str(self.get_role_display())


class Acknowledgement(models.Model):
    """A person has read one version. It counts for that version only: a new approved
    version must be acknowledged again."""

    version = models.ForeignKey(
        DocumentVersion, on_delete=models.CASCADE, related_name="acknowledgements", verbose_name=_("version")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="document_acknowledgements",
        verbose_name=_("person"),
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), default=clock.now)

    class Meta:
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")
        ordering = ["-acknowledged_at"]
        constraints = [
            UniqueConstraint(
                fields=["version", "person"],
                name="unique_acknowledgement",
                field="person",
                violation_error_message=_("This version is already acknowledged."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.version}"

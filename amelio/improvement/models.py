"""Improvement items (nonconformities, complaints, suggestions, opportunities), their
actions and progress notes. Their files are kept by the core file store (core.files)."""

from __future__ import annotations

import datetime
from typing import ClassVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amelio.core import clock
from amelio.core.constraints import CheckConstraint
from amelio.core.reversing import reverse

from .choices import (
    OPEN_ACTION_STATUSES,
    ActionKind,
    ActionStatus,
    ComplainantKind,
    ItemStatus,
    Origin,
    ReportKind,
    RootCauseMethod,
    Severity,
)


class ImprovementItem(models.Model):
    # What its update service accepts and its edit form shows; the status only moves
    # through its workflow (DESIGN.md 4.4).
    editable_fields: ClassVar[tuple[str, ...]] = (
        "title",
        "description",
        "process",
        "department",
        "severity",
        "complainant_kind",
        "due_on",
        "clauses",
    )

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    # Empty while a report waits to be classified (ItemStatus.TO_CLASSIFY).
    origin = models.CharField(_("origin"), max_length=20, choices=Origin.choices, blank=True)
    reported_as = models.CharField(
        _("reported as"),
        max_length=10,
        choices=ReportKind.choices,
        blank=True,
        help_text=_("What the person who reported it said it was, in their words."),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    process = models.ForeignKey(
        "processes.Process",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="improvement_items",
        verbose_name=_("process"),
    )
    department = models.ForeignKey(
        "organisation.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="improvement_items",
        verbose_name=_("department"),
    )
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, blank=True)
    complainant_kind = models.CharField(_("complainant"), max_length=10, choices=ComplainantKind.choices, blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="raised_improvement_items",
        verbose_name=_("raised by"),
    )
    # A complaint from someone without an account (public form).
    contact_name = models.CharField(_("contact name"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    raised_on = models.DateField(_("raised on"), default=timezone.localdate)
    clauses = models.ManyToManyField(
        "standards.Clause", blank=True, related_name="improvement_items", verbose_name=_("ISO 9001 clauses")
    )
    status = models.CharField(_("status"), max_length=20, choices=ItemStatus.choices, default=ItemStatus.NEW)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    immediate_correction = models.TextField(_("immediate correction"), blank=True)
    root_cause_method = models.CharField(
        _("root cause method"), max_length=20, choices=RootCauseMethod.choices, blank=True
    )
    root_cause_analysis = models.TextField(
        _("root cause analysis"), blank=True, help_text=_("The 5 Whys, or the Ishikawa branches, one per line.")
    )
    root_cause = models.TextField(_("root cause"), blank=True)
    extent = models.TextField(_("extent"), blank=True, help_text=_("Where else could this happen?"))
    effectiveness_note = models.TextField(_("effectiveness check"), blank=True)
    due_on = models.DateField(_("target date"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Kept by the core file store (purpose "attachment"); a deleted item takes its rows along.
    files = GenericRelation("core.StoredFile", content_type_field="owner_type", object_id_field="owner_id")

    class Meta:
        verbose_name = _("improvement item")
        verbose_name_plural = _("improvement items")
        ordering = ["-raised_on", "-id"]
        indexes = [
            models.Index(fields=["status", "origin"], name="item_status_origin_idx"),
            models.Index(fields=["process", "status"], name="item_process_status_idx"),
            models.Index(fields=["department", "status"], name="item_department_status_idx"),
            models.Index(fields=["raised_by", "status"], name="item_raised_by_idx"),
            models.Index(fields=["raised_on", "id"], name="item_raised_on_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("improvement:item_detail", args=[self.pk])


class Action(models.Model):
    """A corrective, preventive or improvement action, of an item or standing alone."""

    # What its update service accepts and its edit form shows; the status only moves
    # through its workflow (DESIGN.md 4.4).
    editable_fields: ClassVar[tuple[str, ...]] = (
        "kind",
        "title",
        "description",
        "owner",
        "due_on",
        "process",
        "department",
    )

    item = models.ForeignKey(
        ImprovementItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("improvement item"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ActionKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="improvement_actions", verbose_name=_("owner")
    )
    process = models.ForeignKey(
        "processes.Process",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="improvement_actions",
        verbose_name=_("process"),
    )
    department = models.ForeignKey(
        "organisation.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="improvement_actions",
        verbose_name=_("department"),
    )
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.PLANNED)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    cancellation_reason = models.TextField(_("reason for cancellation"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    # Kept by the core file store: "evidence" given when it is completed, "attachment" otherwise.
    files = GenericRelation("core.StoredFile", content_type_field="owner_type", object_id_field="owner_id")

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["owner", "status", "due_on"], name="action_owner_status_due_idx"),
            models.Index(fields=["status", "due_on"], name="action_status_due_idx"),
            # "Has an overdue action" (an EXISTS per item of the register): without it SQLite
            # answers it through action_status_due_idx, scanning every open overdue action for
            # each item.
            models.Index(fields=["item", "status", "due_on"], name="action_item_status_due_idx"),
            # The action register's order (Meta.ordering): its first page without sorting them all.
            models.Index(fields=["due_on", "id"], name="action_due_idx"),
        ]
        constraints = [
            CheckConstraint(
                condition=~Q(status=ActionStatus.CANCELLED) | ~Q(cancellation_reason=""),
                name="cancelled_action_has_reason",
                field="cancellation_reason",
                violation_error_message=_("Say why the action is cancelled."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("improvement:action_detail", args=[self.pk])

    def is_overdue_on(self, day: datetime.date) -> bool:
        return self.status in OPEN_ACTION_STATUSES and self.due_on < day

    @property
    def is_overdue(self) -> bool:
        return self.is_overdue_on(timezone.localdate())


class ProgressNote(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="notes", verbose_name=_("action"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("author")
    )
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(_("written at"), default=clock.now, editable=False)

    class Meta:
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]


def attachment_path(instance: object, filename: str) -> str:
    """Where the files of the old Attachment model went; its migrations still name it (their
    rows now live in the core file store, under the same names)."""
    today = timezone.localdate()
    return f"improvement/{today:%Y/%m}/{filename}"

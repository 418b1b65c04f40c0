"""The process map (ISO 9001 clause 4.4) and the school's context (4.1 to 4.3, 5.2)."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from amelio.core import clock
from amelio.core.constraints import CheckConstraint
from amelio.core.reversing import reverse

from .choices import IssueEffect, IssueOrigin, PartyCategory, ProcessKind, RaciResponsibility, Relevance, StatementKind


class Process(models.Model):
    # What its update service accepts and its edit form shows.
    editable_fields: ClassVar[tuple[str, ...]] = (
        "code",
        "name",
        "kind",
        "purpose",
        "owner",
        "department",
        "inputs",
        "outputs",
        "resources",
        "interacts_with",
        "clauses",
        "is_active",
    )

    code = models.CharField(_("code"), max_length=20, unique=True, help_text=_("Short reference, e.g. R-03."))
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=ProcessKind.choices)
    purpose = models.TextField(_("purpose"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_processes",
        verbose_name=_("owner (pilote)"),
    )
    department = models.ForeignKey(
        "organisation.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="processes",
        verbose_name=_("department"),
        help_text=_("Leave empty for a process of the whole school."),
    )
    inputs = models.TextField(_("inputs"), blank=True)
    outputs = models.TextField(_("outputs"), blank=True)
    resources = models.TextField(_("resources"), blank=True)
    clauses = models.ManyToManyField(
        "standards.Clause", blank=True, related_name="processes", verbose_name=_("ISO 9001 clauses")
    )
    interacts_with = models.ManyToManyField(
        "self",
        through="ProcessInteraction",
        symmetrical=False,
        related_name="interacting_from",
        blank=True,
        verbose_name=_("interacts with"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("process")
        verbose_name_plural = _("processes")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("processes:process_detail", args=[self.pk])


class ProcessInteraction(models.Model):
    """An arrow of the map: what `source` hands over to `target`."""

    source = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="outgoing_interactions")
    target = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="incoming_interactions")
    description = models.CharField(_("what flows"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("process interaction")
        verbose_name_plural = _("process interactions")
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="unique_process_interaction"),
            CheckConstraint(
                condition=~Q(source=F("target")),
                name="process_not_interacting_with_itself",
                field="target",
                violation_error_message=_("A process cannot interact with itself."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source.code} → {self.target.code}"

    def clean(self) -> None:
        if self.source_id and self.source_id == self.target_id:
            raise ValidationError(_("A process cannot interact with itself."))


class Activity(models.Model):
    # What its update service accepts and its edit form shows.
    editable_fields: ClassVar[tuple[str, ...]] = (
        "position",
        "name",
        "description",
    )

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="activities", verbose_name=_("process"))
    position = models.PositiveSmallIntegerField(_("order"), default=1)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["process", "position", "id"]

    def __str__(self) -> str:
        return self.name


class RaciAssignment(models.Model):
    """Who is Responsible, Accountable, Consulted or Informed for an activity."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="raci", verbose_name=_("activity"))
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="raci_assignments", verbose_name=_("person")
    )
    responsibility = models.CharField(_("responsibility"), max_length=1, choices=RaciResponsibility.choices)

    class Meta:
        verbose_name = _("RACI assignment")
        verbose_name_plural = _("RACI assignments")
        ordering = ["activity", "responsibility"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "person", "responsibility"], name="unique_raci_assignment"),
        ]

    def __str__(self) -> str:
        return f"{self.activity}: {self.person} ({self.responsibility})"


class ContextIssue(models.Model):
    """An internal or external issue relevant to the school's purpose (clause 4.1)."""

    # What its update service accepts and its edit form shows.
    editable_fields: ClassVar[tuple[str, ...]] = (
        "title",
        "origin",
        "effect",
        "description",
        "processes",
        "is_active",
        "reviewed_on",
    )

    title = models.CharField(_("title"), max_length=200)
    origin = models.CharField(_("origin"), max_length=20, choices=IssueOrigin.choices)
    effect = models.CharField(_("effect"), max_length=20, choices=IssueEffect.choices)
    description = models.TextField(_("description"), blank=True)
    processes = models.ManyToManyField(Process, blank=True, related_name="context_issues", verbose_name=_("processes"))
    is_active = models.BooleanField(_("still relevant"), default=True)
    reviewed_on = models.DateField(_("last reviewed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("context issue")
        verbose_name_plural = _("context issues")
        ordering = ["origin", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("processes:context_issue_update", args=[self.pk])


class InterestedParty(models.Model):
    """An interested party and its needs and expectations (clause 4.2)."""

    # What its update service accepts and its edit form shows.
    editable_fields: ClassVar[tuple[str, ...]] = (
        "name",
        "category",
        "needs",
        "monitoring",
        "relevance",
        "processes",
    )

    name = models.CharField(_("name"), max_length=200, unique=True)
    category = models.CharField(_("category"), max_length=20, choices=PartyCategory.choices)
    needs = models.TextField(_("needs and expectations"))
    monitoring = models.TextField(_("how they are monitored"), blank=True)
    relevance = models.CharField(_("relevance"), max_length=10, choices=Relevance.choices, default=Relevance.MEDIUM)
    processes = models.ManyToManyField(
        Process, blank=True, related_name="interested_parties", verbose_name=_("processes")
    )

    class Meta:
        verbose_name = _("interested party")
        verbose_name_plural = _("interested parties")
        ordering = ["category", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("processes:interested_party_update", args=[self.pk])


class Statement(models.Model):
    """A version of the scope statement (4.3) or of the quality policy (5.2).

    A new version is written as a draft and becomes the one in force when approved; the
    earlier versions are kept.
    """

    # What its update service accepts and its edit form shows.
    editable_fields: ClassVar[tuple[str, ...]] = ("text",)

    kind = models.CharField(_("kind"), max_length=10, choices=StatementKind.choices)
    version = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("text"))
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    created_at = models.DateTimeField(_("written at"), default=clock.now, editable=False)

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        ordering = ["kind", "-version"]
        constraints = [models.UniqueConstraint(fields=["kind", "version"], name="unique_statement_version")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("processes:statement_list", args=[self.kind])

    @property
    def is_approved(self) -> bool:
        return self.approved_on is not None

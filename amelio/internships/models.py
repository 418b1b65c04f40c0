"""Internship agreements, their follow-up milestones, evaluations through expiring links,
and the dated legal figures the agreement rules read."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from amelio.core import clock
from amelio.core.constraints import CheckConstraint
from amelio.core.reversing import reverse

from .choices import EvaluationKind, InternshipKind, InternshipStatus, LegalFigureKey, MilestoneKind


class LegalFigure(models.Model):
    """A figure of the law (or of the school's board) valid between two dates. The rules
    read the value in force on the day that matters, never a constant in code."""

    key = models.CharField(_("figure"), max_length=40, choices=LegalFigureKey.choices)
    value = models.DecimalField(_("value"), max_digits=10, decimal_places=2)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True, help_text=_("Article or decision."))

    class Meta:
        verbose_name = _("legal figure")
        verbose_name_plural = _("legal figures")
        ordering = ["key", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["key", "valid_from"], name="unique_legal_figure_start"),
            CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="legal_figure_period",
                field="valid_until",
                violation_error_message=_("A figure cannot stop being valid before it starts being valid."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_key_display()}: {self.value} ({self.valid_from})"


class TutorQuota(models.Model):
    """A teacher's own limit of interns followed at once, when the board set one."""

    tutor = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tutor_quota", verbose_name=_("tutor")
    )
    max_interns = models.PositiveSmallIntegerField(_("interns at once"))

    class Meta:
        verbose_name = _("academic tutor quota")
        verbose_name_plural = _("academic tutor quotas")

    def __str__(self) -> str:
        return f"{self.tutor}: {self.max_interns}"


class Internship(models.Model):
    """An internship agreement (convention de stage) between the student, the host and the
    school. An amendment is a new row that points at the agreement it replaces."""

    # What its update service accepts and its edit form shows; the status only moves
    # through its workflow (DESIGN.md 4.4).
    editable_fields: ClassVar[tuple[str, ...]] = (
        "company",
        "site",
        "company_tutor",
        "academic_tutor",
        "programme",
        "academic_year",
        "kind",
        "subject",
        "description",
        "starts_on",
        "ends_on",
        "weekly_hours",
        "hourly_gratification",
    )

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="internships", verbose_name=_("student")
    )
    company = models.ForeignKey(
        "partners.Company", on_delete=models.PROTECT, related_name="internships", verbose_name=_("host company")
    )
    site = models.ForeignKey(
        "partners.Site",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="internships",
        verbose_name=_("site"),
    )
    company_tutor = models.ForeignKey(
        "partners.Contact",
        on_delete=models.PROTECT,
        related_name="tutored_internships",
        verbose_name=_("company tutor"),
    )
    academic_tutor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="academic_tutored_internships",
        verbose_name=_("academic tutor"),
    )
    programme = models.ForeignKey(
        "organisation.Programme", on_delete=models.PROTECT, related_name="internships", verbose_name=_("programme")
    )
    academic_year = models.ForeignKey(
        "organisation.AcademicYear",
        on_delete=models.PROTECT,
        related_name="internships",
        verbose_name=_("academic year"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=InternshipKind.choices)
    subject = models.CharField(_("subject"), max_length=300)
    description = models.TextField(_("activities entrusted"), blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    weekly_hours = models.DecimalField(
        _("hours per week"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("35"),
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("48"))],
    )
    hourly_gratification = models.DecimalField(
        _("gratification per hour (€)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    status = models.CharField(
        _("status"), max_length=20, choices=InternshipStatus.choices, default=InternshipStatus.DRAFT
    )
    student_signed_on = models.DateField(_("signed by the student on"), null=True, blank=True)
    company_signed_on = models.DateField(_("signed by the host on"), null=True, blank=True)
    school_signed_on = models.DateField(_("signed by the school on"), null=True, blank=True)
    amends = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="amendment",
        verbose_name=_("amendment of"),
    )
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
    # Kept by the core file store: the signed agreement ("signed_agreement") and the
    # student's reports ("report").
    files = GenericRelation("core.StoredFile", content_type_field="owner_type", object_id_field="owner_id")

    class Meta:
        verbose_name = _("internship")
        verbose_name_plural = _("internships")
        ordering = ["-starts_on", "id"]
        indexes = [
            models.Index(fields=["student", "company", "academic_year"], name="internship_host_year_idx"),
            models.Index(fields=["academic_tutor", "status"], name="internship_tutor_idx"),
            models.Index(fields=["status", "starts_on"], name="internship_status_start_idx"),
        ]
        constraints = [
            CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="internship_ends_after_start",
                field="ends_on",
                violation_error_message=_("The internship cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.student} — {self.company}"

    def get_absolute_url(self) -> str:
        return reverse("internships:internship_detail", args=[self.pk])

    @property
    def signature_date(self) -> datetime.date | None:
        """The agreement is signed on the day its last party signs."""
        dates = [self.student_signed_on, self.company_signed_on, self.school_signed_on]
        return max(dates) if all(dates) else None  # type: ignore[type-var]


class Milestone(models.Model):
    internship = models.ForeignKey(
        Internship, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("internship")
    )
    kind = models.CharField(_("milestone"), max_length=30, choices=MilestoneKind.choices)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_on", "id"]
        constraints = [models.UniqueConstraint(fields=["internship", "kind"], name="unique_internship_milestone")]
        indexes = [models.Index(fields=["done_on", "due_on"], name="milestone_open_due_idx")]

    def __str__(self) -> str:
        return f"{self.internship.reference}: {self.get_kind_display()}"


class EvaluationLink(models.Model):
    """A personal link for someone without an account: one use, expiring, revocable. Only
    a hash of its token is stored."""

    internship = models.ForeignKey(
        Internship, on_delete=models.CASCADE, related_name="evaluation_links", verbose_name=_("internship")
    )
    kind = models.CharField(_("evaluation"), max_length=20, choices=EvaluationKind.choices)
    email = models.EmailField(_("sent to"))
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        verbose_name = _("evaluation link")
        verbose_name_plural = _("evaluation links")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.internship.reference}: {self.get_kind_display()}"


class Evaluation(models.Model):
    internship = models.ForeignKey(
        Internship, on_delete=models.CASCADE, related_name="evaluations", verbose_name=_("internship")
    )
    kind = models.CharField(_("evaluation"), max_length=20, choices=EvaluationKind.choices)
    link = models.OneToOneField(EvaluationLink, on_delete=models.PROTECT, null=True, related_name="evaluation")
    answers = models.JSONField(_("answers"), default=dict)
    score = models.DecimalField(
        _("overall score (out of 5)"),
        max_digits=3,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("5"))],
    )
    comment = models.TextField(_("comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), default=clock.now, editable=False)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [models.UniqueConstraint(fields=["internship", "kind"], name="one_evaluation_per_kind")]

    def __str__(self) -> str:
        return f"{self.internship.reference}: {self.get_kind_display()}"

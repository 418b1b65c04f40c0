"""The audit programme, internal and external audits, their checklists and findings
(ISO 9001 clause 9.2; ISO 19011 clause 5)."""

from __future__ import annotations

import datetime
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amelio.core import clock
from amelio.core.constraints import CheckConstraint
from amelio.core.reversing import reverse

from .choices import EXTERNAL_KINDS, GRADE_CODES, OPEN_AUDIT_STATUSES, Answer, AuditKind, AuditStatus, Grade


class AuditProgramme(models.Model):
    """What is audited when over a period: an academic year, or the three-year cycle."""

    editable_fields: ClassVar[tuple[str, ...]] = ("title", "starts_on", "ends_on", "objectives")

    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    objectives = models.TextField(
        _("objectives and choices"),
        blank=True,
        help_text=_("Why these processes are audited when: importance, changes, results of previous audits."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("audit programme")
        verbose_name_plural = _("audit programmes")
        ordering = ["-starts_on", "-id"]
        constraints = [
            CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")),
                name="audit_programme_ends_after_start",
                field="ends_on",
                violation_error_message=_("The end date must come after the start date."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("audits:programme_detail", args=[self.pk])


class Audit(models.Model):
    """One audit: internal (by the school's own auditors, independent of what they audit)
    or external (a certification body's or an accreditation visit, recorded the same way)."""

    editable_fields: ClassVar[tuple[str, ...]] = (
        "programme",
        "title",
        "processes",
        "departments",
        "clauses",
        "objectives",
        "criteria",
        "starts_on",
        "ends_on",
        "lead_auditor",
        "team",
        "body",
        "external_lead",
        "plan",
    )

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=AuditKind.choices, default=AuditKind.INTERNAL)
    programme = models.ForeignKey(
        AuditProgramme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audits",
        verbose_name=_("audit programme"),
    )
    title = models.CharField(_("title"), max_length=200)
    processes = models.ManyToManyField(
        "processes.Process", blank=True, related_name="audits", verbose_name=_("processes audited")
    )
    departments = models.ManyToManyField(
        "organisation.Department", blank=True, related_name="audits", verbose_name=_("departments audited")
    )
    clauses = models.ManyToManyField(
        "standards.Clause", blank=True, related_name="audits", verbose_name=_("requirements audited")
    )
    objectives = models.TextField(_("objectives"), blank=True)
    criteria = models.TextField(
        _("criteria"), help_text=_("What the evidence is compared with: ISO 9001:2015, the school's procedures, ...")
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    lead_auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_audits",
        verbose_name=_("lead auditor"),
    )
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="audit_teams", verbose_name=_("audit team")
    )
    # An external audit: who audits.
    body = models.CharField(_("certification or accreditation body"), max_length=200, blank=True)
    external_lead = models.CharField(_("body's lead auditor"), max_length=200, blank=True)
    plan = models.TextField(
        _("audit plan"), blank=True, help_text=_("The agenda: one line per meeting, with its time, place and people.")
    )
    status = models.CharField(_("status"), max_length=20, choices=AuditStatus.choices, default=AuditStatus.PLANNED)
    conclusion = models.TextField(_("conclusion"), blank=True)
    reported_on = models.DateField(_("reported on"), null=True, blank=True)
    cancellation_reason = models.TextField(_("reason for cancelling"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("audit")
        verbose_name_plural = _("audits")
        ordering = ["-starts_on", "-id"]
        indexes = [
            models.Index(fields=["programme", "starts_on"], name="audit_programme_start_idx"),
            models.Index(fields=["status", "ends_on"], name="audit_status_end_idx"),
        ]
        constraints = [
            CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="audit_ends_after_start",
                field="ends_on",
                violation_error_message=_("The audit cannot end before it starts."),
            ),
            CheckConstraint(
                condition=~Q(status=AuditStatus.CANCELLED) | ~Q(cancellation_reason=""),
                name="cancelled_audit_has_reason",
                field="cancellation_reason",
                violation_error_message=_("Say why the audit is cancelled."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("audits:audit_detail", args=[self.pk])

    @property
    def is_external(self) -> bool:
        return self.kind in EXTERNAL_KINDS

    def is_late_on(self, day: datetime.date) -> bool:
        """Planned to be over by now, and still not reported."""
        return self.status in OPEN_AUDIT_STATUSES and self.ends_on < day

    @property
    def is_late(self) -> bool:
        return self.is_late_on(timezone.localdate())


class ChecklistLine(models.Model):
    """A question of the audit's checklist, generated from a requirement or a process in
    scope, answered during the audit with what was seen."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="checklist", verbose_name=_("audit"))
    position = models.PositiveSmallIntegerField(_("order"))
    clause = models.ForeignKey(
        "standards.Clause", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("clause")
    )
    process = models.ForeignKey(
        "processes.Process",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("process"),
    )
    question = models.TextField(_("question"))
    answer = models.CharField(_("answer"), max_length=20, choices=Answer.choices, blank=True)
    note = models.TextField(_("what was seen"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("checklist line")
        verbose_name_plural = _("checklist lines")
        ordering = ["audit", "position"]
        constraints = [models.UniqueConstraint(fields=["audit", "position"], name="unique_checklist_position")]

    def __str__(self) -> str:
        return f"{self.position}. {self.question[:60]}"

    def get_absolute_url(self) -> str:
        return reverse("audits:checklist", args=[self.audit_id]) + f"#line-{self.position}"


class Finding(models.Model):
    """A finding graded as the certification bodies do, with its evidence and the
    requirement it is measured against. A nonconformity or an opportunity becomes an
    improvement item (linked both ways: `improvement_item` here, `audit_finding` there)."""

    editable_fields: ClassVar[tuple[str, ...]] = ("grade", "statement", "evidence", "requirement", "clause", "process")

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="findings", verbose_name=_("audit"))
    number = models.PositiveSmallIntegerField(_("number"))
    grade = models.CharField(_("grade"), max_length=20, choices=Grade.choices)
    statement = models.CharField(_("finding"), max_length=300)
    evidence = models.TextField(_("evidence"))
    requirement = models.TextField(_("requirement"), help_text=_("What is required, and by which text."))
    clause = models.ForeignKey(
        "standards.Clause", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("clause")
    )
    process = models.ForeignKey(
        "processes.Process",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_findings",
        verbose_name=_("process"),
    )
    checklist_line = models.ForeignKey(
        ChecklistLine,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="findings",
        verbose_name=_("checklist line"),
    )
    improvement_item = models.OneToOneField(
        "improvement.ImprovementItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_finding",
        verbose_name=_("improvement item"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["audit", "number"]
        constraints = [models.UniqueConstraint(fields=["audit", "number"], name="unique_finding_number")]

    def __str__(self) -> str:
        return f"{self.audit.reference}-{self.number:02d} {self.code} {self.statement}"

    def get_absolute_url(self) -> str:
        return reverse("audits:audit_detail", args=[self.audit_id]) + f"#finding-{self.number}"

    @property
    def code(self) -> str:
        return GRADE_CODES[Grade(self.grade)]

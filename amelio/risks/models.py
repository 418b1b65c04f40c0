"""The risk and opportunity register (ISO 9001 clause 6.1) and the school's scoring scale."""

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

from .choices import (
    CURRENT_RISK_STATUSES,
    DEFAULT_SCALE_MAXIMUM,
    LARGEST_SCALE_VALUE,
    RiskKind,
    RiskStatus,
    ScaleMaximum,
    Treatment,
)


class RiskScale(models.Model):
    """The school's scale of likelihood and impact: one row (id 1); absent, 1 to 5."""

    editable_fields: ClassVar[tuple[str, ...]] = ("maximum",)

    maximum = models.PositiveSmallIntegerField(_("scale"), choices=ScaleMaximum.choices, default=DEFAULT_SCALE_MAXIMUM)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("risk scale")
        verbose_name_plural = _("risk scales")
        constraints = [
            CheckConstraint(
                condition=Q(id=1),
                name="risk_scale_single_row",
                field="maximum",
                violation_error_message=_("The school has one risk scale."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.get_maximum_display())


def _within_largest_scale() -> CheckConstraint:
    """The last guard: the services check each value against the school's own scale, with
    a message on its field; the database refuses what no scale allows. One constraint for
    the four values, as each is checked by a query whenever a risk is validated."""
    condition = Q(
        likelihood__gte=1, likelihood__lte=LARGEST_SCALE_VALUE, impact__gte=1, impact__lte=LARGEST_SCALE_VALUE
    )
    for name in ("residual_likelihood", "residual_impact"):
        condition &= Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__gte": 1, f"{name}__lte": LARGEST_SCALE_VALUE})
    return CheckConstraint(
        condition=condition,
        name="risk_values_within_scale",
        # Written out, not interpolated: a lazy message formatted here would be frozen in the
        # language active when the models load. 5 is LARGEST_SCALE_VALUE.
        violation_error_message=_("Likelihood and impact, inherent and residual, go from 1 to 5."),
    )


class Risk(models.Model):
    """A risk or an opportunity of a process: its inherent score (likelihood × impact), its
    treatment with the improvement actions that carry it out, its residual score once
    treated, and its next review."""

    # What its update service accepts and its edit form shows; the status only moves
    # through its workflow (DESIGN.md 4.4), the review through risk_review.
    editable_fields: ClassVar[tuple[str, ...]] = (
        "kind",
        "title",
        "description",
        "causes",
        "consequences",
        "process",
        "owner",
        "likelihood",
        "impact",
        "treatment",
        "treatment_plan",
        "actions",
        "residual_likelihood",
        "residual_impact",
        "review_on",
    )

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=RiskKind.choices, default=RiskKind.RISK)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    causes = models.TextField(_("causes"), blank=True)
    consequences = models.TextField(_("consequences"), blank=True)
    process = models.ForeignKey(
        "processes.Process", on_delete=models.PROTECT, related_name="risks", verbose_name=_("process")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_risks", verbose_name=_("owner")
    )
    likelihood = models.PositiveSmallIntegerField(_("likelihood"))
    impact = models.PositiveSmallIntegerField(_("impact"))
    # Computed by the database, so that it can never disagree with its two factors.
    score = models.GeneratedField(
        expression=F("likelihood") * F("impact"),
        output_field=models.PositiveSmallIntegerField(),
        db_persist=True,
        verbose_name=_("score"),
    )
    treatment = models.CharField(_("treatment"), max_length=20, choices=Treatment.choices, blank=True)
    treatment_plan = models.TextField(_("treatment plan"), blank=True)
    actions = models.ManyToManyField(
        "improvement.Action",
        blank=True,
        related_name="risks",
        verbose_name=_("treatment actions"),
        help_text=_("Improvement actions that carry out the treatment."),
    )
    # Improvement items raised from the risk's page to carry out its treatment (origin "risk"),
    # each with its own analysis, actions and effectiveness check.
    items = models.ManyToManyField(
        "improvement.ImprovementItem",
        blank=True,
        related_name="risks",
        verbose_name=_("improvement items"),
    )
    residual_likelihood = models.PositiveSmallIntegerField(_("residual likelihood"), null=True, blank=True)
    residual_impact = models.PositiveSmallIntegerField(_("residual impact"), null=True, blank=True)
    residual_score = models.GeneratedField(
        expression=F("residual_likelihood") * F("residual_impact"),
        output_field=models.PositiveSmallIntegerField(null=True),
        db_persist=True,
        verbose_name=_("residual score"),
    )
    review_on = models.DateField(_("next review"))
    last_reviewed_on = models.DateField(_("last reviewed on"), null=True, blank=True)
    # The review date its owner was reminded of: a new review date deserves a new reminder.
    reminder_sent_for = models.DateField(_("reminder sent for the review of"), null=True, blank=True, editable=False)
    status = models.CharField(_("status"), max_length=20, choices=RiskStatus.choices, default=RiskStatus.OPEN)
    closing_reason = models.TextField(_("reason for closing"), blank=True)
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

    class Meta:
        verbose_name = _("risk or opportunity")
        verbose_name_plural = _("risks and opportunities")
        ordering = ["reference"]
        indexes = [
            models.Index(fields=["status", "review_on"], name="risk_status_review_idx"),
            models.Index(fields=["process", "status"], name="risk_process_status_idx"),
            models.Index(fields=["owner", "status", "review_on"], name="risk_owner_review_idx"),
        ]
        constraints = [
            _within_largest_scale(),
            CheckConstraint(
                condition=Q(residual_likelihood__isnull=True, residual_impact__isnull=True)
                | Q(residual_likelihood__isnull=False, residual_impact__isnull=False),
                name="risk_residual_both_or_neither",
                field="residual_impact",
                violation_error_message=_("Give both the residual likelihood and the residual impact, or neither."),
            ),
            CheckConstraint(
                condition=~Q(status=RiskStatus.TREATED) | ~Q(treatment=""),
                name="treated_risk_has_treatment",
                field="treatment",
                violation_error_message=_("Choose the treatment first."),
            ),
            CheckConstraint(
                condition=~Q(status=RiskStatus.CLOSED) | ~Q(closing_reason=""),
                name="closed_risk_has_reason",
                field="closing_reason",
                violation_error_message=_("Say why the risk is closed."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("risks:risk_detail", args=[self.pk])

    def is_review_overdue_on(self, day: datetime.date) -> bool:
        return self.status in CURRENT_RISK_STATUSES and self.review_on < day

    @property
    def is_review_overdue(self) -> bool:
        return self.is_review_overdue_on(timezone.localdate())

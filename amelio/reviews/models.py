"""A management review (ISO 9001 9.3): its period, meeting and participants, one section per
input of 9.3.2 holding the snapshot compiled from live data (frozen JSON) and the note
written in the meeting, and its decisions (9.3.3), each carried out as an improvement action."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from amelio.core import clock
from amelio.core.constraints import CheckConstraint
from amelio.core.reversing import reverse

from .choices import DecisionKind, ReviewStatus


class ManagementReview(models.Model):
    # What its update service accepts and its edit form shows; the status only moves
    # through its workflow (DESIGN.md 4.4).
    editable_fields: ClassVar[tuple[str, ...]] = (
        "title",
        "starts_on",
        "ends_on",
        "meeting_on",
        "chair",
        "participants",
    )

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("period from"))
    ends_on = models.DateField(_("period to"))
    meeting_on = models.DateField(_("date of the meeting"), null=True, blank=True)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="chaired_reviews",
        verbose_name=_("chaired by"),
    )
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="attended_reviews", verbose_name=_("participants")
    )
    status = models.CharField(_("status"), max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT)
    compiled_at = models.DateTimeField(_("compiled at"), null=True, blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("management review")
        verbose_name_plural = _("management reviews")
        ordering = ["-starts_on", "-id"]
        constraints = [
            CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="review_period_in_order",
                field="ends_on",
                violation_error_message=_("The period ends before it starts."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("reviews:review_detail", args=[self.pk])


class ReviewSection(models.Model):
    """One input of 9.3.2 as compiled for the review's period: its snapshot is written when
    the review is compiled and never again once the review is approved."""

    review = models.ForeignKey(
        ManagementReview, on_delete=models.CASCADE, related_name="sections", verbose_name=_("review")
    )
    key = models.CharField(_("input"), max_length=60)
    order = models.PositiveIntegerField(_("order"), default=0)
    clause = models.CharField(_("clause"), max_length=30)
    title = models.CharField(_("title"), max_length=200)
    snapshot = models.JSONField(_("compiled figures"), default=dict, blank=True)
    note = models.TextField(_("note of the meeting"), blank=True)
    note_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("section of a review")
        verbose_name_plural = _("sections of a review")
        ordering = ["review", "order", "key"]
        constraints = [models.UniqueConstraint(fields=["review", "key"], name="one_section_per_input")]

    def __str__(self) -> str:
        return f"{self.clause} {self.display_title}"

    def get_absolute_url(self) -> str:
        return reverse("reviews:review_detail", args=[self.review_id]) + f"#section-{self.key}"

    @property
    def display_title(self) -> str:
        """The title in the reader's language: it is stored as its message id (a section
        compiled before that holds its text, shown as it is)."""
        return gettext(self.title)


class ReviewDecision(models.Model):
    """A decision of the review (9.3.3), carried out as an improvement action: the action
    holds the owner, the due date and the progress; the decision says which review took it."""

    review = models.ForeignKey(
        ManagementReview, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("review")
    )
    section = models.ForeignKey(
        ReviewSection,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("section"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=DecisionKind.choices)
    text = models.TextField(_("decision"))
    action = models.OneToOneField(
        "improvement.Action", on_delete=models.PROTECT, related_name="review_decision", verbose_name=_("action")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)

    class Meta:
        verbose_name = _("decision of a review")
        verbose_name_plural = _("decisions of a review")
        ordering = ["review", "id"]

    def __str__(self) -> str:
        return self.text[:80]

    def get_absolute_url(self) -> str:
        return reverse("reviews:review_detail", args=[self.review_id]) + "#decisions"

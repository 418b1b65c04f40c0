"""Vocabulary of the management review (ISO 9001 9.3) and its state machine."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# RDD: revue de direction (the French name of a management review).
REFERENCE_PREFIX = "RDD"


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    COMPILED = "compiled", _("compiled, in meeting")
    APPROVED = "approved", pgettext_lazy("management review", "approved")


class ReviewTransition(models.TextChoices):
    COMPILE = "compile", _("compile the inputs")
    APPROVE = "approve", _("approve the review")


class DecisionKind(models.TextChoices):
    """The three outputs of 9.3.3."""

    IMPROVEMENT = "improvement", _("opportunity for improvement")
    SYSTEM_CHANGE = "system_change", _("change to the quality management system")
    RESOURCES = "resources", _("resource needs")


# The review's sections may still be written in these states.
OPEN_REVIEW_STATUSES = frozenset({ReviewStatus.DRAFT, ReviewStatus.COMPILED})

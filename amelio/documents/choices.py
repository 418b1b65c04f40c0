from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DocumentKind(models.TextChoices):
    PROCEDURE = "procedure", _("procedure")
    INSTRUCTION = "instruction", _("work instruction")
    FORM = "form", _("form")
    RECORD_TEMPLATE = "record_template", _("record template")
    POLICY = "policy", _("policy")
    EXTERNAL = "external", _("external document")


class DocumentStatus(models.TextChoices):
    """Where the document stands, set by its versions' workflow: no version approved yet,
    one in force, or withdrawn."""

    DRAFT = "draft", _("not yet approved")
    IN_FORCE = "in_force", _("in force")
    OBSOLETE = "obsolete", _("obsolete")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    IN_REVIEW = "in_review", _("in review")
    # "approved" alone is already the word of other records, in another gender in French.
    APPROVED = "approved", pgettext_lazy("document version", "approved")
    SUPERSEDED = "superseded", _("superseded")
    OBSOLETE = "obsolete", _("obsolete")


class VersionTransition(models.TextChoices):
    SUBMIT = "submit", _("submit for review")
    SEND_BACK = "send_back", _("send back to the author")
    APPROVE = "approve", _("approve")
    SUPERSEDE = "supersede", _("supersede")
    WITHDRAW = "withdraw", _("withdraw")


# A version still being written or read: at most one per document at a time.
WORK_IN_PROGRESS = frozenset({VersionStatus.DRAFT, VersionStatus.IN_REVIEW})
# Versions whose content was once in force: kept for the record.
PUBLISHED = frozenset({VersionStatus.APPROVED, VersionStatus.SUPERSEDED, VersionStatus.OBSOLETE})

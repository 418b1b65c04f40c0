"""Vocabulary of continuous improvement (ISO 9001 clause 10) and its state machine."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Origin(models.TextChoices):
    NONCONFORMITY = "nonconformity", _("nonconformity")
    COMPLAINT = "complaint", _("complaint")
    SUGGESTION = "suggestion", _("suggestion")
    OPPORTUNITY = "opportunity", _("opportunity for improvement")
    # Raised from a risk's page to carry out its treatment (risks.services.risk_raise_item).
    RISK = "risk", _("risk or opportunity")


# A report by someone outside the quality system (a student) has no origin until the process
# owner or the quality manager classifies it (ItemStatus.TO_CLASSIFY); its reference keeps
# the prefix it was given then: SI (signalement).
UNCLASSIFIED_REFERENCE_PREFIX = "SI"


class ReportKind(models.TextChoices):
    """What the person who reports says, in their words, before anyone classifies it."""

    PROBLEM = "problem", _("a problem")
    IDEA = "idea", _("an idea")


# Reference prefixes: NC-2026-0042 (non-conformité), RE (réclamation), SU (suggestion),
# OA (opportunité d'amélioration), RO (risque ou opportunité, raised from the risk register).
REFERENCE_PREFIX = {
    Origin.NONCONFORMITY: "NC",
    Origin.COMPLAINT: "RE",
    Origin.SUGGESTION: "SU",
    Origin.OPPORTUNITY: "OA",
    Origin.RISK: "RO",
}


class ComplainantKind(models.TextChoices):
    STUDENT = "student", _("student")
    COMPANY = "company", _("company")
    PARENT = "parent", _("parent")
    STAFF = "staff", _("staff")
    OTHER = "other", _("other")


class Severity(models.TextChoices):
    MINOR = "minor", _("minor")
    MAJOR = "major", _("major")


class RootCauseMethod(models.TextChoices):
    FIVE_WHYS = "five_whys", _("5 Whys")
    ISHIKAWA = "ishikawa", _("Ishikawa (cause and effect)")
    OTHER = "other", _("other")


class ItemStatus(models.TextChoices):
    TO_CLASSIFY = "to_classify", _("to classify")
    NEW = "new", _("new")
    ACCEPTED = "accepted", _("accepted")
    REJECTED = "rejected", _("rejected")
    ANALYSED = "analysed", _("analysed")
    ACTIONS_UNDER_WAY = "actions_under_way", _("actions under way")
    AWAITING_CHECK = "awaiting_check", _("awaiting effectiveness check")
    CLOSED_EFFECTIVE = "closed_effective", _("closed, effective")
    REOPENED = "reopened", _("reopened, not effective")


class ItemTransition(models.TextChoices):
    CLASSIFY = "classify", _("classify")
    ACCEPT = "accept", _("accept")
    REJECT = "reject", _("reject")
    ANALYSE = "analyse", _("record the analysis")
    START_ACTIONS = "start_actions", _("start the actions")
    REQUEST_CHECK = "request_check", _("ask for the effectiveness check")
    CLOSE_EFFECTIVE = "close_effective", _("close as effective")
    REOPEN = "reopen", _("reopen as not effective")


# The state machine itself is declared in workflows.py.
OPEN_ITEM_STATUSES = frozenset(
    {
        ItemStatus.TO_CLASSIFY,
        ItemStatus.NEW,
        ItemStatus.ACCEPTED,
        ItemStatus.ANALYSED,
        ItemStatus.ACTIONS_UNDER_WAY,
        ItemStatus.AWAITING_CHECK,
        ItemStatus.REOPENED,
    }
)


class ActionKind(models.TextChoices):
    CORRECTIVE = "corrective", _("corrective")
    PREVENTIVE = "preventive", _("preventive")
    IMPROVEMENT = "improvement", _("improvement")


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    CANCELLED = "cancelled", _("cancelled")


class ActionTransition(models.TextChoices):
    START = "start", _("start")
    COMPLETE = "complete", _("mark as done")
    CANCEL = "cancel", _("cancel")
    RESUME = "resume", _("resume")


OPEN_ACTION_STATUSES = frozenset({ActionStatus.PLANNED, ActionStatus.IN_PROGRESS})

# An item in these states is closed: nothing is added to it or to its actions any more.
CLOSED_ITEM_STATUSES = frozenset({ItemStatus.CLOSED_EFFECTIVE, ItemStatus.REJECTED})
# An item takes new actions from its acceptance until it is closed (and again when reopened).
ACTION_STATES_OF_ITEM = frozenset(
    {ItemStatus.ACCEPTED, ItemStatus.ANALYSED, ItemStatus.ACTIONS_UNDER_WAY, ItemStatus.REOPENED}
)

"""Vocabulary of internal and external audits (ISO 9001 clause 9.2, ISO 19011) and the
finding grades French certification bodies use (AFNOR's report vocabulary)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditKind(models.TextChoices):
    INTERNAL = "internal", _("internal audit")
    CERTIFICATION = "certification", _("certification audit")
    SURVEILLANCE = "surveillance", _("surveillance audit")
    RENEWAL = "renewal", _("renewal audit")
    ACCREDITATION = "accreditation", _("accreditation visit")


EXTERNAL_KINDS = frozenset(
    {AuditKind.CERTIFICATION, AuditKind.SURVEILLANCE, AuditKind.RENEWAL, AuditKind.ACCREDITATION}
)

# Reference prefixes: AI-2026-0004 (audit interne), AE-2026-0001 (audit externe).
INTERNAL_PREFIX = "AI"
EXTERNAL_PREFIX = "AE"


class AuditStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    IN_PROGRESS = "in_progress", _("in progress")
    REPORTED = "reported", _("reported")
    CLOSED = "closed", _("closed")
    CANCELLED = "cancelled", _("cancelled")


class AuditTransition(models.TextChoices):
    START = "start", _("start the audit")
    REPORT = "report", _("issue the report")
    CLOSE = "close", _("close the audit")
    CANCEL = "cancel", _("cancel the audit")


# The state machine itself is declared in workflows.py.
DONE_AUDIT_STATUSES = frozenset({AuditStatus.REPORTED, AuditStatus.CLOSED})
OPEN_AUDIT_STATUSES = frozenset({AuditStatus.PLANNED, AuditStatus.IN_PROGRESS})


class Answer(models.TextChoices):
    CONFORM = "conform", _("conform")
    NOT_CONFORM = "not_conform", _("not conform")
    NOT_APPLICABLE = "not_applicable", _("not applicable")


class Grade(models.TextChoices):
    """As the certification bodies grade (AFNOR: NC Maj, NC Min, PS, PV, PP, PF)."""

    MAJOR_NONCONFORMITY = "major_nc", _("major nonconformity")
    MINOR_NONCONFORMITY = "minor_nc", _("minor nonconformity")
    SENSITIVE_POINT = "sensitive_point", _("sensitive point")
    OBSERVATION = "observation", _("observation")
    OPPORTUNITY = "opportunity", _("opportunity for improvement")
    STRENGTH = "strength", _("strength")


NONCONFORMITY_GRADES = frozenset({Grade.MAJOR_NONCONFORMITY, Grade.MINOR_NONCONFORMITY})
# The grades that become an improvement item (a nonconformity, or an opportunity).
ITEM_GRADES = NONCONFORMITY_GRADES | {Grade.OPPORTUNITY}

# The one declared place of the corrective-action delays each grade implies, counted in
# days from the last day of the audit: a major nonconformity must be corrected within three
# months and a minor one within six (the certification bodies' rule, Qualiopi's as well);
# an opportunity is looked at within the year, before the next surveillance audit.
CORRECTIVE_ACTION_DAYS: dict[str, int] = {
    Grade.MAJOR_NONCONFORMITY: 90,
    Grade.MINOR_NONCONFORMITY: 180,
    Grade.OPPORTUNITY: 365,
}

# Short codes printed in the report, as on a certification body's report.
GRADE_CODES: dict[str, str] = {
    Grade.MAJOR_NONCONFORMITY: "NC Maj",
    Grade.MINOR_NONCONFORMITY: "NC Min",
    Grade.SENSITIVE_POINT: "PS",
    Grade.OBSERVATION: "OBS",
    Grade.OPPORTUNITY: "PP",
    Grade.STRENGTH: "PF",
}

# The certification cycle over which every process and clause is audited at least once.
CYCLE_YEARS = 3

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CompanySize(models.TextChoices):
    MICRO = "micro", _("micro-enterprise (fewer than 10)")
    SME = "sme", _("SME (10 to 249)")
    MIDSIZE = "midsize", _("mid-size (250 to 4,999)")
    LARGE = "large", _("large (5,000 or more)")
    PUBLIC = "public", _("public body")
    ASSOCIATION = "association", _("association")


class AgreementKind(models.TextChoices):
    SPONSORSHIP = "sponsorship", _("sponsorship")
    APPRENTICESHIP = "apprenticeship", _("apprenticeship")
    RESEARCH_CHAIR = "research_chair", _("research chair")
    TEACHING = "teaching", _("teaching")
    RECRUITMENT = "recruitment", _("recruitment")
    EQUIPMENT = "equipment", _("equipment")
    APPRENTICESHIP_TAX = "apprenticeship_tax", _("apprenticeship tax (taxe d'apprentissage)")


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    UNDER_REVIEW = "under_review", _("under review")
    SIGNED = "signed", _("signed")
    ACTIVE = "active", pgettext_lazy("partnership agreement", "active")
    EXPIRED = "expired", _("expired")
    TERMINATED = "terminated", _("terminated")


class AgreementTransition(models.TextChoices):
    SUBMIT = "submit", _("submit for review")
    SIGN = "sign", _("record the signature")
    ACTIVATE = "activate", _("start")
    EXPIRE = "expire", _("mark as expired")
    TERMINATE = "terminate", _("terminate")
    REVISE = "revise", _("send back to draft")


# The state machine itself is declared in workflows.py.


class InterventionKind(models.TextChoices):
    LECTURE = "lecture", _("lecture")
    TUTORIAL = "tutorial", _("tutorial")
    PROJECT = "project", _("project")
    JURY = "jury", _("jury")
    CONFERENCE = "conference", _("conference")


# Statuses in which an agreement binds the school (its end is watched and reminded).
RUNNING_AGREEMENT_STATUSES = frozenset({AgreementStatus.SIGNED, AgreementStatus.ACTIVE})
# Statuses in which the content of an agreement may still be edited.
EDITABLE_AGREEMENT_STATUSES = frozenset({AgreementStatus.DRAFT, AgreementStatus.UNDER_REVIEW})


class ContactRole(models.TextChoices):
    """What a contact does with the school; each is a flag of Contact (is_<role>)."""

    HR = "hr", _("human resources")
    TUTOR = "tutor", _("internship tutor")
    SPEAKER = "speaker", _("speaker")
    ALUMNI = "alumni", _("graduate of the school")


CONTACT_ROLE_FIELDS = {
    ContactRole.HR: "is_hr",
    ContactRole.TUTOR: "is_tutor",
    ContactRole.SPEAKER: "is_speaker",
    ContactRole.ALUMNI: "is_alumni",
}

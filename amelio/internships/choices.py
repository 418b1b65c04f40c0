"""Internship agreements (conventions de stage): kinds, the workflow, the milestones of
their follow-up, and the legal figures the rules use."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class InternshipKind(models.TextChoices):
    DISCOVERY = "discovery", _("discovery")
    TECHNICIAN = "technician", _("technician")
    ENGINEER = "engineer", _("engineer (final year)")
    ABROAD = "abroad", _("abroad")
    GAP_YEAR = "gap_year", _("gap year")


class InternshipStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    CHECKED = "checked", _("checked by the office")
    VALIDATED = "validated", _("validated by the department")
    SIGNED = "signed", _("signed")
    UNDER_WAY = "under_way", _("under way")
    FINISHED = "finished", _("finished")
    EVALUATED = "evaluated", _("evaluated")
    CANCELLED = "cancelled", _("cancelled")
    AMENDED = "amended", _("replaced by an amendment")


class InternshipTransition(models.TextChoices):
    CHECK = "check", _("check")
    RETURN = "return", _("send back to the student")
    VALIDATE = "validate", _("validate")
    SIGN = "sign", _("record the three signatures")
    START = "start", _("confirm the start")
    FINISH = "finish", _("mark as finished")
    EVALUATE = "evaluate", _("close the evaluation")
    CANCEL = "cancel", _("cancel")


# The state machine itself is declared in workflows.py.

# States whose presence counts against the student's limits with a host.
COUNTING_STATUSES = frozenset(
    {
        InternshipStatus.DRAFT,
        InternshipStatus.CHECKED,
        InternshipStatus.VALIDATED,
        InternshipStatus.SIGNED,
        InternshipStatus.UNDER_WAY,
        InternshipStatus.FINISHED,
        InternshipStatus.EVALUATED,
    }
)
# States in which a company tutor follows the intern: a finished internship no longer takes
# their time, a cancelled or replaced one never will.
TUTORED_STATUSES = frozenset(
    {
        InternshipStatus.DRAFT,
        InternshipStatus.CHECKED,
        InternshipStatus.VALIDATED,
        InternshipStatus.SIGNED,
        InternshipStatus.UNDER_WAY,
    }
)
# States whose milestones are followed: from the signature until the grade is given.
FOLLOWED_STATUSES = frozenset(
    {
        InternshipStatus.SIGNED,
        InternshipStatus.UNDER_WAY,
        InternshipStatus.FINISHED,
        InternshipStatus.EVALUATED,
    }
)
# States whose reports (progress, final) can be added: once the internship has begun.
REPORT_STATUSES = frozenset({InternshipStatus.UNDER_WAY, InternshipStatus.FINISHED, InternshipStatus.EVALUATED})
# States in which the agreement's content is edited: the student's draft; the office's until validated.
EDITABLE_BY_STUDENT_STATUSES = frozenset({InternshipStatus.DRAFT})
EDITABLE_BY_OFFICE_STATUSES = frozenset({InternshipStatus.DRAFT, InternshipStatus.CHECKED})
# States an amendment may start from: the agreement is signed and not over.
AMENDABLE_STATUSES = frozenset({InternshipStatus.SIGNED, InternshipStatus.UNDER_WAY})


class LegalFigureKey(models.TextChoices):
    MIN_HOURLY_GRATIFICATION = "min_hourly_gratification", _("minimum hourly gratification (€)")
    GRATIFICATION_THRESHOLD_HOURS = (
        "gratification_threshold_hours",
        _("presence above which gratification is due (hours)"),
    )
    MAX_HOURS_SAME_HOST = "max_hours_same_host", _("maximum presence with one host per academic year (hours)")
    ACADEMIC_TUTOR_QUOTA = "academic_tutor_quota", _("interns followed at once by an academic tutor")
    COMPANY_TUTOR_QUOTA = "company_tutor_quota", _("interns followed at once by a company tutor")


class MilestoneKind(models.TextChoices):
    AGREEMENT_SIGNED = "agreement_signed", _("agreement signed")
    ARRIVAL_CONFIRMED = "arrival_confirmed", _("arrival confirmed")
    MIDTERM_CONTACT = "midterm_contact", _("mid-term contact by the academic tutor")
    COMPANY_EVALUATION = "company_evaluation", _("company tutor's evaluation")
    REPORT_SUBMITTED = "report_submitted", _("report submitted")
    DEFENCE = "defence", _("defence")
    GRADE = "grade", _("grade")


class EvaluationKind(models.TextChoices):
    COMPANY_TUTOR = "company_tutor", _("company tutor's evaluation of the intern")
    STUDENT = "student", _("student's evaluation of the internship")

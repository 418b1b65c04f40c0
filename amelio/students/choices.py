"""Students' status, enrolments and their outcomes, mobility, English tests and graduates'
situations, with the categories of the national graduate survey (CGE)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class StudentStatus(models.TextChoices):
    STUDENT = "student", _("student status")
    APPRENTICE = "apprentice", _("apprentice")


class EntryRoute(models.TextChoices):
    INTEGRATED_PREPARATORY = "integrated_prep", _("integrated preparatory years")
    COMPETITIVE_EXAM = "competitive_exam", _("competitive exam after preparatory classes")
    ADMISSION_ON_FILE = "admission_on_file", _("admission on file (BUT, licence, ...)")
    APPRENTICESHIP = "apprenticeship", _("apprenticeship admission")
    INTERNATIONAL = "international", _("international admission")
    OTHER = "other", _("other")


class Outcome(models.TextChoices):
    PENDING = "pending", _("year under way")
    PASSED = "passed", _("passed")
    REPEATING = "repeating", _("repeating the year")
    LEFT = "left", _("left the school")
    GRADUATED = "graduated", _("graduated")


# Outcomes that close the year; a year under way is counted in no rate.
DECIDED_OUTCOMES = frozenset({Outcome.PASSED, Outcome.REPEATING, Outcome.LEFT, Outcome.GRADUATED})
# Outcomes after which the student is no longer enrolled at the school.
FINAL_OUTCOMES = frozenset({Outcome.LEFT, Outcome.GRADUATED})


class LeavingReason(models.TextChoices):
    REORIENTATION = "reorientation", _("change of orientation")
    ACADEMIC_FAILURE = "academic_failure", _("academic failure")
    PERSONAL = "personal", _("personal or health reasons")
    FINANCIAL = "financial", _("financial reasons")
    TRANSFER = "transfer", _("transfer to another school")
    EXCLUSION = "exclusion", _("exclusion")
    OTHER = "other", _("other")


class YearOfStudy(models.IntegerChoices):
    """Years after the baccalauréat: two preparatory years, then the three years of the
    engineering cycle (the programme's `duration_years`)."""

    PREPARATORY_1 = 1, _("1st preparatory year")
    PREPARATORY_2 = 2, _("2nd preparatory year")
    THIRD = 3, _("3rd year (1st year of the engineering cycle)")
    FOURTH = 4, _("4th year")
    FIFTH = 5, _("5th year (final year)")


class MobilityKind(models.TextChoices):
    SEMESTER_ABROAD = "semester_abroad", _("semester abroad")
    DOUBLE_DEGREE = "double_degree", _("double degree")
    INTERNSHIP_ABROAD = "internship_abroad", _("internship abroad")
    OTHER = "other", _("other stay abroad")


class CefrLevel(models.TextChoices):
    """Common European Framework of Reference for languages, in increasing order."""

    A1 = "A1", "A1"
    A2 = "A2", "A2"
    B1 = "B1", "B1"
    B2 = "B2", "B2"
    C1 = "C1", "C1"
    C2 = "C2", "C2"


CEFR_ORDER = [level.value for level in CefrLevel]


def cefr_at_least(level: str, required: str) -> bool:
    return CEFR_ORDER.index(level) >= CEFR_ORDER.index(required)


class SurveyWave(models.IntegerChoices):
    """Months after graduation, as the national survey asks each of the last three classes."""

    SIX_MONTHS = 6, _("6 months")
    EIGHTEEN_MONTHS = 18, _("18 months")
    THIRTY_MONTHS = 30, _("30 months")


class Situation(models.TextChoices):
    EMPLOYED = "employed", _("employed")
    JOB_SEEKING = "job_seeking", _("seeking a job")
    FURTHER_STUDY = "further_study", _("further study")
    PHD = "phd", _("PhD")
    VOLUNTEERING = "volunteering", _("volunteering abroad (VIE, VIA, ...)")
    OTHER = "other", _("other")


class Contract(models.TextChoices):
    PERMANENT = "permanent", _("permanent contract (CDI)")
    FIXED_TERM = "fixed_term", _("fixed-term contract (CDD)")
    OTHER = "other", _("other (self-employed, temporary, ...)")


class JobChannel(models.TextChoices):
    END_OF_STUDIES_INTERNSHIP = "internship", _("end-of-studies internship")
    APPRENTICESHIP_HOST = "apprenticeship", _("apprenticeship host")
    NETWORK = "network", _("personal or alumni network")
    JOB_BOARD = "job_board", _("job board or company website")
    RECRUITER_APPROACH = "approached", _("approached by a recruiter")
    SCHOOL = "school", _("school's careers service or forum")
    OTHER = "other", _("other")


class RequirementState(models.TextChoices):
    MET = "met", _("met")
    PENDING = "pending", _("not yet met")
    AT_RISK = "at_risk", _("at risk")

from django.db import models
from django.utils.translation import gettext_lazy as _


class QuestionnaireKind(models.TextChoices):
    """What a questionnaire is for: the computed indicators are registered per kind, so an
    indicator names the questionnaires it reads by their kind."""

    COURSE_EVALUATION = "course_evaluation", _("course evaluation")
    INTERNSHIP_SATISFACTION = "internship_satisfaction", _("internship satisfaction")
    GRADUATES = "graduates", _("graduates' insertion")
    STAFF = "staff", _("staff satisfaction")
    COMPANIES = "companies", _("partner company satisfaction")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")


class QuestionKind(models.TextChoices):
    LIKERT = "likert", _("agreement scale (Likert)")
    NPS = "nps", _("recommendation 0–10 (NPS)")
    SINGLE_CHOICE = "single_choice", _("single choice")
    MULTIPLE_CHOICE = "multiple_choice", _("multiple choice")
    NUMBER = "number", _("numeric answer")
    DATE = "date", _("date")
    TEXT = "text", _("free text")
    MATRIX = "matrix", _("matrix (rows on one agreement scale)")


CHOICE_KINDS = (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE)
LIKERT_POINTS = (4, 5, 7)
# The types answered on an agreement scale of `scale_points` levels (a matrix: one per row).
SCALE_KINDS = (QuestionKind.LIKERT, QuestionKind.MATRIX)


class Audience(models.TextChoices):
    STUDENTS = "students", _("students of a programme or department")
    COMPANY_TUTORS = "company_tutors", _("company tutors of the year's internships")
    STAFF = "staff", _("staff and teachers")
    INTERNS = "interns", _("interns of the year's internships")
    PARTNER_CONTACTS = "partner_contacts", _("contacts of the partner companies")
    GRADUATES = "graduates", _("graduates of a year")


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


class CampaignTransition(models.TextChoices):
    OPEN = "open", _("open and send the links")
    CLOSE = "close", _("close")


# Below this many answers, a department's or programme's figures are not shown: so few
# answers could point at the people who gave them.
MINIMUM_GROUP_SIZE = 5

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProcessKind(models.TextChoices):
    MANAGEMENT = "management", _("management")
    REALISATION = "realisation", _("realisation")
    SUPPORT = "support", _("support")


class RaciResponsibility(models.TextChoices):
    RESPONSIBLE = "R", _("Responsible")
    ACCOUNTABLE = "A", _("Accountable")
    CONSULTED = "C", _("Consulted")
    INFORMED = "I", _("Informed")


class IssueOrigin(models.TextChoices):
    INTERNAL = "internal", _("internal")
    EXTERNAL = "external", _("external")


class IssueEffect(models.TextChoices):
    POSITIVE = "positive", _("positive (strength or opportunity)")
    NEGATIVE = "negative", _("negative (weakness or threat)")


class PartyCategory(models.TextChoices):
    STUDENTS = "students", _("students")
    COMPANIES = "companies", _("companies")
    STAFF = "staff", _("staff")
    GRADUATES = "graduates", _("graduates")
    ACCREDITATION = "accreditation", _("accreditation body")
    CERTIFICATION = "certification", _("certification body")
    STATE = "state", _("state and authorities")
    FAMILIES = "families", _("families")
    OTHER = "other", _("other")


class Relevance(models.TextChoices):
    HIGH = "high", _("high")
    MEDIUM = "medium", _("medium")
    LOW = "low", _("low")


class StatementKind(models.TextChoices):
    SCOPE = "scope", _("scope of the quality management system")
    POLICY = "policy", _("quality policy")

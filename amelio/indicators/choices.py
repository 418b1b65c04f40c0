"""Vocabulary of indicators (ISO 9001 clause 9.1.1): what an indicator covers, how often it
is measured, which way is better, where its values come from, and how a value stands
against its target."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ScopeKind(models.TextChoices):
    """What one value of the indicator covers: the whole school, one department, or one
    programme (a value is kept per department, or per programme, of that kind)."""

    SCHOOL = "school", _("for the whole school")
    DEPARTMENT = "department", _("per department")
    PROGRAMME = "programme", _("per programme")


class PeriodKind(models.TextChoices):
    # Semesters and months come with the later slices of issue 11.
    ACADEMIC_YEAR = "academic_year", _("academic year")


class Direction(models.TextChoices):
    HIGHER_IS_BETTER = "higher", _("higher is better")
    LOWER_IS_BETTER = "lower", _("lower is better")


class Source(models.TextChoices):
    MANUAL = "manual", _("entered by hand")
    COMPUTED = "computed", _("computed from the records")


class DashboardKind(models.TextChoices):
    """The dashboards of indicators: one page shape, four choices of indicators (see
    selectors.dashboard_for for what each one shows)."""

    SCHOOL = "school", _("School dashboard")
    DEPARTMENT = "department", _("Department dashboard")
    PROCESS = "process", _("Process dashboard")
    MINE = "mine", _("My indicators")


class Light(models.TextChoices):
    """How a value stands against the year's target and alert threshold."""

    ON_TARGET = "on_target", _("on target")
    WATCH = "watch", _("between target and threshold")
    ALERT = "alert", _("beyond the alert threshold")
    UNKNOWN = "unknown", _("no target or no value")

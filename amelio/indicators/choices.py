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
    """How often the indicator is measured: one value per academic year, per semester or
    per month of the year (see periods.py for the semesters' dates and the periods' codes).
    Targets stay per academic year."""

    ACADEMIC_YEAR = "academic_year", _("per academic year")
    SEMESTER = "semester", _("per semester")
    MONTH = "month", _("per month")


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


# Quality objectives (ISO 9001 clause 6.2) --------------------------------------------------------


class ObjectiveStatus(models.TextChoices):
    """Where an objective stands in its life; how it is doing is its standing (below)."""

    DRAFT = "draft", _("draft")
    ACTIVE = "active", _("active")
    ACHIEVED = "achieved", _("achieved")
    NOT_ACHIEVED = "not_achieved", _("not achieved")
    ABANDONED = "abandoned", _("abandoned")


class ObjectiveTransition(models.TextChoices):
    ACTIVATE = "activate", _("activate")
    ACHIEVE = "achieve", _("close as achieved")
    MISS = "miss", _("close as not achieved")
    ABANDON = "abandon", _("abandon")
    REOPEN = "reopen", _("reopen")


# The state machine itself is declared in workflows.py.
OPEN_OBJECTIVE_STATUSES = frozenset({ObjectiveStatus.DRAFT, ObjectiveStatus.ACTIVE})
CLOSED_OBJECTIVE_STATUSES = frozenset(
    {ObjectiveStatus.ACHIEVED, ObjectiveStatus.NOT_ACHIEVED, ObjectiveStatus.ABANDONED}
)


class Standing(models.TextChoices):
    """How an objective is doing, computed from the latest values of its indicators against
    the objective's own targets (never stored: it follows the values)."""

    ON_TRACK = "on_track", _("on track")
    BEHIND = "behind", _("behind its target")
    AT_RISK = "at_risk", _("at risk")
    NOT_MEASURED = "not_measured", _("not measured yet")

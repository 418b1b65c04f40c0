"""The internships part of each person's daily digest: the follow-up milestones due within a
week or overdue, of the internships they tutor and, for the internship office, of the
internships of its scope."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from amelio.notifications.digest import absolute, digest_section
from amelio.organisation.choices import PersonKind, Role
from amelio.organisation.permissions import roles_of

from .choices import FOLLOWED_STATUSES
from .models import Milestone

DUE_SOON_DAYS = 7
MAX_LINES = 40  # the school-wide office may have hundreds; the board lists them all


def followed_milestones(person: Any) -> QuerySet[Milestone]:
    """Open milestones of the internships `person` follows: as academic tutor, or as the
    internship office of the whole school or of the programme's department."""
    roles = roles_of(person)
    if roles.has_school_wide(Role.INTERNSHIP_OFFICE):
        whose = Q()
    else:
        departments = roles.departments_for(Role.INTERNSHIP_OFFICE)
        if not departments and getattr(person, "kind", "") != PersonKind.TEACHER:
            return Milestone.objects.none()  # only a teacher tutors (the services make sure)
        whose = Q(internship__academic_tutor_id=person.pk)
        if departments:
            whose |= Q(internship__programme__department_id__in=departments)
    return Milestone.objects.filter(whose, done_on__isnull=True, internship__status__in=FOLLOWED_STATUSES)


@digest_section
def milestones_due(person: Any, day: datetime.date) -> tuple[str, list[str]]:
    """Open milestones overdue or due by `day` + 7 days, soonest first."""
    title = _("Internship milestones due within %(days)s days or overdue") % {"days": DUE_SOON_DAYS}
    due = followed_milestones(person).filter(due_on__lte=day + datetime.timedelta(days=DUE_SOON_DAYS))
    milestones = list(
        due.select_related("internship__student", "internship__company").order_by("due_on", "id")[: MAX_LINES + 1]
    )
    lines = []
    for milestone in milestones[:MAX_LINES]:
        internship = milestone.internship
        values = {"date": milestone.due_on.isoformat(), "milestone": milestone.get_kind_display()}
        if milestone.due_on < day:
            line = _("Overdue since %(date)s: %(milestone)s") % values
        else:
            line = _("Due on %(date)s: %(milestone)s") % values
        lines.append(
            f"{line} — {internship.reference} {internship.student} ({internship.company}) "
            f"{absolute(internship.get_absolute_url())}"
        )
    if len(milestones) > MAX_LINES:
        lines.append(
            _("… and %(count)s more on the follow-up board: %(url)s")
            % {"count": due.count() - MAX_LINES, "url": absolute(reverse("internships:follow_up"))}
        )
    return title, lines

"""Periodic tasks of internships. Nothing here changes an agreement's state: a start or an
end is confirmed by a person, through the services."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from amelio.core.emails import readable_date
from amelio.notifications.models import Notification
from amelio.notifications.services import notify

from .digest import FOLLOWED_STATUSES
from .models import Milestone

BATCH = 500


def _message(milestone: Milestone) -> tuple[str, str, str]:
    """Subject, body and link of the notice of an overdue milestone. The subject and link
    together name the milestone: they are how a notice already sent is recognised."""
    internship = milestone.internship
    values = {
        "milestone": milestone.get_kind_display(),
        "reference": internship.reference,
        "student": internship.student,
        "company": internship.company,
        "date": readable_date(milestone.due_on),
    }
    subject = _("Overdue milestone of %(reference)s: %(milestone)s") % values
    body = (
        _(
            "The milestone “%(milestone)s” of the internship of %(student)s at %(company)s was due on %(date)s "
            "and is not marked done."
        )
        % values
    )
    return subject, body, f"{internship.get_absolute_url()}#follow-up"


def overdue_milestones_notify(*, day: datetime.date) -> int:
    """Notifies each academic tutor, once per milestone, of the milestones of the internships
    they follow that are overdue on `day` and not done. Returns how many notices were sent.

    A notice is sent once: a notification to the same person with the same link and
    subject means it was (the notifications table is the record, read or not)."""
    overdue = (
        Milestone.objects.filter(
            done_on__isnull=True,
            due_on__lt=day,
            internship__status__in=FOLLOWED_STATUSES,
            internship__academic_tutor__isnull=False,
            internship__academic_tutor__is_active=True,
        )
        .select_related("internship__academic_tutor", "internship__student", "internship__company")
        .order_by("due_on", "id")
    )
    sent = 0
    # Subjects are written in the school's language, whoever reads them, so that the same
    # milestone always reads the same.
    with translation.override(settings.LANGUAGE_CODE):
        batch: list[Milestone] = []
        for milestone in overdue.iterator(chunk_size=BATCH):
            batch.append(milestone)
            if len(batch) == BATCH:
                sent += _notify_batch(batch)
                batch = []
        if batch:
            sent += _notify_batch(batch)
    return sent


def _notify_batch(milestones: list[Milestone]) -> int:
    messages = [(milestone, *_message(milestone)) for milestone in milestones]
    tutors = {milestone.internship.academic_tutor_id for milestone in milestones}
    already = set(
        Notification.objects.filter(recipient_id__in=tutors, url__in={url for _m, _s, _b, url in messages}).values_list(
            "recipient_id", "url", "subject"
        )
    )
    sent = 0
    for milestone, subject, body, url in messages:
        tutor: Any = milestone.internship.academic_tutor
        if (tutor.pk, url, subject[:250]) in already:
            continue
        sent += len(notify(recipients=[tutor], subject=subject, body=body, url=url))
    return sent


@db_periodic_task(crontab(hour="6", minute="45"))
def notify_overdue_milestones() -> int:
    """Every morning: the academic tutors hear of each milestone that became overdue."""
    return overdue_milestones_notify(day=timezone.localdate())

"""Emails of notifications, and the daily digest (a periodic task of the worker)."""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from amelio.core.emails import readable_date, recipient_language, send_email_after_commit

from .choices import EmailMode
from .digest import absolute, sections
from .models import DigestLog, Notification, Preference

logger = logging.getLogger(__name__)

__all__ = ["absolute", "build_digest", "email_notification_task", "send_daily_digests", "send_digest"]


@db_task(retries=3, retry_delay=60)
def email_notification_task(notification_id: int) -> bool:
    notification = Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    if notification is None or notification.emailed_at is not None:
        return False
    body = notification.body
    if notification.url:
        body = f"{body}\n\n{absolute(notification.url)}".strip()
    EmailMessage(
        subject=f"[Amelio] {notification.subject}",
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient.email],
    ).send()
    Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    return True


def _compose(person: Any, day: datetime.date) -> tuple[str | None, list[int]]:
    """The digest text (None when there is nothing to say) and the notifications it carries."""
    parts = []
    for section in sections():
        title, lines = section(person, day)
        if lines:
            parts.append((title, lines))
    pending: list[Notification] = []
    # Only those who chose the digest get their notifications in it; the others' go one by
    # one through email_notification_task, which a digest must not pre-empt.
    if Preference.objects.filter(person_id=person.pk, email_mode=EmailMode.DIGEST).exists():
        pending = list(
            Notification.objects.filter(recipient_id=person.pk, emailed_at__isnull=True).order_by("created_at", "id")
        )
        if pending:
            parts.append((_("Notifications"), [f"{n.subject} {absolute(n.url)}".strip() for n in pending]))
    if not parts:
        return None, []
    text = render_to_string("notifications/digest.txt", {"person": person, "day": day, "parts": parts})
    return text, [notification.pk for notification in pending]


def build_digest(person: Any, day: datetime.date) -> str | None:
    """The digest text for `person`, or None when there is nothing to say."""
    return _compose(person, day)[0]


def send_digest(person: Any, day: datetime.date) -> bool:
    """Send `person` their digest for `day`, once: a second call the same day sends nothing."""
    with translation.override(recipient_language(person.email)):
        text, carried = _compose(person, day)
        subject = _("[Amelio] Your day: %(date)s") % {"date": readable_date(day)}
    if text is None:
        return False
    try:
        with transaction.atomic():
            DigestLog.objects.create(person=person, day=day)
            Notification.objects.filter(pk__in=carried, emailed_at__isnull=True).update(emailed_at=timezone.now())
            # Through the email task, after commit: retried when the mail server fails.
            send_email_after_commit(to=[person.email], subject=subject, body=text)
    except IntegrityError:
        return False  # already sent today (another worker, or a retry)
    return True


@db_periodic_task(crontab(hour="6", minute="30"))
def send_daily_digests() -> int:
    """Every morning: one email per person who has something due, overdue or unread."""
    from amelio.organisation.models import Person

    day = timezone.localdate()
    sent = 0
    already = DigestLog.objects.filter(day=day).values("person_id")
    for person in Person.objects.filter(is_active=True).exclude(pk__in=already).iterator():
        try:
            sent += send_digest(person, day)
        except Exception:  # one person's failure must not stop the others' digests
            logger.exception("Digest for %s failed", person.pk)
    return sent

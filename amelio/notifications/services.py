"""Writing notifications. The in-app notification is written in the caller's transaction;
its email leaves after commit through the worker, or waits for the daily digest."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import Any

from django.db import transaction

from amelio.core import clock

from .choices import EmailMode
from .models import Notification, Preference


def email_mode_of(person: Any) -> str:
    preference = Preference.objects.filter(person_id=person.pk).values_list("email_mode", flat=True).first()
    return preference or EmailMode.IMMEDIATE


def notify(
    *, recipients: Iterable[Any], subject: str, body: str = "", url: str = "", exclude: Any = None
) -> list[Notification]:
    """Notify each distinct active recipient (but `exclude`, usually the actor)."""
    from .tasks import email_notification_task

    seen: set[int] = set()
    created = []
    for person in recipients:
        if person is None or not person.is_active or person.pk in seen:
            continue
        if exclude is not None and person.pk == getattr(exclude, "pk", None):
            continue
        seen.add(person.pk)
        notification = Notification.objects.create(
            recipient=person, subject=str(subject)[:250], body=str(body), url=url
        )
        created.append(notification)
        if email_mode_of(person) == EmailMode.IMMEDIATE:
            transaction.on_commit(partial(email_notification_task, notification.pk))
    return created


def notification_mark_read(*, actor: Any, notification: Notification) -> None:
    if notification.recipient_id != actor.pk:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    if notification.read_at is None:
        notification.read_at = clock.now()
        notification.save(update_fields=["read_at"])


def preference_set(*, actor: Any, email_mode: str) -> Preference:
    preference, _created = Preference.objects.update_or_create(person=actor, defaults={"email_mode": email_mode})
    return preference

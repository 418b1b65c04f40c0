"""Replaying the demo's two years of work: each service is called with the clock frozen on
the day (and hour) its step happened, so what it writes — history, creation times, closing
dates, notifications — is dated then. Nothing is re-dated afterwards."""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils import timezone

from amelio.core import clock
from amelio.notifications.models import Notification
from amelio.notifications.services import notification_mark_read

# Notifications older than this were read long ago; the newer ones wait for their reader.
NOTIFICATIONS_KEPT_UNREAD_DAYS = 14


def moment(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """`day` at `hour`:`minute` in the school's time zone, never later than now: a step of
    today happens at the latest when the demo is built."""
    at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(min(hour, 23), minute)))
    return min(at, timezone.now())


@contextmanager
def on(day: datetime.date, hour: int, minute: int = 0) -> Iterator[datetime.datetime]:
    """The services called inside the block write `day` at `hour`."""
    with clock.frozen_at(moment(day, hour, minute)) as frozen:
        yield frozen


def read_old_notifications(rng: random.Random) -> int:
    """Each person reads, an hour to a day after it came, every notification older than
    NOTIFICATIONS_KEPT_UNREAD_DAYS: old news must not fill a digest."""
    limit = timezone.now() - datetime.timedelta(days=NOTIFICATIONS_KEPT_UNREAD_DAYS)
    old = Notification.objects.filter(read_at__isnull=True, created_at__lt=limit).select_related("recipient")
    count = 0
    for notification in old.order_by("pk").iterator():
        read_at = min(notification.created_at + datetime.timedelta(hours=rng.randint(1, 30)), limit)
        with clock.frozen_at(read_at):
            notification_mark_read(actor=notification.recipient, notification=notification)
        count += 1
    return count

"""The time the services write. Normally the real time; inside `frozen_at(moment)` it is
`moment`, so a builder replaying the past (the demo school) has every service date what it
writes — history entries, creation times, closing dates — on the day it happened, instead
of rewriting them afterwards. Models read it through `default=clock.now`.

A context variable, not a setting: each thread and each asynchronous task has its own
clock, and leaving the block restores the real time even when an error is raised."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.utils import timezone

_frozen: ContextVar[datetime.datetime | None] = ContextVar("amelio_clock", default=None)


def now() -> datetime.datetime:
    """The current moment, timezone-aware."""
    moment = _frozen.get()
    return moment if moment is not None else timezone.now()


def today() -> datetime.date:
    """The current day in the school's time zone."""
    return timezone.localdate(now())


@contextmanager
def frozen_at(moment: datetime.datetime) -> Iterator[datetime.datetime]:
    """Every service called inside the block writes `moment` as the current time."""
    if timezone.is_naive(moment):
        raise ValueError("The clock is frozen at an aware datetime only.")
    token = _frozen.set(moment)
    try:
        yield moment
    finally:
        _frozen.reset(token)

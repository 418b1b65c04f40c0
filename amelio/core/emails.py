"""Emails leave after the transaction that caused them commits, through the task worker,
so a rolled-back change never sends mail and a slow mail server never slows a page."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction

_not_sent: ContextVar[bool] = ContextVar("emails_not_sent", default=False)


@contextmanager
def emails_not_sent() -> Iterator[None]:
    """No email leaves from inside the block: for a builder that replays the past (the demo
    school), whose messages belonged to their day and whose addresses look real. Everything
    else the services write (history, notifications in the application) is written."""
    token = _not_sent.set(True)
    try:
        yield
    finally:
        _not_sent.reset(token)


def send_email_after_commit(*, to: list[str], subject: str, body: str) -> None:
    from .tasks import send_email_task

    recipients = [address for address in to if address]
    if not recipients or _not_sent.get():
        return
    transaction.on_commit(lambda: send_email_task(to=recipients, subject=str(subject), body=str(body)))

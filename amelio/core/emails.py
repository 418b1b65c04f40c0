"""Emails leave after the transaction that caused them commits, through the task worker,
so a rolled-back change never sends mail and a slow mail server never slows a page."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import transaction
from django.utils import formats, translation

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


# Which language an address reads: registered by the app that knows the people and the
# school (organisation), so that core imports no domain app.
_language_of: Callable[[str], str] | None = None


def register_recipient_language(resolver: Callable[[str], str]) -> None:
    global _language_of
    _language_of = resolver


def recipient_language(email: str) -> str:
    """The language an email to `email` is written in: the recipient's, or the school's
    default for someone without an account — never the sender's."""
    return _language_of(email) if _language_of is not None else settings.LANGUAGE_CODE


def readable_date(day: datetime.date | datetime.datetime) -> str:
    """A date as a reader of the active language writes it ("1 décembre 2026")."""
    if isinstance(day, datetime.datetime):
        day = day.date()
    return str(formats.date_format(day, "DATE_FORMAT"))


def _sender(to: list[str], subject: str, body: str) -> Callable[[], object]:
    from .tasks import send_email_task

    return lambda: send_email_task(to=to, subject=subject, body=body)


def send_email_after_commit(
    *,
    to: list[str],
    compose: Callable[[], tuple[str, str]] | None = None,
    subject: str = "",
    body: str = "",
) -> None:
    """Queues an email for after commit. `compose()` returns (subject, body) and is called
    once per recipient's language inside `translation.override`, so the texts, the choice
    labels and the dates (`readable_date`) come out in the recipient's language; a subject
    and body given ready-made are sent as they are."""
    recipients = [address for address in to if address]
    if not recipients or _not_sent.get():
        return
    by_language: dict[str, list[str]] = {}
    for address in recipients:
        by_language.setdefault(recipient_language(address), []).append(address)
    for language, addresses in by_language.items():
        if compose is not None:
            with translation.override(language):
                subject_text, body_text = (str(text) for text in compose())
        else:
            subject_text, body_text = str(subject), str(body)
        transaction.on_commit(_sender(addresses, subject_text, body_text))

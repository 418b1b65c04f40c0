"""Emails leave after the transaction that caused them commits, through the task worker,
so a rolled-back change never sends mail and a slow mail server never slows a page."""

from __future__ import annotations

from django.db import transaction


def send_email_after_commit(*, to: list[str], subject: str, body: str) -> None:
    from .tasks import send_email_task

    recipients = [address for address in to if address]
    if not recipients:
        return
    transaction.on_commit(lambda: send_email_task(to=recipients, subject=str(subject), body=str(body)))

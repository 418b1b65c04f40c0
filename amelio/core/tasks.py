"""Background tasks of the core app, run by the huey worker (`manage.py run_huey`)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from huey.contrib.djhuey import task


@task(retries=3, retry_delay=60)
def send_email_task(*, to: list[str], subject: str, body: str, reply_to: list[str] | None = None) -> int:
    """Send one email through Django's configured backend; retried when the server fails."""
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        reply_to=reply_to or None,
    )
    return message.send(fail_silently=False)

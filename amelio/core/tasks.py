"""Background tasks of the core app, run by the huey worker (`manage.py run_huey`)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, task


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


@db_periodic_task(crontab(hour="3", minute="15"))
def remove_orphan_files_task() -> int:
    """Every night: the files left behind by rolled-back uploads (see files.remove_orphan_files)."""
    from .files import remove_orphan_files

    return remove_orphan_files()


@db_task(retries=1, retry_delay=30)
def build_export_task(export_id: int) -> str:
    """Builds a file asked for in a page (see prepared_exports.export_prepare)."""
    from .prepared_exports import export_build

    return export_build(export_id=export_id).status


@db_periodic_task(crontab(hour="3", minute="30"))
def remove_expired_exports_task() -> int:
    """Every night: the prepared exports past their keeping period, with their files."""
    from .prepared_exports import remove_expired_exports

    return remove_expired_exports()


@db_periodic_task(crontab(minute="*"))
def worker_heartbeat_task() -> None:
    """Every minute: the worker says it is alive, for /health/ (see health.py)."""
    from .health import worker_heartbeat_record

    worker_heartbeat_record()

"""Daily watch of partnership agreements (a periodic task of the worker): the owner is
reminded once before an agreement ends, and agreements past their end are marked expired."""

from __future__ import annotations

import logging

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import services

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(hour="7", minute="0"))
def watch_agreement_ends() -> dict[str, int]:
    """Every morning: reminders due today (each sent once), then expiries."""
    today = timezone.localdate()
    reminded = expired = 0
    for agreement in services.agreements_to_remind(today=today):
        try:
            reminded += services.agreement_send_reminder(agreement=agreement, today=today)
        except Exception:  # one agreement's failure must not stop the others' reminders
            logger.exception("Reminder of partnership agreement %s failed", agreement.pk)
    for agreement in services.agreements_past_end(today=today):
        try:
            services.agreement_expire(actor=None, agreement=agreement)
        except Exception:
            logger.exception("Expiry of partnership agreement %s failed", agreement.pk)
        else:
            expired += 1
    return {"reminded": reminded, "expired": expired}

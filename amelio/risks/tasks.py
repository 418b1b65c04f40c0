"""Daily reminder of risk reviews (a periodic task of the worker): each owner is told once
per review date, a week before it falls due or as soon as it is past."""

from __future__ import annotations

import logging

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import services

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(hour="7", minute="10"))
def remind_risk_reviews() -> dict[str, int]:
    today = timezone.localdate()
    reminded = 0
    for risk in services.risks_to_remind(today=today):
        try:
            reminded += services.risk_send_reminder(risk=risk, today=today)
        except Exception:  # one risk's failure must not stop the other owners' reminders
            logger.exception("Review reminder of risk %s failed", risk.pk)
    return {"reminded": reminded}

"""Reminders of the open survey campaigns (a periodic task of the worker)."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import services
from .choices import CampaignStatus
from .models import Campaign

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(hour="9", minute="30"))
def send_survey_reminders() -> dict[str, int]:
    """Every morning, to those who have not answered (each campaign's own limits)."""
    sent = 0
    for campaign in Campaign.objects.filter(status=CampaignStatus.OPEN):
        try:
            sent += services.reminders_send(campaign=campaign)
        except Exception:  # one campaign's failure must not stop the others' reminders
            logger.exception("Reminders of survey campaign %s failed", campaign.pk)
    return {"sent": sent}

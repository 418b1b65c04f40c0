"""Daily watch of documents' review dates (a periodic task of the worker): each owner is
reminded once per review date."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from amelio.core import clock

from . import services

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(hour="7", minute="5"))
def remind_document_reviews() -> int:
    """Every morning: the reminders due today, each sent once. Returns how many were sent."""
    today = clock.today()
    sent = 0
    for document in services.documents_to_remind(today=today):
        try:
            sent += services.document_send_review_reminder(document=document, today=today)
        except Exception:  # one document's failure must not stop the others' reminders
            logger.exception("Review reminder of document %s failed", document.pk)
    return sent

"""The daily review reminder, through the worker's own task function: each owner is told
once per review date, by notification and email, and told again only for a new date."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from amelio.history.models import HistoryEntry
from amelio.notifications.models import Notification
from amelio.risks import services
from amelio.risks.choices import RiskStatus
from amelio.risks.tasks import remind_risk_reviews

from .factories import RiskFactory

pytestmark = pytest.mark.django_db


def days(count: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=count)


def test_each_due_review_is_reminded_once(school: dict[str, Any], django_capture_on_commit_callbacks: Any) -> None:
    overdue = RiskFactory(process=school["process_civil"], owner=school["teacher"], review_on=days(-3))
    soon = RiskFactory(process=school["process_civil"], owner=school["head_civil"], review_on=days(7))
    RiskFactory(process=school["process_civil"], owner=school["teacher"], review_on=days(8))
    RiskFactory(process=school["process_civil"], status=RiskStatus.CLOSED, closing_reason="Fin", review_on=days(-1))

    with django_capture_on_commit_callbacks(execute=True):
        assert remind_risk_reviews.call_local() == {"reminded": 2}
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_risk_reviews.call_local() == {"reminded": 0}

    notices = Notification.objects.order_by("recipient__email")
    assert [(n.recipient, n.url) for n in notices] == [
        (school["head_civil"], soon.get_absolute_url()),
        (school["teacher"], overdue.get_absolute_url()),
    ]
    assert len(mail.outbox) == 2
    assert str(overdue.reference) in str(mail.outbox[0].subject) + str(mail.outbox[1].subject)
    overdue.refresh_from_db()
    assert overdue.reminder_sent_for == overdue.review_on
    entry = HistoryEntry.objects.filter(object_id=str(overdue.pk)).latest("id")
    assert entry.actor is None and entry.changes == {"reminder_sent_for": ["", days(-3).isoformat()]}


def test_a_new_review_date_gets_its_own_reminder(school: dict[str, Any]) -> None:
    risk = RiskFactory(process=school["process_civil"], owner=school["teacher"], review_on=days(2))
    assert remind_risk_reviews.call_local() == {"reminded": 1}
    services.risk_review(actor=school["teacher"], risk=risk, next_review_on=days(5), note="Revue faite")
    assert remind_risk_reviews.call_local() == {"reminded": 1}
    assert remind_risk_reviews.call_local() == {"reminded": 0}
    assert Notification.objects.filter(recipient=school["teacher"]).count() == 2


def test_the_task_runs_every_morning() -> None:
    from huey.contrib.djhuey import HUEY

    assert remind_risk_reviews.task_class in HUEY._registry._periodic_tasks
    task = remind_risk_reviews.s()
    assert task.validate_datetime(datetime.datetime(2026, 3, 2, 7, 10))
    assert not task.validate_datetime(datetime.datetime(2026, 3, 2, 8, 10))

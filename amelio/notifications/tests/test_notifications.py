"""Notifications: an email each after commit for those who want them at once, the daily
digest for the others; the digest carries, and marks as emailed, only what it lists."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from amelio.notifications import digest
from amelio.notifications.choices import EmailMode
from amelio.notifications.models import DigestLog, Notification
from amelio.notifications.services import notify, preference_set
from amelio.notifications.tasks import build_digest, email_notification_task, send_daily_digests, send_digest
from amelio.organisation.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture(autouse=True)
def site_url(settings: Any) -> None:
    settings.SITE_URL = "https://amelio.school.test"


def test_immediate_mode_sends_an_email_per_notification_after_commit(
    school: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        created = notify(
            recipients=[school["teacher"], school["head_civil"]],
            subject="Nouvelle suggestion",
            body="Des casiers.",
            url="/improvement/items/1/",
        )
        assert mail.outbox == []  # nothing leaves before the commit
    assert len(callbacks) == 2
    assert sorted(message.to[0] for message in mail.outbox) == ["head.gc@school.test", "teacher@school.test"]
    message = mail.outbox[0]
    assert message.subject == "[Amelio] Nouvelle suggestion"
    assert message.body == "Des casiers.\n\nhttps://amelio.school.test/improvement/items/1/"
    for notification in created:
        notification.refresh_from_db()
        assert notification.emailed_at is not None
    # Run again (a retry): the email is not sent twice.
    assert email_notification_task.call_local(created[0].pk) is False
    assert len(mail.outbox) == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_rolled_back_change_sends_no_email(school: dict[str, Any]) -> None:
    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        notify(recipients=[school["teacher"]], subject="Jamais envoyé")
        raise Abort
    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_notify_skips_the_actor_inactive_people_and_duplicates(school: dict[str, Any]) -> None:
    gone = PersonFactory(is_active=False)
    created = notify(
        recipients=[school["teacher"], school["teacher"], gone, None, school["quality_manager"]],
        subject="Sujet",
        exclude=school["quality_manager"],
    )
    assert [notification.recipient for notification in created] == [school["teacher"]]


def test_digest_mode_waits_for_the_digest_which_carries_and_marks_the_notifications(
    school: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    teacher = school["teacher"]
    preference_set(actor=teacher, email_mode=EmailMode.DIGEST)
    with django_capture_on_commit_callbacks(execute=True):
        first = notify(recipients=[teacher], subject="Nouvelle suggestion SU-1", url="/improvement/items/1/")
        second = notify(recipients=[teacher], subject="Action terminée", url="/improvement/actions/2/")
    assert mail.outbox == []  # no email of its own
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digest(teacher, TODAY()) is True
    [message] = mail.outbox
    assert message.to == ["teacher@school.test"]
    assert "Notifications" in message.body
    assert "- Nouvelle suggestion SU-1 https://amelio.school.test/improvement/items/1/" in message.body
    assert "- Action terminée https://amelio.school.test/improvement/actions/2/" in message.body
    for notification in (*first, *second):
        notification.refresh_from_db()
        assert notification.emailed_at is not None
    # Once emailed, a notification is in no later digest.
    assert build_digest(teacher, TODAY() + datetime.timedelta(days=1)) is None


def test_the_digest_is_sent_once_a_day(school: dict[str, Any], django_capture_on_commit_callbacks: Any) -> None:
    teacher = school["teacher"]
    preference_set(actor=teacher, email_mode=EmailMode.DIGEST)
    notify(recipients=[teacher], subject="Premier")
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digest(teacher, TODAY()) is True
    notify(recipients=[teacher], subject="Second")
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digest(teacher, TODAY()) is False
    assert len(mail.outbox) == 1
    # What came after today's digest waits for tomorrow's, still unsent.
    assert Notification.objects.get(subject="Second").emailed_at is None
    assert DigestLog.objects.filter(person=teacher).count() == 1


def test_a_digest_does_not_swallow_the_emails_of_immediate_mode_people(
    school: dict[str, Any], django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Someone who wants an email per notification has one queued; if their digest (for
    what they have due) goes first, it must neither list it nor mark it as emailed, or the
    queued email would be dropped."""
    teacher = school["teacher"]
    with django_capture_on_commit_callbacks(execute=False):  # the worker has not run yet
        [waiting] = notify(recipients=[teacher], subject="Action pour vous")
    monkeypatch.setattr(digest, "_SECTIONS", [lambda person, day: ("Échéances", ["Une action due demain"])])
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digest(teacher, TODAY()) is True
    [digest_message] = mail.outbox
    assert "Action pour vous" not in digest_message.body
    waiting.refresh_from_db()
    assert waiting.emailed_at is None
    assert email_notification_task.call_local(waiting.pk) is True
    assert mail.outbox[-1].subject == "[Amelio] Action pour vous"


def test_nobody_with_nothing_to_say_gets_a_digest(
    school: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    preference_set(actor=school["student"], email_mode=EmailMode.DIGEST)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_daily_digests.call_local() == 0
    assert mail.outbox == []
    assert not DigestLog.objects.exists()


def test_one_failing_digest_does_not_stop_the_others(
    school: dict[str, Any], django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def section(person: Any, day: datetime.date) -> tuple[str, list[str]]:
        if person.pk == school["teacher"].pk:
            raise RuntimeError("broken section")
        return "Section", ["Une ligne"] if person.pk in (school["director"].pk, school["student"].pk) else []

    monkeypatch.setattr(digest, "_SECTIONS", [section])
    with django_capture_on_commit_callbacks(execute=True):
        assert send_daily_digests.call_local() == 2
    assert sorted(message.to[0] for message in mail.outbox) == ["director@school.test", "student@school.test"]
    assert not DigestLog.objects.filter(person=school["teacher"]).exists()


def test_a_section_is_registered_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(digest, "_SECTIONS", [])

    def section(person: Any, day: datetime.date) -> tuple[str, list[str]]:
        return "", []

    digest.digest_section(section)
    digest.digest_section(section)
    assert digest.sections() == [section]

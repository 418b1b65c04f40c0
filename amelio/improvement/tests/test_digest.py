"""The improvement section of the daily digest: each person's open actions due within a
week or overdue, and the items waiting on them; sent once a day through the real queue."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from huey.contrib.djhuey import HUEY
from huey.storage import SqliteStorage

from amelio.improvement.choices import ActionStatus, ItemStatus
from amelio.improvement.digest import actions_due, items_to_move
from amelio.improvement.tests.factories import ActionFactory, ImprovementItemFactory
from amelio.notifications.choices import EmailMode
from amelio.notifications.digest import sections
from amelio.notifications.models import DigestLog
from amelio.notifications.services import notify, preference_set
from amelio.notifications.tasks import build_digest, send_daily_digests

TODAY = timezone.localdate


def days(number: int) -> datetime.date:
    return TODAY() + datetime.timedelta(days=number)


@pytest.fixture(autouse=True)
def site_url(settings: Any) -> None:
    settings.SITE_URL = "http://testserver"


@pytest.fixture
def work(school: dict[str, Any]) -> dict[str, Any]:
    """Actions of every kind of due date for the head of civil engineering, and items
    waiting on the teacher (owner of the civil process) and on the quality manager."""
    item = ImprovementItemFactory(
        reference="SU-2026-0007",
        title="Casiers",
        process=school["process_civil"],
        department=school["civil"],
        raised_by=school["student"],
        status=ItemStatus.ACTIONS_UNDER_WAY,
        due_on=days(20),
    )
    head = school["head_civil"]
    actions = {
        "overdue": ActionFactory(item=item, owner=head, title="Commander les casiers", due_on=days(-3)),
        "today": ActionFactory(item=item, owner=head, title="Choisir le fournisseur", due_on=days(0)),
        "in_a_week": ActionFactory(
            owner=head, title="Prévenir les étudiants", due_on=days(7), status=ActionStatus.IN_PROGRESS
        ),
        "later": ActionFactory(owner=head, title="Faire le bilan", due_on=days(8)),
        "done": ActionFactory(
            owner=head, title="Mesurer la salle", due_on=days(-5), status=ActionStatus.DONE, completed_on=days(-6)
        ),
        "cancelled": ActionFactory(
            owner=head,
            title="Acheter des cadenas",
            due_on=days(-1),
            status=ActionStatus.CANCELLED,
            cancellation_reason="Inutile",
        ),
    }
    new_item = ImprovementItemFactory(
        reference="NC-2026-0003",
        origin="nonconformity",
        severity="minor",
        title="Salle non chauffée",
        process=school["process_civil"],
        raised_by=school["head_civil"],
        status=ItemStatus.NEW,
        due_on=days(-2),
    )
    to_check = ImprovementItemFactory(
        reference="OA-2026-0001",
        origin="opportunity",
        title="Mutualiser les salles",
        process=school["process_electrical"],
        raised_by=school["head_electrical"],
        status=ItemStatus.AWAITING_CHECK,
    )
    ImprovementItemFactory(  # closed: waits on nobody
        title="Ancienne idée",
        process=school["process_civil"],
        raised_by=school["student"],
        status=ItemStatus.CLOSED_EFFECTIVE,
    )
    return {"item": item, "new_item": new_item, "to_check": to_check, **actions}


def test_the_sections_are_registered_once_when_the_app_is_ready() -> None:
    assert sections().count(actions_due) == 1
    assert sections().count(items_to_move) == 1


@pytest.mark.django_db
def test_actions_due_within_a_week_or_overdue(school: dict[str, Any], work: dict[str, Any]) -> None:
    title, lines = actions_due(school["head_civil"], TODAY())
    assert title == "Your actions due within 7 days or overdue"
    assert lines == [
        f"Overdue since {days(-3)}: Commander les casiers (SU-2026-0007) "
        f"http://testserver{work['overdue'].get_absolute_url()}",
        f"Due on {days(0)}: Choisir le fournisseur (SU-2026-0007) http://testserver{work['today'].get_absolute_url()}",
        f"Due on {days(7)}: Prévenir les étudiants http://testserver{work['in_a_week'].get_absolute_url()}",
    ]


@pytest.mark.django_db
def test_items_waiting_on_a_person_with_their_dates(school: dict[str, Any], work: dict[str, Any]) -> None:
    title, lines = items_to_move(school["teacher"], TODAY())
    assert title == "Improvement items waiting on you"
    assert lines == [
        f"NC-2026-0003 Salle non chauffée (new) overdue since {days(-2)} "
        f"http://testserver{work['new_item'].get_absolute_url()}",
        f"SU-2026-0007 Casiers (actions under way) target date {days(20)} "
        f"http://testserver{work['item'].get_absolute_url()}",
    ]
    # The quality manager is waited on for the effectiveness checks.
    _title, lines = items_to_move(school["quality_manager"], TODAY())
    assert [line.split(" ")[0] for line in lines] == ["OA-2026-0001"]


@pytest.mark.django_db
def test_the_digest_reads_both_sections(school: dict[str, Any], work: dict[str, Any], settings: Any) -> None:
    settings.SITE_URL = "https://amelio.school.test"
    text = build_digest(school["head_civil"], TODAY())
    assert text is not None
    assert "Hello Hugo," in text
    assert "Your actions due within 7 days or overdue" in text
    assert f"- Overdue since {days(-3)}: Commander les casiers (SU-2026-0007) https://amelio.school.test/" in text
    assert "Faire le bilan" not in text  # due in 8 days
    assert "Mesurer la salle" not in text and "Acheter des cadenas" not in text  # finished
    assert "Improvement items waiting on you" not in text  # nothing waits on him


@pytest.mark.django_db
def test_nothing_due_means_no_digest(school: dict[str, Any], work: dict[str, Any]) -> None:
    assert build_digest(school["student"], TODAY()) is None
    assert build_digest(school["director"], TODAY()) is None
    ActionFactory(owner=school["director"], due_on=days(8))
    assert build_digest(school["director"], TODAY()) is None


# Through the real queue --------------------------------------------------------------


@contextmanager
def queue_in(path: Path) -> Iterator[Any]:
    """Tasks go into a queue file, as in production, instead of running at once."""
    previous_storage, previous_immediate = HUEY.storage, HUEY.immediate
    HUEY.immediate = False
    HUEY.storage = SqliteStorage(name=HUEY.name, filename=str(path / "queue.sqlite3"))
    try:
        yield HUEY
    finally:
        HUEY.storage, HUEY.immediate = previous_storage, previous_immediate


def run_the_queue() -> list[Any]:
    """What the consumer does with each task it takes from the queue, until none is left."""
    results = []
    while (task := HUEY.dequeue()) is not None:
        results.append(HUEY.execute(task))
    return results


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_daily_digest_goes_once_a_day_through_the_worker(
    school: dict[str, Any], work: dict[str, Any], tmp_path: Path, settings: Any
) -> None:
    settings.LANGUAGE_CODE = "fr"
    # The teacher reads their notifications in the digest; nobody else chose it.
    preference_set(actor=school["teacher"], email_mode=EmailMode.DIGEST)
    [waiting] = notify(recipients=[school["teacher"]], subject="Nouvelle suggestion SU-2026-0009")
    with queue_in(tmp_path) as huey:
        send_daily_digests()
        assert huey.pending_count() == 1
        assert mail.outbox == []  # queued, not run
        task = huey.dequeue()
        assert task.name.endswith("send_daily_digests")
        assert huey.execute(task) == 3  # head of civil engineering, teacher, quality manager
        run_the_queue()  # the emails themselves, queued after commit
        recipients = sorted(address for message in mail.outbox for address in message.to)
        assert recipients == ["head.gc@school.test", "qm@school.test", "teacher@school.test"]

        # The scheduler (or an operator) runs it again the same day: nothing more is sent.
        send_daily_digests()
        assert run_the_queue()[0] == 0
        assert len(mail.outbox) == 3
        assert DigestLog.objects.filter(day=TODAY()).count() == 3
        assert huey.pending_count() == 0

    by_recipient = {message.to[0]: message for message in mail.outbox}
    head_digest = by_recipient["head.gc@school.test"]
    # The demo speaks French; so does its digest, subject and date included.
    from django.utils import formats, translation

    with translation.override("fr"):
        day = formats.date_format(TODAY(), "DATE_FORMAT")
    assert day[0].isdigit() and "-" not in day  # "1 décembre 2026", not 2026-12-01
    assert head_digest.subject == f"[Amelio] Votre journée\xa0: {day}"
    assert "Voici ce qui vous attend aujourd'hui dans Amelio." in head_digest.body
    assert "Commander les casiers" in head_digest.body
    assert "NC-2026-0003" in by_recipient["teacher@school.test"].body
    assert "- Nouvelle suggestion SU-2026-0009" in by_recipient["teacher@school.test"].body
    waiting.refresh_from_db()
    assert waiting.emailed_at is not None
    assert "OA-2026-0001" in by_recipient["qm@school.test"].body


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_new_day_brings_a_new_digest(
    school: dict[str, Any], work: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with queue_in(tmp_path):
        send_daily_digests()
        run_the_queue()
        assert len(mail.outbox) == 3
        tomorrow = days(1)
        monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
        send_daily_digests()
        run_the_queue()
    assert len(mail.outbox) == 6
    assert DigestLog.objects.filter(day=tomorrow).count() == 3

"""Email leaves after commit through the task queue, and a real worker process sends it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.db import transaction
from huey.contrib.djhuey import HUEY
from huey.storage import SqliteStorage

from amelio.core.emails import emails_not_sent, send_email_after_commit
from amelio.core.tasks import send_email_task


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_email_waits_for_commit_and_is_dropped_on_rollback() -> None:
    with transaction.atomic():
        send_email_after_commit(to=["a@school.test"], subject="Kept", body="Committed.")
        assert mail.outbox == []
    assert [message.subject for message in mail.outbox] == ["Kept"]

    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        send_email_after_commit(to=["b@school.test"], subject="Dropped", body="Rolled back.")
        raise Abort
    assert [message.subject for message in mail.outbox] == ["Kept"]


def test_no_email_leaves_while_the_past_is_replayed(django_capture_on_commit_callbacks: Any, db: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        with emails_not_sent():
            send_email_after_commit(to=["past@school.test"], subject="Of its day", body="Not sent.")
        send_email_after_commit(to=["now@school.test"], subject="Today", body="Sent.")
    assert [message.to for message in mail.outbox] == [["now@school.test"]]


def test_empty_recipient_lists_send_nothing(django_capture_on_commit_callbacks: Any, db: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        send_email_after_commit(to=["", ""], subject="None", body="")
    assert callbacks == []


def test_a_real_worker_process_runs_the_queued_task(tmp_path: Path) -> None:
    """Enqueue into a queue file, start `manage.py run_huey` as its own process, and see
    the email it writes with Django's file backend."""
    queue_file = tmp_path / "queue.sqlite3"
    mail_dir = tmp_path / "mail"
    previous_storage, previous_immediate = HUEY.storage, HUEY.immediate
    HUEY.immediate = False
    HUEY.storage = SqliteStorage(name=HUEY.name, filename=str(queue_file))
    try:
        send_email_task(to=["worker@school.test"], subject="Par le worker", body="Envoyé par le worker.")
        assert HUEY.pending_count() == 1
        environment = {
            **os.environ,
            "HUEY_FILE": str(queue_file),
            "EMAIL_URL": "filemail://",
            "EMAIL_FILE_PATH": str(mail_dir),
        }
        environment.pop("REDIS_URL", None)
        worker = subprocess.Popen(
            [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "run_huey", "--workers", "1"],
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and not (mail_dir.exists() and any(mail_dir.iterdir())):
                time.sleep(0.2)
        finally:
            worker.terminate()
            _, errors = worker.communicate(timeout=30)
        files = list(mail_dir.iterdir()) if mail_dir.exists() else []
        assert files, errors.decode()[-2000:]
        content = files[0].read_text()
        assert "To: worker@school.test" in content
        assert "Subject: Par le worker" in content
        assert HUEY.pending_count() == 0
    finally:
        HUEY.storage, HUEY.immediate = previous_storage, previous_immediate

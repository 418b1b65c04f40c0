from __future__ import annotations

import datetime

import pytest
from django.db import DatabaseError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from amelio.core.models import WorkerHeartbeat
from amelio.core.tasks import worker_heartbeat_task

pytestmark = pytest.mark.django_db


def health() -> tuple[int, dict]:
    response = Client().get(reverse("core:health"))
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    return response.status_code, response.json()


def test_health_answers_ok_without_login_once_the_worker_has_beaten() -> None:
    # The periodic task itself (tasks run in-process in the tests), as the worker runs it.
    worker_heartbeat_task()
    status, body = health()
    assert status == 200
    assert body["status"] == "ok" and body["failing"] == []
    assert body["checks"]["database"] == {"ok": True}
    assert body["checks"]["worker"]["ok"] is True and body["checks"]["worker"]["age_seconds"] < 60
    # Run again, it keeps one row and moves it forward.
    first = WorkerHeartbeat.objects.get().beat_at
    worker_heartbeat_task()
    assert WorkerHeartbeat.objects.count() == 1 and WorkerHeartbeat.objects.get().beat_at >= first


def test_health_is_503_when_the_worker_never_reported() -> None:
    status, body = health()
    assert status == 503
    assert body["failing"] == ["worker"] and body["checks"]["database"]["ok"] is True
    assert "never reported" in body["checks"]["worker"]["reason"]


def test_health_is_503_when_the_heartbeat_is_older_than_the_threshold(settings: pytest.FixtureRequest) -> None:
    settings.WORKER_HEARTBEAT_MAX_AGE = 300
    WorkerHeartbeat.objects.create(pk=1, beat_at=timezone.now() - datetime.timedelta(seconds=299))
    assert health()[0] == 200
    WorkerHeartbeat.objects.filter(pk=1).update(beat_at=timezone.now() - datetime.timedelta(seconds=301))
    status, body = health()
    assert status == 503 and body["status"] == "failing" and body["failing"] == ["worker"]
    assert "more than 300 s" in body["checks"]["worker"]["reason"]
    # The worker beats again: healthy at once.
    worker_heartbeat_task()
    assert health()[0] == 200


def test_the_worker_check_can_be_left_out(settings: pytest.FixtureRequest) -> None:
    settings.WORKER_HEARTBEAT_MAX_AGE = 0
    status, body = health()
    assert status == 200 and set(body["checks"]) == {"database"}


def test_health_answers_503_when_the_database_refuses(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.db.backends.utils import CursorWrapper

    def refuse(self: CursorWrapper, sql: str, params: object = None) -> None:
        raise DatabaseError("down")

    monkeypatch.setattr(CursorWrapper, "execute", refuse)
    status, body = health()
    assert status == 503
    assert body["failing"] == ["database"] and body["checks"]["database"]["reason"] == "the database does not answer"


def test_the_heartbeat_is_a_periodic_task_of_every_minute() -> None:
    from huey.contrib.djhuey import HUEY

    assert "worker_heartbeat_task" in {task.__name__ for task in HUEY._registry._periodic_tasks}
    assert all(
        worker_heartbeat_task.task_class().validate_datetime(datetime.datetime(2026, 12, 1, 3, minute))
        for minute in (0, 17, 59)
    )

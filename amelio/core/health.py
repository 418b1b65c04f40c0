"""What /health/ checks: the database answers, and the background worker is alive (its
heartbeat, written every minute by a periodic task, is recent enough)."""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from .models import WorkerHeartbeat

logger = logging.getLogger("amelio.errors")
HEARTBEAT_ROW = 1


def worker_heartbeat_record() -> WorkerHeartbeat:
    heartbeat, _created = WorkerHeartbeat.objects.update_or_create(
        pk=HEARTBEAT_ROW, defaults={"beat_at": timezone.now()}
    )
    return heartbeat


def health_report() -> tuple[bool, dict[str, Any]]:
    """(healthy, body): each part's state, and for a failing part the reason."""
    checks: dict[str, Any] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        logger.exception("Health check: the database does not answer")
        checks["database"] = {"ok": False, "reason": "the database does not answer"}
        # Without the database, the heartbeat cannot be read either.
        return False, {"status": "failing", "failing": ["database"], "checks": checks}
    checks["database"] = {"ok": True}
    max_age = settings.WORKER_HEARTBEAT_MAX_AGE
    if max_age:
        checks["worker"] = _worker_check(max_age)
    failing = [name for name, check in checks.items() if not check["ok"]]
    return not failing, {"status": "failing" if failing else "ok", "failing": failing, "checks": checks}


def _worker_check(max_age: int) -> dict[str, Any]:
    try:
        heartbeat = WorkerHeartbeat.objects.filter(pk=HEARTBEAT_ROW).first()
    except DatabaseError:
        logger.exception("Health check: the worker's heartbeat cannot be read")
        return {"ok": False, "reason": "the worker's heartbeat cannot be read (are the migrations applied?)"}
    if heartbeat is None:
        return {"ok": False, "reason": "the worker has never reported: is it running?"}
    age = timezone.now() - heartbeat.beat_at
    check = {"last_heartbeat": heartbeat.beat_at.isoformat(), "age_seconds": int(age.total_seconds())}
    if age > datetime.timedelta(seconds=max_age):
        return {
            "ok": False,
            "reason": f"no heartbeat from the worker for {int(age.total_seconds())} s (more than {max_age} s)",
            **check,
        }
    return {"ok": True, **check}

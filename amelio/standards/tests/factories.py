"""Accesses of external auditors for tests, written directly (the service is tested on its own)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from amelio.core import clock
from amelio.standards.models import AuditorAccess, Framework


def open_access(
    auditor: Any,
    *,
    frameworks: Iterable[Framework] | None = None,
    processes: Iterable[Any] = (),
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
) -> AuditorAccess:
    """An access open today (by default on every framework) for `auditor`."""
    today = clock.today()
    access = AuditorAccess.objects.create(
        auditor=auditor,
        starts_on=starts_on or today,
        ends_on=ends_on or today + datetime.timedelta(days=5),
    )
    access.frameworks.set(Framework.objects.all() if frameworks is None else list(frameworks))
    access.processes.set(list(processes))
    if hasattr(auditor, "_amelio_auditor_scope"):
        del auditor._amelio_auditor_scope
    return access

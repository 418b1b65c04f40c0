"""What an external auditor may read today: the frameworks and processes of their open
accesses (granted, today between the start and the end date, both included). Nobody else is
narrowed (None).

Asked by the rules and scopes of this app and of the process map; computed once per request
and day, kept on the user object like the roles."""

from __future__ import annotations

import contextlib
import datetime
from dataclasses import dataclass, field
from typing import Any

from amelio.core import clock

from .choices import AccessStatus


@dataclass(frozen=True)
class AuditorScope:
    access_ids: frozenset[int] = field(default_factory=frozenset)
    framework_ids: frozenset[int] = field(default_factory=frozenset)
    process_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_open(self) -> bool:
        return bool(self.access_ids)


def _load(user: Any, today: datetime.date) -> AuditorScope:
    from .models import AuditorAccess

    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return AuditorScope()
    accesses = AuditorAccess.objects.filter(
        auditor_id=user.pk, status=AccessStatus.GRANTED, starts_on__lte=today, ends_on__gte=today
    )
    rows = list(accesses.values_list("pk", "frameworks", "processes"))
    return AuditorScope(
        access_ids=frozenset(pk for pk, _framework, _process in rows),
        framework_ids=frozenset(framework for _pk, framework, _process in rows if framework is not None),
        process_ids=frozenset(process for _pk, _framework, process in rows if process is not None),
    )


def open_scope(user: Any) -> AuditorScope:
    """The user's open accesses today, read once per request."""
    today = clock.today()
    cached: tuple[datetime.date, AuditorScope] | None = getattr(user, "_amelio_auditor_scope", None)
    if cached is None or cached[0] != today:
        cached = (today, _load(user, today))
        with contextlib.suppress(AttributeError):
            user._amelio_auditor_scope = cached
    return cached[1]


def forget_scope(user: Any) -> None:
    if hasattr(user, "_amelio_auditor_scope"):
        del user._amelio_auditor_scope


def auditor_scope(roles: Any) -> AuditorScope | None:
    """None for everyone but an external auditor (their own rules apply); for an external
    auditor, what their open accesses allow — nothing at all outside their dates. (Their
    role, with its own end date, opens the staff side; an access chooses what they read.)"""
    if not roles.reads_are_logged:
        return None
    return open_scope(roles.user)

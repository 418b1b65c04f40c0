"""One way to move a record along its state machine, for every workflow of Amelio.

Each app keeps its own machine in choices.py ({transition: (source states, target)}); this
applies one transition on the locked row: refuses it (translated, naming the state) unless
the row is in a source state, sets the fields the transition carries, runs the app's own
precondition, validates, saves and records the history with the reason, all in one
transaction. Nothing changes when anything is refused."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction

from amelio.core.permissions import require
from amelio.history.choices import HistoryAction
from amelio.history.services import diff, history_record, snapshot

RecordT = TypeVar("RecordT", bound=models.Model)


def apply_transition(
    *,
    actor: Any,
    record: RecordT,
    machine: Mapping[str, tuple[frozenset[str], str]],
    transition: str,
    transition_label: str,
    refused: str,
    permission: str,
    reason: str = "",
    fields: Mapping[str, Any] | None = None,
    precondition: Callable[[RecordT], None] | None = None,
    prepare: Callable[[RecordT], None] | None = None,
    extra_tracked: Iterable[str] = (),
    validate: bool = True,
) -> RecordT:
    """`refused` is a translated message with %(transition)s and %(status)s; `prepare` runs
    after the fields are set (e.g. to attach a file), `precondition` after that."""
    require(actor, permission, record)
    sources, target = machine[transition]
    with transaction.atomic():
        locked = type(record)._default_manager.select_for_update().get(pk=record.pk)
        status_display = locked.get_status_display()  # type: ignore[attr-defined]
        if locked.status not in sources:  # type: ignore[attr-defined]
            raise ValidationError(refused % {"transition": transition_label, "status": status_display})
        tracked = ["status", *(fields or {}), *extra_tracked]
        before = snapshot(locked, tracked)
        for name, value in (fields or {}).items():
            setattr(locked, name, value)
        if prepare is not None:
            prepare(locked)
        if precondition is not None:
            precondition(locked)
        locked.status = target  # type: ignore[attr-defined]
        if validate:
            locked.full_clean()
        locked.save()
        history_record(
            instance=locked,
            action=HistoryAction.TRANSITION,
            actor=actor,
            changes=diff(before, snapshot(locked, tracked)),
            reason=reason,
        )
    record.refresh_from_db()
    return record

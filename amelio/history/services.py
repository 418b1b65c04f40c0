"""Writing the audit trail. Every service that changes a record calls these inside its
own transaction, so the change and its history are committed (or rolled back) together."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .choices import HistoryAction
from .models import HistoryEntry

Snapshot = dict[str, str]

# Called with the labels ("app.model") of the records each entry is about, inside the
# transaction of the change: since every service writes its history there, this is where an
# app learns that records it reads have changed (indicators recompute after commit).
ChangeListener = Callable[[set[str]], None]
_change_listeners: list[ChangeListener] = []


def register_change_listener(listener: ChangeListener) -> None:
    if listener not in _change_listeners:
        _change_listeners.append(listener)


def records_changed_without_history(labels: Iterable[str]) -> None:
    """Tells the listeners that records of these models changed, for a change that must
    leave no entry: an anonymous survey answer, whose time and link must not be kept
    anywhere. Called inside the change's transaction, like `history_record`."""
    for listener in _change_listeners:
        listener(set(labels))


def _display(instance: models.Model, field: models.Field[Any, Any]) -> str:
    if field.many_to_many:
        if instance.pk is None:
            return ""
        related = getattr(instance, field.name).all()
        return ", ".join(sorted(str(obj) for obj in related))
    if field.choices:
        # The stored code, shown in each reader's language (history.labels.value_label).
        return str(getattr(instance, field.attname) or "")
    value = getattr(instance, field.name)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "✔" if value else "✘"
    return str(value)


def snapshot(instance: models.Model, fields: Iterable[str]) -> Snapshot:
    """The display value of each of `fields`, to compare before and after a change."""
    meta = instance._meta
    return {name: _display(instance, meta.get_field(name)) for name in fields}  # type: ignore[arg-type]


def diff(before: Snapshot, after: Snapshot) -> dict[str, list[str]]:
    return {name: [before.get(name, ""), value] for name, value in after.items() if before.get(name, "") != value}


def history_record(
    *,
    instance: models.Model,
    action: str,
    actor: Any = None,
    changes: dict[str, list[str]] | None = None,
    reason: str = "",
    target: models.Model | None = None,
) -> HistoryEntry:
    """Append one entry. `target` is the record whose history shows the entry when it is
    not `instance` itself (an activity's change shows on its process)."""
    record = target or instance
    for listener in _change_listeners:
        listener({instance._meta.label_lower, record._meta.label_lower})
    return HistoryEntry.objects.create(
        content_type=ContentType.objects.get_for_model(record),
        object_id=str(record.pk),
        object_repr=str(record)[:300],
        action=action,
        actor=actor if actor is not None and getattr(actor, "pk", None) else None,
        actor_repr=(actor.get_full_name() if actor is not None and hasattr(actor, "get_full_name") else "")[:300],
        changes=changes or {},
        reason=reason,
    )


def history_record_create(
    *, instance: models.Model, fields: Iterable[str], actor: Any = None, **kwargs: Any
) -> HistoryEntry:
    after = snapshot(instance, fields)
    changes = {name: ["", value] for name, value in after.items() if value != ""}
    return history_record(instance=instance, action=HistoryAction.CREATE, actor=actor, changes=changes, **kwargs)


def history_record_create_many(
    *, created: list[tuple[models.Model, Iterable[str]]], actor: Any = None
) -> list[HistoryEntry]:
    """The creation entries of many saved records of one model (each with the fields to
    show), as `history_record_create` writes them one by one, in a few statements (an import)."""
    if not created:
        return []
    instances = [instance for instance, _fields in created]
    labels = {instances[0]._meta.label_lower}
    for listener in _change_listeners:
        listener(labels)
    content_type = ContentType.objects.get_for_model(instances[0])
    actor_pk = actor if actor is not None and getattr(actor, "pk", None) else None
    actor_repr = (actor.get_full_name() if actor is not None and hasattr(actor, "get_full_name") else "")[:300]
    entries = []
    for instance, fields in created:
        after = snapshot(instance, fields)
        entries.append(
            HistoryEntry(
                content_type=content_type,
                object_id=str(instance.pk),
                object_repr=str(instance)[:300],
                action=HistoryAction.CREATE,
                actor=actor_pk,
                actor_repr=actor_repr,
                changes={name: ["", value] for name, value in after.items() if value != ""},
                reason="",
            )
        )
    return HistoryEntry.objects.bulk_create(entries, batch_size=500)


def history_record_delete(
    *, instance: models.Model, fields: Iterable[str], actor: Any = None, **kwargs: Any
) -> HistoryEntry:
    before = snapshot(instance, fields)
    changes = {name: [value, ""] for name, value in before.items() if value != ""}
    return history_record(instance=instance, action=HistoryAction.DELETE, actor=actor, changes=changes, **kwargs)

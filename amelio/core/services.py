"""Generic write helpers used by every app's services: change a record's fields and
record the change in the audit trail, in one transaction."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.db import models, transaction

from amelio.history.choices import HistoryAction
from amelio.history.services import diff, history_record, history_record_create, snapshot

ModelT = TypeVar("ModelT", bound=models.Model)


def _split(instance: models.Model, data: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    plain: dict[str, Any] = {}
    many: dict[str, Any] = {}
    for name, value in data.items():
        field = instance._meta.get_field(name)
        (many if field.many_to_many else plain)[name] = value
    return plain, many


@transaction.atomic
def model_create(
    *,
    model: type[ModelT],
    data: Mapping[str, Any],
    actor: Any,
    reason: str = "",
    history_fields: Iterable[str] | None = None,
) -> ModelT:
    """Create, validate (full_clean), save, set many-to-many values and record the creation
    (of `history_fields`, by default every field given; secrets are left out by callers)."""
    instance = model()
    plain, many = _split(instance, data)
    for name, value in plain.items():
        setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    for name, value in many.items():
        getattr(instance, name).set(value)
    fields = list(data) if history_fields is None else list(history_fields)
    history_record_create(instance=instance, fields=fields, actor=actor, reason=reason)
    return instance


@transaction.atomic
def model_update(
    *,
    instance: ModelT,
    data: Mapping[str, Any],
    actor: Any,
    reason: str = "",
    history_target: models.Model | None = None,
) -> dict[str, list[str]]:
    """Apply `data` to `instance` and record what actually changed. Returns the changes."""
    fields: Iterable[str] = list(data)
    before = snapshot(instance, fields)
    plain, many = _split(instance, data)
    for name, value in plain.items():
        setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    for name, value in many.items():
        getattr(instance, name).set(value)
    changes = diff(before, snapshot(instance, fields))
    if changes:
        history_record(
            instance=instance,
            action=HistoryAction.UPDATE,
            actor=actor,
            changes=changes,
            reason=reason,
            target=history_target,
        )
    return changes

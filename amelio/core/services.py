"""Generic write helpers used by every app's services: change a record's fields and
record the change in the audit trail, in one transaction."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from amelio.history.choices import HistoryAction
from amelio.history.services import diff, history_record, history_record_create, snapshot

from .concurrency import check_version

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


def editable_fields_of(model: type[models.Model]) -> tuple[str, ...]:
    try:
        return tuple(model.editable_fields)  # type: ignore[attr-defined]
    except AttributeError as error:
        raise ImproperlyConfigured(f"{model.__name__} declares no editable_fields.") from error


def refuse_other_fields(data: Mapping[str, Any], allowed: Iterable[str]) -> None:
    """A key the entity does not declare editable (its status, a computed field) is refused
    whole: nothing is written, and the message names the fields."""
    others = sorted(set(data) - set(allowed))
    if others:
        raise ValidationError(
            _("These fields cannot be changed here: %(fields)s.") % {"fields": ", ".join(others)},
            code="not_editable",
        )


@transaction.atomic
def model_update(
    *,
    instance: ModelT,
    data: Mapping[str, Any],
    actor: Any,
    reason: str = "",
    history_target: models.Model | None = None,
    fields: Iterable[str] | None = None,
    version: str | None = None,
) -> dict[str, list[str]]:
    """Apply `data` to `instance` and record what actually changed. Returns the changes.

    Only the fields the model declares editable (`editable_fields`, or `fields` for a
    service that writes one field of its own) are accepted. With `version` (the token the
    edit form was read at, see core.concurrency), the row is locked and a save against a
    newer version is refused with what the other person changed."""
    allowed = tuple(fields) if fields is not None else editable_fields_of(type(instance))
    refuse_other_fields(data, allowed)
    if version:
        locked = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
        check_version(locked, version, editable_fields_of(type(instance)) if fields is None else allowed)
    changed: Iterable[str] = list(data)
    before = snapshot(instance, changed)
    plain, many = _split(instance, data)
    for name, value in plain.items():
        setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    for name, value in many.items():
        getattr(instance, name).set(value)
    changes = diff(before, snapshot(instance, changed))
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

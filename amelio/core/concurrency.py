"""Optimistic edits (DESIGN.md 4.11): an edit form carries the version of the record it was
read at; a save against a newer version is refused with what the other person changed,
never silently applied over it.

The version is the signed snapshot of the record's editable fields as the form read them:
no column to migrate, and on a conflict it tells exactly which fields someone else changed,
from what to what. Signed, so a client cannot forge "what I read"."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from amelio.history.services import snapshot

SALT = "amelio.core.concurrency.version"


class EditConflict(ValidationError):
    """Someone saved the record after the form was read. `changes` maps each field they
    changed to [value read, value stored now]; `version` is the token of what is stored now."""

    def __init__(self, *, changes: dict[str, list[str]], labels: dict[str, str], version: str) -> None:
        described = "; ".join(
            _("%(field)s: “%(before)s” → “%(after)s”")
            % {"field": labels.get(name, name), "before": before or "—", "after": after or "—"}
            for name, (before, after) in changes.items()
        )
        super().__init__(
            _(
                "Someone else saved this record after you opened it. What they changed: %(changes)s. "
                "Below, the fields you had not touched show their values and the fields you changed keep yours: "
                "check them, then save again."
            )
            % {"changes": described},
            code="edit_conflict",
        )
        self.changes = changes
        self.version = version


def version_of(instance: models.Model, fields: Iterable[str]) -> str:
    # Deterministic (no timestamp): the same stored values give the same version, which an
    # API can also send as its ETag.
    return signing.Signer(salt=SALT).sign_object(snapshot(instance, fields), compress=True)


def check_version(stored: models.Model, version: str, fields: Iterable[str]) -> None:
    """Refuse (EditConflict) when `stored` differs, on `fields`, from what `version` read."""
    fields = list(fields)
    try:
        read: dict[str, Any] = signing.Signer(salt=SALT).unsign_object(version)
    except signing.BadSignature as error:
        raise ValidationError(_("The form was altered; open the record again."), code="bad_version") from error
    now = snapshot(stored, fields)
    changes = {name: [str(read.get(name, "")), now[name]] for name in fields if str(read.get(name, "")) != now[name]}
    if changes:
        meta = stored._meta
        labels = {name: str(capfirst(meta.get_field(name).verbose_name)) for name in changes}  # type: ignore[union-attr]
        raise EditConflict(changes=changes, labels=labels, version=version_of(stored, fields))

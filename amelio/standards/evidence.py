"""Which kinds of record may evidence a requirement, registered by the apps that own them.

Standards sits at the bottom of the layers: it knows no other app. Each app declares, in its
AppConfig.ready, the models whose records evidence requirements:

    register_evidence_kind(
        "processes.process",
        view_permission="processes.view_process",
        link_permission="processes.change_process",
        stale=lambda records: records.filter(is_active=False),
    )

- A record is named by `str(record)` and opened at `record.get_absolute_url()`.
- Who sees a link: whoever sees the record (its app's visibility scope, then
  `view_permission`); a link to a record out of sight is not listed, nor counted.
- Who links or unlinks: whoever holds `link_permission` on the record (the quality manager
  also links anything they can see).
- `stale(queryset)` narrows the kind's records to those that no longer make good evidence
  (a document past its review date, an inactive process); the coverage view counts a
  requirement evidenced only by such records as stale.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from amelio.core.permissions import can, visible

Narrow = Callable[[models.QuerySet[Any]], models.QuerySet[Any]]


@dataclass(frozen=True)
class EvidenceKind:
    model_label: str
    view_permission: str
    link_permission: str
    stale: Narrow | None = None
    order: int = 100

    @property
    def model(self) -> type[models.Model]:
        from django.apps import apps

        return apps.get_model(self.model_label)

    @property
    def label(self) -> Any:
        return self.model._meta.verbose_name

    @property
    def label_plural(self) -> Any:
        return self.model._meta.verbose_name_plural

    def content_type(self) -> ContentType:
        return ContentType.objects.get_for_model(self.model)

    def visible_records(self, user: Any, queryset: models.QuerySet[Any] | None = None) -> models.QuerySet[Any]:
        records = queryset if queryset is not None else self.model._default_manager.all()
        try:
            return visible(user, records)
        except LookupError:
            # A kind without a visibility scope: its permission alone decides, record by record.
            return records

    def may_view(self, user: Any, record: Any) -> bool:
        return can(user, self.view_permission, record)

    def may_link(self, user: Any, record: Any) -> bool:
        return can(user, "standards.link_evidence", record) and can(user, self.link_permission, record)


_KINDS: dict[str, EvidenceKind] = {}


def register_evidence_kind(
    model_label: str, *, view_permission: str, link_permission: str, stale: Narrow | None = None, order: int = 100
) -> None:
    label = model_label.lower()
    kind = EvidenceKind(label, view_permission, link_permission, stale, order)
    if label in _KINDS and _KINDS[label] != kind:
        raise ValueError(f"The evidence kind {label!r} is registered twice, differently.")
    _KINDS[label] = kind


def evidence_kinds() -> list[EvidenceKind]:
    return sorted(_KINDS.values(), key=lambda kind: (kind.order, kind.model_label))


def evidence_kind_for(model: type[models.Model] | models.Model) -> EvidenceKind | None:
    return _KINDS.get(model._meta.label_lower)


def evidence_kind_of_type(content_type_id: int) -> EvidenceKind | None:
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    return evidence_kind_for(model) if model is not None else None

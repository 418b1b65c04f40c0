"""Who may read frameworks and their evidence, and who may change them.

- Everyone on the staff side (the external auditor included, while their access lasts)
  reads the frameworks, their requirements, mappings and coverage; the evidence listed is
  only the records they may see themselves.
- The quality manager creates the school's own frameworks (the CTI criteria list), enters
  or imports their requirements, and maps requirements of different frameworks. Published
  frameworks (loaded from the app's data) are not edited.
- Linking a record to a requirement is for whoever may change that record (the permission
  its app registered, see evidence.py); read-only roles link nothing.
- An external auditor reads only the frameworks of their open accesses (granted by the
  quality manager, today between its start and end dates): nothing before, nothing the day
  after the end date, nothing of another framework (a 404). See access.py.
- The access log of external auditors is read by the quality manager only, who also grants
  and revokes the accesses.

Standards sits below the organisation app: the roles object is used through the questions
every app may ask of it (`is_quality_manager`, `sees_staff_pages`).
"""

from __future__ import annotations

from typing import Any

from django.db import models

from amelio.core.permissions import rule, scope

from .access import auditor_scope


def _framework_id(obj: Any) -> int | None:
    if obj is None:
        return None
    if obj._meta.label_lower == "standards.framework":
        return int(obj.pk)
    return getattr(obj, "framework_id", None)


@rule("standards.view_frameworks")
def view_frameworks(roles: Any, obj: Any) -> bool:
    narrowed = auditor_scope(roles)
    if narrowed is None:
        return bool(roles.sees_staff_pages)
    framework_id = _framework_id(obj)
    return bool(narrowed.framework_ids) if framework_id is None else framework_id in narrowed.framework_ids


@rule("standards.manage_auditor_access")
def manage_auditor_access(roles: Any, obj: Any) -> bool:
    return bool(roles.is_quality_manager)


@rule("standards.manage_frameworks")
def manage_frameworks(roles: Any, obj: Any) -> bool:
    return bool(roles.is_quality_manager)


@rule("standards.edit_framework")
def edit_framework(roles: Any, framework: Any) -> bool:
    """Add and import requirements: the school's own frameworks only."""
    return bool(roles.is_quality_manager) and framework is not None and not framework.is_published_data


@rule("standards.map_requirements")
def map_requirements(roles: Any, obj: Any) -> bool:
    return bool(roles.is_quality_manager)


@rule("standards.link_evidence")
def link_evidence(roles: Any, record: Any) -> bool:
    # The record's own permission (registered with its kind) is asked on top of this.
    return bool(roles.sees_staff_pages)


@rule("standards.read_access_log")
def read_access_log(roles: Any, obj: Any) -> bool:
    return bool(roles.is_quality_manager)


def _narrowed(path: str) -> Any:
    """Staff see every row; an external auditor the rows of their open accesses' frameworks."""

    def narrow(roles: Any, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
        narrowed = auditor_scope(roles)
        if narrowed is None:
            return queryset if roles.sees_staff_pages else queryset.none()
        return queryset.filter(**{f"{path}__in": narrowed.framework_ids})

    return narrow


scope("standards.framework")(_narrowed("pk"))
scope("standards.clause")(_narrowed("framework_id"))
scope("standards.clausemapping")(_narrowed("first__framework_id"))
# Each link is shown only when its record is in sight too (selectors ask the record's kind).
scope("standards.evidencelink")(_narrowed("clause__framework_id"))


@scope("standards.auditoraccess")
def visible_accesses(roles: Any, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
    return queryset if roles.is_quality_manager else queryset.none()


@scope("standards.accesslogentry")
def visible_access_log(roles: Any, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
    return queryset if roles.is_quality_manager else queryset.none()

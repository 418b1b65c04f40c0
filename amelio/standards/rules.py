"""Who may read frameworks and their evidence, and who may change them.

- Everyone on the staff side (the external auditor included, while their access lasts)
  reads the frameworks, their requirements, mappings and coverage; the evidence listed is
  only the records they may see themselves.
- The quality manager creates the school's own frameworks (the CTI criteria list), enters
  or imports their requirements, and maps requirements of different frameworks. Published
  frameworks (loaded from the app's data) are not edited.
- Linking a record to a requirement is for whoever may change that record (the permission
  its app registered, see evidence.py); read-only roles link nothing.
- The access log of external auditors is read by the quality manager only.

Standards sits below the organisation app: the roles object is used through the questions
every app may ask of it (`is_quality_manager`, `sees_staff_pages`).
"""

from __future__ import annotations

from typing import Any

from django.db import models

from amelio.core.permissions import rule, scope


@rule("standards.view_frameworks")
def view_frameworks(roles: Any, obj: Any) -> bool:
    return bool(roles.sees_staff_pages)


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


def _staff_only(roles: Any, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
    return queryset if roles.sees_staff_pages else queryset.none()


scope("standards.framework")(_staff_only)
scope("standards.clause")(_staff_only)
scope("standards.clausemapping")(_staff_only)
# Each link is shown only when its record is in sight too (selectors ask the record's kind).
scope("standards.evidencelink")(_staff_only)


@scope("standards.accesslogentry")
def visible_access_log(roles: Any, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
    return queryset if roles.is_quality_manager else queryset.none()

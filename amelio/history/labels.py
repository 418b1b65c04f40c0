"""Human labels for the field names stored in history entries."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _

# Keys that services record which are not fields of the record they are shown on.
EXTRA_LABELS = {
    "role": _("role"),
    "scope": _("scope"),
    "ends_on": _("ends on"),
    "raci": _("RACI"),
    "approved_on": _("approved on"),
    "position": _("order"),
    "name": _("name"),
    "description": _("description"),
    "action": _("action"),
    "note": _("progress note"),
    "file": _("file"),
    "milestone": _("milestone"),
    "amendment": _("amendment"),
    "evaluation": _("evaluation"),
    "evaluation_link": _("evaluation link sent to"),
    "interaction": _("interaction"),
    "target": _("target"),
    "alert_threshold": _("alert threshold"),
    "readers": _("readers"),
    "measures": _("indicators that measure it"),
    # A record's evidence links (standards) show on the record's own history.
    "requirement_evidenced": _("requirement evidenced"),
    "evidence_note": _("how it evidences the requirement"),
}


def _extra_choices() -> dict[str, dict[str, Any]]:
    from amelio.organisation.choices import Role, ScopeKind

    return {"role": dict(Role.choices), "scope": dict(ScopeKind.choices)}


STORED_MOMENT = re.compile(r"^\d{4}-\d\d-\d\d[ T]\d\d:\d\d(:\d\d(\.\d+)?)?([+-]\d\d:\d\d|Z)?$")
STORED_DAY = re.compile(r"^\d{4}-\d\d-\d\d$")


def value_label(model: Any, name: str, value: str) -> str:
    """A stored value as its reader should see it: a choice's code becomes its label in
    the reader's language; anything else (names, dates, text) is shown as stored."""
    if not value:
        return value
    if model is not None:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            field = None
        if field is not None and getattr(field, "choices", None):
            return str(dict(field.choices).get(value, value))
        if isinstance(field, models.DateTimeField | models.DateField):
            return _date_label(field, value)
        if isinstance(field, models.BooleanField) and value in ("True", "False"):
            return str(_("yes") if value == "True" else _("no"))
    extra = _extra_choices().get(name, {})
    if value in extra:
        return str(extra[value])
    # A moment a service recorded under a key of its own ("answered_at"): in the reader's
    # format and the school's time zone, not as stored.
    if STORED_MOMENT.match(value):
        return _date_label(models.DateTimeField(), value)
    if STORED_DAY.match(value):
        return _date_label(models.DateField(), value)
    return value


def _date_label(field: models.Field[Any, Any], value: str) -> str:
    """A date or a time as stored ("2026-11-30 22:23:34.422165+00:00", in UTC) shown in the
    reader's format, a time in the school's time zone; anything unreadable as stored."""
    try:
        if isinstance(field, models.DateTimeField):
            moment = parse_datetime(value)
            if moment is None:
                return value
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment, datetime.UTC)
            return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")
        day = parse_date(value)
    except ValueError:
        return value
    return formats.date_format(day, "SHORT_DATE_FORMAT") if day is not None else value


def field_label(model: Any, name: str) -> str:
    if model is not None:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            field = None
        # A reverse relation has no verbose name of its own.
        if field is not None and hasattr(field, "verbose_name"):
            return str(field.verbose_name)
    return str(EXTRA_LABELS.get(name, name))

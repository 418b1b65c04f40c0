"""`{% requirements_evidenced record %}`: the block any record's page includes to show the
requirements the record evidences, with the link and unlink buttons for those who may."""

from __future__ import annotations

from typing import Any

from django import template
from django.contrib.contenttypes.models import ContentType

from amelio.standards.evidence import evidence_kind_for
from amelio.standards.selectors import record_evidence

register = template.Library()


@register.inclusion_tag("standards/_requirements_evidenced.html", takes_context=True)
def requirements_evidenced(context: template.Context, record: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    kind = evidence_kind_for(record) if record is not None else None
    if user is None or kind is None:
        return {"shown": False}
    return {
        "shown": True,
        "record": record,
        "links": record_evidence(user=user, record=record),
        "can_link": kind.may_link(user, record),
        "content_type_id": ContentType.objects.get_for_model(type(record)).pk,
        "csrf_token": context.get("csrf_token"),
    }

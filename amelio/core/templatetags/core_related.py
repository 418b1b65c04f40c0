"""`{% related_records record %}`: the block a record's page includes to show the records of
higher apps it came from (an item's audit finding, an action's management review), filled
through `core.registry.register_related_records` so that the page imports none of them."""

from __future__ import annotations

from typing import Any

from django import template

from amelio.core.registry import related_records_for

register = template.Library()


@register.inclusion_tag("core/_related_records.html", takes_context=True)
def related_records(context: template.Context, record: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or record is None:
        return {"lines": []}
    return {"lines": related_records_for(user, record)}

"""What the students app adds to a company (partners.hooks): the graduates it hired, as
counts per survey for everyone who sees the company, with names only for those who may open
the graduates' records; and, when two records of a company are merged, the move of the
graduates' situations through the students' service."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.utils.translation import ngettext

from amelio.partners.hooks import register_company_section, register_merge_hook

from .choices import Situation
from .models import InsertionRecord

LATEST_GRADUATES = 10


def graduates_hired(user: Any, company: Any) -> dict[str, Any] | None:
    from amelio.core.permissions import visible

    hired = InsertionRecord.objects.filter(company=company, situation=Situation.EMPLOYED)
    counts = list(hired.order_by("wave").values("wave").annotate(count=Count("student", distinct=True)))
    if not counts:
        return None
    names = list(visible(user, hired.select_related("student")).order_by("-surveyed_on", "pk")[:LATEST_GRADUATES])
    return {"counts": counts, "records": names}


def move_graduates(*, actor: Any, kept: Any, absorbed: Any, reason: str) -> str:
    from .services import insertion_record_update

    moved = 0
    for record in InsertionRecord.objects.filter(company=absorbed).select_related("student__programme").order_by("pk"):
        insertion_record_update(actor=actor, record=record, data={"company": kept}, reason=reason)
        moved += 1
    if not moved:
        return ""
    return ngettext("%(count)d graduate's situation", "%(count)d graduates' situations", moved) % {"count": moved}


register_company_section(
    "graduates_hired", order=50, template_name="students/_company_graduates.html", build=graduates_hired
)
register_merge_hook("students", move_graduates)

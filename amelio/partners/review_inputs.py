"""The input of a management review the partner companies hold (ISO 9001 9.3.2 c) 7),
performance of external providers): teaching by professionals in the academic years that
overlap the period, and the partnership agreements in force (see core.registry)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy

from amelio.core.frozen_text import gettext_frozen as _
from amelio.core.registry import register_review_input

from .choices import AgreementStatus
from .models import Intervention, PartnershipAgreement

IN_FORCE = (AgreementStatus.SIGNED, AgreementStatus.ACTIVE, AgreementStatus.EXPIRED, AgreementStatus.TERMINATED)
TOP_COMPANIES = 10


def teaching_by_professionals(starts_on: datetime.date, ends_on: datetime.date) -> dict[str, Any]:
    interventions = Intervention.objects.filter(
        academic_year__starts_on__lte=ends_on, academic_year__ends_on__gte=starts_on
    ).select_related("company")
    planned: dict[str, Decimal] = defaultdict(Decimal)
    delivered: dict[str, Decimal] = defaultdict(Decimal)
    speakers = set()
    for intervention in interventions:
        name = str(intervention.company)
        planned[name] += intervention.planned_hours
        delivered[name] += intervention.delivered_hours
        speakers.add(intervention.speaker_id)
    total_planned, total_delivered = sum(planned.values(), Decimal(0)), sum(delivered.values(), Decimal(0))
    ranked = sorted(delivered, key=lambda name: (-delivered[name], name))[:TOP_COMPANIES]
    agreements = PartnershipAgreement.objects.filter(
        status__in=IN_FORCE, starts_on__lte=ends_on, ends_on__gte=starts_on
    ).count()
    rate = round(100 * total_delivered / total_planned) if total_planned else None
    return {
        "figures": [
            {"label": _("Hours taught by professionals"), "value": float(total_delivered), "unit": "h", "note": ""},
            {"label": _("Hours planned"), "value": float(total_planned), "unit": "h", "note": ""},
            {
                "label": _("Share of planned hours delivered"),
                "value": rate if rate is not None else "—",
                "unit": "%" if rate is not None else "",
                "note": "",
            },
            {"label": _("Speakers from companies"), "value": len(speakers), "unit": "", "note": ""},
            {"label": _("Partnership agreements in force"), "value": agreements, "unit": "", "note": ""},
        ],
        "tables": [
            {
                "title": _("Teaching by company"),
                "columns": [_("Company"), _("Hours planned"), _("Hours delivered")],
                "rows": [[name, float(planned[name]), float(delivered[name])] for name in ranked],
            }
        ]
        if ranked
        else [],
        "charts": [
            {
                "title": _("Hours delivered by company"),
                "kind": "bar",
                "labels": ranked,
                "series": [{"name": _("Hours delivered"), "values": [float(delivered[name]) for name in ranked]}],
            }
        ]
        if ranked
        else [],
        "summary": _("%(delivered)s of %(planned)s planned hours taught by professionals.")
        % {"delivered": total_delivered.normalize(), "planned": total_planned.normalize()},
    }


register_review_input(
    "partners_teaching",
    order=37,
    clause="9.3.2 c) 7)",
    title=gettext_lazy("Performance of external providers: teaching by professionals"),
    compile=teaching_by_professionals,
)

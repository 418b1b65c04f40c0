"""The input of a management review the internships hold (ISO 9001 9.3.2 c) 7), performance
of external providers): internships hosted by the partner companies that started in the
period, and the evaluations their tutors and students submitted in it (see core.registry)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy

from amelio.core.frozen_text import gettext_frozen as _
from amelio.core.registry import register_review_input

from .choices import EvaluationKind, InternshipStatus
from .models import Evaluation, Internship

# Not hosted: never signed, cancelled, or replaced by an amendment (which is counted itself).
NOT_HOSTED = (InternshipStatus.DRAFT, InternshipStatus.CHECKED, InternshipStatus.CANCELLED, InternshipStatus.AMENDED)
TOP_COMPANIES = 10


def _average(total: Decimal | None, count: int) -> float | None:
    return round(float(total / count), 1) if total is not None and count else None


def _name(trade_name: str, legal_name: str) -> str:
    return trade_name or legal_name  # as Company.__str__


def internships_hosted(starts_on: datetime.date, ends_on: datetime.date) -> dict[str, Any]:
    # Counted and averaged by the database: a school hosts thousands of internships a year.
    hosted = (
        Internship.objects.filter(starts_on__range=(starts_on, ends_on))
        .exclude(status__in=NOT_HOSTED)
        .values_list("company_id", "company__trade_name", "company__legal_name")
        .annotate(count=Count("id"))
    )
    per_company: dict[int, int] = defaultdict(int)
    names: dict[int, str] = {}
    for company_id, trade_name, legal_name, count in hosted:
        per_company[company_id] += count
        names[company_id] = _name(trade_name, legal_name)
    evaluations = (
        Evaluation.objects.filter(submitted_at__date__range=(starts_on, ends_on))
        .values_list("kind", "internship__company_id")
        .annotate(total=Sum("score"), count=Count("id"))
    )
    sums: dict[str, list[Any]] = defaultdict(lambda: [Decimal(0), 0])
    company_sums: dict[tuple[int, str], list[Any]] = defaultdict(lambda: [Decimal(0), 0])
    for kind, company_id, total, count in evaluations:
        for bucket in (sums[kind], company_sums[(company_id, kind)]):
            bucket[0] += total
            bucket[1] += count
    scores = {kind: _average(*sums[kind]) for kind in EvaluationKind.values}
    counts = {kind: sums[kind][1] for kind in EvaluationKind.values}

    def company_average(company_id: int, kind: str) -> float | str:
        average = _average(*company_sums[(company_id, kind)])
        return average if average is not None else "—"

    ranked = sorted(per_company, key=lambda company_id: (-per_company[company_id], names[company_id]))[:TOP_COMPANIES]
    tutor = scores[EvaluationKind.COMPANY_TUTOR]
    student = scores[EvaluationKind.STUDENT]
    return {
        "figures": [
            {"label": _("Internships hosted"), "value": sum(per_company.values()), "unit": "", "note": ""},
            {"label": _("Host companies"), "value": len(per_company), "unit": "", "note": ""},
            {
                "label": _("Tutors' evaluations of the interns"),
                "value": tutor if tutor is not None else "—",
                "unit": "/5" if tutor is not None else "",
                "note": _("%(count)s received") % {"count": counts[EvaluationKind.COMPANY_TUTOR]},
            },
            {
                "label": _("Students' evaluations of the internships"),
                "value": student if student is not None else "—",
                "unit": "/5" if student is not None else "",
                "note": _("%(count)s received") % {"count": counts[EvaluationKind.STUDENT]},
            },
        ],
        "tables": [
            {
                "title": _("Main host companies"),
                "columns": [_("Company"), _("Internships"), _("Tutors' average"), _("Students' average")],
                "rows": [
                    [
                        names[company_id],
                        per_company[company_id],
                        company_average(company_id, EvaluationKind.COMPANY_TUTOR),
                        company_average(company_id, EvaluationKind.STUDENT),
                    ]
                    for company_id in ranked
                ],
            }
        ]
        if ranked
        else [],
        "charts": [
            {
                "title": _("Internships by host company"),
                "kind": "bar",
                "labels": [names[company_id] for company_id in ranked],
                "series": [{"name": _("Internships"), "values": [per_company[company_id] for company_id in ranked]}],
            }
        ]
        if ranked
        else [],
        "summary": _("%(count)s internships hosted by %(companies)s companies.")
        % {"count": sum(per_company.values()), "companies": len(per_company)},
    }


register_review_input(
    "internships",
    order=37,
    clause="9.3.2 c) 7)",
    title=gettext_lazy("Performance of external providers: internships hosted"),
    compile=internships_hosted,
)

"""The input of a management review the internships hold (ISO 9001 9.3.2 c) 7), performance
of external providers): internships hosted by the partner companies that started in the
period, and the evaluations their tutors and students submitted in it (see core.registry)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amelio.core.registry import register_review_input

from .choices import EvaluationKind, InternshipStatus
from .models import Evaluation, Internship

# Not hosted: never signed, cancelled, or replaced by an amendment (which is counted itself).
NOT_HOSTED = (InternshipStatus.DRAFT, InternshipStatus.CHECKED, InternshipStatus.CANCELLED, InternshipStatus.AMENDED)
TOP_COMPANIES = 10


def _average(scores: list[Decimal]) -> float | None:
    return round(float(sum(scores) / len(scores)), 1) if scores else None


def internships_hosted(starts_on: datetime.date, ends_on: datetime.date) -> dict[str, Any]:
    hosted = list(
        Internship.objects.filter(starts_on__range=(starts_on, ends_on))
        .exclude(status__in=NOT_HOSTED)
        .select_related("company")
    )
    per_company: dict[str, int] = defaultdict(int)
    for internship in hosted:
        per_company[str(internship.company)] += 1
    evaluations = Evaluation.objects.filter(submitted_at__date__range=(starts_on, ends_on)).select_related(
        "internship__company"
    )
    scores: dict[str, list[Decimal]] = defaultdict(list)
    company_scores: dict[tuple[str, str], list[Decimal]] = defaultdict(list)
    for evaluation in evaluations:
        scores[evaluation.kind].append(evaluation.score)
        company_scores[(str(evaluation.internship.company), evaluation.kind)].append(evaluation.score)
    ranked = sorted(per_company, key=lambda name: (-per_company[name], name))[:TOP_COMPANIES]
    tutor = _average(scores[EvaluationKind.COMPANY_TUTOR])
    student = _average(scores[EvaluationKind.STUDENT])
    return {
        "figures": [
            {"label": _("Internships hosted"), "value": len(hosted), "unit": "", "note": ""},
            {"label": _("Host companies"), "value": len(per_company), "unit": "", "note": ""},
            {
                "label": _("Tutors' evaluations of the interns"),
                "value": tutor if tutor is not None else "—",
                "unit": "/5" if tutor is not None else "",
                "note": _("%(count)s received") % {"count": len(scores[EvaluationKind.COMPANY_TUTOR])},
            },
            {
                "label": _("Students' evaluations of the internships"),
                "value": student if student is not None else "—",
                "unit": "/5" if student is not None else "",
                "note": _("%(count)s received") % {"count": len(scores[EvaluationKind.STUDENT])},
            },
        ],
        "tables": [
            {
                "title": _("Main host companies"),
                "columns": [_("Company"), _("Internships"), _("Tutors' average"), _("Students' average")],
                "rows": [
                    [
                        name,
                        per_company[name],
                        _average(company_scores[(name, EvaluationKind.COMPANY_TUTOR)]) or "—",
                        _average(company_scores[(name, EvaluationKind.STUDENT)]) or "—",
                    ]
                    for name in ranked
                ],
            }
        ]
        if ranked
        else [],
        "charts": [
            {
                "title": _("Internships by host company"),
                "kind": "bar",
                "labels": ranked,
                "series": [{"name": _("Internships"), "values": [per_company[name] for name in ranked]}],
            }
        ]
        if ranked
        else [],
        "summary": _("%(count)s internships hosted by %(companies)s companies.")
        % {"count": len(hosted), "companies": len(per_company)},
    }


register_review_input(
    "internships",
    order=37,
    clause="9.3.2 c) 7)",
    title=gettext_lazy("Performance of external providers: internships hosted"),
    compile=internships_hosted,
)

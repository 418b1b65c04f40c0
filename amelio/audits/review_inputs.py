"""The management review's input "results of audits" (ISO 9001 9.3.2 c) 6)), compiled from
the audits reported within the period, in the snapshot shape core.registry describes."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext_lazy

from amelio.core.frozen_text import display
from amelio.core.frozen_text import gettext_frozen as _
from amelio.core.registry import register_review_input
from amelio.improvement.choices import OPEN_ITEM_STATUSES

from .choices import DONE_AUDIT_STATUSES, EXTERNAL_KINDS, GRADE_CODES, NONCONFORMITY_GRADES, AuditKind, Grade
from .models import Audit, Finding


def compile_audit_results(starts_on: datetime.date, ends_on: datetime.date) -> dict[str, Any]:
    """The audits reported (or closed) whose last day falls within the period, their findings
    by grade, internal and external, and how many of their items are still open. Three
    queries whatever the number of audits."""
    audits = list(
        Audit.objects.filter(status__in=DONE_AUDIT_STATUSES, ends_on__gte=starts_on, ends_on__lte=ends_on)
        .annotate(finding_total=Count("findings"))
        .order_by("ends_on", "reference")
    )
    ids = [audit.pk for audit in audits]
    by_audit_grade: dict[tuple[int, str], int] = {
        (row["audit"], row["grade"]): row["n"]
        for row in Finding.objects.filter(audit__in=ids).order_by().values("audit", "grade").annotate(n=Count("pk"))
    }
    open_items = Finding.objects.filter(audit__in=ids, improvement_item__status__in=OPEN_ITEM_STATUSES).count()
    internal = [audit for audit in audits if audit.kind == AuditKind.INTERNAL]
    external = [audit for audit in audits if audit.kind in EXTERNAL_KINDS]

    def grade_total(grade: str, chosen: Sequence[Audit]) -> int:
        return sum(by_audit_grade.get((audit.pk, grade), 0) for audit in chosen)

    nonconformities = sum(grade_total(grade, audits) for grade in NONCONFORMITY_GRADES)
    majors = grade_total(Grade.MAJOR_NONCONFORMITY, audits)
    figures = [
        {"label": _("Internal audits carried out"), "value": len(internal), "unit": "", "note": ""},
        {"label": _("External audits"), "value": len(external), "unit": "", "note": ""},
        {
            "label": _("Nonconformities found"),
            "value": nonconformities,
            "unit": "",
            "note": _("of which %(count)s major") % {"count": majors},
        },
        {"label": _("Items from audits still open"), "value": open_items, "unit": "", "note": ""},
    ]
    rows = [
        [
            audit.reference,
            audit.title,
            display(audit, "kind"),
            audit.ends_on.isoformat(),
            by_audit_grade.get((audit.pk, Grade.MAJOR_NONCONFORMITY), 0),
            by_audit_grade.get((audit.pk, Grade.MINOR_NONCONFORMITY), 0),
            audit.finding_total,
        ]
        for audit in audits
    ]
    grades = list(Grade)
    return {
        "figures": figures,
        "tables": [
            {
                "title": _("Audits of the period"),
                "columns": [_("Reference"), _("Audit"), _("Kind"), _("Ended on"), "NC Maj", "NC Min", _("Findings")],
                "rows": rows,
            }
        ],
        "charts": [
            {
                "title": _("Findings by grade"),
                "kind": "bar",
                "labels": [GRADE_CODES[grade] for grade in grades],
                "series": [
                    {"name": _("Internal audits"), "values": [grade_total(grade, internal) for grade in grades]},
                    {"name": _("External audits"), "values": [grade_total(grade, external) for grade in grades]},
                ],
            }
        ],
        "summary": _(
            "%(audits)s audits reported in the period (%(internal)s internal, %(external)s external): "
            "%(nonconformities)s nonconformities, %(majors)s of them major; %(open)s items from audits still open."
        )
        % {
            "audits": len(audits),
            "internal": len(internal),
            "external": len(external),
            "nonconformities": nonconformities,
            "majors": majors,
            "open": open_items,
        },
    }


register_review_input(
    "audit_results",
    order=80,
    clause="9.3.2 c) 6)",
    title=gettext_lazy("Audit results"),
    compile=compile_audit_results,
)

"""The inputs of a management review (ISO 9001 9.3.2) that the improvement register holds:
feedback from interested parties (complaints and suggestions, c) 1)), nonconformities and
corrective actions (c) 4)) and opportunities for improvement (f)), compiled for a period
(see core.registry). Figures count what was raised, closed or done within the period; the
status of an open record is its status at compilation."""

from __future__ import annotations

import datetime
from collections import Counter
from typing import Any

from django.utils.translation import gettext_lazy

from amelio.core.frozen_text import choice_text, display
from amelio.core.frozen_text import gettext_frozen as _
from amelio.core.registry import register_review_input

from .choices import CLOSED_ITEM_STATUSES, OPEN_ACTION_STATUSES, ActionKind, ActionStatus, ComplainantKind, Origin
from .models import Action, ImprovementItem

TABLE_ROWS = 30


def _figure(label: str, value: Any, note: str = "") -> dict[str, Any]:
    return {"label": label, "value": value, "unit": "", "note": note}


def _raised(origins: list[str], starts_on: datetime.date, ends_on: datetime.date) -> list[ImprovementItem]:
    return list(
        ImprovementItem.objects.filter(origin__in=origins, raised_on__range=(starts_on, ends_on))
        .select_related("process")
        .order_by("raised_on", "id")
    )


def nonconformities(starts_on: datetime.date, ends_on: datetime.date) -> dict[str, Any]:
    raised = _raised([Origin.NONCONFORMITY], starts_on, ends_on)
    major = sum(1 for item in raised if item.severity == "major")
    closed = ImprovementItem.objects.filter(
        origin=Origin.NONCONFORMITY, status__in=CLOSED_ITEM_STATUSES, closed_on__range=(starts_on, ends_on)
    ).count()
    corrective = Action.objects.filter(kind=ActionKind.CORRECTIVE)
    done = corrective.filter(status=ActionStatus.DONE, completed_on__range=(starts_on, ends_on)).count()
    late = corrective.filter(status__in=OPEN_ACTION_STATUSES, due_on__lte=ends_on).count()
    by_process = Counter(str(item.process.code) if item.process else _("no process") for item in raised)
    ranked = by_process.most_common(10)
    return {
        "figures": [
            _figure(_("Nonconformities raised"), len(raised)),
            _figure(_("of which major"), major),
            _figure(_("Nonconformities closed"), closed),
            _figure(_("Corrective actions done"), done),
            _figure(_("Corrective actions late"), late, _("open and due by the end of the period")),
        ],
        "tables": [
            {
                "title": _("Nonconformities raised in the period"),
                "columns": [_("Reference"), _("Title"), _("Process"), _("Status")],
                "rows": [
                    [item.reference, item.title, item.process.code if item.process else "", display(item, "status")]
                    for item in raised[:TABLE_ROWS]
                ],
            }
        ]
        if raised
        else [],
        "charts": [
            {
                "title": _("Nonconformities by process"),
                "kind": "bar",
                "labels": [label for label, _count in ranked],
                "series": [{"name": _("Nonconformities"), "values": [count for _label, count in ranked]}],
            }
        ]
        if ranked
        else [],
        "summary": _("%(raised)s nonconformities raised (%(major)s major), %(closed)s closed.")
        % {"raised": len(raised), "major": major, "closed": closed},
    }


def feedback(starts_on: datetime.date, ends_on: datetime.date) -> dict[str, Any]:
    complaints = _raised([Origin.COMPLAINT], starts_on, ends_on)
    suggestions = ImprovementItem.objects.filter(
        origin=Origin.SUGGESTION, raised_on__range=(starts_on, ends_on)
    ).count()
    closed = sum(1 for item in complaints if item.status in CLOSED_ITEM_STATUSES)
    by_kind = Counter(item.complainant_kind for item in complaints)
    kinds = [kind for kind in ComplainantKind.values if by_kind[kind]]
    return {
        "figures": [
            _figure(_("Complaints received"), len(complaints)),
            _figure(_("of which closed"), closed),
            _figure(_("Suggestions received"), suggestions),
        ],
        "tables": [
            {
                "title": _("Complaints received in the period"),
                "columns": [_("Reference"), _("Title"), _("From"), _("Status")],
                "rows": [
                    [item.reference, item.title, display(item, "complainant_kind"), display(item, "status")]
                    for item in complaints[:TABLE_ROWS]
                ],
            }
        ]
        if complaints
        else [],
        "charts": [
            {
                "title": _("Complaints by complainant"),
                "kind": "bar",
                "labels": [choice_text(ComplainantKind(kind).label) for kind in kinds],
                "series": [{"name": _("Complaints"), "values": [by_kind[kind] for kind in kinds]}],
            }
        ]
        if kinds
        else [],
        "summary": _("%(count)s complaints and %(suggestions)s suggestions received.")
        % {"count": len(complaints), "suggestions": suggestions},
    }


def opportunities(starts_on: datetime.date, ends_on: datetime.date) -> dict[str, Any]:
    raised = _raised([Origin.OPPORTUNITY], starts_on, ends_on)
    improvement_done = Action.objects.filter(
        kind=ActionKind.IMPROVEMENT, status=ActionStatus.DONE, completed_on__range=(starts_on, ends_on)
    ).count()
    return {
        "figures": [
            _figure(_("Opportunities for improvement raised"), len(raised)),
            _figure(_("Improvement actions done"), improvement_done),
        ],
        "tables": [
            {
                "title": _("Opportunities for improvement raised in the period"),
                "columns": [_("Reference"), _("Title"), _("Process"), _("Status")],
                "rows": [
                    [item.reference, item.title, item.process.code if item.process else "", display(item, "status")]
                    for item in raised[:TABLE_ROWS]
                ],
            }
        ]
        if raised
        else [],
        "summary": _("%(count)s opportunities for improvement raised, %(done)s improvement actions done.")
        % {"count": len(raised), "done": improvement_done},
    }


register_review_input(
    "complaints",
    order=31,
    clause="9.3.2 c) 1)",
    title=gettext_lazy("Feedback from interested parties: complaints and suggestions"),
    compile=feedback,
)
register_review_input(
    "nonconformities",
    order=34,
    clause="9.3.2 c) 4)",
    title=gettext_lazy("Nonconformities and corrective actions"),
    compile=nonconformities,
)
register_review_input(
    "opportunities",
    order=100,
    clause="9.3.2 f)",
    title=gettext_lazy("Opportunities for improvement"),
    compile=opportunities,
)

"""The inputs of a management review this app holds itself: the status of the actions decided
by previous reviews (9.3.2 a) and the adequacy of resources (9.3.2 d), which has no figure to
compile — the meeting writes its assessment in the section's note, required like any other."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext_lazy

from amelio.core.frozen_text import choice_text, display
from amelio.core.frozen_text import gettext_frozen as _
from amelio.core.registry import register_review_input
from amelio.improvement.choices import OPEN_ACTION_STATUSES, ActionStatus


def previous_decisions(starts_on: datetime.date, ends_on: datetime.date) -> dict[str, Any]:
    """The actions decided by the reviews of earlier periods (ended before this one starts),
    as they stand now; an open action due before the end of this period is late."""
    from .models import ReviewDecision

    decisions = list(
        ReviewDecision.objects.filter(review__ends_on__lt=starts_on)
        .select_related("review", "action", "action__owner")
        .order_by("review__starts_on", "id")
    )
    counts = {status: 0 for status in ActionStatus.values}
    late = 0
    rows = []
    for decision in decisions:
        action = decision.action
        counts[action.status] += 1
        is_late = action.status in OPEN_ACTION_STATUSES and action.due_on <= ends_on
        late += is_late
        rows.append(
            [
                decision.review.reference,
                decision.text[:120],
                str(action.owner),
                action.due_on.isoformat(),
                _("%(status)s (late)") % {"status": display(action, "status")}
                if is_late
                else display(action, "status"),
            ]
        )
    total = len(decisions)
    done_share = round(100 * counts[ActionStatus.DONE] / total) if total else 0
    labels = [choice_text(label) for label in ActionStatus.labels]
    return {
        "figures": [
            {"label": _("Actions decided by previous reviews"), "value": total, "unit": "", "note": ""},
            {"label": _("Done"), "value": counts[ActionStatus.DONE], "unit": "", "note": f"{done_share} %"},
            {
                "label": _("Under way or planned"),
                "value": counts[ActionStatus.PLANNED] + counts[ActionStatus.IN_PROGRESS],
                "unit": "",
                "note": "",
            },
            {"label": _("Late"), "value": late, "unit": "", "note": _("open and due by the end of the period")},
            {"label": _("Cancelled"), "value": counts[ActionStatus.CANCELLED], "unit": "", "note": ""},
        ],
        "tables": [
            {
                "title": _("Decisions of previous reviews"),
                "columns": [_("Review"), _("Decision"), _("Owner"), _("Due on"), _("Status")],
                "rows": rows,
            }
        ]
        if rows
        else [],
        "charts": [
            {
                "title": _("Actions of previous reviews by status"),
                "kind": "bar",
                "labels": labels,
                "series": [{"name": _("Actions"), "values": [counts[status] for status in ActionStatus.values]}],
            }
        ]
        if total
        else [],
        "summary": _("%(done)s of %(total)s actions done, %(late)s late.")
        % {"done": counts[ActionStatus.DONE], "total": total, "late": late}
        if total
        else _("No action was decided by an earlier review."),
    }


def adequacy_of_resources(starts_on: datetime.date, ends_on: datetime.date) -> dict[str, Any]:
    return {
        "summary": _(
            "No figure is compiled for this input: the meeting assesses whether people, premises, "
            "equipment and budget were adequate, and writes it in the note."
        )
    }


register_review_input(
    "previous_reviews",
    order=10,
    clause="9.3.2 a)",
    title=gettext_lazy("Status of actions from previous management reviews"),
    compile=previous_decisions,
)
register_review_input(
    "resources",
    order=80,
    clause="9.3.2 d)",
    title=gettext_lazy("Adequacy of resources"),
    compile=adequacy_of_resources,
)

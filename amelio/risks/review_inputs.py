"""The input of a management review (ISO 9001 9.3.2 e)) that this app holds: the
effectiveness of the actions taken to address risks and opportunities — the risks reviewed in
the period, each treated risk's score before and after its treatment, and the actions done.
Registered with core's registry; the snapshot's shape is documented in
amelio/core/registry.py."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy

from amelio.core.frozen_text import display
from amelio.core.frozen_text import gettext_frozen as _
from amelio.core.registry import register_review_input
from amelio.improvement.choices import ActionStatus

from .choices import CURRENT_RISK_STATUSES
from .models import Risk


def _average(numbers: list[int]) -> float | None:
    return round(sum(numbers) / len(numbers), 1) if numbers else None


def risk_treatment_effectiveness(starts_on: datetime.date, ends_on: datetime.date) -> dict[str, Any]:
    """The risks and opportunities still in the register (open or treated), and those closed
    ones the period touched (reviewed in it, or with an action done in it). An action counts
    as done in the period when its completion date falls in it, on time when that date is on
    or before its due date. The scores before and after treatment are compared over the risks
    that have a residual score."""
    in_period = Q(last_reviewed_on__range=(starts_on, ends_on)) | Q(
        actions__status=ActionStatus.DONE, actions__completed_on__range=(starts_on, ends_on)
    )
    risks = list(
        Risk.objects.filter(Q(status__in=CURRENT_RISK_STATUSES) | in_period)
        .distinct()
        .select_related("process")
        .prefetch_related("actions")
        .order_by("reference")
    )
    reviewed = [risk for risk in risks if risk.last_reviewed_on and starts_on <= risk.last_reviewed_on <= ends_on]
    treated = [risk for risk in risks if risk.residual_score is not None]
    done_in_period = [
        action
        for risk in risks
        for action in risk.actions.all()
        if action.status == ActionStatus.DONE and action.completed_on and starts_on <= action.completed_on <= ends_on
    ]
    # An action serving two risks is one action.
    done_in_period = list({action.pk: action for action in done_in_period}.values())
    on_time = [action for action in done_in_period if action.completed_on <= action.due_on]  # type: ignore[operator]
    before, after = _average([risk.score for risk in treated]), _average([risk.residual_score for risk in treated])
    rows = []
    for risk in risks:
        actions = list(risk.actions.all())
        rows.append(
            [
                risk.reference,
                risk.title,
                risk.process.code,
                display(risk, "kind"),
                display(risk, "status"),
                display(risk, "treatment") if risk.treatment else "",
                risk.score,
                "" if risk.residual_score is None else risk.residual_score,
                f"{sum(action.status == ActionStatus.DONE for action in actions)}/{len(actions)}",
                risk.last_reviewed_on.isoformat() if risk.last_reviewed_on else "",
            ]
        )
    return {
        "figures": [
            {
                "label": _("Risks and opportunities reviewed in the period"),
                "value": len(reviewed),
                "unit": "",
                "note": "",
            },
            {"label": _("Treated, with a residual score"), "value": len(treated), "unit": "", "note": ""},
            {
                "label": _("Average score before treatment"),
                "value": "" if before is None else before,
                "unit": "",
                "note": _("over the risks with a residual score"),
            },
            {
                "label": _("Average residual score"),
                "value": "" if after is None else after,
                "unit": "",
                "note": _("over the risks with a residual score"),
            },
            {"label": _("Treatment actions done in the period"), "value": len(done_in_period), "unit": "", "note": ""},
            {"label": _("of which on time"), "value": len(on_time), "unit": "", "note": ""},
        ],
        "tables": [
            {
                "title": _("Risks and opportunities"),
                "columns": [
                    _("Reference"),
                    _("Title"),
                    _("Process"),
                    _("Kind"),
                    _("Status"),
                    _("Treatment"),
                    _("Score"),
                    _("Residual score"),
                    _("Actions done"),
                    _("Last reviewed on"),
                ],
                "rows": rows,
            }
        ],
        "summary": _(
            "%(reviewed)s risks and opportunities reviewed; average score %(before)s before treatment, "
            "%(after)s after; %(done)s treatment actions done, %(on_time)s on time."
        )
        % {
            "reviewed": len(reviewed),
            "before": "—" if before is None else before,
            "after": "—" if after is None else after,
            "done": len(done_in_period),
            "on_time": len(on_time),
        },
    }


def register() -> None:
    register_review_input(
        "risks.treatment_effectiveness",
        order=50,
        clause="9.3.2 e)",
        title=gettext_lazy("Effectiveness of actions taken to address risks and opportunities"),
        compile=risk_treatment_effectiveness,
    )

"""Writes of the risk register. Values of likelihood and impact are checked against the
school's scale here (the database only knows the largest scale); every change records its
history in the same transaction; the status moves through workflows.py only."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from amelio.core import clock
from amelio.core.emails import readable_date
from amelio.core.permissions import require
from amelio.core.references import next_reference
from amelio.core.services import model_create, model_update
from amelio.history.choices import HistoryAction
from amelio.history.services import history_record
from amelio.improvement import services as improvement_services
from amelio.improvement.choices import Origin
from amelio.improvement.models import Action, ImprovementItem
from amelio.notifications.services import notify

from .choices import (
    CURRENT_RISK_STATUSES,
    REFERENCE_PREFIX,
    RiskKind,
    RiskStatus,
    RiskTransition,
)
from .models import Risk, RiskScale
from .selectors import scale_maximum
from .validators import SCALED_FIELDS, check_risk_values
from .workflows import RISK_WORKFLOW

# What recording a risk writes to its history: what it is given, and its reference.
HISTORY_FIELDS = [*Risk.editable_fields, "reference"]
REVIEW_FIELDS = ("last_reviewed_on", "review_on")
# A reminder leaves this many days before the review is due.
REMINDER_LEAD_DAYS = 7


# The scale ----------------------------------------------------------------------------


@transaction.atomic
def risk_scale_update(*, actor: Any, maximum: int, version: str | None = None) -> dict[str, list[str]]:
    """The quality manager sets the scale (1–4 or 1–5); refused while a risk, open or
    closed, holds a value above the new maximum."""
    require(actor, "risks.configure_scale")
    scale, _created = RiskScale.objects.select_for_update().get_or_create(pk=1)
    maximum = int(maximum)
    above = Q()
    for name in SCALED_FIELDS:
        above |= Q(**{f"{name}__gt": maximum})
    blocking = list(Risk.objects.filter(above).order_by("reference").values_list("reference", flat=True)[:6])
    if blocking:
        count = Risk.objects.filter(above).count()
        raise ValidationError(
            {
                "maximum": ngettext(
                    "%(count)s risk uses values above %(maximum)s (%(references)s): lower them before "
                    "changing the scale.",
                    "%(count)s risks use values above %(maximum)s (%(references)s): lower them before "
                    "changing the scale.",
                    count,
                )
                % {"count": count, "maximum": maximum, "references": ", ".join(blocking[:5])}
            }
        )
    return model_update(instance=scale, data={"maximum": maximum}, actor=actor, version=version)


# Recording and editing --------------------------------------------------------------------


@transaction.atomic
def risk_create(*, actor: Any, data: dict[str, Any]) -> Risk:
    """Record a risk or an opportunity of a process one manages; it starts open."""
    require(actor, "risks.add_risk", Risk(process=data.get("process")))
    check_risk_values(data, maximum=scale_maximum())
    kind = data.get("kind") or RiskKind.RISK
    reference = next_reference(prefix=REFERENCE_PREFIX[RiskKind(kind)], year=clock.today().year)
    return model_create(
        model=Risk,
        data={**data, "reference": reference, "created_by": actor},
        actor=actor,
        history_fields=[name for name in HISTORY_FIELDS if name in data or name == "reference"],
    )


def risk_update(*, actor: Any, risk: Risk, data: dict[str, Any], version: str | None = None) -> dict[str, list[str]]:
    """Correct what a risk says, its scores, treatment, actions and review date (not its status)."""
    require(actor, "risks.manage_risk", risk)
    if risk.status == RiskStatus.CLOSED:
        raise ValidationError(_("A closed risk cannot be changed; reopen it first."))
    new_process = data.get("process")
    if new_process is not None and new_process.pk != risk.process_id:
        # Moving a risk to another process needs the right on that process too.
        require(actor, "risks.add_risk", Risk(process=new_process))
    current = {name: getattr(risk, name) for name in (*SCALED_FIELDS, "kind", "treatment")}
    check_risk_values({**current, **data}, maximum=scale_maximum())
    return model_update(instance=risk, data=data, actor=actor, version=version)


@transaction.atomic
def risk_review(*, actor: Any, risk: Risk, next_review_on: datetime.date, note: str = "") -> Risk:
    """The owner (or whoever manages the risk) has looked at it today: recorded with what
    they saw, and the next review set."""
    require(actor, "risks.review_risk", risk)
    if risk.status not in CURRENT_RISK_STATUSES:
        raise ValidationError(_("A closed risk is not reviewed; reopen it first."))
    today = clock.today()
    if next_review_on <= today:
        raise ValidationError({"next_review_on": _("The next review comes after today.")})
    model_update(
        instance=risk,
        data={"last_reviewed_on": today, "review_on": next_review_on},
        actor=actor,
        reason=note.strip(),
        fields=REVIEW_FIELDS,
    )
    return risk


@transaction.atomic
def risk_plan_action(*, actor: Any, risk: Risk, data: dict[str, Any]) -> Action:
    """A new improvement action carrying out the treatment, planned through the improvement
    app's own service on the risk's process, and linked to the risk."""
    require(actor, "risks.manage_risk", risk)
    locked = Risk.objects.select_for_update().select_related("process").get(pk=risk.pk)
    if locked.status == RiskStatus.CLOSED:
        raise ValidationError(_("No action is planned on a closed risk; reopen it first."))
    process = locked.process
    action = improvement_services.action_create(
        actor=actor, data={**data, "process": process, "department": process.department}
    )
    locked.actions.add(action)
    history_record(instance=locked, action=HistoryAction.UPDATE, actor=actor, changes={"actions": ["", str(action)]})
    return action


@transaction.atomic
def risk_raise_item(*, actor: Any, risk: Risk, title: str, description: str) -> ImprovementItem:
    """An improvement item of origin "risk", raised through the improvement app's own service
    on the risk's process and linked to the risk: its analysis, actions and effectiveness
    check then follow the improvement workflow. Refused on a closed risk."""
    require(actor, "risks.raise_item", risk)
    locked = Risk.objects.select_for_update(of=("self",)).select_related("process").get(pk=risk.pk)
    if locked.status == RiskStatus.CLOSED:
        raise ValidationError(_("No item is raised on a closed risk; reopen it first."))
    item = improvement_services.item_raise(
        actor=actor,
        data={
            "origin": Origin.RISK,
            "title": title.strip(),
            "description": description.strip(),
            "process": locked.process,
        },
    )
    locked.items.add(item)
    history_record(instance=locked, action=HistoryAction.UPDATE, actor=actor, changes={"items": ["", str(item)]})
    return item


# The state machine ------------------------------------------------------------------------


def _treatment_decided(risk: Risk) -> None:
    errors = {}
    if not risk.treatment:
        errors["treatment"] = _("Choose the treatment first.")
    if risk.residual_likelihood is None or risk.residual_impact is None:
        errors["residual_likelihood"] = _("Estimate the residual likelihood and impact first.")
    if errors:
        raise ValidationError(errors)


def risk_treat(*, actor: Any, risk: Risk) -> Risk:
    """The treatment is decided and its residual score estimated."""
    return RISK_WORKFLOW.apply(
        actor=actor, record=risk, transition=RiskTransition.TREAT, precondition=_treatment_decided
    )


def risk_close(*, actor: Any, risk: Risk, reason: str) -> Risk:
    reason = reason.strip()
    return RISK_WORKFLOW.apply(
        actor=actor, record=risk, transition=RiskTransition.CLOSE, reason=reason, fields={"closing_reason": reason}
    )


def risk_reopen(*, actor: Any, risk: Risk, reason: str) -> Risk:
    return RISK_WORKFLOW.apply(
        actor=actor, record=risk, transition=RiskTransition.REOPEN, reason=reason, fields={"closing_reason": ""}
    )


# Review reminders (the worker's daily task) -------------------------------------------------


def risks_to_remind(*, today: datetime.date) -> list[Risk]:
    """Current risks whose review falls within REMINDER_LEAD_DAYS (or is past) and whose
    owner has not been reminded of this review date yet."""
    horizon = today + datetime.timedelta(days=REMINDER_LEAD_DAYS)
    return list(
        Risk.objects.filter(status__in=CURRENT_RISK_STATUSES, review_on__lte=horizon)
        .exclude(reminder_sent_for=F("review_on"))
        .select_related("owner")
        .order_by("review_on", "id")
    )


@transaction.atomic
def risk_send_reminder(*, risk: Risk, today: datetime.date) -> bool:
    """Tell the owner the review is due, once per review date (recorded on the locked row)."""
    locked = Risk.objects.select_for_update().select_related("owner").get(pk=risk.pk)
    if locked.status not in CURRENT_RISK_STATUSES or locked.reminder_sent_for == locked.review_on:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        notify(
            recipients=[locked.owner],
            subject=_("Review of %(reference)s “%(title)s” due on %(date)s")
            % {"reference": locked.reference, "title": locked.title, "date": readable_date(locked.review_on)},
            body=_("Look again at its likelihood, impact and treatment, then record the review."),
            url=locked.get_absolute_url(),
        )
    previous = locked.reminder_sent_for
    locked.reminder_sent_for = locked.review_on
    locked.save(update_fields=["reminder_sent_for"])
    history_record(
        instance=locked,
        action=HistoryAction.UPDATE,
        actor=None,
        changes={"reminder_sent_for": [previous.isoformat() if previous else "", locked.review_on.isoformat()]},
    )
    return True

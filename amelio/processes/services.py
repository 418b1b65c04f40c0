"""Writes of the process map and of the school's context."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from amelio.core import clock
from amelio.core.permissions import require
from amelio.core.services import model_create, model_update
from amelio.history.choices import HistoryAction
from amelio.history.services import history_record, history_record_create, history_record_delete

from .models import Activity, ContextIssue, InterestedParty, Process, ProcessInteraction, RaciAssignment, Statement

ACTIVITY_FIELDS = ["position", "name", "description"]


def _check_interactions(process: Process | None, targets: Any) -> None:
    if process is not None and process.pk is not None and any(t.pk == process.pk for t in targets):
        raise ValidationError({"interacts_with": _("A process cannot interact with itself.")})


def process_create(*, actor: Any, data: dict[str, Any]) -> Process:
    require(actor, "processes.add_process")
    return model_create(model=Process, data=data, actor=actor)


def process_update(
    *, actor: Any, process: Process, data: dict[str, Any], reason: str = "", version: str | None = None
) -> dict[str, list[str]]:
    require(actor, "processes.change_process", process)
    if "interacts_with" in data:
        _check_interactions(process, data["interacts_with"])
    if "department" in data and data["department"] != process.department and actor is not None:
        # Moving a process to another department needs the right there too.
        moved = Process(pk=process.pk, owner_id=process.owner_id, department=data["department"])
        require(actor, "processes.change_process", moved)
    return model_update(instance=process, data=data, actor=actor, reason=reason, version=version)


@transaction.atomic
def activity_create(*, actor: Any, process: Process, data: dict[str, Any]) -> Activity:
    require(actor, "processes.change_process", process)
    if not data.get("position"):
        last = process.activities.aggregate(last=Max("position"))["last"] or 0
        data = {**data, "position": last + 1}
    activity = Activity(process=process, **data)
    activity.full_clean()
    activity.save()
    history_record_create(instance=activity, fields=ACTIVITY_FIELDS, actor=actor, target=process)
    return activity


def activity_update(
    *, actor: Any, activity: Activity, data: dict[str, Any], version: str | None = None
) -> dict[str, list[str]]:
    require(actor, "processes.change_process", activity.process)
    return model_update(instance=activity, data=data, actor=actor, history_target=activity.process, version=version)


@transaction.atomic
def activity_delete(*, actor: Any, activity: Activity) -> None:
    process = activity.process
    require(actor, "processes.change_process", process)
    history_record_delete(instance=activity, fields=ACTIVITY_FIELDS, actor=actor, target=process)
    activity.delete()


@transaction.atomic
def interaction_set(*, actor: Any, source: Process, target: Process, description: str) -> ProcessInteraction:
    """Adds the arrow `source` → `target`, or changes what flows along it."""
    require(actor, "processes.change_process", source)
    if source.pk == target.pk:
        raise ValidationError({"target": _("A process cannot interact with itself.")})
    interaction = ProcessInteraction.objects.filter(source=source, target=target).first()
    before = interaction.description if interaction else ""
    if interaction is None:
        interaction = ProcessInteraction(source=source, target=target)
    interaction.description = description.strip()
    interaction.full_clean()
    interaction.save()
    history_record(
        instance=interaction,
        target=source,
        action=HistoryAction.UPDATE,
        actor=actor,
        changes={
            "interaction": [
                f"→ {target.code} {before}".strip() if before else "",
                f"→ {target.code} {interaction.description}".strip(),
            ]
        },
    )
    return interaction


@transaction.atomic
def interaction_remove(*, actor: Any, interaction: ProcessInteraction) -> None:
    require(actor, "processes.change_process", interaction.source)
    history_record(
        instance=interaction,
        target=interaction.source,
        action=HistoryAction.UPDATE,
        actor=actor,
        changes={"interaction": [f"→ {interaction.target.code} {interaction.description}".strip(), ""]},
    )
    interaction.delete()


@transaction.atomic
def raci_assign(*, actor: Any, activity: Activity, person: Any, responsibility: str) -> RaciAssignment:
    require(actor, "processes.change_process", activity.process)
    if RaciAssignment.objects.filter(activity=activity, person=person, responsibility=responsibility).exists():
        raise ValidationError(_("This person already has this responsibility for this activity."))
    assignment = RaciAssignment(activity=activity, person=person, responsibility=responsibility)
    assignment.full_clean()
    assignment.save()
    history_record(
        instance=assignment,
        target=activity.process,
        action=HistoryAction.CREATE,
        actor=actor,
        changes={"raci": ["", f"{activity.name}: {person} ({responsibility})"]},
    )
    return assignment


@transaction.atomic
def raci_remove(*, actor: Any, assignment: RaciAssignment) -> None:
    process = assignment.activity.process
    require(actor, "processes.change_process", process)
    history_record(
        instance=assignment,
        target=process,
        action=HistoryAction.DELETE,
        actor=actor,
        changes={"raci": [f"{assignment.activity.name}: {assignment.person} ({assignment.responsibility})", ""]},
    )
    assignment.delete()


def context_issue_create(*, actor: Any, data: dict[str, Any]) -> ContextIssue:
    require(actor, "processes.manage_context")
    return model_create(model=ContextIssue, data=data, actor=actor)


def context_issue_update(
    *, actor: Any, issue: ContextIssue, data: dict[str, Any], version: str | None = None
) -> dict[str, list[str]]:
    require(actor, "processes.manage_context", issue)
    return model_update(instance=issue, data=data, actor=actor, version=version)


def interested_party_create(*, actor: Any, data: dict[str, Any]) -> InterestedParty:
    require(actor, "processes.manage_context")
    return model_create(model=InterestedParty, data=data, actor=actor)


def interested_party_update(
    *, actor: Any, party: InterestedParty, data: dict[str, Any], version: str | None = None
) -> dict[str, list[str]]:
    require(actor, "processes.manage_context", party)
    return model_update(instance=party, data=data, actor=actor, version=version)


@transaction.atomic
def statement_write(*, actor: Any, kind: str, text: str) -> Statement:
    """A new draft version of the scope statement or of the policy."""
    require(actor, "processes.write_statement")
    if not text.strip():
        raise ValidationError({"text": _("The text cannot be empty.")})
    if Statement.objects.filter(kind=kind, approved_on__isnull=True).exists():
        raise ValidationError(_("A draft version is already waiting for approval; edit or approve it first."))
    last = Statement.objects.select_for_update().filter(kind=kind).aggregate(last=Max("version"))["last"] or 0
    return model_create(model=Statement, data={"kind": kind, "version": last + 1, "text": text.strip()}, actor=actor)


def statement_update_draft(
    *, actor: Any, statement: Statement, text: str, version: str | None = None
) -> dict[str, list[str]]:
    require(actor, "processes.write_statement", statement)
    if statement.is_approved:
        raise ValidationError(_("An approved version cannot be changed; write a new version."))
    return model_update(instance=statement, data={"text": text.strip()}, actor=actor, version=version)


@transaction.atomic
def statement_approve(*, actor: Any, statement: Statement) -> Statement:
    require(actor, "processes.approve_statement", statement)
    statement = Statement.objects.select_for_update().get(pk=statement.pk)
    if statement.is_approved:
        raise ValidationError(_("This version is already approved."))
    statement.approved_on = clock.today()
    statement.approved_by = actor
    statement.save(update_fields=["approved_on", "approved_by"])
    history_record(
        instance=statement,
        action=HistoryAction.APPROVE,
        actor=actor,
        changes={"approved_on": ["", statement.approved_on.isoformat()]},
    )
    return statement

"""Writes of continuous improvement. Every state change goes through the state machine of
choices.py, checks the actor's right on the locked row, records its history with the
reason, and notifies after commit."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from amelio.core import clock
from amelio.core.emails import readable_date, send_email_after_commit
from amelio.core.files import store_file
from amelio.core.models import FilePurpose, StoredFile
from amelio.core.permissions import require
from amelio.core.references import next_reference as core_next_reference
from amelio.core.services import model_create, model_update
from amelio.core.uploads import check_upload
from amelio.history.choices import HistoryAction
from amelio.history.services import history_record, snapshot
from amelio.notifications.services import notify
from amelio.organisation.choices import Role
from amelio.organisation.models import Person

from .choices import (
    ACTION_STATES_OF_ITEM,
    CLOSED_ITEM_STATUSES,
    REFERENCE_PREFIX,
    UNCLASSIFIED_REFERENCE_PREFIX,
    ActionStatus,
    ActionTransition,
    ItemStatus,
    ItemTransition,
    Origin,
    ReportKind,
)
from .models import Action, ImprovementItem, ProgressNote
from .workflows import ACTION_WORKFLOW, ITEM_WORKFLOW

# What raising an item records: the editable fields, and what is set once when it is raised.
ITEM_FIELDS = ["origin", "reported_as", *ImprovementItem.editable_fields, "contact_name", "contact_email", "raised_on"]
ANALYSIS_FIELDS = ["immediate_correction", "root_cause_method", "root_cause_analysis", "root_cause", "extent"]
ACTION_FIELDS = list(Action.editable_fields)


# References -------------------------------------------------------------------------


def next_reference(*, origin: str, year: int) -> str:
    """NC-2026-0042: the next number of this origin's prefix for the year (locked row); SI
    for a report not classified yet."""
    prefix = REFERENCE_PREFIX[Origin(origin)] if origin else UNCLASSIFIED_REFERENCE_PREFIX
    return core_next_reference(prefix=prefix, year=year)


# Raising ----------------------------------------------------------------------------


def _validate_item(data: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    origin = data.get("origin")
    if origin == Origin.NONCONFORMITY and not data.get("severity"):
        errors["severity"] = _("Say whether the nonconformity is minor or major.")
    if origin != Origin.NONCONFORMITY and data.get("severity"):
        errors["severity"] = _("Only a nonconformity has a severity.")
    if origin == Origin.COMPLAINT and not data.get("complainant_kind"):
        errors["complainant_kind"] = _("Say who complains.")
    process, department = data.get("process"), data.get("department")
    if process is not None and department is not None and process.department_id not in (None, department.pk):
        errors["department"] = _("The process belongs to another department.")
    if errors:
        raise ValidationError(errors)


def _managers_of(item: ImprovementItem) -> list[Any]:
    """Who is told of a new item: its process owner, else its department heads, else the
    quality managers."""
    if item.process is not None:
        return [item.process.owner]
    heads: Iterable[Any] = []
    if item.department_id is not None:
        heads = Person.objects.filter(
            role_assignments__role=Role.DEPARTMENT_HEAD, role_assignments__department_id=item.department_id
        )
    heads = list(heads)
    if heads:
        return heads
    return list(
        Person.objects.filter(role_assignments__role=Role.QUALITY_MANAGER, role_assignments__scope_kind="school")
    )


@transaction.atomic
def item_raise(*, actor: Any, data: dict[str, Any], files: Iterable[UploadedFile] = ()) -> ImprovementItem:
    """Anyone with an account raises an item, classified by its origin; it starts as new."""
    if not data.get("origin"):
        raise ValidationError({"origin": _("Say where the item comes from.")})
    return _item_create(actor=actor, data=data, files=files, status=ItemStatus.NEW)


# What a report in plain words carries; the rest is the classification (item_classify).
REPORT_FIELDS = ("reported_as", "title", "description", "process")
CLASSIFICATION_FIELDS = ("origin", "severity", "complainant_kind", "process", "department", "clauses")


@transaction.atomic
def item_report(*, actor: Any, data: dict[str, Any], files: Iterable[UploadedFile] = ()) -> ImprovementItem:
    """A problem or an idea in plain words, from someone outside the quality system (a
    student): no origin, severity or clause, which the process owner or the quality manager
    sets when classifying it. It waits "to classify" until then. Any other key is refused,
    named, and nothing is written."""
    require(actor, "improvement.raise_item")
    other = sorted(set(data) - set(REPORT_FIELDS))
    if other:
        raise ValidationError(
            _("These fields are set by the person who classifies the report: %(fields)s.")
            % {"fields": ", ".join(other)},
            code="classification_refused",
        )
    if data.get("reported_as") not in ReportKind.values:
        raise ValidationError({"reported_as": _("Say whether it is a problem or an idea.")})
    return _item_create(actor=actor, data={**data, "origin": ""}, files=files, status=ItemStatus.TO_CLASSIFY)


def _item_create(*, actor: Any, data: dict[str, Any], files: Iterable[UploadedFile], status: str) -> ImprovementItem:
    require(actor, "improvement.raise_item")
    checked = [check_upload(upload) for upload in files]  # refuse a bad file before writing anything
    process = data.get("process")
    if process is not None and process.department_id is not None and not data.get("department"):
        # An item on a department's process is the department's too: its head sees it.
        data = {**data, "department": process.department}
    _validate_item(data)
    raised_on = data.get("raised_on") or clock.today()
    item = ImprovementItem(
        reference=next_reference(origin=data["origin"], year=raised_on.year), raised_by=actor, status=status
    )
    for name, value in data.items():
        if name != "clauses":
            setattr(item, name, value)
    item.raised_on = raised_on
    item.full_clean()
    item.save()
    if "clauses" in data:
        item.clauses.set(data["clauses"])
    history_record(
        instance=item,
        action=HistoryAction.CREATE,
        actor=actor,
        changes={
            name: ["", value] for name, value in snapshot(item, [f for f in ITEM_FIELDS if f in data]).items() if value
        },
    )
    for upload in checked:
        store_file(actor=actor, upload=upload, owner=item, purpose=FilePurpose.ATTACHMENT)
    what = item.get_origin_display() if item.origin else item.get_reported_as_display()
    notify(
        recipients=_managers_of(item),
        subject=_("New %(origin)s %(reference)s: %(title)s")
        % {"origin": what, "reference": item.reference, "title": item.title},
        body=item.description[:1000],
        url=item.get_absolute_url(),
        exclude=actor,
    )
    return item


@transaction.atomic
def complaint_raise_public(*, data: dict[str, Any]) -> ImprovementItem:
    """A complaint from someone without an account (public form); acknowledged by email."""
    if not data.get("contact_email") or not data.get("contact_name"):
        raise ValidationError({"contact_email": _("Give your name and email address so that we can answer you.")})
    item = item_raise(actor=None, data={**data, "origin": Origin.COMPLAINT})
    send_email_after_commit(
        to=[item.contact_email],
        compose=lambda: (
            _("Your complaint %(reference)s has been received") % {"reference": item.reference},
            _(
                "Hello %(name)s,\n\nWe have received your complaint “%(title)s” under the reference %(reference)s. "
                "The person in charge will study it and answer you.\n\nThe quality team"
            )
            % {"name": item.contact_name, "title": item.title, "reference": item.reference},
        ),
    )
    return item


# The item's state machine ------------------------------------------------------------


@transaction.atomic
def item_classify(
    *, actor: Any, item: ImprovementItem, classification: dict[str, Any], reason: str = ""
) -> ImprovementItem:
    """The process owner or the quality manager classifies a report made in plain words:
    its origin, and the severity, complainant, process, department and ISO clauses that go
    with it. It then stands as a new item, to accept or reject."""
    other = sorted(set(classification) - set(CLASSIFICATION_FIELDS))
    if other:
        raise ValidationError(_("Unknown fields: %(fields)s.") % {"fields": ", ".join(other)})
    data = {name: classification.get(name) for name in CLASSIFICATION_FIELDS}
    if not data["origin"] or data["origin"] == Origin.RISK:
        raise ValidationError({"origin": _("Say where the item comes from.")})
    data["severity"] = data["severity"] or ""
    data["complainant_kind"] = data["complainant_kind"] or ""
    if data["process"] is None:
        data["process"] = item.process
    if data["process"] is not None and data["process"].department_id is not None and not data["department"]:
        data["department"] = data["process"].department
    if data["department"] is None and data["process"] is None:
        data["department"] = item.department
    _validate_item(data)
    clauses = list(data.pop("clauses") or [])

    def set_clauses(locked: ImprovementItem) -> None:
        locked.clauses.set(clauses)

    return ITEM_WORKFLOW.apply(
        actor=actor,
        record=item,
        transition=ItemTransition.CLASSIFY,
        reason=reason,
        fields=data,
        prepare=set_clauses,
        extra_tracked=["clauses"],
    )


def _tell_the_person_who_raised(item: ImprovementItem, compose: Callable[[], tuple[str, str]]) -> None:
    """`compose()` gives (subject, body); someone without an account reads it by email in
    the language the school writes to them in (core.emails), not the actor's."""
    if item.raised_by is not None:
        subject, body = compose()
        notify(recipients=[item.raised_by], subject=subject, body=body, url=item.get_absolute_url())
    elif item.contact_email:
        send_email_after_commit(to=[item.contact_email], compose=compose)


@transaction.atomic
def item_accept(
    *, actor: Any, item: ImprovementItem, reason: str = "", due_on: datetime.date | None = None
) -> ImprovementItem:
    fields = {"due_on": due_on} if due_on else {}
    item = ITEM_WORKFLOW.apply(actor=actor, record=item, transition=ItemTransition.ACCEPT, reason=reason, fields=fields)
    _tell_the_person_who_raised(
        item,
        lambda: (
            _("%(reference)s accepted") % {"reference": item.reference},
            _("“%(title)s” has been accepted and will be analysed.") % {"title": item.title},
        ),
    )
    return item


@transaction.atomic
def item_reject(*, actor: Any, item: ImprovementItem, reason: str) -> ImprovementItem:
    reason = reason.strip()
    item = ITEM_WORKFLOW.apply(
        actor=actor,
        record=item,
        transition=ItemTransition.REJECT,
        reason=reason,
        fields={"rejection_reason": reason, "closed_on": clock.today()},
    )
    _tell_the_person_who_raised(
        item,
        lambda: (
            _("%(reference)s not retained") % {"reference": item.reference},
            _("“%(title)s” was not retained. Reason: %(reason)s") % {"title": item.title, "reason": reason},
        ),
    )
    return item


def item_analyse(*, actor: Any, item: ImprovementItem, analysis: dict[str, Any], reason: str = "") -> ImprovementItem:
    """Immediate correction, root cause (5 Whys or Ishikawa) and extent."""
    if not str(analysis.get("root_cause", "")).strip():
        raise ValidationError({"root_cause": _("State the root cause found by the analysis.")})
    fields = {name: analysis.get(name, "") or "" for name in ANALYSIS_FIELDS}
    return ITEM_WORKFLOW.apply(
        actor=actor, record=item, transition=ItemTransition.ANALYSE, reason=reason, fields=fields
    )


def _has_planned_actions(item: ImprovementItem) -> None:
    if not item.actions.exclude(status=ActionStatus.CANCELLED).exists():
        raise ValidationError(_("Plan at least one action first."))


def _has_finished_actions(item: ImprovementItem) -> None:
    actions = item.actions.all()
    if actions.filter(status__in=[ActionStatus.PLANNED, ActionStatus.IN_PROGRESS]).exists():
        raise ValidationError(_("Some actions are not finished yet."))
    if not actions.filter(status=ActionStatus.DONE).exists():
        raise ValidationError(_("No action has been done."))


def item_start_actions(*, actor: Any, item: ImprovementItem) -> ImprovementItem:
    return ITEM_WORKFLOW.apply(
        actor=actor, record=item, transition=ItemTransition.START_ACTIONS, precondition=_has_planned_actions
    )


def item_request_check(*, actor: Any, item: ImprovementItem) -> ImprovementItem:
    return ITEM_WORKFLOW.apply(
        actor=actor, record=item, transition=ItemTransition.REQUEST_CHECK, precondition=_has_finished_actions
    )


@transaction.atomic
def item_close_effective(*, actor: Any, item: ImprovementItem, note: str) -> ImprovementItem:
    note = note.strip()
    item = ITEM_WORKFLOW.apply(
        actor=actor,
        record=item,
        transition=ItemTransition.CLOSE_EFFECTIVE,
        reason=note,
        fields={"effectiveness_note": note, "closed_on": clock.today()},
    )
    _tell_the_person_who_raised(
        item,
        lambda: (
            _("%(reference)s closed") % {"reference": item.reference},
            _("The actions taken on “%(title)s” have been checked and found effective.") % {"title": item.title},
        ),
    )
    return item


def item_reopen(*, actor: Any, item: ImprovementItem, reason: str) -> ImprovementItem:
    reason = reason.strip()
    return ITEM_WORKFLOW.apply(
        actor=actor, record=item, transition=ItemTransition.REOPEN, reason=reason, fields={"effectiveness_note": reason}
    )


def item_update(
    *, actor: Any, item: ImprovementItem, data: dict[str, Any], version: str | None = None
) -> dict[str, list[str]]:
    """Correct the description of an open item (not its state)."""
    require(actor, "improvement.manage_item", item)
    if item.status in (ItemStatus.CLOSED_EFFECTIVE, ItemStatus.REJECTED):
        raise ValidationError(_("A closed item cannot be changed."))
    _validate_item({"origin": item.origin, **data})
    return model_update(instance=item, data=data, actor=actor, version=version)


# Actions ----------------------------------------------------------------------------


@transaction.atomic
def action_create(*, actor: Any, data: dict[str, Any], item: ImprovementItem | None = None) -> Action:
    if item is not None:
        require(actor, "improvement.manage_item", item)
        item = ImprovementItem.objects.select_for_update().get(pk=item.pk)
        if item.status not in ACTION_STATES_OF_ITEM:
            raise ValidationError(
                _("No action can be added while the item is “%(status)s”.") % {"status": item.get_status_display()}
            )
        require(actor, "improvement.add_action_to_item", item)  # the rule the item's page asks
        data = {**data, "item": item, "process": data.get("process") or item.process}
        data["department"] = data.get("department") or item.department
    else:
        require(
            actor,
            "improvement.add_standalone_action",
            Action(process=data.get("process"), department=data.get("department")),
        )
    if data["due_on"] < clock.today() - datetime.timedelta(days=365):
        raise ValidationError({"due_on": _("The due date is more than a year in the past.")})
    action = model_create(model=Action, data={**data, "created_by": actor}, actor=actor, history_fields=ACTION_FIELDS)
    if item is not None:
        history_record(
            instance=action,
            target=item,
            action=HistoryAction.CREATE,
            actor=actor,
            changes={"action": ["", action.title]},
        )
    notify(
        recipients=[action.owner],
        subject=_("New action for you: %(title)s (due %(date)s)")
        % {"title": action.title, "date": readable_date(action.due_on)},
        body=action.description[:1000],
        url=action.get_absolute_url(),
        exclude=actor,
    )
    return action


def action_update(
    *, actor: Any, action: Action, data: dict[str, Any], version: str | None = None
) -> dict[str, list[str]]:
    require(actor, "improvement.manage_action", action)
    if action.status not in (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS):
        raise ValidationError(_("A finished action cannot be re-planned; resume it first."))
    previous_owner = action.owner_id
    changes = model_update(instance=action, data=data, actor=actor, version=version)
    if action.owner_id != previous_owner:
        notify(
            recipients=[action.owner],
            subject=_("Action handed over to you: %(title)s") % {"title": action.title},
            url=action.get_absolute_url(),
            exclude=actor,
        )
    return changes


def action_start(*, actor: Any, action: Action) -> Action:
    return ACTION_WORKFLOW.apply(actor=actor, record=action, transition=ActionTransition.START)


@transaction.atomic
def action_complete(*, actor: Any, action: Action, note: str = "", evidence: Iterable[UploadedFile] = ()) -> Action:
    checked = [check_upload(upload) for upload in evidence]
    action = ACTION_WORKFLOW.apply(
        actor=actor,
        record=action,
        transition=ActionTransition.COMPLETE,
        reason=note,
        fields={"completed_on": clock.today()},
    )
    if note.strip():
        ProgressNote.objects.create(action=action, author=actor, text=note.strip())
    for upload in checked:
        store_file(actor=actor, upload=upload, owner=action, purpose=FilePurpose.EVIDENCE)
    if action.item_id is not None:
        item = action.item
        assert item is not None
        managers = _managers_of(item)
        notify(
            recipients=managers,
            subject=_("Action done: %(title)s (%(reference)s)") % {"title": action.title, "reference": item.reference},
            url=item.get_absolute_url(),
            exclude=actor,
        )
    return action


def action_cancel(*, actor: Any, action: Action, reason: str) -> Action:
    reason = reason.strip()
    return ACTION_WORKFLOW.apply(
        actor=actor,
        record=action,
        transition=ActionTransition.CANCEL,
        reason=reason,
        fields={"cancellation_reason": reason},
    )


def action_resume(*, actor: Any, action: Action, reason: str) -> Action:
    return ACTION_WORKFLOW.apply(
        actor=actor, record=action, transition=ActionTransition.RESUME, reason=reason, fields={"completed_on": None}
    )


@transaction.atomic
def action_add_note(*, actor: Any, action: Action, text: str) -> ProgressNote:
    require(actor, "improvement.work_on_action", action)
    if not text.strip():
        raise ValidationError({"text": _("The note is empty.")})
    note = ProgressNote.objects.create(action=action, author=actor, text=text.strip())
    history_record(
        instance=note, target=action, action=HistoryAction.UPDATE, actor=actor, changes={"note": ["", note.text[:300]]}
    )
    return note


# Files ------------------------------------------------------------------------------


@transaction.atomic
def attachment_add(
    *, actor: Any, upload: UploadedFile, item: ImprovementItem | None = None, action: Action | None = None
) -> StoredFile:
    """Adds a file to an item (its raiser while it is new, or those who manage it) or to an
    action (those who work on it), through the core file store. A closed item, and its
    actions, keep the files they were closed with."""
    if item is not None:
        # Locked: a file does not slip in while someone closes the item.
        owner: ImprovementItem | Action = ImprovementItem.objects.select_for_update().get(pk=item.pk)
        if owner.status in CLOSED_ITEM_STATUSES:
            raise ValidationError(
                _("No file can be added to an item that is “%(status)s”.") % {"status": owner.get_status_display()},
                code="closed",
            )
        require(actor, "improvement.attach_to_item", owner)
    elif action is not None:
        require(actor, "improvement.work_on_action", action)
        owner = action
        if action.item_id is not None:
            # The actions of a closed item are closed with it: their evidence is what was checked.
            closed = ImprovementItem.objects.select_for_update().get(pk=action.item_id)
            if closed.status in CLOSED_ITEM_STATUSES:
                raise ValidationError(
                    _("No file can be added to an action of an item that is “%(status)s”.")
                    % {"status": closed.get_status_display()},
                    code="closed",
                )
    else:
        raise ValueError("A file belongs to an item or an action.")
    return store_file(actor=actor, upload=upload, owner=owner, purpose=FilePurpose.ATTACHMENT)

"""Writes of the management reviews. Compiling asks every input registered with the core
registry for its snapshot of the period and stores it (the review never reads another app's
tables); approval is refused while a section has no note; an approved review is frozen:
nothing in it changes any more, whatever happens to the records it was compiled from."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from amelio.core import clock
from amelio.core.frozen_text import freeze, message_id
from amelio.core.permissions import require
from amelio.core.references import next_reference
from amelio.core.registry import review_inputs
from amelio.core.services import model_create, model_update
from amelio.history.choices import HistoryAction
from amelio.history.services import history_record
from amelio.improvement import services as improvement_services
from amelio.improvement.choices import ActionKind

from .choices import OPEN_REVIEW_STATUSES, REFERENCE_PREFIX, DecisionKind, ReviewStatus, ReviewTransition
from .models import ManagementReview, ReviewDecision, ReviewSection
from .workflows import REVIEW_WORKFLOW

HISTORY_FIELDS = [*ManagementReview.editable_fields, "reference"]
# A period longer than this is not "a planned interval" (9.3.1): most likely a typing error.
LONGEST_PERIOD_DAYS = 3 * 366


def _validate_period(data: dict[str, Any]) -> None:
    starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
    if starts_on and ends_on:
        if ends_on < starts_on:
            raise ValidationError({"ends_on": _("The period ends before it starts.")})
        if (ends_on - starts_on).days > LONGEST_PERIOD_DAYS:
            raise ValidationError({"ends_on": _("A review covers three years at most.")})


def _refuse_when_frozen(review: ManagementReview) -> None:
    if review.status not in OPEN_REVIEW_STATUSES:
        raise ValidationError(
            _("The review is “%(status)s”: it is frozen.") % {"status": review.get_status_display()}, code="frozen"
        )


@transaction.atomic
def review_create(*, actor: Any, data: dict[str, Any]) -> ManagementReview:
    require(actor, "reviews.add_review")
    _validate_period(data)
    reference = next_reference(prefix=REFERENCE_PREFIX, year=data["ends_on"].year, digits=2)
    return model_create(
        model=ManagementReview,
        data={**data, "reference": reference, "created_by": actor},
        actor=actor,
        history_fields=HISTORY_FIELDS,
    )


@transaction.atomic
def review_update(
    *, actor: Any, review: ManagementReview, data: dict[str, Any], version: str | None = None
) -> dict[str, list[str]]:
    require(actor, "reviews.prepare_review", review)
    review = ManagementReview.objects.select_for_update().get(pk=review.pk)
    _refuse_when_frozen(review)
    _validate_period({"starts_on": review.starts_on, "ends_on": review.ends_on, **data})
    return model_update(instance=review, data=data, actor=actor, version=version)


def compile_inputs(starts_on: datetime.date, ends_on: datetime.date) -> list[dict[str, Any]]:
    """Every registered input's snapshot of the period, in the order of 9.3.2 (its clause
    labels, "9.3.2 a)" to "9.3.2 f)", sort in the standard's order, whatever order numbers
    the apps chose)."""
    entries = sorted(review_inputs(), key=lambda entry: (entry.clause, entry.order, entry.key))
    return [
        {
            "key": entry.key,
            "order": position,
            "clause": entry.clause,
            # The title's message id and the snapshot's texts as message ids with their
            # parameters (core.frozen_text): a frozen review reads in each reader's language.
            "title": message_id(entry.title),
            "snapshot": freeze(entry.compile(starts_on, ends_on)),
        }
        for position, entry in enumerate(entries, start=1)
    ]


def review_compile(*, actor: Any, review: ManagementReview) -> ManagementReview:
    """Takes the snapshot of every input for the period. Compiling again (before approval)
    refreshes the figures and keeps the notes already written."""

    def store(locked: ManagementReview) -> None:
        existing = {section.key: section for section in locked.sections.all()}
        for compiled in compile_inputs(locked.starts_on, locked.ends_on):
            section = existing.pop(compiled["key"], None) or ReviewSection(review=locked, key=compiled["key"])
            section.order, section.clause = compiled["order"], compiled["clause"]
            section.title, section.snapshot = compiled["title"][:200], compiled["snapshot"]
            section.save()
        # An input no longer registered: its section goes, unless a decision refers to it.
        for section in existing.values():
            if not section.decisions.exists():
                section.delete()

    return REVIEW_WORKFLOW.apply(
        actor=actor,
        record=review,
        transition=ReviewTransition.COMPILE,
        fields={"compiled_at": clock.now()},
        prepare=store,
    )


def _every_section_has_a_note(review: ManagementReview) -> None:
    missing = [
        f"{section.clause} {section.display_title}" for section in review.sections.all() if not section.note.strip()
    ]
    if missing:
        raise ValidationError(
            _("Every input needs a note before the review is approved; none yet for: %(sections)s.")
            % {"sections": "; ".join(missing)},
            code="missing_notes",
        )


def review_approve(*, actor: Any, review: ManagementReview) -> ManagementReview:
    """The director approves; the review is frozen from then on."""
    return REVIEW_WORKFLOW.apply(
        actor=actor,
        record=review,
        transition=ReviewTransition.APPROVE,
        fields={"approved_on": clock.today(), "approved_by": actor},
        precondition=_every_section_has_a_note,
    )


@transaction.atomic
def section_write_note(*, actor: Any, section: ReviewSection, note: str) -> ReviewSection:
    """The note written in the meeting on one input."""
    review = ManagementReview.objects.select_for_update().get(pk=section.review_id)
    require(actor, "reviews.write_note", review)
    _refuse_when_frozen(review)
    if review.status != ReviewStatus.COMPILED:
        raise ValidationError(_("Compile the inputs before writing the notes."), code="not_compiled")
    section = ReviewSection.objects.select_for_update().get(pk=section.pk)
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("The note is empty.")})
    before = section.note
    section.note, section.note_by = note, actor
    section.save(update_fields=["note", "note_by"])
    history_record(
        instance=section,
        target=review,
        action=HistoryAction.UPDATE,
        actor=actor,
        changes={"note": [before[:300], note[:300]]},
    )
    return section


@transaction.atomic
def decision_record(
    *,
    actor: Any,
    review: ManagementReview,
    kind: str,
    text: str,
    owner: Any,
    due_on: datetime.date,
    section: ReviewSection | None = None,
    title: str = "",
) -> ReviewDecision:
    """A decision of the meeting (9.3.3), carried out as an improvement action with its
    owner and due date; the action says which review decided it."""
    require(actor, "reviews.prepare_review", review)
    review = ManagementReview.objects.select_for_update().get(pk=review.pk)
    _refuse_when_frozen(review)
    if review.status != ReviewStatus.COMPILED:
        raise ValidationError(_("Compile the inputs before recording decisions."), code="not_compiled")
    if kind not in DecisionKind.values:
        raise ValidationError({"kind": _("Choose what the decision is about.")})
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write the decision.")})
    if section is not None and section.review_id != review.pk:
        raise ValidationError({"section": _("This section belongs to another review.")})
    if due_on < clock.today():
        raise ValidationError({"due_on": _("The due date is in the past.")})
    action = improvement_services.action_create(
        actor=actor,
        data={
            "kind": ActionKind.IMPROVEMENT,
            "title": (title.strip() or text)[:200],
            "description": _("Decided by the management review %(reference)s (%(kind)s): %(text)s")
            % {"reference": review.reference, "kind": DecisionKind(kind).label, "text": text},
            "owner": owner,
            "due_on": due_on,
        },
    )
    decision = ReviewDecision.objects.create(
        review=review, section=section, kind=kind, text=text, action=action, created_by=actor
    )
    history_record(
        instance=decision,
        target=review,
        action=HistoryAction.CREATE,
        actor=actor,
        changes={"decision": ["", text[:300]], "action": ["", action.title]},
    )
    # The action's own story says where it comes from.
    history_record(
        instance=decision,
        target=action,
        action=HistoryAction.CREATE,
        actor=actor,
        changes={"management review": ["", review.reference]},
    )
    return decision

"""The improvement item's state machine: every transition allowed from its states and
refused from the others, who may do it, and what it records."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from amelio.history.choices import HistoryAction
from amelio.history.models import HistoryEntry
from amelio.improvement import services
from amelio.improvement.choices import ActionStatus, ItemStatus, ItemTransition, Origin
from amelio.improvement.models import Action, ImprovementItem
from amelio.improvement.tests.factories import ActionFactory, ImprovementItemFactory
from amelio.improvement.workflows import ITEM_WORKFLOW
from amelio.notifications.models import Notification

pytestmark = pytest.mark.django_db


def raise_suggestion(school: dict[str, Any], **extra: Any) -> ImprovementItem:
    data = {
        "origin": Origin.SUGGESTION,
        "title": "Casiers pour les étudiants",
        "description": "Des casiers près des salles de TP.",
        "process": school["process_civil"],
        **extra,
    }
    return services.item_raise(actor=school["student"], data=data)


def test_a_student_raises_a_suggestion_with_a_reference_and_the_owner_is_told(
    school: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        item = raise_suggestion(school)
    year = timezone.localdate().year
    assert item.reference == f"SU-{year}-0001"
    assert item.status == ItemStatus.NEW
    assert item.raised_by == school["student"]
    second = raise_suggestion(school)
    assert second.reference == f"SU-{year}-0002"
    nonconformity = services.item_raise(
        actor=school["teacher"],
        data={
            "origin": Origin.NONCONFORMITY,
            "title": "Sujet d'examen erroné",
            "description": "x",
            "severity": "minor",
        },
    )
    assert nonconformity.reference == f"NC-{year}-0001"
    # The process owner (pilote) is notified in the application and by email.
    assert Notification.objects.filter(recipient=school["teacher"], url=item.get_absolute_url()).exists()
    assert any(school["teacher"].email in message.to for message in mail.outbox)
    assert HistoryEntry.objects.filter(object_id=str(item.pk), action=HistoryAction.CREATE).exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"origin": Origin.NONCONFORMITY}, "severity"),
        ({"origin": Origin.SUGGESTION, "severity": "major"}, "severity"),
        ({"origin": Origin.COMPLAINT}, "complainant_kind"),
        ({"origin": Origin.SUGGESTION, "title": ""}, "title"),
    ],
)
def test_raising_refuses_incomplete_items(school: dict[str, Any], data: dict[str, Any], field: str) -> None:
    base = {"title": "Titre", "description": "Description"}
    with pytest.raises(ValidationError) as error:
        services.item_raise(actor=school["student"], data={**base, **data})
    assert field in error.value.message_dict
    assert not ImprovementItem.objects.exists()


def walk_to(item: ImprovementItem, status: str, school: dict[str, Any]) -> ImprovementItem:
    """Move an item along the happy path until it reaches `status`."""
    owner, qm = school["teacher"], school["quality_manager"]
    steps: list[tuple[str, Callable[[], ImprovementItem]]] = [
        (ItemStatus.ACCEPTED, lambda: services.item_accept(actor=owner, item=item)),
        (
            ItemStatus.ANALYSED,
            lambda: services.item_analyse(
                actor=owner,
                item=item,
                analysis={
                    "root_cause_method": "five_whys",
                    "root_cause": "Pas de budget prévu",
                    "extent": "Tous les sites",
                },
            ),
        ),
        (ItemStatus.ACTIONS_UNDER_WAY, lambda: _plan_and_start(item, school)),
        (ItemStatus.AWAITING_CHECK, lambda: _finish_actions_and_request_check(item, school)),
        (
            ItemStatus.CLOSED_EFFECTIVE,
            lambda: services.item_close_effective(actor=qm, item=item, note="Casiers utilisés"),
        ),
    ]
    path = [ItemStatus.NEW] + [reached for reached, _step in steps]
    if item.status == status:
        return item
    for reached, step in steps[path.index(item.status) :]:
        item = step()
        assert item.status == reached
        if reached == status:
            return item
    raise AssertionError(status)


def _plan_and_start(item: ImprovementItem, school: dict[str, Any]) -> ImprovementItem:
    services.action_create(
        actor=school["teacher"],
        item=item,
        data={
            "kind": "improvement",
            "title": "Installer des casiers",
            "owner": school["head_civil"],
            "due_on": timezone.localdate(),
        },
    )
    return services.item_start_actions(actor=school["teacher"], item=item)


def _finish_actions_and_request_check(item: ImprovementItem, school: dict[str, Any]) -> ImprovementItem:
    for action in item.actions.all():
        services.action_complete(actor=action.owner, action=action, note="Fait")
    return services.item_request_check(actor=school["teacher"], item=item)


TRANSITION_CALLS: dict[str, Callable[[ImprovementItem, dict[str, Any]], ImprovementItem]] = {
    ItemTransition.CLASSIFY: lambda item, s: services.item_classify(
        actor=s["quality_manager"], item=item, classification={"origin": Origin.SUGGESTION}
    ),
    ItemTransition.ACCEPT: lambda item, s: services.item_accept(actor=s["quality_manager"], item=item),
    ItemTransition.REJECT: lambda item, s: services.item_reject(
        actor=s["quality_manager"], item=item, reason="Hors sujet"
    ),
    ItemTransition.ANALYSE: lambda item, s: services.item_analyse(
        actor=s["quality_manager"], item=item, analysis={"root_cause": "Cause"}
    ),
    ItemTransition.START_ACTIONS: lambda item, s: services.item_start_actions(actor=s["quality_manager"], item=item),
    ItemTransition.REQUEST_CHECK: lambda item, s: services.item_request_check(actor=s["quality_manager"], item=item),
    ItemTransition.CLOSE_EFFECTIVE: lambda item, s: services.item_close_effective(
        actor=s["quality_manager"], item=item, note="Efficace"
    ),
    ItemTransition.REOPEN: lambda item, s: services.item_reopen(
        actor=s["quality_manager"], item=item, reason="Récidive"
    ),
}


def item_in(status: str, school: dict[str, Any]) -> ImprovementItem:
    """An item in `status`, with actions in the state that status implies."""
    item = ImprovementItemFactory(process=school["process_civil"], status=status, raised_by=school["student"])
    if status in (ItemStatus.ANALYSED, ItemStatus.REOPENED):
        ActionFactory(item=item, owner=school["head_civil"], status=ActionStatus.PLANNED)
    if status == ItemStatus.ACTIONS_UNDER_WAY:
        ActionFactory(item=item, owner=school["head_civil"], status=ActionStatus.DONE)
    if status == ItemStatus.AWAITING_CHECK:
        ActionFactory(item=item, owner=school["head_civil"], status=ActionStatus.DONE)
    return item


@pytest.mark.parametrize("transition", list(ItemTransition))
@pytest.mark.parametrize("status", list(ItemStatus))
def test_each_transition_from_each_state(school: dict[str, Any], transition: str, status: str) -> None:
    sources, target = ITEM_WORKFLOW[transition].sources, ITEM_WORKFLOW[transition].target
    item = item_in(status, school)
    history_before = HistoryEntry.objects.count()
    if status in sources:
        item = TRANSITION_CALLS[transition](item, school)
        assert item.status == target
        entry = HistoryEntry.objects.filter(action=HistoryAction.TRANSITION).latest("id")
        assert entry.changes["status"] == [status, target]
    else:
        with pytest.raises(ValidationError) as error:
            TRANSITION_CALLS[transition](item, school)
        assert "is not possible while the item is" in str(error.value)
        item.refresh_from_db()
        assert item.status == status
        assert HistoryEntry.objects.count() == history_before


def test_the_whole_path_to_closed_effective(school: dict[str, Any]) -> None:
    item = walk_to(raise_suggestion(school), ItemStatus.CLOSED_EFFECTIVE, school)
    assert item.closed_on == timezone.localdate()
    assert item.effectiveness_note == "Casiers utilisés"
    transitions = HistoryEntry.objects.filter(
        content_type__model="improvementitem", object_id=str(item.pk), action=HistoryAction.TRANSITION
    )
    assert transitions.count() == 5


def test_reopened_as_not_effective_then_analysed_again(school: dict[str, Any]) -> None:
    item = walk_to(raise_suggestion(school), ItemStatus.AWAITING_CHECK, school)
    item = services.item_reopen(actor=school["quality_manager"], item=item, reason="Les casiers sont trop petits")
    assert item.status == ItemStatus.REOPENED
    entry = HistoryEntry.objects.filter(content_type__model="improvementitem", object_id=str(item.pk)).latest("id")
    assert entry.reason == "Les casiers sont trop petits"
    item = services.item_analyse(actor=school["teacher"], item=item, analysis={"root_cause": "Mauvais dimensionnement"})
    assert item.status == ItemStatus.ANALYSED


@pytest.mark.parametrize("key", ["student", "head_electrical", "auditor", "director", "head_civil"])
def test_accepting_is_refused_outside_the_process_owner_and_quality_manager(school: dict[str, Any], key: str) -> None:
    item = raise_suggestion(school)
    with pytest.raises(PermissionDenied):
        services.item_accept(actor=school[key], item=item)
    item.refresh_from_db()
    assert item.status == ItemStatus.NEW


def test_only_the_quality_manager_checks_effectiveness(school: dict[str, Any]) -> None:
    item = walk_to(raise_suggestion(school), ItemStatus.AWAITING_CHECK, school)
    with pytest.raises(PermissionDenied):
        services.item_close_effective(actor=school["teacher"], item=item, note="Efficace")
    item.refresh_from_db()
    assert item.status == ItemStatus.AWAITING_CHECK


def test_reasons_are_required(school: dict[str, Any]) -> None:
    item = raise_suggestion(school)
    with pytest.raises(ValidationError) as error:
        services.item_reject(actor=school["teacher"], item=item, reason="  ")
    assert "reason" in error.value.message_dict
    item = walk_to(item, ItemStatus.AWAITING_CHECK, school)
    with pytest.raises(ValidationError):
        services.item_close_effective(actor=school["quality_manager"], item=item, note="")
    with pytest.raises(ValidationError):
        services.item_reopen(actor=school["quality_manager"], item=item, reason="")


def test_analysis_needs_a_root_cause(school: dict[str, Any]) -> None:
    item = walk_to(raise_suggestion(school), ItemStatus.ACCEPTED, school)
    with pytest.raises(ValidationError) as error:
        services.item_analyse(actor=school["teacher"], item=item, analysis={"root_cause": ""})
    assert "root_cause" in error.value.message_dict


def test_actions_must_be_planned_before_starting_and_finished_before_the_check(school: dict[str, Any]) -> None:
    item = walk_to(raise_suggestion(school), ItemStatus.ANALYSED, school)
    with pytest.raises(ValidationError, match="at least one action"):
        services.item_start_actions(actor=school["teacher"], item=item)
    item = walk_to(item, ItemStatus.ACTIONS_UNDER_WAY, school)
    with pytest.raises(ValidationError, match="not finished"):
        services.item_request_check(actor=school["teacher"], item=item)


def test_rejection_tells_the_person_who_raised_it(school: dict[str, Any]) -> None:
    item = raise_suggestion(school)
    services.item_reject(actor=school["teacher"], item=item, reason="Déjà prévu au budget")
    notification = Notification.objects.get(recipient=school["student"])
    assert "not retained" in notification.subject
    assert "Déjà prévu au budget" in notification.body


def test_actions_state_machine_and_permissions(school: dict[str, Any]) -> None:
    item = walk_to(raise_suggestion(school), ItemStatus.ANALYSED, school)
    action = services.action_create(
        actor=school["teacher"],
        item=item,
        data={
            "kind": "corrective",
            "title": "Commander",
            "owner": school["head_civil"],
            "due_on": timezone.localdate(),
        },
    )
    assert Notification.objects.filter(recipient=school["head_civil"], subject__contains="Commander").exists()
    with pytest.raises(PermissionDenied):
        services.action_start(actor=school["student"], action=action)
    action = services.action_start(actor=school["head_civil"], action=action)
    assert action.status == ActionStatus.IN_PROGRESS
    with pytest.raises(ValidationError):
        services.action_start(actor=school["head_civil"], action=action)
    with pytest.raises(PermissionDenied):  # the owner does the work; cancelling is the manager's
        services.action_cancel(actor=school["head_civil"], action=action, reason="Trop cher")
    with pytest.raises(ValidationError):
        services.action_cancel(actor=school["teacher"], action=action, reason="")
    action = services.action_cancel(actor=school["teacher"], action=action, reason="Trop cher")
    assert action.status == ActionStatus.CANCELLED and action.cancellation_reason == "Trop cher"
    with pytest.raises(ValidationError):
        services.action_complete(actor=school["head_civil"], action=action)


def test_standalone_action_within_scope(school: dict[str, Any]) -> None:
    data = {
        "kind": "improvement",
        "title": "Revoir le livret",
        "owner": school["teacher"],
        "due_on": timezone.localdate(),
    }
    action = services.action_create(actor=school["head_civil"], data={**data, "department": school["civil"]})
    assert action.item is None
    with pytest.raises(PermissionDenied):
        services.action_create(actor=school["head_civil"], data={**data, "department": school["electrical"]})
    with pytest.raises(PermissionDenied):
        services.action_create(actor=school["student"], data=data)
    assert Action.objects.count() == 1


def test_no_action_on_a_closed_item(school: dict[str, Any]) -> None:
    item = walk_to(raise_suggestion(school), ItemStatus.CLOSED_EFFECTIVE, school)
    with pytest.raises(ValidationError):
        services.action_create(
            actor=school["quality_manager"],
            item=item,
            data={
                "kind": "corrective",
                "title": "Trop tard",
                "owner": school["teacher"],
                "due_on": timezone.localdate(),
            },
        )


def test_overdue_actions(school: dict[str, Any]) -> None:
    action = ActionFactory(owner=school["teacher"], due_on=timezone.localdate() - datetime.timedelta(days=1))
    assert action.is_overdue
    action.status = ActionStatus.DONE
    assert not action.is_overdue


def test_a_service_writes_the_time_of_the_clock(school: dict[str, Any]) -> None:
    """A builder replaying the past (the demo) freezes the clock: the record, its history
    and its notifications are dated then, not rewritten afterwards."""
    from amelio.core import clock

    moment = timezone.make_aware(datetime.datetime(2025, 3, 4, 10, 30))
    with clock.frozen_at(moment):
        item = raise_suggestion(school)
    item.refresh_from_db()
    assert item.created_at == moment
    assert item.raised_on == datetime.date(2025, 3, 4)
    assert item.reference.startswith("SU-2025-")
    assert [entry.timestamp for entry in HistoryEntry.objects.filter(object_id=str(item.pk))] == [moment]
    assert Notification.objects.get(recipient=school["teacher"]).created_at == moment
    rejected_at = moment + datetime.timedelta(days=3)
    with clock.frozen_at(rejected_at):
        services.item_reject(actor=school["teacher"], item=item, reason="Doublon.")
    item.refresh_from_db()
    assert item.closed_on == datetime.date(2025, 3, 7)
    assert HistoryEntry.objects.filter(object_id=str(item.pk)).latest("pk").timestamp == rejected_at
    # Outside the block, the real time again.
    assert raise_suggestion(school).created_at > moment + datetime.timedelta(days=365)

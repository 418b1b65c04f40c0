"""Every permission of continuous improvement over HTTP: who is allowed, who is refused
(403: they see the record but may not act), who is out of scope (404: they do not even
see it), and that a refusal changes nothing and records no history."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from amelio.core.models import StoredFile
from amelio.history.choices import HistoryAction
from amelio.history.models import HistoryEntry
from amelio.improvement import services
from amelio.improvement.choices import ActionStatus, ItemStatus, ItemTransition, Origin
from amelio.improvement.models import Action, ImprovementItem, ProgressNote
from amelio.improvement.tests.conftest import PDF_BYTES, upload
from amelio.improvement.tests.factories import ActionFactory, ImprovementItemFactory
from amelio.improvement.workflows import ITEM_WORKFLOW
from amelio.organisation.choices import PersonKind, Role
from amelio.organisation.tests.factories import PersonFactory, grant

pytestmark = pytest.mark.django_db


def client_for(person: Any) -> Client:
    client = Client()
    if person is not None:
        client.force_login(person)
    return client


def civil_item(school: dict[str, Any], status: str = ItemStatus.NEW) -> ImprovementItem:
    """A student's item on the civil engineering process, with the actions its state implies."""
    item = ImprovementItemFactory(
        process=school["process_civil"], department=school["civil"], raised_by=school["student"], status=status
    )
    if status == ItemStatus.ANALYSED:
        ActionFactory(item=item, owner=school["head_civil"], status=ActionStatus.PLANNED)
    if status in (ItemStatus.ACTIONS_UNDER_WAY, ItemStatus.AWAITING_CHECK):
        ActionFactory(
            item=item, owner=school["head_civil"], status=ActionStatus.DONE, completed_on=timezone.localdate()
        )
    return item


def history_count() -> int:
    return HistoryEntry.objects.count()


# Raising -----------------------------------------------------------------------------


def test_a_student_raises_an_item_through_the_form(school: dict[str, Any]) -> None:
    client = client_for(school["student"])
    assert client.get(reverse("improvement:item_create")).status_code == 200
    response = client.post(
        reverse("improvement:item_create"),
        {
            "reported_as": "idea",
            "title": "Prises électriques en amphi",
            "description": "Il n'y a pas assez de prises.",
            "process": school["process_civil"].pk,
        },
    )
    item = ImprovementItem.objects.get()
    assert response.status_code == 302
    assert response["Location"] == item.get_absolute_url()
    assert item.raised_by == school["student"]
    # A student reports in plain words; the process owner classifies it (test_report.py).
    assert item.status == ItemStatus.TO_CLASSIFY
    assert item.origin == "" and item.reported_as == "idea"
    assert HistoryEntry.objects.filter(object_id=str(item.pk), action=HistoryAction.CREATE).count() == 1


def test_raising_needs_an_account(school: dict[str, Any]) -> None:
    client = Client()
    response = client.get(reverse("improvement:item_create"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = client.post(
        reverse("improvement:item_create"),
        {"origin": Origin.SUGGESTION, "title": "Anonyme", "description": "x"},
    )
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not ImprovementItem.objects.exists()
    assert history_count() == 0


def test_an_invalid_raise_writes_nothing(school: dict[str, Any]) -> None:
    client = client_for(school["teacher"])
    response = client.post(
        reverse("improvement:item_create"),
        {"origin": Origin.NONCONFORMITY, "title": "Sans gravité", "description": "x"},
    )
    assert response.status_code == 200
    assert "severity" in response.context["form"].errors
    assert not ImprovementItem.objects.exists()
    assert history_count() == 0


# Viewing an item ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("student", 200),  # raised it
        ("teacher", 200),  # owns its process
        ("quality_manager", 200),
        ("auditor", 200),  # external auditor, school-wide reading
        ("director", 200),
        ("head_civil", 200),  # heads its department
        ("head_electrical", 404),
        ("other_teacher", 404),  # a teacher of another department
    ],
)
def test_who_sees_an_item(school: dict[str, Any], other_teacher: Any, key: str, expected: int) -> None:
    school = {**school, "other_teacher": other_teacher}
    item = civil_item(school)
    client = client_for(school[key])
    assert client.get(item.get_absolute_url()).status_code == expected
    listed = client.get(reverse("improvement:item_list")).context
    references = [row.record.reference for row in listed["table"].page.object_list]
    assert (item.reference in references) is (expected == 200)


def test_an_item_is_hidden_from_other_students_and_anonymous_visitors(school: dict[str, Any]) -> None:
    item = civil_item(school)
    classmate = PersonFactory(kind=PersonKind.STUDENT, department=school["civil"])
    grant(classmate, Role.STUDENT, school["civil"])
    assert client_for(classmate).get(item.get_absolute_url()).status_code == 404
    response = Client().get(item.get_absolute_url())
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_action_owner_from_another_department_sees_the_item(school: dict[str, Any], other_teacher: Any) -> None:
    item = civil_item(school, ItemStatus.ACCEPTED)
    assert client_for(other_teacher).get(item.get_absolute_url()).status_code == 404
    ActionFactory(item=item, owner=other_teacher)
    assert client_for(other_teacher).get(item.get_absolute_url()).status_code == 200


@pytest.mark.parametrize(
    ("key", "expected"),
    [("teacher", 200), ("quality_manager", 200), ("student", 403), ("head_civil", 403), ("other_teacher", 404)],
)
def test_editing_an_item(school: dict[str, Any], other_teacher: Any, key: str, expected: int) -> None:
    school = {**school, "other_teacher": other_teacher}
    item = civil_item(school)
    client = client_for(school[key])
    url = reverse("improvement:item_update", args=[item.pk])
    assert client.get(url).status_code == expected
    history_before = history_count()
    response = client.post(url, {"title": "Nouveau titre", "description": "Nouvelle description"})
    item.refresh_from_db()
    if expected == 200:
        assert response.status_code == 302
        assert item.title == "Nouveau titre"
    else:
        assert response.status_code == expected
        assert item.title != "Nouveau titre"
        assert history_count() == history_before


# Transitions -------------------------------------------------------------------------

SOURCE_STATE: dict[str, str] = {
    ItemTransition.CLASSIFY: ItemStatus.TO_CLASSIFY,
    ItemTransition.ACCEPT: ItemStatus.NEW,
    ItemTransition.REJECT: ItemStatus.NEW,
    ItemTransition.ANALYSE: ItemStatus.ACCEPTED,
    ItemTransition.START_ACTIONS: ItemStatus.ANALYSED,
    ItemTransition.REQUEST_CHECK: ItemStatus.ACTIONS_UNDER_WAY,
    ItemTransition.CLOSE_EFFECTIVE: ItemStatus.AWAITING_CHECK,
    ItemTransition.REOPEN: ItemStatus.AWAITING_CHECK,
}
FORM_DATA: dict[str, dict[str, str]] = {
    ItemTransition.CLASSIFY: {"origin": "suggestion"},
    ItemTransition.ACCEPT: {"reason": "Pertinent", "due_on": ""},
    ItemTransition.REJECT: {"reason": "Hors sujet"},
    ItemTransition.ANALYSE: {"root_cause_method": "five_whys", "root_cause": "Pas de budget", "extent": "Tous"},
    ItemTransition.START_ACTIONS: {},
    ItemTransition.REQUEST_CHECK: {},
    ItemTransition.CLOSE_EFFECTIVE: {"reason": "Plus de plainte depuis trois mois"},
    ItemTransition.REOPEN: {"reason": "Le problème revient"},
}
FORMLESS = {ItemTransition.START_ACTIONS, ItemTransition.REQUEST_CHECK}
CHECKS = {ItemTransition.CLOSE_EFFECTIVE, ItemTransition.REOPEN}


def allowed_for(transition: str) -> list[str]:
    return ["quality_manager"] if transition in CHECKS else ["teacher", "quality_manager"]


def refused_for(transition: str) -> list[str]:
    # They see the item (raiser, readers, the department head) but may not move it.
    refused = ["student", "auditor", "director", "head_civil"]
    return [*refused, "teacher"] if transition in CHECKS else refused


ALLOWED_CASES = [(transition, key) for transition in ItemTransition for key in allowed_for(transition)]
REFUSED_CASES = [(transition, key) for transition in ItemTransition for key in refused_for(transition)]


def step_url(item: ImprovementItem, transition: str) -> str:
    return reverse("improvement:item_step", args=[item.pk, transition])


@pytest.mark.parametrize(("transition", "key"), ALLOWED_CASES)
def test_each_transition_page_works_for_those_allowed(school: dict[str, Any], transition: str, key: str) -> None:
    item = civil_item(school, SOURCE_STATE[transition])
    client = client_for(school[key])
    response = client.get(step_url(item, transition))
    if transition in FORMLESS:
        assert response.status_code == 302  # a plain button on the item's page
    else:
        assert response.status_code == 200
        assert response.context["form"] is not None
    response = client.post(step_url(item, transition), FORM_DATA[transition])
    assert response.status_code == 302, getattr(response, "context", None) and response.context["form"].errors
    assert response["Location"] == item.get_absolute_url()
    item.refresh_from_db()
    assert item.status == ITEM_WORKFLOW[transition].target
    entry = HistoryEntry.objects.filter(object_id=str(item.pk), action=HistoryAction.TRANSITION).get()
    assert entry.actor == school[key]


@pytest.mark.parametrize(("transition", "key"), REFUSED_CASES)
def test_each_transition_page_is_refused_to_the_others(school: dict[str, Any], transition: str, key: str) -> None:
    item = civil_item(school, SOURCE_STATE[transition])
    client = client_for(school[key])
    history_before = history_count()
    assert client.get(step_url(item, transition)).status_code == 403
    assert client.post(step_url(item, transition), FORM_DATA[transition]).status_code == 403
    item.refresh_from_db()
    assert item.status == SOURCE_STATE[transition]
    assert history_count() == history_before
    # Nor is the refused step offered on the item's page.
    page = client.get(item.get_absolute_url())
    assert transition not in [step["name"] for step in page.context["steps"]]


@pytest.mark.parametrize("transition", list(ItemTransition))
@pytest.mark.parametrize("key", ["other_teacher", "head_electrical"])
def test_each_transition_page_is_not_found_out_of_scope(
    school: dict[str, Any], other_teacher: Any, transition: str, key: str
) -> None:
    school = {**school, "other_teacher": other_teacher}
    item = civil_item(school, SOURCE_STATE[transition])
    client = client_for(school[key])
    history_before = history_count()
    assert client.get(step_url(item, transition)).status_code == 404
    assert client.post(step_url(item, transition), FORM_DATA[transition]).status_code == 404
    item.refresh_from_db()
    assert item.status == SOURCE_STATE[transition]
    assert history_count() == history_before


def test_anonymous_visitors_are_sent_to_the_login_page(school: dict[str, Any]) -> None:
    item = civil_item(school)
    response = Client().post(step_url(item, ItemTransition.ACCEPT), FORM_DATA[ItemTransition.ACCEPT])
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    item.refresh_from_db()
    assert item.status == ItemStatus.NEW


def test_an_unknown_transition_is_not_found(school: dict[str, Any]) -> None:
    item = civil_item(school)
    assert client_for(school["quality_manager"]).post(step_url(item, "delete")).status_code == 404


def test_a_transition_from_the_wrong_state_is_refused_with_a_message(school: dict[str, Any]) -> None:
    item = civil_item(school, ItemStatus.ACCEPTED)
    client = client_for(school["teacher"])
    response = client.post(step_url(item, ItemTransition.REJECT), FORM_DATA[ItemTransition.REJECT])
    assert response.status_code == 400
    assert "is not possible while the item is" in str(response.context["form"].non_field_errors())
    item.refresh_from_db()
    assert item.status == ItemStatus.ACCEPTED
    assert not HistoryEntry.objects.filter(action=HistoryAction.TRANSITION).exists()


# Planning actions --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "expected"),
    [("teacher", 302), ("quality_manager", 302), ("head_civil", 403), ("student", 403), ("other_teacher", 404)],
)
def test_planning_an_action_on_an_item(school: dict[str, Any], other_teacher: Any, key: str, expected: int) -> None:
    school = {**school, "other_teacher": other_teacher}
    item = civil_item(school, ItemStatus.ACCEPTED)
    client = client_for(school[key])
    url = reverse("improvement:item_action_create", args=[item.pk])
    assert client.get(url).status_code == (200 if expected == 302 else expected)
    response = client.post(
        url,
        {
            "kind": "corrective",
            "title": "Acheter des multiprises",
            "owner": school["head_civil"].pk,
            "due_on": (timezone.localdate() + datetime.timedelta(days=10)).isoformat(),
        },
    )
    assert response.status_code == expected
    assert Action.objects.filter(item=item).exists() is (expected == 302)


# Actions -----------------------------------------------------------------------------


def civil_action(school: dict[str, Any], status: str = ActionStatus.PLANNED) -> Action:
    item = civil_item(school, ItemStatus.ACTIONS_UNDER_WAY)
    return ActionFactory(
        item=item,
        owner=school["head_civil"],
        status=status,
        completed_on=timezone.localdate() if status == ActionStatus.DONE else None,
    )


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("head_civil", 200),  # owns the action
        ("teacher", 200),
        ("student", 200),  # raised the item
        ("quality_manager", 200),
        ("auditor", 200),
        ("other_teacher", 404),
        ("head_electrical", 404),
    ],
)
def test_who_sees_an_action(school: dict[str, Any], other_teacher: Any, key: str, expected: int) -> None:
    school = {**school, "other_teacher": other_teacher}
    action = civil_action(school)
    assert client_for(school[key]).get(action.get_absolute_url()).status_code == expected


def test_a_standalone_action_is_seen_by_its_owner_but_not_by_other_departments(
    school: dict[str, Any], other_teacher: Any
) -> None:
    action = ActionFactory(owner=school["teacher"], department=school["civil"])
    assert client_for(school["teacher"]).get(action.get_absolute_url()).status_code == 200
    assert client_for(school["head_civil"]).get(action.get_absolute_url()).status_code == 200
    assert client_for(other_teacher).get(action.get_absolute_url()).status_code == 404
    assert client_for(school["student"]).get(action.get_absolute_url()).status_code == 404


ACTION_STEP_CASES = [
    # (transition, state before, form data, allowed, refused (403))
    ("start", ActionStatus.PLANNED, {}, ["head_civil", "teacher"], ["student", "auditor", "director"]),
    (
        "complete",
        ActionStatus.IN_PROGRESS,
        {"reason": "Multiprises installées"},
        ["head_civil", "teacher"],
        ["student", "auditor", "director"],
    ),
    (
        "cancel",
        ActionStatus.PLANNED,
        {"reason": "Remplacée par une autre action"},
        ["teacher", "quality_manager"],
        ["head_civil", "student", "auditor"],
    ),
    (
        "resume",
        ActionStatus.DONE,
        {"reason": "Pas suffisant"},
        ["teacher", "quality_manager"],
        ["head_civil", "student", "auditor"],
    ),
]
TARGETS = {
    "start": ActionStatus.IN_PROGRESS,
    "complete": ActionStatus.DONE,
    "cancel": ActionStatus.CANCELLED,
    "resume": ActionStatus.IN_PROGRESS,
}


@pytest.mark.parametrize(
    ("transition", "before", "data", "key"),
    [
        pytest.param(t, before, data, key, id=f"{t}-{key}")
        for t, before, data, allowed, _refused in ACTION_STEP_CASES
        for key in allowed
    ],
)
def test_action_steps_for_those_allowed(
    school: dict[str, Any], transition: str, before: str, data: dict[str, str], key: str
) -> None:
    action = civil_action(school, before)
    client = client_for(school[key])
    url = reverse("improvement:action_step", args=[action.pk, transition])
    assert client.get(url).status_code in (200, 302)
    response = client.post(url, data)
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == TARGETS[transition]
    assert HistoryEntry.objects.filter(
        content_type__model="action", object_id=str(action.pk), action=HistoryAction.TRANSITION
    ).exists()


@pytest.mark.parametrize(
    ("transition", "before", "data", "key"),
    [
        pytest.param(t, before, data, key, id=f"{t}-{key}")
        for t, before, data, _allowed, refused in ACTION_STEP_CASES
        for key in refused
    ],
)
def test_action_steps_are_refused_to_the_others(
    school: dict[str, Any], transition: str, before: str, data: dict[str, str], key: str
) -> None:
    action = civil_action(school, before)
    client = client_for(school[key])
    url = reverse("improvement:action_step", args=[action.pk, transition])
    history_before = history_count()
    assert client.get(url).status_code == 403
    assert client.post(url, data).status_code == 403
    action.refresh_from_db()
    assert action.status == before
    assert history_count() == history_before
    assert not ProgressNote.objects.exists()


@pytest.mark.parametrize("transition", ["start", "complete", "cancel", "resume"])
def test_action_steps_are_not_found_out_of_scope(school: dict[str, Any], other_teacher: Any, transition: str) -> None:
    action = civil_action(school)
    client = client_for(other_teacher)
    url = reverse("improvement:action_step", args=[action.pk, transition])
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "x", "note": "x"}).status_code == 404
    action.refresh_from_db()
    assert action.status == ActionStatus.PLANNED


@pytest.mark.parametrize(
    ("key", "expected"),
    [("head_civil", 302), ("teacher", 302), ("student", 403), ("auditor", 403), ("other_teacher", 404)],
)
def test_progress_notes(school: dict[str, Any], other_teacher: Any, key: str, expected: int) -> None:
    school = {**school, "other_teacher": other_teacher}
    action = civil_action(school)
    history_before = history_count()
    response = client_for(school[key]).post(
        reverse("improvement:action_note", args=[action.pk]), {"text": "Devis reçu"}
    )
    assert response.status_code == expected
    assert ProgressNote.objects.filter(action=action).exists() is (expected == 302)
    if expected != 302:
        assert history_count() == history_before


def test_the_owner_page_offers_the_work_and_the_others_do_not(school: dict[str, Any]) -> None:
    action = civil_action(school)
    owner_page = client_for(school["head_civil"]).get(action.get_absolute_url())
    assert owner_page.context["can_work"] is True
    assert [step["name"] for step in owner_page.context["steps"]] == ["start", "complete"]
    student_page = client_for(school["student"]).get(action.get_absolute_url())
    assert student_page.context["can_work"] is False
    assert student_page.context["steps"] == []


# Files -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "expected"),
    [("head_civil", 302), ("teacher", 302), ("student", 403), ("auditor", 403), ("other_teacher", 404)],
)
def test_adding_evidence_to_an_action(school: dict[str, Any], other_teacher: Any, key: str, expected: int) -> None:
    school = {**school, "other_teacher": other_teacher}
    action = civil_action(school)
    history_before = history_count()
    response = client_for(school[key]).post(
        reverse("improvement:attachment_upload", args=["action", action.pk]),
        {"file": upload("preuve.pdf", PDF_BYTES)},
    )
    assert response.status_code == expected
    assert action.files.exists() is (expected == 302)
    if expected != 302:
        assert history_count() == history_before


@pytest.mark.parametrize(
    ("key", "status", "expected"),
    [
        ("student", ItemStatus.NEW, 302),  # the raiser adds to a new item
        ("student", ItemStatus.ACCEPTED, 403),  # but not once it is in hand
        ("teacher", ItemStatus.ACCEPTED, 302),
        ("auditor", ItemStatus.NEW, 403),
        ("head_civil", ItemStatus.NEW, 403),
        ("other_teacher", ItemStatus.NEW, 404),
    ],
)
def test_adding_a_file_to_an_item(
    school: dict[str, Any], other_teacher: Any, key: str, status: str, expected: int
) -> None:
    school = {**school, "other_teacher": other_teacher}
    item = civil_item(school, status)
    history_before = history_count()
    response = client_for(school[key]).post(
        reverse("improvement:attachment_upload", args=["item", item.pk]),
        {"file": upload("photo.pdf", PDF_BYTES)},
    )
    assert response.status_code == expected
    assert item.files.exists() is (expected == 302)
    if expected != 302:
        assert history_count() == history_before


def test_an_unknown_kind_of_upload_target_is_not_found(school: dict[str, Any]) -> None:
    item = civil_item(school)
    response = client_for(school["quality_manager"]).post(
        reverse("improvement:attachment_upload", args=["process", item.pk]), {"file": upload("a.pdf", PDF_BYTES)}
    )
    assert response.status_code == 404
    assert not StoredFile.objects.exists()


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("student", 200),
        ("teacher", 200),
        ("quality_manager", 200),
        ("auditor", 200),
        ("head_civil", 200),
        ("other_teacher", 404),
        ("head_electrical", 404),
    ],
)
def test_downloading_files(school: dict[str, Any], other_teacher: Any, key: str, expected: int) -> None:
    from amelio.improvement import services

    school = {**school, "other_teacher": other_teacher}
    action = civil_action(school)
    item_file = services.attachment_add(
        actor=school["teacher"], upload=upload("constat.pdf", PDF_BYTES), item=action.item
    )
    action_file = services.attachment_add(
        actor=school["head_civil"], upload=upload("preuve.txt", b"Fait le 3 mars."), action=action
    )
    client = client_for(school[key])
    for attachment, content in ((item_file, PDF_BYTES), (action_file, b"Fait le 3 mars.")):
        response = client.get(attachment.get_absolute_url())
        assert response.status_code == expected
        if expected == 200:
            assert b"".join(response.streaming_content) == content
            assert response["Content-Type"] == attachment.content_type
            assert response["X-Content-Type-Options"] == "nosniff"
            # A PDF is shown in the page; anything else is handed over as a download.
            disposition = "inline" if attachment.content_type == "application/pdf" else "attachment"
            assert response["Content-Disposition"].startswith(disposition)
            assert response["Cache-Control"] == "private, no-store"


def test_downloading_needs_an_account(school: dict[str, Any]) -> None:
    from amelio.improvement import services

    item = civil_item(school)
    attachment = services.attachment_add(actor=school["teacher"], upload=upload("a.pdf", PDF_BYTES), item=item)
    response = Client().get(attachment.get_absolute_url())
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_item_on_a_department_process_is_seen_by_the_department_head(school: dict[str, Any]) -> None:
    client_for(school["student"]).post(
        reverse("improvement:item_create"),
        {
            "reported_as": "idea",
            "title": "Casiers",
            "description": "Des casiers près des salles de TP.",
            "process": school["process_civil"].pk,
        },
    )
    item = ImprovementItem.objects.get()
    assert item.department == school["civil"]
    assert client_for(school["head_civil"]).get(item.get_absolute_url()).status_code == 200
    assert client_for(school["head_electrical"]).get(item.get_absolute_url()).status_code == 404


def test_the_process_is_linked_only_for_those_who_may_open_it(school: dict[str, Any]) -> None:
    item = civil_item(school)
    link = f'href="{school["process_civil"].get_absolute_url()}"'
    student_page = client_for(school["student"]).get(item.get_absolute_url()).content.decode()
    assert str(school["process_civil"]) in student_page
    assert link not in student_page
    assert client_for(school["student"]).get(school["process_civil"].get_absolute_url()).status_code == 403
    assert link in client_for(school["teacher"]).get(item.get_absolute_url()).content.decode()


def test_internal_auditors_see_every_item_and_an_expired_external_auditor_none(school: dict[str, Any]) -> None:
    item = civil_item(school)
    internal = PersonFactory(email="internal.auditor@school.test")
    grant(internal, Role.INTERNAL_AUDITOR)
    assert client_for(internal).get(item.get_absolute_url()).status_code == 200
    assert client_for(internal).get(step_url(item, ItemTransition.ACCEPT)).status_code == 403
    former = PersonFactory(email="former.auditor@school.test", kind=PersonKind.EXTERNAL)
    grant(
        former,
        Role.EXTERNAL_AUDITOR,
        starts_on=timezone.localdate() - datetime.timedelta(days=60),
        ends_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    assert client_for(former).get(item.get_absolute_url()).status_code == 404
    attachment_url = StoredFile.objects.create(
        owner=item,
        file="files/x.pdf",
        original_name="x.pdf",
        content_type="application/pdf",
        size=1,
        purpose="attachment",
    ).get_absolute_url()
    assert client_for(former).get(attachment_url).status_code == 404


@pytest.mark.parametrize("status", ItemStatus.values)
@pytest.mark.parametrize("key", ["teacher", "quality_manager", "head_civil"])
def test_plan_an_action_is_offered_exactly_when_the_service_accepts(
    school: dict[str, Any], status: str, key: str
) -> None:
    item = civil_item(school, status)
    url = reverse("improvement:item_action_create", args=[item.pk])
    offered = f'href="{url}"' in client_for(school[key]).get(item.get_absolute_url()).content.decode()
    before = Action.objects.filter(item=item).count()
    data = {
        "kind": "corrective",
        "title": "Acheter des multiprises",
        "owner": school["head_civil"],
        "due_on": timezone.localdate() + datetime.timedelta(days=10),
    }
    try:
        services.action_create(actor=school[key], item=item, data=data)
    except (PermissionDenied, ValidationError):
        accepted = False
    else:
        accepted = True
    assert offered == accepted
    assert Action.objects.filter(item=item).count() == before + accepted

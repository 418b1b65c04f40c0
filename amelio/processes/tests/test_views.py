"""The process pages over HTTP: who may open what, forms and their errors."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from amelio.history.models import HistoryEntry
from amelio.processes.models import Process, Statement

pytestmark = pytest.mark.django_db


def client_for(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


def process_form_data(process: Process, **changes: Any) -> dict[str, Any]:
    data = {
        "code": process.code,
        "name": process.name,
        "kind": process.kind,
        "purpose": process.purpose,
        "owner": process.owner_id,
        "department": process.department_id or "",
        "inputs": process.inputs,
        "outputs": process.outputs,
        "resources": process.resources,
        "is_active": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


STAFF_PAGES = [
    ("processes:process_list", []),
    ("processes:process_map", []),
    ("processes:context_issue_list", []),
    ("processes:interested_party_list", []),
    ("processes:statement_list", ["policy"]),
    ("organisation:department_list", []),
    ("organisation:person_list", []),
    ("organisation:role_list", []),
]


@pytest.mark.parametrize(("name", "args"), STAFF_PAGES)
def test_student_is_refused_every_staff_page(school: dict[str, Any], name: str, args: list[str]) -> None:
    response = client_for(school["student"]).get(reverse(name, args=args))
    assert response.status_code == 403


@pytest.mark.parametrize(("name", "args"), STAFF_PAGES)
def test_teacher_opens_every_staff_page(school: dict[str, Any], name: str, args: list[str]) -> None:
    assert client_for(school["teacher"]).get(reverse(name, args=args)).status_code == 200


def test_anonymous_is_sent_to_login(school: dict[str, Any]) -> None:
    response = Client().get(reverse("processes:process_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_student_is_refused_the_process_edit_page(school: dict[str, Any]) -> None:
    process = school["process_civil"]
    client = client_for(school["student"])
    url = reverse("processes:process_update", args=[process.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, process_form_data(process, name="Piraté")).status_code == 403
    process.refresh_from_db()
    assert process.name == "Projets de génie civil"


def test_department_head_of_civil_is_refused_an_electrical_process_edit(school: dict[str, Any]) -> None:
    process = school["process_electrical"]
    client = client_for(school["head_civil"])
    url = reverse("processes:process_update", args=[process.pk])
    history_before = HistoryEntry.objects.count()
    assert client.get(url).status_code == 403
    assert client.post(url, process_form_data(process, name="Piraté")).status_code == 403
    process.refresh_from_db()
    assert process.name == "Projets de génie électrique"
    assert HistoryEntry.objects.count() == history_before
    # The detail page is open to them, without the edit button.
    detail = client.get(reverse("processes:process_detail", args=[process.pk]))
    assert detail.status_code == 200
    assert url not in detail.content.decode()


def test_department_head_edits_own_department_process(school: dict[str, Any]) -> None:
    process = school["process_civil"]
    client = client_for(school["head_civil"])
    response = client.post(
        reverse("processes:process_update", args=[process.pk]),
        process_form_data(
            process, name="Projets de génie civil (révisé)", interacts_with=[school["process_school"].pk]
        ),
    )
    assert response.status_code == 302
    process.refresh_from_db()
    assert process.name == "Projets de génie civil (révisé)"
    assert list(process.interacts_with.all()) == [school["process_school"]]


def test_form_with_missing_field_keeps_what_was_typed_and_names_the_field(school: dict[str, Any]) -> None:
    client = client_for(school["quality_manager"])
    response = client.post(
        reverse("processes:process_create"),
        {"code": "R-42", "name": "Nouveau processus au nom tapé", "kind": "realisation", "purpose": "", "owner": ""},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"purpose", "owner"}
    html = response.content.decode()
    assert 'value="Nouveau processus au nom tapé"' in html
    assert 'id="id_purpose_error"' in html and 'id="id_owner_error"' in html
    assert not Process.objects.filter(code="R-42").exists()


def test_invalid_choice_is_named(school: dict[str, Any]) -> None:
    client = client_for(school["quality_manager"])
    response = client.post(
        reverse("processes:process_create"),
        {"code": "R-43", "name": "X", "kind": "teleportation", "purpose": "x", "owner": school["teacher"].pk},
    )
    assert response.status_code == 200
    assert "kind" in response.context["form"].errors
    assert not Process.objects.filter(code="R-43").exists()


def test_a_process_cannot_be_saved_interacting_with_itself(school: dict[str, Any]) -> None:
    process = school["process_civil"]
    response = client_for(school["quality_manager"]).post(
        reverse("processes:process_update", args=[process.pk]),
        process_form_data(process, name="Changé", interacts_with=[process.pk]),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["interacts_with"] == ["A process cannot interact with itself."]
    process.refresh_from_db()
    assert process.name == "Projets de génie civil"  # nothing half-written


def test_quality_manager_creates_a_process_and_sees_it_on_the_map(school: dict[str, Any]) -> None:
    client = client_for(school["quality_manager"])
    response = client.post(
        reverse("processes:process_create"),
        {
            "code": "S-09",
            "name": "Gérer la documentation",
            "kind": "support",
            "purpose": "Maîtriser les informations documentées.",
            "owner": school["director"].pk,
            "interacts_with": [school["process_civil"].pk],
            "is_active": "on",
        },
    )
    process = Process.objects.get(code="S-09")
    assert response["Location"] == process.get_absolute_url()
    map_html = client.get(reverse("processes:process_map")).content.decode()
    assert 'data-code="S-09"' in map_html
    assert "S-09 → R-GC" in map_html
    svg = client.get(reverse("processes:process_map_svg"))
    assert svg["Content-Type"] == "image/svg+xml"
    assert b'data-code="S-09"' in svg.content


def test_activity_and_raci_through_the_page(school: dict[str, Any]) -> None:
    process = school["process_civil"]
    client = client_for(school["teacher"])
    client.post(
        reverse("processes:activity_create", args=[process.pk]), {"name": "Suivre les chantiers", "position": 1}
    )
    activity = process.activities.get()
    client.post(
        reverse("processes:raci_create", args=[process.pk]),
        {"activity": activity.pk, "person": school["head_civil"].pk, "responsibility": "A"},
    )
    html = client.get(process.get_absolute_url()).content.decode()
    assert "Suivre les chantiers" in html and str(school["head_civil"]) in html
    # Someone out of scope cannot add an activity.
    outsider = client_for(school["head_electrical"])
    assert outsider.post(reverse("processes:activity_create", args=[process.pk]), {"name": "X"}).status_code == 403
    assert process.activities.count() == 1


def test_policy_drafted_by_quality_manager_and_approved_by_director(school: dict[str, Any]) -> None:
    qm = client_for(school["quality_manager"])
    qm.post(reverse("processes:statement_write", args=["policy"]), {"text": "Notre politique qualité."})
    draft = Statement.objects.get(kind="policy")
    assert qm.post(reverse("processes:statement_approve", args=[draft.pk])).status_code == 403
    director = client_for(school["director"])
    director.post(reverse("processes:statement_approve", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.is_approved
    page = director.get(reverse("processes:statement_list", args=["policy"])).content.decode()
    assert "Notre politique qualité." in page


def test_unknown_statement_kind_is_not_found(school: dict[str, Any]) -> None:
    assert client_for(school["quality_manager"]).get("/processes/statements/manifesto/").status_code == 404


def test_process_list_filters_sorts_and_exports(school: dict[str, Any]) -> None:
    client = client_for(school["teacher"])
    response = client.get(reverse("processes:process_list"), {"kind": "management"})
    rows = [row.record.code for row in response.context["table"].page.object_list]
    assert rows == ["M-01"]
    response = client.get(reverse("processes:process_list"), {"sort": "-code"})
    rows = [row.record.code for row in response.context["table"].page.object_list]
    assert rows == ["R-GE", "R-GC", "M-01"]
    export = client.get(reverse("processes:process_list"), {"kind": "realisation", "export": "csv"})
    assert export["Content-Type"].startswith("text/csv")
    text = export.content.decode("utf-8-sig")
    assert "R-GC" in text and "R-GE" in text and "M-01" not in text


def test_interactions_say_what_flows_and_are_kept_in_history(school: dict[str, Any]) -> None:
    process = school["process_civil"]
    client = client_for(school["teacher"])
    url = reverse("processes:interaction_set", args=[process.pk])
    client.post(url, {"target": school["process_school"].pk, "description": "Bilan annuel des projets"})
    client.post(url, {"target": school["process_school"].pk, "description": "Bilan semestriel"})
    interaction = process.outgoing_interactions.get()
    assert interaction.description == "Bilan semestriel"
    assert "Bilan semestriel" in client.get(reverse("processes:process_map")).content.decode()
    # Itself is not offered, and refused if forced; out of scope is refused.
    assert client.post(url, {"target": process.pk}).status_code == 302
    assert process.outgoing_interactions.count() == 1
    outsider = client_for(school["head_electrical"])
    assert outsider.post(url, {"target": school["process_electrical"].pk}).status_code == 403
    client.post(reverse("processes:interaction_delete", args=[process.pk, interaction.pk]))
    assert not process.outgoing_interactions.exists()
    entries = HistoryEntry.objects.filter(object_id=str(process.pk), changes__has_key="interaction")
    assert entries.count() == 3

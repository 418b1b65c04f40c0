"""Organisation pages over HTTP."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from amelio.history.models import HistoryEntry
from amelio.organisation.choices import Role
from amelio.organisation.models import Department, Person, RoleAssignment

pytestmark = pytest.mark.django_db


def client_for(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


def test_quality_manager_grants_and_revokes_a_role_through_the_pages(school: dict[str, Any]) -> None:
    client = client_for(school["quality_manager"])
    person = school["teacher"]
    response = client.post(
        reverse("organisation:role_grant", args=[person.pk]),
        {"role": Role.INTERNAL_AUDITOR, "scope_kind": "school", "reason": "Auditeur formé"},
    )
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(person=person, role=Role.INTERNAL_AUDITOR)
    page = client.get(person.get_absolute_url()).content.decode()
    assert reverse("organisation:role_revoke", args=[assignment.pk]) in page
    response = client.post(reverse("organisation:role_revoke", args=[assignment.pk]), {"reason": "Fin de mission"})
    assert response.status_code == 302
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    assert HistoryEntry.objects.filter(object_id=str(person.pk), reason="Fin de mission").exists()


def test_revoking_needs_a_reason(school: dict[str, Any]) -> None:
    assignment = RoleAssignment.objects.get(person=school["teacher"])
    response = client_for(school["quality_manager"]).post(reverse("organisation:role_revoke", args=[assignment.pk]), {})
    assert response.status_code == 400
    assert "reason" in response.context["form"].errors
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_granting_twice_shows_the_message_next_to_the_form(school: dict[str, Any]) -> None:
    response = client_for(school["quality_manager"]).post(
        reverse("organisation:role_grant", args=[school["teacher"].pk]),
        {"role": Role.TEACHER, "scope_kind": "department", "department": school["civil"].pk},
    )
    assert response.status_code == 200
    assert "already holds this role in this scope" in " ".join(response.context["form"].non_field_errors())


def test_department_head_refused_a_grant_out_of_scope_through_the_page(school: dict[str, Any]) -> None:
    person = Person.objects.create_user("new@school.test", first_name="N", last_name="N")
    response = client_for(school["head_civil"]).post(
        reverse("organisation:role_grant", args=[person.pk]),
        {"role": Role.TEACHER, "scope_kind": "department", "department": school["electrical"].pk},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not RoleAssignment.objects.filter(person=person).exists()


def test_teacher_cannot_open_the_grant_page(school: dict[str, Any]) -> None:
    url = reverse("organisation:role_grant", args=[school["director"].pk])
    assert client_for(school["teacher"]).get(url).status_code == 403


def test_student_sees_own_page_and_roles_but_not_others(school: dict[str, Any]) -> None:
    client = client_for(school["student"])
    assert client.get(reverse("organisation:person_detail", args=[school["student"].pk])).status_code == 200
    assert client.get(reverse("organisation:person_detail", args=[school["teacher"].pk])).status_code == 404
    page = client.get(reverse("organisation:my_roles"))
    assert page.status_code == 200
    assert page.context["summary"]["assignments"][0].role == Role.STUDENT


def test_my_roles_lists_owned_processes_and_raci(school: dict[str, Any]) -> None:
    from amelio.processes.models import Activity, RaciAssignment

    activity = Activity.objects.create(process=school["process_school"], position=1, name="Revue de direction")
    RaciAssignment.objects.create(activity=activity, person=school["teacher"], responsibility="C")
    html = client_for(school["teacher"]).get(reverse("organisation:my_roles")).content.decode()
    assert "R-GC" in html  # owned
    assert "Revue de direction" in html  # takes part


def test_person_form_keeps_input_and_names_the_wrong_field(school: dict[str, Any]) -> None:
    response = client_for(school["quality_manager"]).post(
        reverse("organisation:person_create"),
        {
            "email": "pas-une-adresse",
            "first_name": "Camille",
            "last_name": "Durand",
            "kind": "staff",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["email"]
    html = response.content.decode()
    assert 'value="Camille"' in html and 'value="Durand"' in html
    assert not Person.objects.filter(last_name="Durand").exists()


def test_duplicate_email_is_named_on_the_form(school: dict[str, Any]) -> None:
    response = client_for(school["quality_manager"]).post(
        reverse("organisation:person_create"),
        {"email": "teacher@school.test", "first_name": "T", "last_name": "T", "kind": "staff"},
    )
    assert response.status_code == 200
    assert "email" in response.context["form"].errors


def test_department_pages(school: dict[str, Any]) -> None:
    client = client_for(school["director"])
    response = client.post(
        reverse("organisation:department_create"), {"code": "GB", "name": "Génie Biologique", "is_active": "on"}
    )
    department = Department.objects.get(code="GB")
    assert response["Location"] == department.get_absolute_url()
    detail = client.get(department.get_absolute_url()).content.decode()
    assert "Génie Biologique" in detail
    assert client_for(school["teacher"]).get(reverse("organisation:department_create")).status_code == 403


def test_people_list_filters_by_role_and_exports(school: dict[str, Any]) -> None:
    client = client_for(school["quality_manager"])
    response = client.get(reverse("organisation:person_list"), {"role": Role.DEPARTMENT_HEAD})
    names = {row.record.email for row in response.context["table"].page.object_list}
    assert names == {"head.gc@school.test", "head.ge@school.test"}
    export = client.get(reverse("organisation:person_list"), {"role": Role.DEPARTMENT_HEAD, "export": "csv"})
    assert export.content.decode("utf-8-sig").count("@school.test") == 2

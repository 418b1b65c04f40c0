"""The REST API: the pages' permissions and scopes through the API (allowed, denied, out of
scope, nothing changed), writes through the services, bad payloads answered 400 by field."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from amelio.history.models import HistoryEntry
from amelio.improvement.choices import ItemStatus
from amelio.improvement.models import ImprovementItem
from amelio.improvement.selectors import item_list
from amelio.improvement.tests.factories import ImprovementItemFactory
from amelio.processes.models import Process
from amelio.processes.selectors import process_list

pytestmark = pytest.mark.django_db


def api_for(person: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(person)
    return client


def ids(response: Any) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_anonymous_callers_are_refused(school: dict[str, Any]) -> None:
    response = APIClient().get(reverse("api:process_list"))
    assert response.status_code in (401, 403)
    assert "detail" in response.json()


def test_lists_follow_the_pages_scopes(school: dict[str, Any]) -> None:
    for person in ("quality_manager", "head_civil", "teacher"):
        user = school[person]
        assert ids(api_for(user).get(reverse("api:process_list"))) == set(
            process_list(user=user).values_list("pk", flat=True)
        )
    # A student does not see the staff side: the process list is refused, as its page is.
    response = api_for(school["student"]).get(reverse("api:process_list"))
    assert response.status_code == 403
    assert response.json()["detail"] == "You are not allowed to do this."


def test_a_student_sees_only_the_items_they_raised(school: dict[str, Any]) -> None:
    own = ImprovementItemFactory(raised_by=school["student"])
    ImprovementItemFactory(raised_by=school["teacher"])
    assert ids(api_for(school["student"]).get(reverse("api:item_list"))) == {own.pk}
    quality = school["quality_manager"]
    assert ids(api_for(quality).get(reverse("api:item_list"))) == set(
        item_list(user=quality).values_list("pk", flat=True)
    )


def test_lists_take_the_pages_filters_and_paginate(school: dict[str, Any]) -> None:
    ImprovementItemFactory(status=ItemStatus.NEW)
    accepted = ImprovementItemFactory(status=ItemStatus.ACCEPTED)
    client = api_for(school["quality_manager"])
    assert ids(client.get(reverse("api:item_list"), {"status": "accepted"})) == {accepted.pk}
    body = client.get(reverse("api:item_list")).json()
    assert set(body) == {"count", "next", "previous", "results"} and body["count"] == 2


def test_every_read_endpoint_answers_the_quality_manager(school: dict[str, Any]) -> None:
    client = api_for(school["quality_manager"])
    for name in ("process_list", "action_list", "indicator_list", "internship_list", "company_list", "item_list"):
        assert client.get(reverse(f"api:{name}")).status_code == 200, name
    assert client.get(reverse("api:indicator_values", args=[999999])).status_code == 404


def test_raising_an_item_through_the_api(school: dict[str, Any]) -> None:
    process = school["process_civil"]
    # A student reports in plain words, as on the page; the classification is refused.
    refused = api_for(school["student"]).post(
        reverse("api:item_list"),
        {"origin": "suggestion", "title": "Plus de prises", "description": "En salle B12.", "process": process.pk},
        format="json",
    )
    assert refused.status_code == 400 and "origin" in str(refused.json())
    assert not ImprovementItem.objects.exists()
    response = api_for(school["student"]).post(
        reverse("api:item_list"),
        {"reported_as": "idea", "title": "Plus de prises", "description": "En salle B12.", "process": process.pk},
        format="json",
    )
    assert response.status_code == 201, response.content
    item = ImprovementItem.objects.get(pk=response.json()["id"])
    assert item.raised_by == school["student"] and item.department == school["civil"]
    assert item.status == "to_classify" and item.origin == ""
    assert HistoryEntry.objects.filter(object_id=str(item.pk), content_type__model="improvementitem").exists()


def test_a_bad_payload_is_a_400_by_field_and_writes_nothing(school: dict[str, Any]) -> None:
    client = api_for(school["quality_manager"])
    response = client.post(
        reverse("api:item_list"), {"origin": "rumour", "description": "", "process": 999999}, format="json"
    )
    assert response.status_code == 400
    errors = response.json()
    assert {"origin", "title", "description", "process"} <= set(errors)
    # A rule of the service (a nonconformity needs its severity) comes back by field too.
    response = client.post(
        reverse("api:item_list"), {"origin": "nonconformity", "title": "T", "description": "D"}, format="json"
    )
    assert response.status_code == 400
    assert "severity" in response.json()
    assert not ImprovementItem.objects.exists()


def test_a_workflow_step_through_the_api(school: dict[str, Any]) -> None:
    item = ImprovementItemFactory(raised_by=school["student"], process=school["process_civil"])
    url = reverse("api:item_transition", args=[item.pk, "accept"])
    # Denied: the student who raised it may see it, not accept it; nothing changes.
    response = api_for(school["student"]).post(url, {"reason": "moi"}, format="json")
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.status == ItemStatus.NEW
    # Out of scope: the head of another department does not even see it.
    other = school["head_electrical"]
    assert api_for(other).post(url, {}, format="json").status_code == 404
    # Allowed: the owner of the item's process accepts it, with the history of the step.
    response = api_for(school["teacher"]).post(url, {"reason": "Bonne idée", "due_on": "2027-01-15"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == ItemStatus.ACCEPTED
    item.refresh_from_db()
    assert item.status == ItemStatus.ACCEPTED and item.due_on == datetime.date(2027, 1, 15)
    assert HistoryEntry.objects.filter(object_id=str(item.pk), reason="Bonne idée").exists()
    # Not from this state any more.
    response = api_for(school["teacher"]).post(url, {}, format="json")
    assert response.status_code == 400 and "non_field_errors" in response.json()
    # An unknown step is a 404.
    bad = reverse("api:item_transition", args=[item.pk, "teleport"])
    assert api_for(school["teacher"]).post(bad, {}, format="json").status_code == 404


def test_a_step_that_needs_a_reason_refuses_without_one(school: dict[str, Any]) -> None:
    item = ImprovementItemFactory(process=school["process_civil"])
    response = api_for(school["quality_manager"]).post(
        reverse("api:item_transition", args=[item.pk, "reject"]), {"reason": ""}, format="json"
    )
    assert response.status_code == 400
    assert "reason" in response.json()
    item.refresh_from_db()
    assert item.status == ItemStatus.NEW


def test_the_schema_and_its_docs_are_served(school: dict[str, Any]) -> None:
    client = api_for(school["quality_manager"])
    schema = client.get(reverse("api:schema"), {"format": "json"})
    assert schema.status_code == 200
    assert "/api/improvement/items/" in schema.json()["paths"]
    assert client.get(reverse("api:docs")).status_code == 200
    assert Process.objects.exists()


def test_an_address_under_the_api_that_leads_nowhere_is_a_json_404(school: dict[str, Any]) -> None:
    client = api_for(school["quality_manager"])
    for path in ("/api/improvement/items/-5/transitions/accept/", "/api/nothing-here/"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found."}
    # Elsewhere, the site's page.
    response = client.get("/nothing-here/")
    assert response.status_code == 404 and "<html" in response.content.decode()


def test_a_body_that_is_not_an_object_of_fields_is_a_400(school: dict[str, Any]) -> None:
    # Found by schemathesis: a bare JSON number as the body of a step was a server error.
    item = ImprovementItemFactory(process=school["process_civil"])
    client = api_for(school["quality_manager"])
    for body in ("5961", "[1, 2]", '"text"'):
        for url in (reverse("api:item_transition", args=[item.pk, "accept"]), reverse("api:item_list")):
            response = client.post(url, body, content_type="application/json")
            assert response.status_code == 400, (url, body)
            assert response.json() == {"non_field_errors": ["The body must be a JSON object of fields."]}
    item.refresh_from_db()
    assert item.status == ItemStatus.NEW and ImprovementItem.objects.count() == 1


def test_a_request_refused_before_any_view_is_a_json_400_under_the_api(school: dict[str, Any]) -> None:
    # Found by schemathesis: a NUL byte (refused by core's middleware) came back as the HTML page.
    client = api_for(school["quality_manager"])
    response = client.get(reverse("api:item_list"), {"q": "a\x00b"})
    assert response.status_code == 400
    assert response.json() == {"detail": "The request contains characters or values that cannot be read."}
    response = client.get(reverse("core:home"), {"q": "a\x00b"})
    assert response.status_code == 400 and "<html" in response.content.decode()

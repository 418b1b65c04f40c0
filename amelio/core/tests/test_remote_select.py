"""Filters over people are searched on the server, not listed in the page."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from amelio.improvement.tests.factories import ActionFactory
from amelio.organisation.tests.factories import PersonFactory, school_fixture

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"


@pytest.fixture
def school() -> dict[str, Any]:
    world = school_fixture()
    world["dupont"] = PersonFactory(first_name="Claire", last_name="Dupont", email="claire.dupont@school.test")
    world["durand"] = PersonFactory(first_name="Marc", last_name="Durand", email="marc.durand@school.test")
    world["bystander"] = PersonFactory(first_name="Claire", last_name="Sansaction", email="claire.s@school.test")
    for _ in range(3):
        ActionFactory(owner=world["dupont"])
    ActionFactory(owner=world["durand"])
    return world


def client_as(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


def owner_select(page: str) -> str:
    return page.split('id="id_owner"', 1)[1].split("</select>", 1)[0]


def test_the_page_holds_only_the_empty_choice_and_the_chosen_person(school: dict[str, Any]) -> None:
    client = client_as(school["quality_manager"])
    page = client.get(reverse("improvement:action_list")).content.decode()
    assert 'data-remote-options="?_options=owner"' in page
    assert "<option" in owner_select(page) and "Dupont" not in owner_select(page)

    chosen = client.get(reverse("improvement:action_list"), {"owner": school["durand"].pk}).content.decode()
    assert f'<option value="{school["durand"].pk}" selected>Marc Durand</option>' in owner_select(chosen)
    assert "Dupont" not in owner_select(chosen)


@pytest.mark.parametrize("value", ["abc", "0", "-1", HUGE, "\x00", "x" * 300])
def test_a_chosen_value_the_filter_refuses_is_not_drawn_and_does_not_fail(school: dict[str, Any], value: str) -> None:
    response = client_as(school["quality_manager"]).get(reverse("improvement:action_list"), {"owner": value})
    assert response.status_code in (200, 400)  # a NUL byte is refused before any view
    if response.status_code == 200:
        assert "selected>" not in owner_select(response.content.decode())


def test_the_options_are_those_of_the_filter_matching_every_word_typed(school: dict[str, Any]) -> None:
    client = client_as(school["quality_manager"])
    url = reverse("improvement:action_list")
    everyone = client.get(url, {"_options": "owner", "q": ""}).json()
    assert {option["text"] for option in everyone} == {"Claire Dupont", "Marc Durand"}
    # Claire Sansaction owns no action: the filter would refuse her, so she is not offered.
    assert client.get(url, {"_options": "owner", "q": "claire"}).json() == [
        {"value": str(school["dupont"].pk), "text": "Claire Dupont"}
    ]
    assert client.get(url, {"_options": "owner", "q": "marc DUR"}).json() == [
        {"value": str(school["durand"].pk), "text": "Marc Durand"}
    ]
    assert client.get(url, {"_options": "owner", "q": "nobody"}).json() == []
    assert client.get(url, {"_options": "owner", "q": "\x00" + "y" * 5000}).status_code in (200, 400)


def test_only_searched_filters_answer_and_only_to_whoever_may_see_the_list(school: dict[str, Any]) -> None:
    url = reverse("improvement:action_list")
    client = client_as(school["quality_manager"])
    assert client.get(url, {"_options": "status"}).status_code == 404  # a plain select
    assert client.get(url, {"_options": "nonexistent"}).status_code == 404
    anonymous = Client().get(url, {"_options": "owner", "q": "claire"})
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    trail = reverse("history:search")
    assert client_as(school["student"]).get(trail, {"_options": "actor", "q": "claire"}).status_code == 403
    assert client.get(trail, {"_options": "actor", "q": "quentin"}).json() == [
        {"value": str(school["quality_manager"].pk), "text": "Quentin Qualité"}
    ]

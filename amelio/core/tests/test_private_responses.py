"""Whatever is sent to a signed-in person carries `Cache-Control: private, no-store`: pages,
exports, PDFs and files (the PDF and file downloads are checked in their apps' tests:
amelio/internships/tests/test_views.py, amelio/improvement/tests/test_permissions.py)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from amelio.core.middleware import PrivateResponsesMiddleware

pytestmark = pytest.mark.django_db


def signed_in(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


@pytest.mark.parametrize(
    "url",
    [
        reverse("core:home"),
        reverse("processes:process_list"),
        reverse("processes:process_list") + "?export=csv",
        reverse("processes:process_list") + "?export=xlsx",
        reverse("processes:process_map_svg"),
        reverse("history:search"),
    ],
)
def test_every_answer_to_a_signed_in_person_is_private_and_not_stored(school: dict[str, Any], url: str) -> None:
    response = signed_in(school["quality_manager"]).get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_a_refusal_and_a_redirect_to_a_signed_in_person_are_private_too(school: dict[str, Any]) -> None:
    client = signed_in(school["student"])
    refused = client.get(reverse("organisation:role_list"))
    assert refused.status_code in (403, 404)
    assert refused["Cache-Control"] == "private, no-store"


def test_pages_for_visitors_without_an_account_are_left_as_they_are(school: dict[str, Any]) -> None:
    response = Client().get(reverse("improvement:public_complaint"))
    assert response.status_code == 200
    assert "Cache-Control" not in response


def test_static_files_keep_their_own_caching(school: dict[str, Any]) -> None:
    """WhiteNoise answers static files before the session is read: signed in or not, they are
    cacheable."""
    response = signed_in(school["quality_manager"]).get("/static/css/amelio.css")
    assert response.status_code == 200
    assert "no-store" not in response["Cache-Control"]
    assert "private" not in response["Cache-Control"]


def test_a_cache_control_chosen_by_the_view_is_kept(school: dict[str, Any]) -> None:
    def view(request: HttpRequest) -> HttpResponse:
        response = HttpResponse("chosen")
        response["Cache-Control"] = "max-age=0, no-cache"
        return response

    request = RequestFactory().get("/")
    request.user = school["quality_manager"]
    assert PrivateResponsesMiddleware(view)(request)["Cache-Control"] == "max-age=0, no-cache"
    request.user = AnonymousUser()
    assert "Cache-Control" not in PrivateResponsesMiddleware(lambda request: HttpResponse())(request)

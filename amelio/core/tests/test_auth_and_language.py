"""Login (with throttling), password reset by email, the language switch and headers."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from amelio.organisation.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_login_by_email(school: dict[str, Any]) -> None:
    client = Client()
    response = client.post(reverse("login"), {"username": "QM@school.test", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("core:home")).status_code == 200


def test_wrong_password_is_refused_with_a_message(school: dict[str, Any]) -> None:
    response = Client().post(reverse("login"), {"username": "qm@school.test", "password": "nope"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def test_repeated_failures_lock_the_account(school: dict[str, Any], settings: Any) -> None:
    client = Client()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "qm@school.test", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "qm@school.test", "password": PASSWORD})
    assert response.status_code == 429
    assert "15 minutes" in response.content.decode() or "15" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_reset_by_email(school: dict[str, Any]) -> None:
    client = Client()
    client.post(reverse("password_reset"), {"email": "teacher@school.test"})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mail.outbox[0].body)
    assert link is not None
    response = client.get(link.group(1), follow=True)
    response = client.post(
        response.redirect_chain[-1][0], {"new_password1": "Un-nouveau-mot-2026", "new_password2": "Un-nouveau-mot-2026"}
    )
    assert response.status_code == 302
    assert (
        client.post(
            reverse("login"), {"username": "teacher@school.test", "password": "Un-nouveau-mot-2026"}
        ).status_code
        == 302
    )


def test_unknown_address_gets_the_same_answer_and_no_mail(school: dict[str, Any]) -> None:
    response = Client().post(reverse("password_reset"), {"email": "nobody@school.test"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_french_by_default_english_on_request(school: dict[str, Any], settings: Any) -> None:
    settings.LANGUAGE_CODE = "fr"  # as in config/settings.py
    client = Client()
    client.force_login(school["teacher"])
    french = client.get(reverse("processes:process_list")).content.decode()
    assert "Processus" in french and 'lang="fr"' in french
    client.post(reverse("set_language"), {"language": "en", "next": "/processes/"})
    english = client.get(reverse("processes:process_list")).content.decode()
    assert 'lang="en"' in english and "Processes" in english


def test_security_headers(school: dict[str, Any]) -> None:
    response = Client().get(reverse("login"))
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_logout_needs_a_post(school: dict[str, Any]) -> None:
    client = Client()
    client.force_login(school["teacher"])
    assert client.get(reverse("logout")).status_code == 405
    client.post(reverse("logout"))
    assert client.get(reverse("core:home")).status_code == 302

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


def fail_login(email: str, address: str, **headers: str) -> int:
    response = Client(REMOTE_ADDR=address).post(reverse("login"), {"username": email, "password": "wrong"}, **headers)
    return response.status_code


def log_in(email: str, address: str, **headers: str) -> Any:
    return Client(REMOTE_ADDR=address).post(reverse("login"), {"username": email, "password": PASSWORD}, **headers)


def test_the_lock_page_says_what_happened_and_how_to_get_out(school: dict[str, Any], settings: Any) -> None:
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        fail_login("qm@school.test", "203.0.113.7")
    response = log_in("qm@school.test", "203.0.113.7")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many failed attempts" in page
    assert "This account is locked for 15 minutes after repeated failed logins." in page
    assert reverse("password_reset") in page


def test_failures_from_one_address_lock_the_account_from_that_address_only(
    school: dict[str, Any], settings: Any
) -> None:
    """Five failures from one address: that address is locked out of the account, the account's
    owner elsewhere still logs in (five is far below the account's own limit)."""
    assert settings.AXES_FAILURE_LIMIT == 5
    for attempt in range(4):
        assert fail_login("qm@school.test", "203.0.113.7") == 200, attempt
    assert fail_login("qm@school.test", "203.0.113.7") == 429  # the fifth locks
    assert log_in("qm@school.test", "203.0.113.7").status_code == 429
    assert log_in("qm@school.test", "198.51.100.2").status_code == 302
    # Another account from the locked address is not held back either.
    assert log_in("teacher@school.test", "203.0.113.7").status_code == 302


def test_failures_from_many_addresses_lock_the_account_everywhere(school: dict[str, Any], settings: Any) -> None:
    """An attack spread over many addresses, a few tries from each: once the account has
    twenty failures within the cool-off, even its right password from a fresh address is
    refused, and other accounts are untouched."""
    assert settings.AXES_ACCOUNT_FAILURE_LIMIT == 20
    for attempt in range(19):
        address = f"192.0.2.{attempt // 2 + 1}"  # two tries from each address, below its limit
        assert fail_login("qm@school.test", address) == 200, attempt
    assert log_in("qm@school.test", "198.51.100.2").status_code == 302  # nineteen: not yet
    # The success reset the count (AXES_RESET_ON_SUCCESS): the attack starts over, to twenty.
    for attempt in range(20):
        fail_login("qm@school.test", f"192.0.2.{attempt // 2 + 1}")
    locked = log_in("qm@school.test", "198.51.100.3")
    assert locked.status_code == 429
    assert "Too many failed attempts" in locked.content.decode()
    assert "_auth_user_id" not in locked.client.session
    assert log_in("teacher@school.test", "192.0.2.1").status_code == 302


def test_behind_the_proxy_login_failures_are_counted_per_forwarded_client(
    school: dict[str, Any], settings: Any
) -> None:
    settings.BEHIND_HTTPS_PROXY = True
    for _attempt in range(5):
        fail_login("qm@school.test", "10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert log_in("qm@school.test", "10.0.0.2", HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.7").status_code == 429
    # The proxy's own address is not what is locked: another client behind it logs in.
    assert log_in("qm@school.test", "10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 302


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

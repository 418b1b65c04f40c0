"""Personal API tokens: made, listed and revoked by their owner only; the key shown once and
stored as a hash; a read-only token refused every write with nothing written; an expired or
revoked token refused at once."""

from __future__ import annotations

import datetime
import re
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from amelio.api.choices import TokenScope
from amelio.api.models import ApiToken, hash_key
from amelio.api.services import api_token_create
from amelio.improvement.choices import ItemStatus
from amelio.improvement.models import ImprovementItem
from amelio.improvement.tests.factories import ImprovementItemFactory

pytestmark = pytest.mark.django_db


def token_client(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def signed_in(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


def raise_item(client: APIClient, school: dict[str, Any]) -> Any:
    return client.post(
        reverse("api:item_list"),
        {
            "origin": "suggestion",
            "title": "Plus de prises",
            "description": "En B12.",
            "process": school["process_civil"].pk,
        },
        format="json",
    )


def test_a_person_makes_a_token_on_their_page_and_sees_its_key_once(school: dict[str, Any]) -> None:
    teacher = school["teacher"]
    client = signed_in(teacher)
    assert client.get(reverse("api_tokens:list")).status_code == 200
    response = client.post(reverse("api_tokens:list"), {"name": "Tableur", "scope": "read", "valid_days": "30"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    key = response.context["new_key"]
    assert key in response.content.decode()
    token = ApiToken.objects.get(owner=teacher)
    # Only the hash is kept: the key is nowhere in the row.
    assert token.key_hash == hash_key(key) and key not in {token.key_hash, token.key_prefix, token.name}
    assert token.scope == TokenScope.READ
    assert abs(token.expires_at - (timezone.now() + datetime.timedelta(days=30))) < datetime.timedelta(minutes=1)
    # Listed afterwards by its name and prefix, never by its key.
    page = client.get(reverse("api_tokens:list")).content.decode()
    assert "Tableur" in page and token.key_prefix in page and key not in page
    assert token_client(key).get(reverse("api:process_list")).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_bad_token_forms_are_refused_by_field_and_make_nothing(school: dict[str, Any], settings: Any) -> None:
    client = signed_in(school["teacher"])
    settings.API_TOKEN_LIFETIME_DAYS = 90
    response = client.post(reverse("api_tokens:list"), {"name": " ", "scope": "admin", "valid_days": "91"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"name", "scope", "valid_days"}
    response = client.post(reverse("api_tokens:list"), {"name": "x", "scope": "read", "valid_days": "0"})
    assert response.status_code == 400 and "valid_days" in response.context["form"].errors
    assert not ApiToken.objects.exists()
    # Anonymous: to the login page, nothing made.
    response = Client().post(reverse("api_tokens:list"), {"name": "x", "scope": "read", "valid_days": "3"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not ApiToken.objects.exists()


def test_nobody_sees_or_revokes_another_persons_tokens(school: dict[str, Any]) -> None:
    theirs, key = api_token_create(owner=school["teacher"], name="Secret script", scope="read-write", valid_days=10)
    api_token_create(owner=school["quality_manager"], name="Mine", scope="read", valid_days=10)
    quality = signed_in(school["quality_manager"])
    page = quality.get(reverse("api_tokens:list")).content.decode()
    assert "Mine" in page and "Secret script" not in page and theirs.key_prefix not in page
    # Out of sight: a 404, and the token still works.
    assert quality.post(reverse("api_tokens:revoke", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
    assert token_client(key).get(reverse("api:process_list")).status_code == 200


def test_revoking_is_immediate(school: dict[str, Any]) -> None:
    token, key = api_token_create(owner=school["teacher"], name="CI", scope="read-write", valid_days=10)
    client = token_client(key)
    assert client.get(reverse("api:process_list")).status_code == 200
    response = signed_in(school["teacher"]).post(reverse("api_tokens:revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    response = client.get(reverse("api:process_list"))
    assert response.status_code == 401
    assert response.json()["detail"] == "This token has been revoked."
    # Revoked twice: said plainly, nothing changes.
    revoked_at = token.revoked_at
    signed_in(school["teacher"]).post(reverse("api_tokens:revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at == revoked_at


def test_expired_and_unknown_tokens_are_refused(school: dict[str, Any]) -> None:
    token, key = api_token_create(owner=school["quality_manager"], name="Old", scope="read", valid_days=1)
    client = token_client(key)
    assert client.get(reverse("api:process_list")).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get(reverse("api:process_list"))
    assert response.status_code == 401 and "expired" in response.json()["detail"]
    response = token_client(key + "x").get(reverse("api:process_list"))
    assert response.status_code == 401 and response.json()["detail"] == "Invalid token."
    # A closed account's tokens stop working too.
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() + datetime.timedelta(days=1))
    assert client.get(reverse("api:process_list")).status_code == 200
    school["quality_manager"].is_active = False
    school["quality_manager"].save()
    assert client.get(reverse("api:process_list")).status_code == 401


def test_a_read_token_reads_and_is_refused_every_write(school: dict[str, Any]) -> None:
    _token, key = api_token_create(owner=school["quality_manager"], name="Reader", scope="read", valid_days=5)
    client = token_client(key)
    assert client.get(reverse("api:item_list")).status_code == 200
    item = ImprovementItemFactory(process=school["process_civil"])
    response = raise_item(client, school)
    assert response.status_code == 403
    assert response.json()["detail"] == "This token may only read: make a read and write token to change records."
    response = client.post(
        reverse("api:item_transition", args=[item.pk, "accept"]),
        {"reason": "ok", "due_on": "2027-01-15"},
        format="json",
    )
    assert response.status_code == 403 and "only read" in response.json()["detail"]
    assert ImprovementItem.objects.count() == 1
    item.refresh_from_db()
    assert item.status == ItemStatus.NEW


def test_a_read_write_token_writes_within_its_owners_rights(school: dict[str, Any]) -> None:
    _token, key = api_token_create(owner=school["student"], name="Writer", scope="read-write", valid_days=5)
    client = token_client(key)
    # A student reports in plain words, as on the page; the ISO fields are not theirs to set.
    response = client.post(
        reverse("api:item_list"),
        {"reported_as": "idea", "title": "Plus de prises", "description": "En B12."},
        format="json",
    )
    assert response.status_code == 201, response.content
    item = ImprovementItem.objects.get()
    assert item.raised_by == school["student"] and item.status == ItemStatus.TO_CLASSIFY
    # The scope adds nothing to the owner's rights: a student still cannot classify an item.
    response = client.post(reverse("api:item_transition", args=[item.pk, "classify"]), {"reason": "moi"}, format="json")
    assert response.status_code == 403, response.content
    item.refresh_from_db()
    assert item.status == ItemStatus.TO_CLASSIFY


def test_the_command_makes_a_token_and_prints_its_key_once(school: dict[str, Any]) -> None:
    out = StringIO()
    call_command(
        "create_api_token",
        school["quality_manager"].email,
        "--scope",
        "read-write",
        "--days",
        "7",
        stdout=out,
        stderr=StringIO(),
    )
    key = out.getvalue().strip()
    assert re.fullmatch(r"[A-Za-z0-9_-]{40,}", key)
    token = ApiToken.objects.get(key_hash=hash_key(key))
    assert token.owner == school["quality_manager"] and token.scope == TokenScope.READ_WRITE


def test_the_former_clear_keys_become_hashed_tokens_and_their_table_goes(school: dict[str, Any]) -> None:
    """The upgrade from DRF's authtoken table (key in clear), built here as that app made it,
    inside the test's transaction, which takes the table back. Run as a transactional test it
    left PostgreSQL's next flushes re-creating content types that were still there."""
    import importlib

    from django.db import connection

    if connection.vendor == "sqlite":
        pytest.skip("SQLite cannot change its schema inside the test's transaction; CI runs it on PostgreSQL")
    from django.db.migrations.executor import MigrationExecutor

    migration = importlib.import_module("amelio.api.migrations.0002_hash_former_drf_tokens")
    owner = school["quality_manager"]
    created = timezone.now() - datetime.timedelta(days=10)
    key = "0123456789abcdef0123456789abcdef01234567"
    with connection.cursor() as cursor:
        cursor.execute(
            f'CREATE TABLE authtoken_token ("key" varchar(40) NOT NULL PRIMARY KEY, '
            f'"created" {connection.data_types["DateTimeField"]} NOT NULL, "user_id" bigint NOT NULL UNIQUE)'
        )
        cursor.execute(
            'INSERT INTO authtoken_token ("key", "created", "user_id") VALUES (%s, %s, %s)',
            [key, connection.ops.adapt_datetimefield_value(created), owner.pk],
        )
    state_apps = MigrationExecutor(connection).loader.project_state(("api", "0001_api_tokens")).apps
    with connection.schema_editor() as editor:
        migration.move_tokens(state_apps, editor)
    assert "authtoken_token" not in connection.introspection.table_names()
    token = ApiToken.objects.get()
    assert token.owner == owner and token.key_hash == hash_key(key) and token.scope == TokenScope.READ_WRITE
    assert abs(token.created_at - created) < datetime.timedelta(seconds=1)
    # It works as before until the end of its former lifetime.
    assert token_client(key).get(reverse("api:process_list")).status_code == 200

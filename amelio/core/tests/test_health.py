from __future__ import annotations

import pytest
from django.db import DatabaseError
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_health_answers_ok_without_login() -> None:
    response = Client().get(reverse("core:health"))
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")


def test_health_answers_503_when_the_database_refuses(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.db.backends.utils import CursorWrapper

    def refuse(self: CursorWrapper, sql: str, params: object = None) -> None:
        raise DatabaseError("down")

    monkeypatch.setattr(CursorWrapper, "execute", refuse)
    response = Client().get(reverse("core:health"))
    assert response.status_code == 503
    assert b"database" in response.content

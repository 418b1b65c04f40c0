"""Exports prepared by the worker: asked for in a page, built after commit in the
requester's language with what the requester may see, downloaded by them alone, failed
without saying why, and removed after their keeping period."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from amelio.core import prepared_exports
from amelio.core.models import PreparedExport
from amelio.core.prepared_exports import ExportFile, export_build, export_prepare, register_export_builder
from amelio.core.tasks import remove_expired_exports_task
from tests.query_budgets import check_query_budgets

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def greeting(*, user: Any, parameters: dict[str, Any]) -> ExportFile:
    """A file that says who it was built for, in which language, with what it was given."""
    if parameters.get("refuse"):
        raise PermissionDenied
    text = f"{gettext('Status')} {user.email} {parameters['number']}"
    return ExportFile(filename="greeting.txt", content=text.encode(), content_type="text/plain")


@pytest.fixture(autouse=True)
def builders(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(prepared_exports, "_builders", {})
    register_export_builder("test.greeting", greeting)
    yield


def person(email: str) -> Any:
    return get_user_model().objects.create_user(email=email, password="x", first_name="A", last_name="B")


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_the_file_is_built_after_commit_in_the_requester_language(django_capture_on_commit_callbacks: Any) -> None:
    requester = person("a@school.test")
    with django_capture_on_commit_callbacks(execute=False) as callbacks, translation.override("fr"):
        export = export_prepare(user=requester, builder="test.greeting", parameters={"number": 7}, title="Salut")
    assert export.status == "pending" and export.language == "fr" and len(callbacks) == 1
    callbacks[0]()  # the commit: the worker (run in-process) builds the file
    export.refresh_from_db()
    with translation.override("fr"):
        expected = f"{gettext('Status')} a@school.test 7".encode()
    assert expected != b"Status a@school.test 7"  # the catalogue has the word in French
    assert export.status == "ready" and export.filename == "greeting.txt" and export.size == len(expected)
    assert export.file.read() == expected


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_rolled_back_request_prepares_nothing() -> None:
    requester = person("a@school.test")

    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        export_prepare(user=requester, builder="test.greeting", parameters={"number": 1}, title="x")
        raise Abort
    assert not PreparedExport.objects.exists()


def test_an_unknown_builder_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="Unknown export builder"):
        export_prepare(user=person("a@school.test"), builder="nope", parameters={}, title="x")
    assert not PreparedExport.objects.exists()
    with pytest.raises(ValueError, match="registered twice"):
        register_export_builder("test.greeting", lambda **kwargs: None)  # type: ignore[arg-type,return-value]


def test_a_refused_build_fails_without_a_file(django_capture_on_commit_callbacks: Any) -> None:
    requester = person("a@school.test")
    with django_capture_on_commit_callbacks(execute=True):
        export = export_prepare(user=requester, builder="test.greeting", parameters={"refuse": True}, title="x")
    export.refresh_from_db()
    assert export.status == "failed" and not export.file and export.finished_at is not None
    page = client_for(requester).get(reverse("core:exports")).content.decode()
    assert "Could not be prepared" in page and reverse("core:export_download", args=[export.pk]) not in page
    assert client_for(requester).get(reverse("core:export_download", args=[export.pk])).status_code == 404
    # Built once: a second run of the task leaves it as it is.
    assert export_build(export_id=export.pk).status == "failed"


def test_only_the_requester_downloads_it(django_capture_on_commit_callbacks: Any) -> None:
    requester, other = person("a@school.test"), person("b@school.test")
    with django_capture_on_commit_callbacks(execute=True):
        export = export_prepare(user=requester, builder="test.greeting", parameters={"number": 3}, title="Mine")
    url = reverse("core:export_download", args=[export.pk])
    response = client_for(requester).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"Status a@school.test 3"
    assert response["Content-Disposition"].startswith('attachment; filename="greeting.txt"')
    assert client_for(other).get(url).status_code == 404
    assert "Mine" not in client_for(other).get(reverse("core:exports")).content.decode()
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "/login" in anonymous["Location"]
    assert client_for(requester).get(reverse("core:export_download", args=[999999])).status_code == 404


def test_a_pending_export_is_followed_and_the_page_runs_fixed_queries(
    django_capture_on_commit_callbacks: Any,
) -> None:
    requester = person("a@school.test")
    client = client_for(requester)
    with django_capture_on_commit_callbacks(execute=False):
        export_prepare(user=requester, builder="test.greeting", parameters={"number": 1}, title="Waiting")
    page = client.get(reverse("core:exports")).content.decode()
    assert 'hx-trigger="every 3s"' in page and "Being prepared" in page
    assert f"kept for you alone for {prepared_exports.PREPARED_EXPORT_DAYS} days" in page
    fragment = client.get(reverse("core:exports"), headers={"HX-Request": "true"}).content.decode()
    assert fragment.startswith('<div id="exports"') and "<html" not in fragment

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("core:exports")).status_code == 200
        return len(captured)

    with_one = count()
    for number in range(5):
        with django_capture_on_commit_callbacks(execute=True):
            export_prepare(user=requester, builder="test.greeting", parameters={"number": number}, title=f"E{number}")
    check_query_budgets("core", {"my exports": {"1 export": with_one, "6 exports": count()}})


def test_exports_are_removed_after_their_keeping_period(django_capture_on_commit_callbacks: Any) -> None:
    requester = person("a@school.test")
    with django_capture_on_commit_callbacks(execute=True):
        old = export_prepare(user=requester, builder="test.greeting", parameters={"number": 1}, title="Old")
        new = export_prepare(user=requester, builder="test.greeting", parameters={"number": 2}, title="New")
    path = Path(old.file.path) if old.file else Path(PreparedExport.objects.get(pk=old.pk).file.path)
    assert path.exists()
    PreparedExport.objects.filter(pk=old.pk).update(requested_at=timezone.now() - datetime.timedelta(days=8))
    assert remove_expired_exports_task.call_local() == 1
    assert list(PreparedExport.objects.values_list("pk", flat=True)) == [new.pk] and not path.exists()


def test_the_same_file_asked_again_while_it_is_prepared_is_queued_once(
    django_capture_on_commit_callbacks: Any,
) -> None:
    requester, other = person("a@school.test"), person("b@school.test")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = export_prepare(user=requester, builder="test.greeting", parameters={"number": 1}, title="Once")
        again = export_prepare(user=requester, builder="test.greeting", parameters={"number": 1}, title="Once")
        different = export_prepare(user=requester, builder="test.greeting", parameters={"number": 2}, title="Two")
        theirs = export_prepare(user=other, builder="test.greeting", parameters={"number": 1}, title="Theirs")
    assert again.pk == first.pk and len({first.pk, different.pk, theirs.pk}) == 3
    assert len(callbacks) == 3 and PreparedExport.objects.count() == 3
    for callback in callbacks:
        callback()
    # Once built, the same file may be asked for again: it is prepared anew.
    with django_capture_on_commit_callbacks(execute=True):
        later = export_prepare(user=requester, builder="test.greeting", parameters={"number": 1}, title="Once")
    assert later.pk != first.pk

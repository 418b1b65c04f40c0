"""The core file store: `store_file` keeps a checked upload under a generated name with its
detected type and checksum; the one download view serves it to those the owner's app
allows (a 404 out of sight, a 403 in sight without the permission), with its stored type.

The owner here is a person (the user model), registered for the test only: viewing a
person's files needs `organisation.view_person`, their evidence `organisation.change_person`.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from amelio.core import clock, files
from amelio.core.files import register_file_owner, store_file
from amelio.core.models import FilePurpose, StoredFile
from amelio.core.tasks import remove_orphan_files_task
from amelio.core.tests.test_uploads import JPEG_BYTES, PDF_BYTES, PNG_BYTES, xlsx_bytes
from amelio.history.models import HistoryEntry

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = str(root)
    return root


@pytest.fixture(autouse=True)
def people_own_files(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(files, "_OWNERS", {})
    register_file_owner(
        get_user_model()._meta.label,
        view_permission="organisation.view_person",
        purpose_permissions={FilePurpose.EVIDENCE: "organisation.change_person"},
    )
    yield


def sent(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/html")


def stored(owner: Any, name: str = "scan.pdf", content: bytes = PDF_BYTES, purpose: str = "attachment") -> StoredFile:
    return store_file(actor=owner, upload=sent(name, content), owner=owner, purpose=purpose)


def download(person: Any, file: StoredFile) -> Any:
    client = Client()
    if person is not None:
        client.force_login(person)
    return client.get(reverse("core:file_download", args=[file.pk]))


# Storing ------------------------------------------------------------------------------------


def test_a_stored_file_keeps_its_true_type_under_a_generated_name(school: dict[str, Any], media_root: Path) -> None:
    student = school["student"]
    file = store_file(actor=student, upload=sent("../scan.pdf", PNG_BYTES), owner=student, purpose="attachment")
    file.refresh_from_db()
    assert (file.original_name, file.content_type, file.size) == ("scan.png", "image/png", len(PNG_BYTES))
    assert file.sha256 == hashlib.sha256(PNG_BYTES).hexdigest()
    assert (file.uploaded_by, file.owner, file.purpose) == (student, student, "attachment")
    on_disk = Path(file.file.path)
    assert on_disk.is_relative_to(media_root / "files")
    assert on_disk.read_bytes() == PNG_BYTES
    assert "scan" not in on_disk.name and on_disk.suffix == ".png"  # the sender's name is data only
    entry = HistoryEntry.objects.get()
    assert (entry.content_type.model_class(), entry.object_id) == (get_user_model(), str(student.pk))
    assert entry.changes == {"file": ["", "scan.png"]}
    assert entry.reason == "“scan.pdf” is in fact a PNG file; it is kept as “scan.png”."


def test_a_refused_upload_writes_nothing(school: dict[str, Any], media_root: Path) -> None:
    with pytest.raises(ValidationError, match="never accepted"):
        stored(school["student"], "logo.svg", b"<svg><script>alert(1)</script></svg>")
    assert not StoredFile.objects.exists()
    assert not HistoryEntry.objects.exists()
    assert not any(media_root.rglob("*.*"))


def test_an_unregistered_owner_is_refused(school: dict[str, Any], media_root: Path) -> None:
    with pytest.raises(LookupError, match=r"organisation\.department"):
        store_file(actor=school["teacher"], upload=sent("a.pdf", PDF_BYTES), owner=school["civil"], purpose="report")
    assert not StoredFile.objects.exists()
    assert not any(media_root.rglob("*.*"))


def test_an_unknown_purpose_or_an_unsaved_owner_is_refused(school: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="purpose"):
        stored(school["student"], purpose="whatever")
    with pytest.raises(ValueError, match="saved record"):
        stored(get_user_model()(email="new@school.test"))
    assert not StoredFile.objects.exists()


def test_an_owner_is_registered_once() -> None:
    label = get_user_model()._meta.label
    # The same declaration again is harmless (a module imported twice); a different one is a bug.
    register_file_owner(
        label,
        view_permission="organisation.view_person",
        purpose_permissions={FilePurpose.EVIDENCE: "organisation.change_person"},
    )
    with pytest.raises(ValueError, match="registered twice"):
        register_file_owner(label, view_permission="organisation.change_person")
    with pytest.raises(ValueError, match="Unknown file purposes"):
        register_file_owner("organisation.department", view_permission="x", purpose_permissions={"selfie": "y"})


# Downloading --------------------------------------------------------------------------------


def test_the_owner_and_those_who_may_see_them_download(school: dict[str, Any]) -> None:
    file = stored(school["student"])
    for person in (school["student"], school["head_civil"], school["quality_manager"], school["office"]):
        response = download(person, file)
        assert response.status_code == 200, person
        assert b"".join(response.streaming_content) == PDF_BYTES


def test_out_of_sight_is_not_found(school: dict[str, Any]) -> None:
    """A student sees only themself; a teacher and another department's head do not see a
    student of civil engineering: the file does not exist for them."""
    file = stored(school["student"])
    teachers_file = stored(school["teacher"])
    assert download(school["teacher"], file).status_code == 404
    assert download(school["head_electrical"], file).status_code == 404
    assert download(school["student"], teachers_file).status_code == 404


def test_in_sight_without_the_permission_of_the_purpose_is_forbidden(school: dict[str, Any]) -> None:
    # A teacher sees a colleague; the colleague's evidence needs change_person, which the head has.
    evidence = stored(school["head_electrical"], purpose=FilePurpose.EVIDENCE)
    assert download(school["teacher"], evidence).status_code == 403
    assert download(school["head_civil"], evidence).status_code == 403  # another department: not theirs
    assert download(school["quality_manager"], evidence).status_code == 200
    # The same person's ordinary attachment is theirs to see.
    assert download(school["teacher"], stored(school["head_electrical"])).status_code == 200


def test_signed_out_goes_to_the_login_page(school: dict[str, Any]) -> None:
    response = download(None, stored(school["student"]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_unregistered_owner_is_never_served(school: dict[str, Any], media_root: Path) -> None:
    """A file whose owner's app declared no rule (written around the service, or its app's
    registration removed) is not served to anyone, the quality manager included."""
    file = stored(school["student"])
    files._OWNERS.clear()
    assert download(school["quality_manager"], file).status_code == 404
    assert download(school["student"], file).status_code == 404


def test_a_file_whose_record_is_gone_or_that_does_not_exist_is_not_found(school: dict[str, Any]) -> None:
    student = school["student"]
    file = stored(student)
    StoredFile.objects.filter(pk=file.pk).update(owner_id=10**12)
    assert download(school["quality_manager"], file).status_code == 404
    client = Client()
    client.force_login(school["quality_manager"])
    assert client.get(reverse("core:file_download", args=[10**9])).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "content_type", "disposition"),
    [
        pytest.param("scan.pdf", PDF_BYTES, "application/pdf", 'inline; filename="scan.pdf"', id="pdf"),
        pytest.param("scan.pdf", PNG_BYTES, "image/png", 'inline; filename="scan.png"', id="png-sent-as-pdf"),
        pytest.param("photo.jpeg", JPEG_BYTES, "image/jpeg", 'inline; filename="photo.jpeg"', id="jpeg"),
        pytest.param(
            "notes.txt", b"Notes: <b>not html</b>", "text/plain", 'attachment; filename="notes.txt"', id="text"
        ),
        pytest.param(
            "tableau.xlsx",
            xlsx_bytes(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            'attachment; filename="tableau.xlsx"',
            id="spreadsheet",
        ),
        pytest.param(
            'rapport "final".txt',
            b"Words.",
            "text/plain",
            'attachment; filename="rapport \\"final\\".txt"',
            id="quotes-in-the-name",
        ),
        pytest.param(
            "compte-rendu é.pdf",
            PDF_BYTES,
            "application/pdf",
            "inline; filename*=utf-8''compte-rendu%20%C3%A9.pdf",
            id="accented-name",
        ),
    ],
)
def test_a_file_is_served_with_its_stored_type(
    school: dict[str, Any], name: str, content: bytes, content_type: str, disposition: str
) -> None:
    """The type read at upload, never guessed again (nosniff); images and PDF shown in the
    page, everything else handed over as a download; never kept in a shared cache."""
    response = download(school["student"], stored(school["student"], name, content))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == content


def test_files_left_by_a_rolled_back_upload_are_removed_after_a_day(school: dict[str, Any], media_root: Path) -> None:
    kept = stored(school["student"])

    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        stored(school["student"], name="lost.pdf")
        raise Abort
    on_disk = sorted(path for path in media_root.rglob("*.*"))
    assert len(on_disk) == 2 and StoredFile.objects.count() == 1  # the rolled-back file stayed
    assert remove_orphan_files_task.call_local() == 0  # too recent: its transaction may be open
    with clock.frozen_at(timezone.now() + datetime.timedelta(days=1, minutes=1)):
        assert remove_orphan_files_task.call_local() == 1
    assert [path for path in media_root.rglob("*.*")] == [Path(kept.file.path)]
    assert Path(kept.file.path).read_bytes() == PDF_BYTES

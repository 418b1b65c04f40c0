"""Uploaded files are checked by their content against a size limit and a list of accepted
types, and kept under the extension of their true type; markup and scripts are refused; a
refused file leaves the item or action as it was. (The policy is tested case by case in
amelio/core/tests/test_uploads.py; here, through the improvement services and pages.)"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from amelio.core.models import ReferenceCounter, StoredFile
from amelio.history.models import HistoryEntry
from amelio.improvement import services
from amelio.improvement.choices import ActionStatus, ItemStatus, Origin
from amelio.improvement.models import Action, ImprovementItem, ProgressNote
from amelio.improvement.tests.conftest import ELF_BYTES, EXE_BYTES, PDF_BYTES, PNG_BYTES, upload, zip_bytes
from amelio.improvement.tests.factories import ActionFactory, ImprovementItemFactory

pytestmark = pytest.mark.django_db

REFUSED_FILES = [
    pytest.param("rapport.pdf", EXE_BYTES, "is not an accepted type", id="executable-named-pdf"),
    pytest.param("rapport.pdf", zip_bytes(), "is not an accepted type", id="zip-named-pdf"),
    pytest.param("notes.txt", ELF_BYTES, "is not an accepted type", id="linux-program-named-txt"),
    pytest.param("vide.pdf", b"", "is empty", id="empty"),
    pytest.param(
        "dessin.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "are never accepted",
        id="svg-with-script",
    ),
    pytest.param("page.html", b"<!DOCTYPE html><html><body>Hi</body></html>", "are never accepted", id="html"),
    pytest.param("page.txt", b"<html><script>alert(1)</script></html>", "are never accepted", id="html-named-txt"),
    pytest.param("donnees.json", b'{"a": 1}', "accepted under a .txt, .csv or .md name", id="text-named-json"),
]
# name sent, content, detected type, name kept
ACCEPTED_FILES = [
    pytest.param("rapport.exe", PDF_BYTES, "application/pdf", "rapport.pdf", id="pdf-named-exe"),
    pytest.param("rapport.pdf", PDF_BYTES, "application/pdf", "rapport.pdf", id="pdf"),
    pytest.param("scan.pdf", PNG_BYTES, "image/png", "scan.png", id="png-named-pdf"),
    pytest.param(
        "compte-rendu.txt", "Réunion du 3 mars : décisions.\n".encode(), "text/plain", "compte-rendu.txt", id="text"
    ),
    pytest.param(
        "sans-extension", b"Plain words, no extension.", "text/plain", "sans-extension.txt", id="text-without-extension"
    ),
]


def an_item(school: dict[str, Any], status: str = ItemStatus.ACCEPTED) -> ImprovementItem:
    return ImprovementItemFactory(
        process=school["process_civil"], department=school["civil"], raised_by=school["student"], status=status
    )


def an_action(school: dict[str, Any], status: str = ActionStatus.IN_PROGRESS) -> Action:
    return ActionFactory(item=an_item(school, ItemStatus.ACTIONS_UNDER_WAY), owner=school["head_civil"], status=status)


def unchanged(record: Any) -> bool:
    before = (record.status, record.updated_at)
    record.refresh_from_db()
    return (record.status, record.updated_at) == before


# Through the service -----------------------------------------------------------------


@pytest.mark.parametrize(("name", "content", "content_type", "kept_as"), ACCEPTED_FILES)
def test_accepted_files_are_typed_by_their_content(
    school: dict[str, Any], media_root: Path, name: str, content: bytes, content_type: str, kept_as: str
) -> None:
    item = an_item(school)
    attachment = services.attachment_add(
        actor=school["teacher"], upload=upload(name, content, "application/x-msdownload"), item=item
    )
    assert attachment.content_type == content_type
    assert attachment.original_name == kept_as
    assert attachment.size == len(content)
    assert attachment.uploaded_by == school["teacher"]
    stored = Path(attachment.file.path)
    assert stored.is_relative_to(media_root)
    assert stored.read_bytes() == content
    assert stored.name.endswith(kept_as.rsplit(".", 1)[1])
    entry = HistoryEntry.objects.get(object_id=str(item.pk), content_type__model="improvementitem")
    assert entry.changes == {"file": ["", kept_as]}
    # A corrected name is explained in the history; a name that was right needs nothing.
    assert (name in entry.reason) == (name != kept_as)


@pytest.mark.parametrize(("name", "content", "message"), REFUSED_FILES)
def test_refused_files_leave_the_item_unchanged(
    school: dict[str, Any], media_root: Path, name: str, content: bytes, message: str
) -> None:
    item = an_item(school)
    with pytest.raises(ValidationError) as error:
        services.attachment_add(actor=school["teacher"], upload=upload(name, content, "application/pdf"), item=item)
    assert message in str(error.value)
    assert name in str(error.value)
    assert unchanged(item)
    assert not StoredFile.objects.exists()
    assert not HistoryEntry.objects.exists()
    assert not any(media_root.rglob("*.*"))


@pytest.mark.parametrize(("name", "content", "message"), REFUSED_FILES)
def test_refused_files_leave_the_action_unchanged(
    school: dict[str, Any], name: str, content: bytes, message: str
) -> None:
    action = an_action(school)
    with pytest.raises(ValidationError, match=message):
        services.attachment_add(actor=school["head_civil"], upload=upload(name, content), action=action)
    with pytest.raises(ValidationError, match=message):
        services.action_complete(
            actor=school["head_civil"], action=action, note="Fait", evidence=[upload(name, content)]
        )
    assert unchanged(action)
    assert action.completed_on is None
    assert not StoredFile.objects.exists()
    assert not ProgressNote.objects.exists()
    assert not HistoryEntry.objects.exists()


def test_an_oversize_file_is_refused_naming_the_limit(school: dict[str, Any], settings: Any) -> None:
    settings.MAX_UPLOAD_SIZE = 100
    item = an_item(school)
    with pytest.raises(ValidationError) as error:
        services.attachment_add(actor=school["teacher"], upload=upload("gros.pdf", PDF_BYTES), item=item)
    assert error.value.messages == [f"“gros.pdf” is {len(PDF_BYTES)}\xa0bytes; at most 100\xa0bytes."]
    assert unchanged(item)
    assert not StoredFile.objects.exists()
    assert not HistoryEntry.objects.exists()
    # At the limit itself the file is taken.
    settings.MAX_UPLOAD_SIZE = len(PDF_BYTES)
    assert services.attachment_add(actor=school["teacher"], upload=upload("juste.pdf", PDF_BYTES), item=item).pk


def test_raising_with_a_bad_file_writes_nothing(school: dict[str, Any]) -> None:
    data = {"origin": Origin.SUGGESTION, "title": "Avec pièce jointe", "description": "x"}
    with pytest.raises(ValidationError, match="is not an accepted type"):
        services.item_raise(
            actor=school["student"], data=data, files=[upload("a.pdf", PDF_BYTES), upload("b.pdf", EXE_BYTES)]
        )
    assert not ImprovementItem.objects.exists()
    assert not ReferenceCounter.objects.exists()  # no reference number used up
    assert not StoredFile.objects.exists()
    assert not HistoryEntry.objects.exists()


def test_completing_with_good_evidence_keeps_every_file(school: dict[str, Any]) -> None:
    action = an_action(school)
    services.action_complete(
        actor=school["head_civil"],
        action=action,
        note="Installé",
        evidence=[upload("photo.pdf", PDF_BYTES), upload("liste.txt", b"12 casiers")],
    )
    assert action.status == ActionStatus.DONE
    assert sorted(action.files.values_list("original_name", "content_type")) == [
        ("liste.txt", "text/plain"),
        ("photo.pdf", "application/pdf"),
    ]


# Through the pages -------------------------------------------------------------------


def post_file(client: Client, kind: str, pk: int, name: str, content: bytes) -> Any:
    return client.post(
        reverse("improvement:attachment_upload", args=[kind, pk]), {"file": upload(name, content)}, follow=True
    )


def messages_of(response: Any) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.mark.parametrize(("name", "content", "content_type", "kept_as"), ACCEPTED_FILES)
def test_the_upload_page_adds_accepted_files(
    school: dict[str, Any], name: str, content: bytes, content_type: str, kept_as: str
) -> None:
    item = an_item(school)
    client = Client()
    client.force_login(school["teacher"])
    response = post_file(client, "item", item.pk, name, content)
    assert response.redirect_chain == [(item.get_absolute_url() + "#files", 302)]
    renamed = [f"“{name}” is in fact a {kept_as.rsplit('.', 1)[1].upper()} file; it is kept as “{kept_as}”."]
    assert messages_of(response) == ["The file was added.", *(renamed if name != kept_as else [])]
    attachment = item.files.get()
    assert attachment.content_type == content_type
    assert attachment.original_name == kept_as
    assert kept_as in response.content.decode()


@pytest.mark.parametrize(("name", "content", "message"), REFUSED_FILES)
def test_the_upload_page_refuses_bad_files_with_a_message(
    school: dict[str, Any], name: str, content: bytes, message: str
) -> None:
    for kind, record, person in (
        ("item", an_item(school), school["teacher"]),
        ("action", an_action(school), school["head_civil"]),
    ):
        client = Client()
        client.force_login(person)
        response = post_file(client, kind, record.pk, name, content)
        assert response.redirect_chain == [(record.get_absolute_url() + "#files", 302)]
        shown = messages_of(response)
        assert len(shown) == 1
        # Django's own form refuses an empty file before the content check.
        assert message in shown[0] or (message == "is empty" and "The submitted file is empty." in shown[0])
        assert unchanged(record)
    assert not StoredFile.objects.exists()
    assert not HistoryEntry.objects.exists()


def test_the_upload_page_refuses_an_oversize_file(school: dict[str, Any], settings: Any) -> None:
    settings.MAX_UPLOAD_SIZE = 100
    item = an_item(school)
    client = Client()
    client.force_login(school["teacher"])
    response = post_file(client, "item", item.pk, "gros.pdf", PDF_BYTES)
    [message] = messages_of(response)
    assert message == f"“gros.pdf” is {len(PDF_BYTES)}\xa0bytes; at most 100\xa0bytes."
    assert unchanged(item)
    assert not StoredFile.objects.exists()
    assert not HistoryEntry.objects.exists()


def test_the_upload_page_without_a_file(school: dict[str, Any]) -> None:
    item = an_item(school)
    client = Client()
    client.force_login(school["teacher"])
    response = client.post(reverse("improvement:attachment_upload", args=["item", item.pk]), {}, follow=True)
    assert messages_of(response) == ["This field is required."]
    assert not StoredFile.objects.exists()


def test_the_raise_form_refuses_a_bad_attachment_and_keeps_what_was_typed(school: dict[str, Any]) -> None:
    client = Client()
    client.force_login(school["student"])
    response = client.post(
        reverse("improvement:item_create"),
        {
            "reported_as": "idea",
            "title": "Avec pièce jointe",
            "description": "Voir le fichier.",
            "attachments": [upload("ok.pdf", PDF_BYTES), upload("virus.pdf", EXE_BYTES)],
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "virus.pdf" in str(form.errors)
    assert form["title"].value() == "Avec pièce jointe"
    assert not ImprovementItem.objects.exists()
    assert not StoredFile.objects.exists()


def test_the_raise_form_takes_good_attachments(school: dict[str, Any]) -> None:
    client = Client()
    client.force_login(school["student"])
    response = client.post(
        reverse("improvement:item_create"),
        {
            "reported_as": "idea",
            "title": "Avec pièces jointes",
            "description": "Voir les fichiers.",
            "attachments": [upload("plan.pdf", PDF_BYTES), upload("idee.txt", b"Des casiers")],
        },
    )
    item = ImprovementItem.objects.get()
    assert response.status_code == 302
    assert sorted(item.files.values_list("original_name", flat=True)) == ["idee.txt", "plan.pdf"]


def test_the_complete_page_refuses_bad_evidence_and_leaves_the_action_open(school: dict[str, Any]) -> None:
    action = an_action(school)
    client = Client()
    client.force_login(school["head_civil"])
    response = client.post(
        reverse("improvement:action_step", args=[action.pk, "complete"]),
        {"reason": "Fait", "files": [upload("preuve.pdf", zip_bytes())]},
    )
    assert response.status_code == 400
    assert "preuve.pdf" in str(response.context["form"].errors)
    assert unchanged(action)
    assert action.status == ActionStatus.IN_PROGRESS
    assert not ProgressNote.objects.exists()
    assert not StoredFile.objects.exists()
    assert not HistoryEntry.objects.exists()
    response = client.post(
        reverse("improvement:action_step", args=[action.pk, "complete"]),
        {"reason": "Fait", "files": [upload("preuve.pdf", PDF_BYTES)]},
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    assert action.completed_on == timezone.localdate()
    assert action.files.get().content_type == "application/pdf"


@pytest.mark.parametrize(
    ("status", "label"), [(ItemStatus.CLOSED_EFFECTIVE, "closed, effective"), (ItemStatus.REJECTED, "rejected")]
)
def test_no_file_is_added_to_a_closed_item(school: dict[str, Any], media_root: Path, status: str, label: str) -> None:
    item = an_item(school, status)
    message = f"No file can be added to an item that is “{label}”."
    with pytest.raises(ValidationError, match=message):
        services.attachment_add(actor=school["teacher"], upload=upload("tard.pdf", PDF_BYTES), item=item)
    client = Client()
    client.force_login(school["teacher"])
    response = post_file(client, "item", item.pk, "tard.pdf", PDF_BYTES)
    assert messages_of(response) == [message]
    assert 'name="file"' not in response.content.decode()  # the page offers no upload either
    assert not StoredFile.objects.exists()
    assert not HistoryEntry.objects.exists()
    assert not any(media_root.rglob("*.*"))


def test_files_are_stored_through_the_core_store(school: dict[str, Any]) -> None:
    item = an_item(school)
    services.item_raise(
        actor=school["student"],
        data={"origin": Origin.SUGGESTION, "title": "Casiers", "description": "x"},
        files=[upload("plan.pdf", PDF_BYTES)],
    )
    action = an_action(school)
    services.attachment_add(actor=school["teacher"], upload=upload("constat.pdf", PDF_BYTES), item=item)
    services.action_complete(actor=school["head_civil"], action=action, evidence=[upload("preuve.pdf", PDF_BYTES)])
    services.attachment_add(actor=school["head_civil"], upload=upload("suite.pdf", PDF_BYTES), action=action)
    assert sorted(StoredFile.objects.values_list("original_name", "purpose")) == [
        ("constat.pdf", "attachment"),
        ("plan.pdf", "attachment"),
        ("preuve.pdf", "evidence"),
        ("suite.pdf", "attachment"),
    ]
    # One history entry per file, on its item or action, none of the service's own.
    assert HistoryEntry.objects.filter(changes__has_key="file").count() == 4


@pytest.mark.parametrize(
    ("status", "label"), [(ItemStatus.CLOSED_EFFECTIVE, "closed, effective"), (ItemStatus.REJECTED, "rejected")]
)
def test_no_file_is_added_to_an_action_of_a_closed_item(
    school: dict[str, Any], media_root: Path, status: str, label: str
) -> None:
    """The actions of a closed item keep the evidence their item was closed with."""
    action = ActionFactory(item=an_item(school, status), owner=school["head_civil"], status=ActionStatus.DONE)
    message = f"No file can be added to an action of an item that is “{label}”."
    with pytest.raises(ValidationError, match=message):
        services.attachment_add(actor=school["head_civil"], upload=upload("tard.pdf", PDF_BYTES), action=action)
    client = Client()
    client.force_login(school["head_civil"])
    response = post_file(client, "action", action.pk, "tard.pdf", PDF_BYTES)
    assert messages_of(response) == [message]
    assert not StoredFile.objects.exists()
    assert not HistoryEntry.objects.exists()
    assert not any(media_root.rglob("*.*"))

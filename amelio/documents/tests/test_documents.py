"""Documented information: documents and their readers, versions through their workflow
(the approver is never the author; approving supersedes the version before), files checked
by their content, acknowledgements of the version in force only, the review reminder sent
once by the daily task, and who may see and do what."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from amelio.core import clock
from amelio.core.models import StoredFile
from amelio.core.permissions import can, visible
from amelio.documents import selectors, services
from amelio.documents.choices import DocumentKind, DocumentStatus, VersionStatus
from amelio.documents.models import Acknowledgement, Distribution, Document, DocumentVersion
from amelio.documents.rendering import render_text
from amelio.documents.tasks import remind_document_reviews
from amelio.documents.tests.conftest import EXE_BYTES, PDF_BYTES, client_for, upload
from amelio.documents.tests.factories import DocumentFactory, VersionFactory, document_in_force
from amelio.history.models import HistoryEntry
from amelio.notifications.models import Notification
from amelio.organisation.choices import Role

pytestmark = pytest.mark.django_db


def civil_document(school: dict[str, Any], **kwargs: Any) -> Document:
    """A procedure of the civil engineering process (owned by the teacher)."""
    defaults = {"owner": school["teacher"], "approver": school["head_civil"], "reviewer": school["director"]}
    return DocumentFactory(processes=[school["process_civil"]], **{**defaults, **kwargs})


def data(school: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "reference": "PR-GC-01",
        "title": "Conduite des projets",
        "kind": DocumentKind.PROCEDURE,
        "processes": [school["process_civil"]],
        "owner": school["teacher"],
        **extra,
    }


def in_review(school: dict[str, Any], document: Document, author: Any = None) -> DocumentVersion:
    version = services.version_create(
        actor=author or school["teacher"], document=document, change_summary="Création", text="# Objet\nTexte."
    )
    return services.version_submit(actor=author or school["teacher"], version=version)


# Documents ------------------------------------------------------------------------------


def test_the_quality_manager_and_a_process_owner_create_documents(school: dict[str, Any]) -> None:
    document = services.document_create(actor=school["quality_manager"], data=data(school))
    assert document.status == DocumentStatus.DRAFT and document.current_version is None
    assert HistoryEntry.objects.filter(object_id=str(document.pk), action="create").exists()
    mine = services.document_create(actor=school["teacher"], data=data(school, reference="PR-GC-02"))
    assert list(mine.processes.all()) == [school["process_civil"]]


def test_a_process_owner_files_documents_only_under_their_processes(school: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as refused:
        services.document_create(actor=school["teacher"], data=data(school, processes=[school["process_electrical"]]))
    assert refused.value.message_dict == {"processes": ["Choose only processes you own."]}
    with pytest.raises(PermissionDenied):
        services.document_create(actor=school["student"], data=data(school))
    with pytest.raises(PermissionDenied):
        services.document_create(actor=school["auditor"], data=data(school))
    assert not Document.objects.exists()


def test_a_duplicate_reference_is_refused_on_its_field(school: dict[str, Any]) -> None:
    services.document_create(actor=school["quality_manager"], data=data(school))
    with pytest.raises(ValidationError) as refused:
        services.document_create(actor=school["quality_manager"], data=data(school))
    assert "reference" in refused.value.message_dict


def test_the_owner_of_another_process_cannot_edit_the_document(school: dict[str, Any]) -> None:
    document = civil_document(school, title="Avant")
    services.document_update(actor=school["teacher"], document=document, data={"title": "Après"})
    document.refresh_from_db()
    assert document.title == "Après"
    entries = HistoryEntry.objects.filter(object_id=str(document.pk)).count()
    with pytest.raises(PermissionDenied):
        services.document_update(actor=school["head_electrical"], document=document, data={"title": "Pirate"})
    with pytest.raises(ValidationError):
        services.document_update(actor=school["teacher"], document=document, data={"status": "in_force"})
    document.refresh_from_db()
    assert document.title == "Après" and document.status == DocumentStatus.DRAFT
    assert HistoryEntry.objects.filter(object_id=str(document.pk)).count() == entries


def test_readers_are_roles_and_people(school: dict[str, Any]) -> None:
    document = civil_document(school)
    services.distribution_set(
        actor=school["teacher"], document=document, roles=[Role.TEACHER, Role.STUDENT], people=[school["office"]]
    )
    assert {str(reader) for reader in document.distribution.all()} == {"teacher", "student", str(school["office"])}
    entry = HistoryEntry.objects.filter(object_id=str(document.pk)).latest("id")
    assert list(entry.changes) == ["readers"]
    with pytest.raises(PermissionDenied):
        services.distribution_set(actor=school["office"], document=document, roles=[], people=[])
    with pytest.raises(ValidationError):
        services.distribution_set(actor=school["teacher"], document=document, roles=["pope"], people=[])
    assert document.distribution.count() == 3


# Versions and their workflow ------------------------------------------------------------


def test_a_version_goes_from_draft_to_approved_and_the_next_supersedes_it(school: dict[str, Any]) -> None:
    document = civil_document(school)
    first = in_review(school, document)
    assert first.number == 1 and first.status == VersionStatus.IN_REVIEW
    services.version_approve(actor=school["head_civil"], version=first)
    document.refresh_from_db()
    first.refresh_from_db()
    assert first.status == VersionStatus.APPROVED and first.approved_by == school["head_civil"]
    assert first.approved_on == clock.today()
    assert document.status == DocumentStatus.IN_FORCE and document.current_version == first

    second = in_review(school, document)
    services.version_approve(actor=school["quality_manager"], version=second)
    first.refresh_from_db()
    document.refresh_from_db()
    assert second.number == 2
    assert first.status == VersionStatus.SUPERSEDED  # kept, marked superseded
    assert document.current_version == second
    superseded = HistoryEntry.objects.filter(
        content_type__model="documentversion", object_id=str(first.pk), action="transition"
    ).latest("id")
    assert superseded.changes == {"status": ["approved", "superseded"]}
    assert superseded.reason == "Replaced by version 2."


def test_the_author_of_a_version_never_approves_it(school: dict[str, Any]) -> None:
    # The head of civil engineering is the document's approver, and here also the author.
    document = civil_document(school, author=school["head_civil"])
    version = in_review(school, document, author=school["head_civil"])
    history = HistoryEntry.objects.count()
    with pytest.raises(PermissionDenied) as refused:
        services.version_approve(actor=school["head_civil"], version=version)
    assert "You wrote this version" in str(refused.value)
    version.refresh_from_db()
    assert version.status == VersionStatus.IN_REVIEW and HistoryEntry.objects.count() == history
    # Nor is it offered to them on the page.
    page = client_for(school["head_civil"]).get(version.get_absolute_url()).content.decode()
    assert 'data-step="approve"' not in page and 'data-step="send_back"' in page
    assert (
        'data-step="approve"' in client_for(school["quality_manager"]).get(version.get_absolute_url()).content.decode()
    )
    # Not through the page either.
    response = client_for(school["head_civil"]).post(reverse("documents:version_step", args=[version.pk, "approve"]))
    assert response.status_code == 403
    version.refresh_from_db()
    assert version.status == VersionStatus.IN_REVIEW


def test_sending_back_needs_a_reason_and_tells_the_author(
    school: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    document = civil_document(school)
    version = in_review(school, document)
    with pytest.raises(ValidationError):
        services.version_send_back(actor=school["director"], version=version, reason=" ")
    with django_capture_on_commit_callbacks(execute=True):
        services.version_send_back(actor=school["director"], version=version, reason="Ajouter le logigramme")
    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT
    notification = Notification.objects.get(recipient=school["teacher"])
    assert notification.body == "Ajouter le logigramme" and notification.url == version.get_absolute_url()


def test_a_student_or_a_stranger_cannot_move_a_version(school: dict[str, Any]) -> None:
    document = civil_document(school)
    version = VersionFactory(document=document, author=school["teacher"])
    for person in (school["student"], school["office"], school["auditor"], school["head_electrical"]):
        with pytest.raises(PermissionDenied):
            services.version_submit(actor=person, version=version)
    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT
    assert not HistoryEntry.objects.filter(object_id=str(version.pk)).exists()


def test_nobody_supersedes_by_hand(school: dict[str, Any]) -> None:
    document = document_in_force(owner=school["teacher"])
    with pytest.raises(PermissionDenied):
        services.version_supersede(actor=school["quality_manager"], version=document.current_version)


def test_withdrawing_makes_the_document_obsolete(school: dict[str, Any]) -> None:
    document = civil_document(school)
    version = services.version_approve(actor=school["head_civil"], version=in_review(school, document))
    services.version_withdraw(actor=school["teacher"], version=version, reason="Procédure fusionnée")
    version.refresh_from_db()
    document.refresh_from_db()
    assert version.status == VersionStatus.OBSOLETE
    assert document.status == DocumentStatus.OBSOLETE and document.current_version is None
    with pytest.raises(PermissionDenied):  # an obsolete document gets no new version
        services.version_create(actor=school["teacher"], document=document, text="Encore")


def test_one_version_is_worked_on_at_a_time(school: dict[str, Any]) -> None:
    document = civil_document(school)
    services.version_create(actor=school["teacher"], document=document, text="Premier jet")
    with pytest.raises(ValidationError) as refused:
        services.version_create(actor=school["teacher"], document=document, text="Second jet")
    assert refused.value.messages == [
        "Version 1 is still being written or reviewed: finish it before starting another one."
    ]
    assert document.versions.count() == 1


def test_a_version_needs_a_text_or_a_file(school: dict[str, Any]) -> None:
    document = civil_document(school)
    with pytest.raises(ValidationError) as refused:
        services.version_create(actor=school["teacher"], document=document, text="  ")
    assert refused.value.message_dict == {"text": ["Write the text of the version or attach its file."]}
    assert not document.versions.exists()


def test_only_a_draft_is_edited(school: dict[str, Any]) -> None:
    document = civil_document(school)
    version = services.version_create(actor=school["teacher"], document=document, text="Premier jet")
    services.version_update(actor=school["teacher"], version=version, data={"text": "Second jet"})
    version.refresh_from_db()
    assert version.text == "Second jet"
    services.version_submit(actor=school["teacher"], version=version)
    with pytest.raises(ValidationError):
        services.version_update(actor=school["teacher"], version=version, data={"text": "Trop tard"})
    with pytest.raises(ValidationError):
        services.version_update(actor=school["teacher"], version=version, data={"status": "approved"})
    version.refresh_from_db()
    assert version.text == "Second jet" and version.status == VersionStatus.IN_REVIEW


# Files ----------------------------------------------------------------------------------


def test_a_version_file_is_kept_through_the_file_store(school: dict[str, Any]) -> None:
    document = civil_document(school)
    version = services.version_create(
        actor=school["teacher"], document=document, file=upload("procedure.pdf", PDF_BYTES, "application/pdf")
    )
    stored = StoredFile.objects.get(owner_id=version.pk)
    assert stored.content_type == "application/pdf" and stored.original_name == "procedure.pdf"
    download = reverse("core:file_download", args=[stored.pk])
    assert client_for(school["teacher"]).get(download).status_code == 200
    # A draft's file is not for a reader of the document.
    assert client_for(school["student"]).get(download).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.pdf", EXE_BYTES, "The file “virus.pdf” is not an accepted type"),
        ("page.html", b"<html><script>alert(1)</script></html>", "page.html"),
        ("empty.pdf", b"", "empty.pdf"),
    ],
)
def test_a_bad_file_is_refused_on_its_field_and_nothing_is_written(
    school: dict[str, Any], name: str, content: bytes, message: str
) -> None:
    document = civil_document(school)
    with pytest.raises(ValidationError) as refused:
        services.version_create(actor=school["teacher"], document=document, text="Texte", file=upload(name, content))
    assert list(refused.value.message_dict) == ["file"]
    assert message in refused.value.message_dict["file"][0]
    assert not document.versions.exists() and not StoredFile.objects.exists()


def test_a_bad_file_on_the_page_shows_its_message(school: dict[str, Any]) -> None:
    document = civil_document(school)
    response = client_for(school["teacher"]).post(
        reverse("documents:version_create", args=[document.pk]),
        {"change_summary": "", "text": "Texte", "file": upload("virus.pdf", EXE_BYTES)},
    )
    assert response.status_code == 200
    assert "is not an accepted type" in response.content.decode()
    assert not document.versions.exists()


# Acknowledgements -----------------------------------------------------------------------


def test_an_acknowledgement_counts_for_its_version_only(school: dict[str, Any]) -> None:
    document = civil_document(school)
    services.distribution_set(actor=school["teacher"], document=document, roles=[Role.STUDENT], people=[])
    first = services.version_approve(actor=school["head_civil"], version=in_review(school, document))
    student = school["student"]
    assert list(selectors.to_read(user=student)) == [document]
    document.refresh_from_db()
    acknowledgement = services.acknowledgement_record(actor=student, document=document)
    assert acknowledgement.version == first and acknowledgement.acknowledged_at is not None
    assert services.acknowledgement_record(actor=student, document=document) == acknowledgement  # one click is enough
    assert list(selectors.to_read(user=student)) == []

    second = services.version_approve(actor=school["head_civil"], version=in_review(school, document))
    document.refresh_from_db()
    assert list(selectors.to_read(user=student)) == [document]  # the old acknowledgement does not count
    dossier = selectors.document_dossier(user=school["teacher"], document=document)
    assert dossier.acknowledged_count == 0 and dossier.readers_count == 1
    services.acknowledgement_record(actor=student, document=document)
    assert Acknowledgement.objects.filter(person=student).count() == 2
    assert selectors.document_dossier(user=student, document=document).acknowledged_by_me.version == second


def test_only_a_reader_acknowledges(school: dict[str, Any]) -> None:
    document = document_in_force(owner=school["teacher"], roles=[Role.TEACHER])
    with pytest.raises(PermissionDenied):
        services.acknowledgement_record(actor=school["office"], document=document)
    draft = civil_document(school)
    Distribution.objects.create(document=draft, person=school["office"])
    with pytest.raises(PermissionDenied):
        services.acknowledgement_record(actor=school["office"], document=draft)
    assert not Acknowledgement.objects.exists()


def test_acknowledging_on_the_page_and_the_home_card(school: dict[str, Any]) -> None:
    document = document_in_force(owner=school["head_civil"], roles=[Role.TEACHER], title="Charte des examens")
    client = client_for(school["teacher"])
    home = client.get("/").content.decode()
    assert "Documents to read" in home and "Charte des examens" in home
    response = client.post(reverse("documents:document_acknowledge", args=[document.pk]))
    assert response.status_code == 302
    assert Acknowledgement.objects.filter(person=school["teacher"], version=document.current_version).exists()
    assert "Charte des examens" not in client.get("/").content.decode()
    assert (
        client_for(school["office"]).post(reverse("documents:document_acknowledge", args=[document.pk])).status_code
        == 403
    )


# The review reminder --------------------------------------------------------------------


def test_the_review_reminder_is_sent_once_per_review_date(school: dict[str, Any]) -> None:
    moment = timezone.make_aware(datetime.datetime(2026, 11, 30, 7, 5))
    today = moment.date()
    due = document_in_force(owner=school["teacher"], review_due_on=today + datetime.timedelta(days=20))
    late = document_in_force(owner=school["head_civil"], review_due_on=today - datetime.timedelta(days=3))
    document_in_force(owner=school["teacher"], review_due_on=today + datetime.timedelta(days=90))  # not yet
    DocumentFactory(owner=school["teacher"], review_due_on=today)  # never approved: nothing to review
    with clock.frozen_at(moment):
        assert remind_document_reviews.call_local() == 2
        assert remind_document_reviews.call_local() == 0
    assert Notification.objects.filter(recipient=school["teacher"]).count() == 1
    assert Notification.objects.get(recipient=school["head_civil"]).url == late.get_absolute_url()
    due.refresh_from_db()
    assert due.review_reminded_for == due.review_due_on
    # A new review date arms a new reminder.
    services.document_update(
        actor=school["teacher"], document=due, data={"review_due_on": today + datetime.timedelta(days=25)}
    )
    with clock.frozen_at(moment):
        assert remind_document_reviews.call_local() == 1
    assert Notification.objects.filter(recipient=school["teacher"]).count() == 2


# Who sees what --------------------------------------------------------------------------


def test_who_sees_documents_and_versions(school: dict[str, Any]) -> None:
    for_students = document_in_force(owner=school["teacher"], roles=[Role.STUDENT], reference="A-STUDENTS")
    for_staff = document_in_force(owner=school["teacher"], roles=[Role.TEACHER], reference="B-STAFF")
    draft_only = civil_document(school, reference="C-DRAFT")
    draft = VersionFactory(document=draft_only, author=school["teacher"])
    superseded = VersionFactory(document=for_staff, number=0, status=VersionStatus.SUPERSEDED)

    def documents(role: str) -> set[str]:
        return set(visible(school[role], Document.objects.all()).values_list("reference", flat=True))

    def versions(role: str) -> set[int]:
        return set(visible(school[role], DocumentVersion.objects.all()).values_list("pk", flat=True))

    published = {for_students.current_version_id, for_staff.current_version_id, superseded.pk}
    assert documents("quality_manager") == {"A-STUDENTS", "B-STAFF", "C-DRAFT"}
    assert versions("quality_manager") == published | {draft.pk}
    assert documents("teacher") == {"A-STUDENTS", "B-STAFF", "C-DRAFT"}  # owner of the draft's process
    assert versions("teacher") == published | {draft.pk}
    assert documents("office") == {"A-STUDENTS", "B-STAFF"}
    assert versions("office") == published
    assert documents("auditor") == {"A-STUDENTS", "B-STAFF", "C-DRAFT"}
    assert versions("auditor") == published
    assert documents("student") == {"A-STUDENTS"}
    assert versions("student") == {for_students.current_version_id}
    for person, version in ((school["student"], draft), (school["office"], draft), (school["student"], superseded)):
        assert not can(person, "documents.view_version", version)
        assert client_for(person).get(version.get_absolute_url()).status_code == 404
    assert client_for(school["student"]).get(for_staff.get_absolute_url()).status_code == 404
    assert client_for(school["student"]).get(for_students.get_absolute_url()).status_code == 200


def test_the_auditor_reads_and_changes_nothing(school: dict[str, Any]) -> None:
    document = civil_document(school)
    version = in_review(school, document)
    client = client_for(school["auditor"])
    assert client.get(document.get_absolute_url()).status_code == 200
    assert client.get(reverse("documents:document_update", args=[document.pk])).status_code == 403
    assert client.post(reverse("documents:document_update", args=[document.pk]), {"title": "x"}).status_code == 403
    assert client.post(reverse("documents:version_step", args=[version.pk, "approve"])).status_code == 404
    version.refresh_from_db()
    assert version.status == VersionStatus.IN_REVIEW


# Pages ----------------------------------------------------------------------------------


def test_the_list_filters_sorts_and_exports(school: dict[str, Any]) -> None:
    today = clock.today()
    overdue = document_in_force(
        owner=school["teacher"], reference="PR-OLD", title="Ancienne", review_due_on=today - datetime.timedelta(days=1)
    )
    overdue.processes.set([school["process_civil"]])
    document_in_force(owner=school["teacher"], reference="FO-NEW", kind=DocumentKind.FORM, title="Formulaire")
    civil_document(school, reference="PR-DRAFT", title="Brouillon")
    client = client_for(school["quality_manager"])
    url = reverse("documents:document_list")
    assert "3 results" in client.get(url).content.decode()
    page = client.get(url, {"review_overdue": "true"}).content.decode()
    assert "PR-OLD" in page and "FO-NEW" not in page
    page = client.get(url, {"kind": "form"}).content.decode()
    assert "FO-NEW" in page and "PR-OLD" not in page
    page = client.get(url, {"process": school["process_civil"].pk, "status": "in_force"}).content.decode()
    assert "PR-OLD" in page and "PR-DRAFT" not in page
    assert "Brouillon" in client.get(url, {"q": "brouill"}).content.decode()
    page = client.get(url, {"sort": "-reference"}).content.decode()
    assert page.index("PR-OLD") < page.index("FO-NEW")
    export = client.get(url, {"export": "csv", "kind": "procedure"}).content.decode()
    assert "PR-OLD" in export and "FO-NEW" not in export
    assert client.get(url, {"export": "xlsx"}).status_code == 200


def test_the_text_of_a_version_is_shown_without_any_html_of_its_author() -> None:
    html = render_text("# Titre <b>\n- un **point**\n- <script>alert(1)</script>\n\nParagraphe & fin")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<h3 class='h4'>Titre &lt;b&gt;</h3>" in html
    assert "<li>un <strong>point</strong></li>" in html and "<p>Paragraphe &amp; fin</p>" in html


def test_the_pages_of_a_document_and_a_version(school: dict[str, Any]) -> None:
    document = civil_document(school)
    client = client_for(school["teacher"])
    response = client.post(
        reverse("documents:version_create", args=[document.pk]),
        {"change_summary": "Création", "text": "# Objet\nTexte"},
    )
    assert response.status_code == 302
    version = document.versions.get()
    page = client.get(version.get_absolute_url()).content.decode()
    assert 'data-step="submit"' in page and "<h3 class='h4'>Objet</h3>" in page
    assert client.post(reverse("documents:version_step", args=[version.pk, "submit"])).status_code == 302
    version.refresh_from_db()
    assert version.status == VersionStatus.IN_REVIEW
    assert client.get(document.get_absolute_url()).status_code == 200
    readers = client.post(
        reverse("documents:document_readers", args=[document.pk]), {"roles": ["teacher"], "people": []}
    )
    assert readers.status_code == 302 and document.distribution.get().role == "teacher"

"""The files of an internship, kept by the core file store: the signed agreement given when
the signatures are recorded, and the reports its student (or those who follow it) add once
it is under way. Every file is downloaded through core:file_download by those who see it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from amelio.core.models import StoredFile
from amelio.core.tests.test_uploads import EXE_BYTES, PDF_BYTES
from amelio.history.models import HistoryEntry
from amelio.internships import services
from amelio.internships.choices import InternshipStatus
from amelio.internships.models import Internship
from amelio.internships.tests.factories import agreement_data

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = str(root)
    return root


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def client_for(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


def validated(school: dict[str, Any]) -> Internship:
    internship = services.internship_create(actor=school["student"], data=agreement_data(school))
    services.internship_check(actor=school["office"], internship=internship)
    return services.internship_validate(actor=school["head_civil"], internship=internship)


def sign(school: dict[str, Any], internship: Internship, files: list[Any]) -> Internship:
    return services.internship_sign(
        actor=school["office"],
        internship=internship,
        student_signed_on=TODAY,
        company_signed_on=TODAY,
        school_signed_on=TODAY,
        files=files,
    )


def under_way(school: dict[str, Any]) -> Internship:
    internship = sign(school, validated(school), [])
    return services.internship_start(actor=school["office"], internship=internship)


def entries(internship: Internship) -> int:
    return HistoryEntry.objects.filter(content_type__model="internship", object_id=str(internship.pk)).count()


# The signed agreement --------------------------------------------------------------------


def test_signing_keeps_the_signed_agreement(school: dict[str, Any]) -> None:
    internship = sign(school, validated(school), [upload("convention.pdf", PDF_BYTES)])
    assert internship.status == InternshipStatus.SIGNED
    stored = internship.files.get()
    assert (stored.original_name, stored.purpose, stored.uploaded_by) == (
        "convention.pdf",
        "signed_agreement",
        school["office"],
    )
    entry = HistoryEntry.objects.filter(content_type__model="internship", object_id=str(internship.pk)).latest("id")
    assert entry.changes == {"file": ["", "convention.pdf"]}
    url = reverse("core:file_download", args=[stored.pk])
    assert f'href="{url}"' in client_for(school["student"]).get(internship.get_absolute_url()).content.decode()
    assert client_for(school["student"]).get(url).status_code == 200
    assert client_for(school["head_electrical"]).get(url).status_code == 404


def test_a_bad_signed_agreement_writes_nothing(school: dict[str, Any], media_root: Path) -> None:
    internship = validated(school)
    before = entries(internship)
    with pytest.raises(ValidationError, match="is not an accepted type"):
        sign(school, internship, [upload("convention.pdf", EXE_BYTES)])
    internship.refresh_from_db()
    assert internship.status == InternshipStatus.VALIDATED and internship.student_signed_on is None
    assert entries(internship) == before
    assert not StoredFile.objects.exists()
    assert not any(media_root.rglob("*.*"))


def test_the_sign_step_takes_the_signed_agreement(school: dict[str, Any]) -> None:
    internship = validated(school)
    client = client_for(school["office"])
    url = reverse("internships:internship_step", args=[internship.pk, "sign"])
    assert "Signed agreement" in client.get(url).content.decode()
    dates = {name: TODAY.isoformat() for name in ("student_signed_on", "company_signed_on", "school_signed_on")}
    assert client.post(url, {**dates, "files": [upload("c.pdf", EXE_BYTES)]}).status_code == 400
    assert not StoredFile.objects.exists()
    assert client.post(url, {**dates, "files": [upload("c.pdf", PDF_BYTES)]}).status_code == 302
    internship.refresh_from_db()
    assert internship.status == InternshipStatus.SIGNED
    assert internship.files.get().purpose == "signed_agreement"


# Reports ----------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["student", "teacher", "office"])
def test_the_student_and_those_who_follow_add_reports(school: dict[str, Any], key: str) -> None:
    internship = under_way(school)
    before = entries(internship)
    stored = services.internship_add_report(
        actor=school[key], internship=internship, upload=upload("rapport.pdf", PDF_BYTES)
    )
    assert (stored.owner, stored.purpose, stored.uploaded_by) == (internship, "report", school[key])
    assert entries(internship) == before + 1  # the store's entry, none of the service's own


@pytest.mark.parametrize("key", ["head_civil", "auditor", "head_electrical"])
def test_others_add_no_report(school: dict[str, Any], media_root: Path, key: str) -> None:
    internship = under_way(school)
    before = entries(internship)
    with pytest.raises(PermissionDenied):
        services.internship_add_report(
            actor=school[key], internship=internship, upload=upload("rapport.pdf", PDF_BYTES)
        )
    assert entries(internship) == before
    assert not StoredFile.objects.exists()
    assert not any(media_root.rglob("*.*"))


@pytest.mark.parametrize("status", [InternshipStatus.SIGNED, InternshipStatus.CANCELLED])
def test_no_report_before_the_internship_is_under_way(school: dict[str, Any], status: str) -> None:
    internship = sign(school, validated(school), [])
    if status == InternshipStatus.CANCELLED:
        services.internship_cancel(actor=school["office"], internship=internship, reason="Annulé")
    label = dict(InternshipStatus.choices)[status]
    with pytest.raises(ValidationError, match=f"once the internship is under way; it is “{label}”"):
        services.internship_add_report(
            actor=school["student"], internship=internship, upload=upload("rapport.pdf", PDF_BYTES)
        )
    assert not StoredFile.objects.exists()


def test_a_bad_report_writes_nothing(school: dict[str, Any], media_root: Path) -> None:
    internship = under_way(school)
    before = entries(internship)
    with pytest.raises(ValidationError, match="is not an accepted type"):
        services.internship_add_report(
            actor=school["student"], internship=internship, upload=upload("rapport.pdf", EXE_BYTES)
        )
    assert entries(internship) == before
    assert not StoredFile.objects.exists()
    assert not any(media_root.rglob("*.*"))


@pytest.mark.parametrize(
    ("key", "expected"), [("student", 302), ("teacher", 302), ("head_civil", 403), ("head_electrical", 404)]
)
def test_the_report_form(school: dict[str, Any], key: str, expected: int) -> None:
    internship = under_way(school)
    client = client_for(school[key])
    url = reverse("internships:report_upload", args=[internship.pk])
    response = client.post(url, {"file": upload("rapport.pdf", PDF_BYTES)})
    assert response.status_code == expected
    assert internship.files.filter(purpose="report").exists() is (expected == 302)
    if expected == 302:
        page = client.get(response["Location"]).content.decode()
        assert "The report was added." in page
        assert f'href="{reverse("core:file_download", args=[internship.files.get().pk])}"' in page
        assert f'action="{url}"' in page
    elif expected == 403:
        assert f'action="{url}"' not in client.get(internship.get_absolute_url()).content.decode()


def test_the_report_form_is_offered_once_under_way(school: dict[str, Any]) -> None:
    internship = sign(school, validated(school), [])
    url = reverse("internships:report_upload", args=[internship.pk])
    client = client_for(school["student"])
    assert f'action="{url}"' not in client.get(internship.get_absolute_url()).content.decode()
    response = client.post(url, {"file": upload("rapport.pdf", PDF_BYTES)}, follow=True)
    assert "once the internship is under way" in response.content.decode()
    assert not StoredFile.objects.exists()


@pytest.mark.parametrize("state", ["validated", "signed", "under_way", "finished", "cancelled"])
@pytest.mark.parametrize("key", ["student", "teacher", "office", "head_civil"])
def test_the_report_form_is_offered_exactly_when_the_service_accepts(
    school: dict[str, Any], state: str, key: str
) -> None:
    internship = validated(school)
    if state != "validated":
        internship = sign(school, internship, [])
    if state in ("under_way", "finished"):
        internship = services.internship_start(actor=school["office"], internship=internship)
    if state == "finished":
        internship = services.internship_finish(actor=school["office"], internship=internship)
    if state == "cancelled":
        internship = services.internship_cancel(actor=school["office"], internship=internship, reason="Annulé")
    url = reverse("internships:report_upload", args=[internship.pk])
    offered = f'action="{url}"' in client_for(school[key]).get(internship.get_absolute_url()).content.decode()
    try:
        services.internship_add_report(
            actor=school[key], internship=internship, upload=upload("rapport.pdf", PDF_BYTES)
        )
    except (PermissionDenied, ValidationError):
        accepted = False
    else:
        accepted = True
    assert offered == accepted
    assert internship.files.filter(purpose="report").exists() is accepted

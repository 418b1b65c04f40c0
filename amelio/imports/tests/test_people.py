"""The directory import: people from an HR or student-information-system export, all or
nothing, re-runs update rather than duplicate, leavers deactivated and never deleted."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from amelio.history.models import HistoryEntry
from amelio.imports.models import ImportBatch, ImportStatus
from amelio.imports.tests.test_imports import client_for, committed, upload
from amelio.organisation.models import Person
from amelio.organisation.tests.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


PEOPLE_CSV = (
    "Courriel;Prénom;Nom;Type;Fonction;Département;Formation;Date de sortie\n"
    "Paul.Durand@school.test;Paul;Durand;enseignant;Maître de conférences;GC;;\n"
    "teacher@school.test;Théo;Enseignant;enseignant;Professeur;GC;;\n"
    "lea.petit@school.test;Léa;Petit;étudiant;;;GC-ING;\n"
    "ancien@school.test;Ancien;Élève;étudiant;;;GC-ING;2020-06-30\n"
)


def imported(client: Client, name: str, content: bytes) -> ImportBatch:
    upload(client, "people", name, content)
    batch = ImportBatch.objects.latest("id")
    if batch.status == ImportStatus.PREVIEWED:
        committed(client, batch.get_absolute_url())
        batch.refresh_from_db()
    return batch


def test_people_preview_apply_and_rerun(school: dict[str, Any]) -> None:
    ProgrammeFactory(code="GC-ING", name="Ingénieur GC", department=school["civil"])
    client = client_for(school["quality_manager"])
    upload(client, "people", "annuaire.csv", PEOPLE_CSV.encode())
    batch = ImportBatch.objects.latest("id")
    assert batch.status == ImportStatus.PREVIEWED, batch.report
    assert batch.report["finished"] == 1  # the student of the fixture is not in the file
    assert not Person.objects.filter(email="paul.durand@school.test").exists()  # the preview wrote nothing
    page = client.get(batch.get_absolute_url()).content.decode()
    assert 'data-testid="import-leavers">1<' in page
    committed(client, batch.get_absolute_url())
    batch.refresh_from_db()
    assert batch.status == ImportStatus.APPLIED
    paul = Person.objects.get(email="paul.durand@school.test")
    assert (paul.kind, paul.department, paul.is_active, paul.has_usable_password()) == (
        "teacher",
        school["civil"],
        True,
        False,
    )
    lea = Person.objects.get(email="lea.petit@school.test")
    assert (lea.kind, lea.programme.code, lea.department) == ("student", "GC-ING", school["civil"])
    assert not Person.objects.get(email="ancien@school.test").is_active  # left in 2020
    school["teacher"].refresh_from_db()
    assert school["teacher"].job_title == "Professeur"  # matched by email and updated
    school["student"].refresh_from_db()
    assert not school["student"].is_active  # a leaver: deactivated, still there
    # Staff were not in the file: untouched.
    school["director"].refresh_from_db()
    assert school["director"].is_active
    entries = HistoryEntry.objects.count()
    last_entry = HistoryEntry.objects.order_by("-pk").values_list("pk", flat=True).first()
    people = Person.objects.count()
    batch = imported(client, "annuaire.csv", PEOPLE_CSV.encode())
    assert batch.status == ImportStatus.APPLIED and batch.report["finished"] == 0
    assert Person.objects.count() == people
    # Only the new batch's own entries (its file kept, then applied): no person changed.
    assert HistoryEntry.objects.count() == entries + 2
    assert not HistoryEntry.objects.filter(pk__gt=last_entry, content_type__model="person").exists()


def test_people_from_an_xlsx_export(school: dict[str, Any]) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Mail", "Given name", "Surname", "Population", "Service"])
    sheet.append(["nadia.staff@school.test", "Nadia", "Staff", "personnel", "Génie Électrique"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    client = client_for(school["quality_manager"])
    batch = imported(client, "rh.xlsx", buffer.getvalue())
    assert batch.status == ImportStatus.APPLIED, batch.report
    assert Person.objects.get(email="nadia.staff@school.test").department == school["electrical"]
    # Every other active member of staff left, but never the one importing.
    school["quality_manager"].refresh_from_db()
    school["director"].refresh_from_db()
    assert school["quality_manager"].is_active and not school["director"].is_active
    assert Person.objects.filter(email="director@school.test").exists()


def test_one_bad_row_writes_nothing_and_is_named(school: dict[str, Any]) -> None:
    ProgrammeFactory(code="GC-ING", name="Ingénieur GC", department=school["civil"])
    content = PEOPLE_CSV + "x@school.test;X;Y;astronaute;;;;\nz@school.test;Z;W;enseignant;;ZZ;;\n"
    client = client_for(school["quality_manager"])
    people = Person.objects.count()
    upload(client, "people", "annuaire.csv", content.encode())
    batch = ImportBatch.objects.latest("id")
    assert batch.status == ImportStatus.REFUSED
    assert batch.report["errors"] == [
        {"row": 6, "column": "kind", "message": "“astronaute” is not a kind of person (staff, teacher or student)."},
        {"row": 7, "column": "department", "message": "No department is “ZZ”."},
    ]
    assert Person.objects.count() == people
    school["student"].refresh_from_db()
    assert school["student"].is_active


def test_a_repeated_email_is_refused(school: dict[str, Any]) -> None:
    content = "email;first name;last name;kind\na@school.test;A;A;staff\nA@school.test;A;B;staff\n"
    upload(client_for(school["quality_manager"]), "people", "p.csv", content.encode())
    batch = ImportBatch.objects.latest("id")
    assert batch.report["errors"][0]["row"] == 3 and batch.report["errors"][0]["column"] == "email"


def test_the_internship_office_may_not_import_people(school: dict[str, Any]) -> None:
    content = "email;first name;last name;kind\nnew@school.test;N;P;staff\n"
    upload(client_for(school["office"]), "people", "p.csv", content.encode())
    batch = ImportBatch.objects.latest("id")
    assert batch.status == ImportStatus.REFUSED
    assert batch.report["errors"][0]["message"] == "You are not allowed to write this row."
    assert not Person.objects.filter(email="new@school.test").exists()
    response = client_for(school["teacher"]).post(reverse("imports:home"), {"kind": "people"})
    assert response.status_code == 403

"""Imports are previewed row by row, then applied all at once or not at all."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase
from django.urls import reverse
from openpyxl import Workbook

from amelio.history.models import HistoryEntry
from amelio.imports.models import ImportBatch, ImportStatus
from amelio.internships.models import Internship
from amelio.internships.tests.factories import year_2026
from amelio.organisation.tests.factories import PersonFactory, ProgrammeFactory
from amelio.partners.models import Company, Contact

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def client_for(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


def committed(client: Client, url: str, data: Any = None) -> Any:
    """A POST whose after-commit work runs before it returns: the worker's tasks run at
    once in tests (huey's immediate mode), once the view's transaction commits."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(url, data or {})


def upload(client: Client, kind: str, name: str, content: bytes) -> Any:
    return committed(client, reverse("imports:home"), {"kind": kind, "file": SimpleUploadedFile(name, content)})


COMPANIES_CSV = (
    "Raison sociale;SIRET;Code NAF;Ville;Pays;Taille\n"
    "Bâtiments du Rhône SAS;73282932000074;4120A;Lyon;FR;PME\n"
    "Electra GmbH;;;Stuttgart;DE;ETI\n"
).encode()


def test_companies_preview_then_apply(school: dict[str, Any]) -> None:
    client = client_for(school["office"])
    response = upload(client, "companies", "entreprises.csv", COMPANIES_CSV)
    batch = ImportBatch.objects.get()
    assert response["Location"] == batch.get_absolute_url()
    assert batch.status == ImportStatus.PREVIEWED and batch.row_count == 2 and batch.error_count == 0
    assert not Company.objects.exists()  # the preview wrote nothing
    committed(client, batch.get_absolute_url())
    batch.refresh_from_db()
    assert batch.status == ImportStatus.APPLIED
    assert set(Company.objects.values_list("legal_name", "naf_code", "size")) == {
        ("Bâtiments du Rhône SAS", "41.20A", "sme"),
        ("Electra GmbH", "", "midsize"),
    }
    assert HistoryEntry.objects.filter(content_type__model="company").count() == 2
    # Applying twice is refused.
    committed(client, batch.get_absolute_url())
    assert Company.objects.count() == 2


def test_one_bad_row_writes_nothing_and_the_report_names_it(school: dict[str, Any]) -> None:
    content = COMPANIES_CSV + b"Mauvais SIRET SARL;11111111111111;;Paris;FR;\n"
    client = client_for(school["office"])
    upload(client, "companies", "entreprises.csv", content)
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.REFUSED
    assert batch.report["errors"] == [
        {"row": 4, "column": "SIRET", "message": "This SIRET number's check digit is wrong."}
    ]
    page = client.get(batch.get_absolute_url()).content.decode()
    assert "check digit is wrong" in page and "Apply" not in page
    assert committed(client, batch.get_absolute_url()).status_code == 302
    assert not Company.objects.exists()


def test_missing_columns_and_unreadable_files(school: dict[str, Any]) -> None:
    client = client_for(school["office"])
    upload(client, "contacts", "contacts.csv", b"Entreprise;Courriel\nX;a@b.fr\n")
    report = ImportBatch.objects.latest("id").report
    assert {error["column"] for error in report["errors"]} == {"first name", "last name"}
    batches = ImportBatch.objects.count()
    # Neither a picture nor a damaged archive is kept: refused at once, on the form.
    for name, content in (("image.xlsx", b"\x89PNG\r\n\x1a\n\x00\x00\x00"), ("broken.xlsx", b"PK\x03\x04not a zip")):
        response = upload(client, "companies", name, content)
        assert response.status_code == 400
        assert response.context["form"].errors["file"] == ["Give a CSV, XLSX or XLS file."]
    assert ImportBatch.objects.count() == batches
    assert not Company.objects.exists()


def test_contacts_import_needs_known_companies(school: dict[str, Any]) -> None:
    client = client_for(school["office"])
    upload(client, "companies", "c.csv", COMPANIES_CSV)
    committed(client, ImportBatch.objects.latest("id").get_absolute_url())
    contacts = (
        "Entreprise;SIRET;Prénom;Nom;Courriel;Rôles\n"
        "Bâtiments du Rhône;73282932000074;Marie;Durand;marie.durand@batiments.fr;tuteur, RH\n"
        "Inconnue SA;;Paul;Martin;paul@inconnue.fr;tuteur\n"
    ).encode()
    upload(client, "contacts", "contacts.csv", contacts)
    batch = ImportBatch.objects.latest("id")
    assert batch.report["errors"] == [
        {"row": 3, "column": "company", "message": "No company “Inconnue SA” is recorded; import it first."}
    ]
    assert not Contact.objects.exists()


def internships_workbook(rows: list[list[Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(
        [
            "Email étudiant",
            "Entreprise",
            "SIRET",
            "Ville",
            "Prénom tuteur",
            "Nom tuteur",
            "Email tuteur",
            "Email enseignant référent",
            "Formation",
            "Année universitaire",
            "Type de stage",
            "Sujet du stage",
            "Date de début",
            "Date de fin",
            "Durée hebdomadaire",
            "Gratification horaire",
        ]
    )
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def internship_row(student: Any, programme: Any, **changes: Any) -> list[Any]:
    import datetime

    values = {
        "email": student.email,
        "company": "Ponts et Chaussées SA",
        "siret": "73282932000074",
        "city": "Lyon",
        "tutor_first": "Anne",
        "tutor_last": "Martin",
        "tutor_email": "anne.martin@ponts.fr",
        "academic": "",
        "programme": programme.code,
        "year": "2026-2027",
        "kind": "Ingénieur",
        "subject": "Calcul de structures",
        "start": datetime.date(2027, 4, 5),
        "end": "11/06/2027",
        "hours": 35,
        "rate": "4,35",
    }
    values.update(changes)
    return list(values.values())


def test_internships_from_another_software_export(school: dict[str, Any]) -> None:
    year_2026()
    programme = ProgrammeFactory(department=school["civil"])
    other = PersonFactory(kind="student", department=school["civil"])
    content = internships_workbook(
        [
            internship_row(school["student"], programme),
            internship_row(other, programme, tutor_email="anne.martin@ponts.fr"),
        ]
    )
    client = client_for(school["office"])
    upload(client, "internships", "export-stages.xlsx", content)
    batch = ImportBatch.objects.get()
    assert batch.error_count == 0, batch.report
    committed(client, batch.get_absolute_url())
    assert Internship.objects.count() == 2
    assert Company.objects.count() == 1 and Contact.objects.count() == 1  # created once, then reused
    assert set(Internship.objects.values_list("status", flat=True)) == {"draft"}


def test_internship_rows_breaking_the_law_are_named_and_nothing_is_written(school: dict[str, Any]) -> None:
    year_2026()
    programme = ProgrammeFactory(department=school["civil"])
    rows = [
        internship_row(school["student"], programme),
        internship_row(school["student"], programme, rate=""),  # same host: 700 h, gratification missing
        internship_row(school["student"], programme, email="nobody@school.test"),
        internship_row(school["student"], programme, kind="Stage lunaire", start="demain"),
    ]
    client = client_for(school["office"])
    upload(client, "internships", "stages.xlsx", internships_workbook(rows))
    errors = ImportBatch.objects.get().report["errors"]
    by_row = {error["row"]: error for error in errors}
    assert by_row[3]["column"] == "gratification per hour" and "L124-6" in by_row[3]["message"]
    assert by_row[4]["column"] == "student email"
    assert by_row[5]["column"] == "kind"
    assert not Internship.objects.exists() and not Company.objects.exists()


def test_only_the_office_imports_and_sees_its_batches(school: dict[str, Any]) -> None:
    assert client_for(school["teacher"]).get(reverse("imports:home")).status_code == 403
    assert upload(client_for(school["student"]), "companies", "c.csv", COMPANIES_CSV).status_code == 403
    upload(client_for(school["office"]), "companies", "c.csv", COMPANIES_CSV)
    batch = ImportBatch.objects.get()
    from amelio.organisation.tests.factories import grant

    other_office = PersonFactory()
    grant(other_office, "internship_office")
    assert client_for(other_office).get(batch.get_absolute_url()).status_code == 404
    assert client_for(other_office).post(batch.get_absolute_url()).status_code == 404
    assert not Company.objects.exists()


def test_templates_list_the_columns(school: dict[str, Any]) -> None:
    response = client_for(school["office"]).get(reverse("imports:template", args=["internships"]))
    assert "student email" in response.content.decode("utf-8-sig")


def test_the_worker_checks_the_file_and_the_page_follows_it(school: dict[str, Any]) -> None:
    client = client_for(school["office"])
    # Without the worker (its task waits for the commit), the batch is being checked.
    client.post(reverse("imports:home"), {"kind": "companies", "file": SimpleUploadedFile("c.csv", COMPANIES_CSV)})
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.CHECKING and batch.report == {}
    page = client.get(batch.get_absolute_url()).content.decode()
    assert 'http-equiv="refresh"' in page and "Apply" not in page
    from amelio.imports.services import import_check

    import_check(batch_id=batch.pk)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PREVIEWED
    assert 'http-equiv="refresh"' not in client.get(batch.get_absolute_url()).content.decode()


def test_an_oversize_file_is_refused_with_both_figures(school: dict[str, Any], settings: Any) -> None:
    settings.MAX_UPLOAD_SIZE = 100
    response = upload(client_for(school["office"]), "companies", "c.csv", COMPANIES_CSV)
    assert response.status_code == 400
    assert response.context["form"].errors["file"] == [
        f"“c.csv” is {len(COMPANIES_CSV)}\xa0bytes; at most 100\xa0bytes."
    ]
    assert not ImportBatch.objects.exists()


def test_the_file_is_kept_in_the_core_store_in_windows_1252_too(school: dict[str, Any]) -> None:
    content = COMPANIES_CSV.decode().replace("\n", "\r\n").encode("cp1252")
    client = client_for(school["office"])
    upload(client, "companies", "entreprises.csv", content)
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.PREVIEWED and batch.row_count == 2
    stored = batch.files.get()
    assert (stored.original_name, stored.content_type, stored.purpose) == ("entreprises.csv", "text/plain", "import")
    assert stored.uploaded_by == school["office"]
    assert stored.file.read() == content
    url = reverse("core:file_download", args=[stored.pk])
    assert b"".join(client.get(url).streaming_content) == content
    from amelio.organisation.tests.factories import grant

    other_office = PersonFactory()
    grant(other_office, "internship_office")
    assert client_for(other_office).get(url).status_code == 404
    committed(client, batch.get_absolute_url())
    assert "Bâtiments du Rhône SAS" in Company.objects.values_list("legal_name", flat=True)
    # One entry when the file came (the store's), one when it was applied.
    entries = HistoryEntry.objects.filter(content_type__model="importbatch").order_by("id")
    assert [(entry.action, entry.changes) for entry in entries] == [
        ("create", {"file": ["", "entreprises.csv"]}),
        ("update", {"status": ["applying", "applied"]}),
    ]


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(COMPANIES_CSV.decode().encode("cp1252") + b"\x1b[2J;x\n", id="control-character"),
        pytest.param(b"<script>alert(1)</script>;x\n", id="markup"),
    ],
)
def test_a_file_that_is_no_csv_is_refused_on_the_form(school: dict[str, Any], content: bytes) -> None:
    response = upload(client_for(school["office"]), "companies", "c.csv", content)
    assert response.status_code == 400
    assert response.context["form"].errors["file"]
    assert not ImportBatch.objects.exists()
    assert not HistoryEntry.objects.exists()


def test_a_tutors_interns_recorded_and_in_the_file_count_together(school: dict[str, Any]) -> None:
    """The rules read the agreements recorded and the file's rows accepted before, together:
    the company tutor's quota is reached by one recorded agreement and the file's first row."""
    from amelio.core import clock
    from amelio.internships.agreement_rules import figure
    from amelio.internships.choices import LegalFigureKey
    from amelio.internships.services import internship_create
    from amelio.internships.tests.factories import CompanyFactory, ContactFactory, agreement_data

    year_2026()
    programme = ProgrammeFactory(department=school["civil"])
    quota = int(figure(LegalFigureKey.COMPANY_TUTOR_QUOTA, clock.today()))
    company = CompanyFactory(legal_name="Ponts et Chaussées SA", siret="73282932000074")
    tutor = ContactFactory(company=company, email="anne.martin@ponts.fr")
    for _index in range(quota - 1):
        student = PersonFactory(kind="student", department=school["civil"])
        internship_create(
            actor=school["office"],
            data=agreement_data(school, student=student, company=company, company_tutor=tutor, programme=programme),
        )
    students = [PersonFactory(kind="student", department=school["civil"]) for _index in range(2)]
    rows = [internship_row(student, programme) for student in students]
    client = client_for(school["office"])
    upload(client, "internships", "stages.xlsx", internships_workbook(rows))
    batch = ImportBatch.objects.get()
    [error] = batch.report["errors"]
    assert (error["row"], error["column"]) == (3, "company tutor email")
    assert f"at most {quota}" in error["message"]
    assert Internship.objects.count() == quota - 1  # nothing written

    # The first row alone is accepted and written, with its reference and its history.
    upload(client, "internships", "stages.xlsx", internships_workbook(rows[:1]))
    batch = ImportBatch.objects.latest("id")
    assert batch.status == ImportStatus.PREVIEWED, batch.report
    committed(client, batch.get_absolute_url())
    written = Internship.objects.get(student=students[0])
    references = list(Internship.objects.order_by("reference").values_list("reference", flat=True))
    assert len(set(references)) == quota and written.reference == references[-1]
    entry = HistoryEntry.objects.get(content_type__model="internship", object_id=str(written.pk))
    assert entry.action == "create" and entry.changes["subject"] == ["", "Calcul de structures"]

"""Esup-Stage's exports, built here from the titles Esup-Stage writes, imported as they come:
the managers' .xls export and its CSV (quoted, `;` after every cell, `null` for nothing),
and its host-structure CSV, imported twice without duplicates."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any

import pytest
import xlwt

from amelio.history.models import HistoryEntry
from amelio.imports.esup_stage import country_code, split_person
from amelio.imports.models import ImportBatch, ImportStatus
from amelio.imports.tests.test_imports import client_for, committed, upload
from amelio.internships.models import Internship
from amelio.internships.tests.factories import year_2026
from amelio.organisation.tests.factories import PersonFactory, ProgrammeFactory
from amelio.partners.models import Company, Contact

pytestmark = pytest.mark.django_db

# A subset of the managers' export, in Esup-Stage's order and spelling (’ and – included).
TITLES = [
    "N° de la convention",
    "N° étudiant",
    "Nom Étudiant",
    "Prénom Étudiant",
    "Mail universitaire étudiant",
    "Code étape",
    "Date début du stage",
    "Date fin du stage",
    "Thématique",
    "Sujet",
    "Nbre d’heures hebdomadaire",
    "Gratification",
    "Unité Durée gratification",
    "Mail enseignant référent",
    "Année universitaire",
    "Type convention",
    "Nom structure d’accueil",
    "SIRET",
    "Code postal",
    "Commune",
    "Pays",
    "Service d’accueil - Commune",
    "Tuteur professionnel (Nom Prénom)",
    "Mail tuteur professionnel",
]


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def agreement(student: Any, programme: Any, number: int, **changes: Any) -> dict[str, Any]:
    """A lawful ten-week engineer internship, as Esup-Stage writes it."""
    row = {
        "N° de la convention": str(1000 + number),
        "N° étudiant": str(21000000 + number),
        "Nom Étudiant": student.last_name.upper(),
        "Prénom Étudiant": student.first_name,
        "Mail universitaire étudiant": student.email,
        "Code étape": f"{programme.code}-4",
        "Date début du stage": "05/04/2027",
        "Date fin du stage": "11/06/2027",
        "Thématique": "Génie civil",
        "Sujet": "Calcul de structures",
        "Nbre d’heures hebdomadaire": "35",
        "Gratification": "700",
        "Unité Durée gratification": "Mois",
        "Mail enseignant référent": "null",
        "Année universitaire": "2026/2027",
        "Type convention": "Stage ingénieur",
        "Nom structure d’accueil": "Ponts et Chaussées SA",
        "SIRET": "73282932000074",
        "Code postal": "69003",
        "Commune": "Lyon",
        "Pays": "FRANCE",
        "Service d’accueil - Commune": "Lyon",
        "Tuteur professionnel (Nom Prénom)": "DE LA TOUR Anne-Marie",
        "Mail tuteur professionnel": "anne-marie.delatour@ponts.fr",
    }
    row.update(changes)
    return row


def esup_csv(rows: list[dict[str, Any]]) -> bytes:
    """Esup-Stage's CSV: every header and value quoted and followed by `;`."""
    lines = ["".join(f'"{title}";' for title in TITLES)]
    lines += ["".join(f'"{row[title]}";' for title in TITLES) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def esup_xls(rows: list[dict[str, Any]], *, dates_as_cells: bool = False) -> bytes:
    """Esup-Stage's .xls (BIFF) export, its first sheet "Données stage"."""
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Données stage")
    date_style = xlwt.easyxf(num_format_str="dd/mm/yyyy")
    for column, title in enumerate(TITLES):
        sheet.write(0, column, title)
    for line, row in enumerate(rows, start=1):
        for column, title in enumerate(TITLES):
            value = row[title]
            if dates_as_cells and title.startswith("Date"):
                sheet.write(line, column, datetime.datetime.strptime(value, "%d/%m/%Y"), date_style)
            elif title in ("Nbre d’heures hebdomadaire", "Gratification") and value != "null":
                sheet.write(line, column, float(value.replace(",", ".")))
            else:
                sheet.write(line, column, "" if value == "null" else value)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def test_the_xls_export_is_imported_through_the_agreement_rules(school: dict[str, Any]) -> None:
    year_2026()
    programme = ProgrammeFactory(department=school["civil"])
    other = PersonFactory(kind="student", department=school["civil"])
    content = esup_xls(
        [
            agreement(school["student"], programme, 1),
            agreement(other, programme, 2, **{"Unité Durée gratification": "Heure", "Gratification": "4,50"}),
        ],
        dates_as_cells=True,
    )
    client = client_for(school["office"])
    upload(client, "esup_agreements", "export_conventions.xls", content)
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.PREVIEWED, batch.report
    assert batch.files.get().content_type == "application/vnd.ms-excel"
    assert not Internship.objects.exists()  # the preview wrote nothing
    committed(client, batch.get_absolute_url())
    batch.refresh_from_db()
    assert batch.status == ImportStatus.APPLIED
    internships = {i.student_id: i for i in Internship.objects.select_related("company", "company_tutor")}
    mine = internships[school["student"].pk]
    # 700 € a month for 35 h a week: 700 / (35 × 52 / 12) = 4.62 € an hour.
    assert mine.hourly_gratification == Decimal("4.62")
    assert internships[other.pk].hourly_gratification == Decimal("4.50")
    assert (mine.starts_on, mine.ends_on, mine.kind, mine.programme) == (
        datetime.date(2027, 4, 5),
        datetime.date(2027, 6, 11),
        "engineer",
        programme,
    )
    assert (mine.company.siret, mine.company.postal_code, mine.company.country) == ("73282932000074", "69003", "FR")
    assert (mine.company_tutor.first_name, mine.company_tutor.last_name) == ("Anne-Marie", "DE LA TOUR")
    assert mine.academic_tutor is None  # "null" is no value
    assert Company.objects.count() == 1 and Contact.objects.count() == 1
    assert HistoryEntry.objects.filter(content_type__model="internship", action="create").count() == 2


def test_the_csv_export_with_null_values_is_recognised_as_internships(school: dict[str, Any]) -> None:
    year_2026()
    programme = ProgrammeFactory(department=school["civil"])
    # Four weeks: no gratification is due, and Esup-Stage writes none as "null".
    row = agreement(
        school["student"],
        programme,
        1,
        **{
            "Date fin du stage": "30/04/2027",
            "Gratification": "null",
            "Unité Durée gratification": "null",
            "SIRET": "null",
            "Pays": "Allemagne",
            "Nom structure d’accueil": "Brückenbau GmbH",
            "Mail enseignant référent": school["teacher"].email,
        },
    )
    content = esup_csv([row])
    assert content.splitlines()[0].endswith(b'"Mail tuteur professionnel";')
    client = client_for(school["office"])
    # Given as Amelio's own internship import, the file is read by its Esup-Stage titles.
    upload(client, "internships", "export_conventions.csv", content)
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.PREVIEWED, batch.report
    committed(client, batch.get_absolute_url())
    internship = Internship.objects.select_related("company").get()
    assert internship.hourly_gratification is None and internship.academic_tutor == school["teacher"]
    assert (internship.company.legal_name, internship.company.siret, internship.company.country) == (
        "Brückenbau GmbH",
        "",
        "DE",
    )


def test_a_gratification_under_the_legal_minimum_is_named_by_row_and_column_and_nothing_is_written(
    school: dict[str, Any],
) -> None:
    year_2026()
    programme = ProgrammeFactory(department=school["civil"])
    other = PersonFactory(kind="student", department=school["civil"])
    rows = [
        agreement(school["student"], programme, 1),
        # 600 € a month for 35 h a week is 3.96 € an hour, under the minimum in force.
        agreement(other, programme, 2, Gratification="600"),
    ]
    for name, content in (("conventions.csv", esup_csv(rows)), ("conventions.xls", esup_xls(rows))):
        client = client_for(school["office"])
        upload(client, "esup_agreements", name, content)
        batch = ImportBatch.objects.latest("id")
        assert batch.status == ImportStatus.REFUSED
        [error] = batch.report["errors"]
        assert (error["row"], error["column"]) == (3, "Gratification")
        assert "3.96 € per hour is below the legal minimum" in error["message"]
        assert not Internship.objects.exists() and not Company.objects.exists() and not Contact.objects.exists()


def test_unreadable_esup_values_are_refused_on_their_column(school: dict[str, Any]) -> None:
    year_2026()
    programme = ProgrammeFactory(department=school["civil"])
    rows = [
        agreement(school["student"], programme, 1, **{"Type convention": "Formation continue"}),
        agreement(school["student"], programme, 2, **{"Unité Durée gratification": "null"}),
        agreement(school["student"], programme, 3, Pays="Atlantide"),
        agreement(school["student"], programme, 4, **{"Tuteur professionnel (Nom Prénom)": "Anne"}),
        agreement(school["student"], programme, 5, **{"Date début du stage": "2027-13-45"}),
    ]
    upload(client_for(school["office"]), "esup_agreements", "c.csv", esup_csv(rows))
    errors = ImportBatch.objects.get().report["errors"]
    assert [(error["row"], error["column"]) for error in errors] == [
        (2, "Type convention"),
        (3, "Unité Durée gratification"),
        (4, "Pays"),
        (5, "Tuteur professionnel (Nom Prénom)"),
        (6, "Date début du stage"),
    ]
    assert not Internship.objects.exists() and not Company.objects.exists()


def test_an_esup_export_without_a_needed_column_names_it(school: dict[str, Any]) -> None:
    content = b'"N\xc2\xb0 de la convention";"Date d\xc3\xa9but du stage";\n"1";"05/04/2027";\n'
    upload(client_for(school["office"]), "internships", "c.csv", content)
    errors = ImportBatch.objects.get().report["errors"]
    assert {"row": 1, "column": "Mail universitaire étudiant", "message": "This column is missing."} in errors


def test_people_and_countries_as_esup_stage_writes_them() -> None:
    assert split_person("DURAND Marie") == ("Marie", "DURAND")
    assert split_person("DE LA TOUR Jean-Pierre") == ("Jean-Pierre", "DE LA TOUR")
    assert split_person("Durand Marie") == ("Marie", "Durand")
    assert [country_code(name, "pays") for name in ("FRANCE", "fr", "Royaume-Uni", "Germany", "")] == [
        "FR",
        "FR",
        "GB",
        "DE",
        "FR",
    ]


# Host structures ------------------------------------------------------------------------------

STRUCTURE_HEADER = (
    "NumeroRNE;RaisonSociale;NumeroSiret;ActivitePrincipale;CodeAPE;Voie;CodePostal;Commune;Telephone;Fax;"
    "SiteWeb;Mail;TypeStructure;StatutJuridique;Effectif;Pays"
)


def structures_csv(*lines: str) -> bytes:
    return ("\n".join([STRUCTURE_HEADER, *lines]) + "\n").encode()


def test_the_structure_csv_imported_twice_updates_and_duplicates_nothing(school: dict[str, Any]) -> None:
    workshop = Company.objects.create(legal_name="Atelier Dupont", name_key="ATELIER DUPONT", postal_code="54000")
    first = structures_csv(
        ";ACME SAS;73282932000074;Conseil;6201Z;1 rue des Lilas;54000;Nancy;0383000000;;www.acme.fr;contact@acme.fr;"
        "Entreprise privée;SAS;50-100;FR",
        "0540099X;Lycée Poincaré;;Enseignement;;2 rue du Lycée;54000;Nancy;;;;;Établissement d'enseignement;Public;"
        "100-249;FR",
        ";Atelier Dupont SARL;;Menuiserie;;;54000;Nancy;;;;;Entreprise privée;SARL;1-9;FR",
    )
    client = client_for(school["office"])
    upload(client, "esup_structures", "structures.csv", first)
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.PREVIEWED, batch.report
    committed(client, batch.get_absolute_url())
    assert Company.objects.count() == 3  # the workshop recorded before was found by name and postcode
    acme = Company.objects.get(siret="73282932000074")
    assert (acme.naf_code, acme.size, acme.website, acme.city) == ("62.01Z", "sme", "https://www.acme.fr", "Nancy")
    workshop.refresh_from_db()
    assert (workshop.legal_name, workshop.size) == ("Atelier Dupont SARL", "micro")  # the file's name is kept

    # Again, with ACME moved: updated, not duplicated; the unchanged rows write nothing.
    second = structures_csv(
        ";ACME SAS;73282932000074;Conseil;6201Z;5 avenue Foch;57000;Metz;;;;;Entreprise privée;SAS;250-499;FR",
        "0540099X;Lycée Poincaré;;Enseignement;;2 rue du Lycée;54000;Nancy;;;;;Établissement d'enseignement;Public;"
        "100-249;FR",
        ";Atelier Dupont SARL;;Menuiserie;;;54000;Nancy;;;;;Entreprise privée;SARL;1-9;FR",
    )
    before = HistoryEntry.objects.filter(content_type__model="company").count()
    upload(client, "esup_structures", "structures.csv", second)
    batch = ImportBatch.objects.latest("id")
    assert batch.status == ImportStatus.PREVIEWED, batch.report
    committed(client, batch.get_absolute_url())
    assert Company.objects.count() == 3
    acme.refresh_from_db()
    assert (acme.address, acme.postal_code, acme.city, acme.size) == ("5 avenue Foch", "57000", "Metz", "midsize")
    assert HistoryEntry.objects.filter(content_type__model="company").count() == before + 1


def test_a_bad_structure_row_is_named_and_nothing_is_written(school: dict[str, Any]) -> None:
    content = structures_csv(
        ";ACME SAS;73282932000074;;;;54000;Nancy;;;;;;;;FR",
        ";Mauvais SIRET;11111111111111;;;;54000;Nancy;;;;;;;;FR",
        ";Sans effectif;;;;;54000;Nancy;;;;;;;beaucoup;FR",
    )
    upload(client_for(school["office"]), "esup_structures", "structures.csv", content)
    errors = ImportBatch.objects.get().report["errors"]
    assert [(error["row"], error["column"]) for error in errors] == [(3, "NumeroSiret"), (4, "Effectif")]
    assert not Company.objects.exists()

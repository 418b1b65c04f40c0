"""Students' imports: an Apogée/Pégase-style export of students and enrolments, English test
results and graduates' situations; all or nothing, each refused row named with its column."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from amelio.imports.services import run_import
from amelio.organisation.tests.factories import ProgrammeFactory
from amelio.partners.tests.factories import CompanyFactory
from amelio.students.models import EnglishCertification, Enrolment, InsertionRecord, Student
from amelio.students.tests.factories import year

pytestmark = pytest.mark.django_db

STUDENTS_CSV = """INE;Nom;Prénom;Courriel;Code étape;Année;Résultat;Motif;Date diplôme;Statut
1234567890A;Durand;Marie;marie@school.test;GC-BTP-4;2025;ADM;;;FI
1234567890A;Durand;Marie;marie@school.test;GC-BTP-5;2026;;;;FI
2234567890B;Martin;Léo;;GC-BTP-5;2025;DIP;;01/07/2026;FA
3234567890C;Petit;Inès;;GC-BTP-3;2025;DEF;réorientation;;FI
"""


@pytest.fixture
def programme(school: dict[str, Any]) -> Any:
    year(2025)
    year(2026)
    return ProgrammeFactory(code="GC-BTP", department=school["civil"])


def run(actor: Any, kind: str, text: str, commit: bool = True) -> dict[str, Any]:
    return run_import(actor=actor, kind=kind, content=text.encode(), commit=commit)


def test_students_and_enrolments_from_an_information_system_export(school: dict[str, Any], programme: Any) -> None:
    report = run(school["office"], "students", STUDENTS_CSV)
    assert report["errors"] == [] and report["created"] == 4
    marie = Student.objects.get(ine="1234567890A")
    assert [
        (e.academic_year.label, e.year_of_study, e.outcome)
        for e in marie.enrolments.order_by("academic_year__starts_on")
    ] == [
        ("2025-2026", 4, "passed"),
        ("2026-2027", 5, "pending"),
    ]
    leo = Student.objects.get(ine="2234567890B")
    assert leo.status == "apprentice" and leo.enrolments.get().diploma_on == datetime.date(2026, 7, 1)
    assert Enrolment.objects.get(student__ine="3234567890C").leaving_reason == "reorientation"
    # The year's results later: the enrolment already there takes its outcome.
    report = run(
        school["office"],
        "students",
        "INE;Nom;Prénom;Code étape;Année;Résultat\n1234567890A;Durand;Marie;GC-BTP-5;2026-2027;DIP\n",
    )
    assert report["errors"][0]["column"] == "diploma date"
    report = run(
        school["office"],
        "students",
        "INE;Nom;Prénom;Code étape;Année;Résultat;Date diplôme\n"
        "1234567890A;Durand;Marie;GC-BTP-5;2026;DIP;2027-07-02\n",
    )
    assert report["errors"] == []
    assert marie.enrolments.get(academic_year__label="2026-2027").outcome == "graduated"


def test_one_bad_row_refuses_the_whole_file_and_is_named(school: dict[str, Any], programme: Any) -> None:
    bad = STUDENTS_CSV + "12;Faux;Numéro;;GC-BTP-3;2025;ADM;;;FI\n4234567890D;Sans;Formation;;XX-9-3;2025;ADM;;;FI\n"
    bad += "5234567890E;Mauvais;Résultat;;GC-BTP-3;2025;PEUT-ÊTRE;;;FI\n"
    report = run(school["office"], "students", bad)
    assert [(error["row"], error["column"]) for error in report["errors"]] == [
        (6, "INE"),
        (7, "stage code"),
        (8, "result"),
    ]
    assert "11 digits" in report["errors"][0]["message"]
    assert report["created"] == 0 and not Student.objects.exists()
    # Only the internship office of the whole school and the quality manager import.
    with pytest.raises(PermissionDenied):
        run(school["head_civil"], "students", STUDENTS_CSV)
    assert not Student.objects.exists()


def test_english_results_and_graduates_situations(school: dict[str, Any], programme: Any) -> None:
    run(school["office"], "students", STUDENTS_CSV)
    report = run(
        school["office"],
        "english_tests",
        "INE;Test;Score;Niveau;Date\n1234567890A;TOEIC;815;b2;2026-03-14\n9999999999Z;TOEIC;700;B1;2026-03-14\n",
    )
    assert [(e["row"], e["column"]) for e in report["errors"]] == [(3, "INE")]
    assert not EnglishCertification.objects.exists()
    report = run(school["office"], "english_tests", "INE;Test;Score;Niveau;Date\n1234567890A;TOEIC;815;b2;2026-03-14\n")
    assert report["errors"] == [] and EnglishCertification.objects.get().level == "B2"
    employer = CompanyFactory(siret="73282932000074")
    report = run(
        school["office"],
        "graduate_situations",
        "INE;Mois;Date enquête;Situation;Employeur;SIRET;Contrat;Cadre;Salaire hors primes;Pays;Date premier emploi\n"
        "2234567890B;6;2027-01-15;en emploi;Exemple SAS;73282932000074;CDI;oui;38000;FR;2026-09-01\n"
        "2234567890B;18;2028-01-15;en recherche;;;;;;;\n",
    )
    assert report["errors"] == []
    record = InsertionRecord.objects.get(wave=6)
    assert record.company == employer and record.is_cadre is True and record.salary_without_bonuses == Decimal(38000)
    refused = run(
        school["office"],
        "graduate_situations",
        "INE;Mois;Date enquête;Situation\n1234567890A;6;2027-01-15;en emploi\n2234567890B;12;2027-01-15;autre\n",
    )
    assert [(e["row"], e["column"]) for e in refused["errors"]] == [(2, ""), (3, "months after graduation")]

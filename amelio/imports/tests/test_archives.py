"""Past internships taken from the office's archives: recorded as they ended, through the
internships service, checked against the law, one history entry each; one refused row
and nothing is written."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from amelio.history.models import HistoryEntry
from amelio.imports.services import run_import
from amelio.internships import services
from amelio.internships.choices import EvaluationKind, InternshipStatus, MilestoneKind
from amelio.internships.models import Evaluation, Internship, Milestone
from amelio.organisation.models import AcademicYear
from amelio.organisation.tests.factories import PersonFactory, ProgrammeFactory, grant
from amelio.partners.models import Company

pytestmark = pytest.mark.django_db

HEADERS = [
    "Email étudiant",
    "Entreprise",
    "SIRET",
    "Ville",
    "Prénom tuteur",
    "Nom tuteur",
    "Email tuteur",
    "Formation",
    "Année universitaire",
    "Type de stage",
    "Sujet du stage",
    "Date de début",
    "Date de fin",
    "Gratification horaire",
    "Date signature étudiant",
    "Date signature entreprise",
    "Date signature établissement",
    "Date contact mi-parcours",
    "Date évaluation entreprise",
    "Note évaluation entreprise",
    "Note évaluation étudiant",
]


@pytest.fixture
def past_year() -> AcademicYear:
    year, _created = AcademicYear.objects.get_or_create(
        label="2025-2026", defaults={"starts_on": datetime.date(2025, 9, 1), "ends_on": datetime.date(2026, 8, 31)}
    )
    return year


def row(student: Any, programme: Any, **changes: str) -> dict[str, str]:
    values = {
        "Email étudiant": student.email,
        "Entreprise": "Ponts et Chaussées SA",
        "SIRET": "73282932000074",
        "Ville": "Lyon",
        "Prénom tuteur": "Anne",
        "Nom tuteur": "Martin",
        "Email tuteur": "anne.martin@ponts.fr",
        "Formation": programme.code,
        "Année universitaire": "2025-2026",
        "Type de stage": "Ingénieur",
        "Sujet du stage": "Calcul de structures",
        "Date de début": "06/04/2026",
        "Date de fin": "12/06/2026",
        "Gratification horaire": "4,35",
        "Date signature étudiant": "20/03/2026",
        "Date signature entreprise": "23/03/2026",
        "Date signature établissement": "25/03/2026",
        "Date contact mi-parcours": "11/05/2026",
        "Date évaluation entreprise": "26/06/2026",
        "Note évaluation entreprise": "4,2",
        "Note évaluation étudiant": "3,8",
    }
    values.update(changes)
    return values


def csv(rows: list[dict[str, str]]) -> bytes:
    lines = [";".join(HEADERS)] + [";".join(values[name] for name in HEADERS) for values in rows]
    return ("\n".join(lines) + "\n").encode()


def test_archives_are_recorded_as_they_ended(school: dict[str, Any], past_year: AcademicYear) -> None:
    programme = ProgrammeFactory(department=school["civil"])
    other = PersonFactory(kind="student", department=school["civil"])
    content = csv(
        [
            row(school["student"], programme),
            row(other, programme, **{"Date évaluation entreprise": "", "Note évaluation entreprise": ""}),
        ]
    )
    report = run_import(actor=school["office"], kind="internship_archives", content=content, commit=True)
    assert report["errors"] == [] and report["created"] == 2
    evaluated = Internship.objects.get(student=school["student"])
    finished = Internship.objects.get(student=other)
    assert (evaluated.status, finished.status) == (InternshipStatus.EVALUATED, InternshipStatus.FINISHED)
    assert evaluated.signature_date == datetime.date(2026, 3, 25)
    assert Company.objects.count() == 1  # created once, then reused
    done = dict(evaluated.milestones.values_list("kind", "done_on"))
    assert done == {
        MilestoneKind.AGREEMENT_SIGNED: datetime.date(2026, 3, 25),
        MilestoneKind.MIDTERM_CONTACT: datetime.date(2026, 5, 11),
        MilestoneKind.COMPANY_EVALUATION: datetime.date(2026, 6, 26),
    }
    assert finished.milestones.get(kind=MilestoneKind.COMPANY_EVALUATION).done_on is None
    scores = dict(evaluated.evaluations.values_list("kind", "score"))
    assert scores == {EvaluationKind.COMPANY_TUTOR: Decimal("4.2"), EvaluationKind.STUDENT: Decimal("3.8")}
    company = evaluated.evaluations.get(kind=EvaluationKind.COMPANY_TUTOR)
    assert company.link is None and company.submitted_at.date() == datetime.date(2026, 6, 26)
    entry = HistoryEntry.objects.get(content_type__model="internship", object_id=str(evaluated.pk))
    assert entry.reason == "Taken from the archives" and entry.actor == school["office"]
    assert entry.changes["status"] == ["", "evaluated"]
    assert "4.2/5" in entry.changes["evaluation"][1]


@pytest.mark.parametrize(
    ("changes", "column", "message"),
    [
        ({"Date de fin": "12/06/2027", "Date de début": "06/04/2027"}, "ends on", "Only an internship that is over"),
        ({"Date signature entreprise": ""}, "signed by the company on", "three signature dates"),
        ({"Date signature étudiant": "20/06/2026"}, "signed by the student on", "after the end"),
        ({"Date contact mi-parcours": "01/03/2026"}, "mid-term contact on", "between the start of the internship"),
        ({"Note évaluation entreprise": "7"}, "company evaluation score (out of 5)", "less than or equal to 5"),
        ({"Note évaluation entreprise": ""}, "company evaluation score (out of 5)", "a score and a date"),
        ({"Note évaluation étudiant": "beaucoup"}, "student evaluation score (out of 5)", "is not a number"),
        ({"Gratification horaire": ""}, "gratification per hour", "L124-6"),
    ],
)
def test_a_refused_archive_row_is_named_and_nothing_is_written(
    school: dict[str, Any], past_year: AcademicYear, changes: dict[str, str], column: str, message: str
) -> None:
    programme = ProgrammeFactory(department=school["civil"])
    other = PersonFactory(kind="student", department=school["civil"])
    content = csv([row(other, programme), row(school["student"], programme, **changes)])
    report = run_import(actor=school["office"], kind="internship_archives", content=content, commit=True)
    assert report["created"] == 0
    assert {error["row"] for error in report["errors"]} == {3}, report["errors"]
    assert any(error["column"] == column and message in error["message"] for error in report["errors"])
    assert not Internship.objects.exists() and not Company.objects.exists()
    assert not Milestone.objects.exists() and not Evaluation.objects.exists()
    assert not HistoryEntry.objects.filter(content_type__model="internship").exists()


def test_only_the_office_of_the_department_takes_archives(school: dict[str, Any], past_year: AcademicYear) -> None:
    programme = ProgrammeFactory(department=school["civil"])
    office_electrical = PersonFactory()
    grant(office_electrical, "internship_office", school["electrical"])
    data = {
        "student": school["student"],
        "programme": programme,
        "academic_year": past_year,
        "kind": "engineer",
        "subject": "Calcul",
        "starts_on": datetime.date(2026, 4, 6),
        "ends_on": datetime.date(2026, 6, 12),
        "hourly_gratification": Decimal("4.35"),
    }
    for actor in (school["teacher"], school["head_civil"], office_electrical):
        with pytest.raises(PermissionDenied):
            services.internship_record_archive(
                actor=actor,
                data=data,
                student_signed_on=datetime.date(2026, 3, 20),
                company_signed_on=datetime.date(2026, 3, 20),
                school_signed_on=datetime.date(2026, 3, 20),
            )
    assert not Internship.objects.exists()
    with pytest.raises(ValidationError):  # allowed, then checked: the host is missing
        services.internship_record_archive(
            actor=school["office"],
            data=data,
            student_signed_on=datetime.date(2026, 3, 20),
            company_signed_on=datetime.date(2026, 3, 20),
            school_signed_on=datetime.date(2026, 3, 20),
        )
    assert not Internship.objects.exists()

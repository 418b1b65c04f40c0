"""The pages: who may open what (a student their own record only, the department head
their department, the auditor the aggregates only), the salary rule on the page, and a
fixed number of queries whatever the number of students."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from amelio.internships.tests.factories import CompanyFactory
from amelio.organisation.choices import PersonKind
from amelio.organisation.tests.factories import PASSWORD, PersonFactory, ProgrammeFactory
from amelio.students.models import EnglishCertification, Mobility
from tests.query_budgets import check_query_budgets

from .factories import StudentFactory, agreement, enrol, situation, year

pytestmark = pytest.mark.django_db


def client_for(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


@pytest.fixture
def records(school: dict[str, Any]) -> dict[str, Any]:
    year(2026, current=True)
    civil = ProgrammeFactory(department=school["civil"], name="Génie civil FISE")
    electrical = ProgrammeFactory(department=school["electrical"])
    own = StudentFactory(person=school["student"], last_name="Étudiant", first_name="Sacha")
    enrol(own, civil, 2026, 5)
    other = StudentFactory(last_name="Ailleurs")
    enrol(other, electrical, 2026, 5)
    return {"own": own, "other": other, "civil": civil, "electrical": electrical}


def test_a_student_sees_their_own_record_only(school: dict[str, Any], records: dict[str, Any]) -> None:
    client = client_for(school["student"])
    assert client.get("/students/me/")["Location"] == f"/students/{records['own'].pk}/"
    page = client.get(f"/students/{records['own'].pk}/")
    assert page.status_code == 200 and "Weeks in companies" in page.content.decode()
    assert client.get(f"/students/{records['other'].pk}/").status_code == 404
    for url in ("/students/", "/students/at-risk/", "/students/figures/"):
        assert client.get(url).status_code == 403, url
    # A student without a record has no page of their own.
    assert client_for(PersonFactory(kind=PersonKind.STUDENT)).get("/students/me/").status_code == 404


def test_department_head_sees_their_department(school: dict[str, Any], records: dict[str, Any]) -> None:
    client = client_for(school["head_civil"])
    listing = client.get("/students/").content.decode()
    assert "Étudiant" in listing and "Ailleurs" not in listing
    assert client.get(f"/students/{records['own'].pk}/").status_code == 200
    assert client.get(f"/students/{records['other'].pk}/").status_code == 404
    at_risk = client.get("/students/at-risk/").content.decode()
    assert "Étudiant" in at_risk and "Ailleurs" not in at_risk
    export = client.get("/students/?export=csv").content.decode()
    assert "Étudiant" in export and "Ailleurs" not in export


def test_the_auditor_sees_the_aggregates_only(school: dict[str, Any], records: dict[str, Any]) -> None:
    client = client_for(school["auditor"])
    assert client.get("/students/figures/").status_code == 200
    assert client.get("/students/").status_code == 403
    assert client.get("/students/at-risk/").status_code == 403
    assert client.get(f"/students/{records['own'].pk}/").status_code == 404
    assert client_for(school["teacher"]).get("/students/").status_code == 403


def test_salaries_are_shown_aggregated_small_groups_hidden_except_to_the_quality_manager(
    school: dict[str, Any], records: dict[str, Any]
) -> None:
    graduates = [StudentFactory() for _ in range(4)]
    for index, graduate in enumerate(graduates):
        enrol(graduate, records["civil"], 2025, 5, "graduated")
        situation(graduate, salary_without_bonuses=Decimal(36000 + 1000 * index))
    head = client_for(school["head_civil"]).get("/students/figures/?year=2025-2026").content.decode()
    assert "hidden" in head and "37500" not in head
    quality = client_for(school["quality_manager"]).get("/students/figures/?year=2025-2026").content.decode()
    assert "37500" in quality
    # A fifth salary: the group is shown to everyone.
    fifth = StudentFactory()
    enrol(fifth, records["civil"], 2025, 5, "graduated")
    situation(fifth, salary_without_bonuses=Decimal(50000))
    head = client_for(school["head_civil"]).get("/students/figures/?year=2025-2026").content.decode()
    assert "38000" in head
    # One graduate's own salary: the quality manager only.
    page = client_for(school["head_civil"]).get(f"/students/{fifth.pk}/").content.decode()
    assert "50000" not in page
    assert "50000" in client_for(school["quality_manager"]).get(f"/students/{fifth.pk}/").content.decode()


def _population(school: dict[str, Any], programme: Any, count: int) -> None:
    for _ in range(count):
        person = PersonFactory(kind=PersonKind.STUDENT)
        student = StudentFactory(person=person)
        enrol(student, programme, 2025, 4, "passed")
        enrol(student, programme, 2026, 5)
        agreement(person, programme, datetime.date(2026, 2, 2), 10, company=CompanyFactory(country="DE"))
        Mobility.objects.create(
            student=student,
            kind="semester_abroad",
            country="ES",
            host="Sevilla",
            starts_on=datetime.date(2025, 9, 1),
            ends_on=datetime.date(2025, 12, 20),
        )
        EnglishCertification.objects.create(
            student=student, test="TOEIC", level="B1", taken_on=datetime.date(2026, 1, 1)
        )


def _counts(school: dict[str, Any], records: dict[str, Any]) -> dict[str, int]:
    client = client_for(school["office"])
    pages = {
        "student list": "/students/",
        "student list filtered": f"/students/?department={school['civil'].pk}&status=student",
        "student export": "/students/?export=csv",
        "at-risk list": "/students/at-risk/",
        "student page": f"/students/{records['own'].pk}/",
    }
    for url in pages.values():  # fills the process-wide caches (content types)
        client.get(url)
    counts = {}
    for name, url in pages.items():
        with CaptureQueriesContext(connection) as context:
            response = client.get(url)
        assert response.status_code == 200, name
        counts[name] = len(context.captured_queries)
    return counts


def test_student_pages_run_their_budgeted_queries_with_5_and_50_rows(
    school: dict[str, Any], records: dict[str, Any]
) -> None:
    _population(school, records["civil"], 5)
    with_5 = _counts(school, records)
    _population(school, records["civil"], 45)
    with_50 = _counts(school, records)
    check_query_budgets("students", {name: {"5 rows": with_5[name], "50 rows": with_50[name]} for name in with_5})


__all__ = ["PASSWORD"]


def test_a_companys_page_shows_the_graduates_it_hired_and_a_merge_moves_them(
    school: dict[str, Any], records: dict[str, Any]
) -> None:
    from amelio.partners.services import company_merge

    company, duplicate = CompanyFactory(legal_name="Bâtisseurs SA"), CompanyFactory(legal_name="Batisseurs")
    graduate = StudentFactory(last_name="Diplômé")
    enrol(graduate, records["civil"], 2025, 5, "graduated")
    situation(graduate, company=duplicate)
    other = StudentFactory(last_name="Lointain")
    enrol(other, records["electrical"], 2025, 5, "graduated")
    situation(other, company=duplicate)
    page = client_for(school["head_civil"]).get(duplicate.get_absolute_url()).content.decode()
    assert "2 graduates employed at the 6-month survey" in page
    assert "Diplômé" in page and "Lointain" not in page  # names only of the records one may open
    company_merge(actor=school["office"], keep=company, absorbed=duplicate, reason="Doublon")
    assert set(company.graduates_hired.values_list("student__last_name", flat=True)) == {"Diplômé", "Lointain"}


def test_hostile_filters_are_refused_quietly(school: dict[str, Any], records: dict[str, Any]) -> None:
    client = client_for(school["quality_manager"])
    for value in ("²", "-1", "9" * 30, "abc", "\u0663"):
        assert client.get("/students/at-risk/", {"department": value}).status_code in (200, 404), value
        assert client.get("/students/figures/", {"year": value}).status_code == 200, value
    assert client.get("/students/at-risk/", {"department": "999999"}).status_code == 404


def test_the_figures_page_reads_the_insertion_survey_wave_asked_for(
    school: dict[str, Any], records: dict[str, Any]
) -> None:
    """Four graduates of 2025-2026: at 6 months two employed and two job-seeking (net
    employment 50 %), at 18 months all four employed (100 %)."""
    graduates = [StudentFactory() for _ in range(4)]
    for index, graduate in enumerate(graduates):
        enrol(graduate, records["civil"], 2025, 5, "graduated")
        situation(graduate, 6, "employed" if index < 2 else "job_seeking")
        situation(graduate, 18, "employed")
    client = client_for(school["quality_manager"])

    def net_employment(query: dict[str, str]) -> Any:
        response = client.get("/students/figures/", {"year": "2025-2026", **query})
        assert response.status_code == 200
        school_row = response.context["rows"][0]
        return response.context["wave"], school_row.cells[4].value

    assert net_employment({}) == (6, Decimal("50.0"))
    assert net_employment({"wave": "18"}) == (18, Decimal("100.0"))
    for hostile in ("7", "abc", "-6", "6" * 30, "\u0666"):
        assert net_employment({"wave": hostile})[0] == 6, hostile


def test_the_figures_are_drawn_per_department_on_the_page_and_in_its_pdf(
    school: dict[str, Any], records: dict[str, Any], tmp_path: Any
) -> None:
    import subprocess

    graduates = [StudentFactory() for _ in range(4)]
    for index, graduate in enumerate(graduates):
        enrol(graduate, records["civil"], 2025, 5, "graduated")
        situation(graduate, 6, "employed" if index < 2 else "job_seeking")
    client = client_for(school["quality_manager"])
    page = client.get("/students/figures/", {"year": "2025-2026"})
    charts = page.context["charts"]
    assert charts and all(chart.rows for chart in charts)
    net = next(chart for chart in charts if chart.key.endswith("net_employment_rate"))
    assert ("Génie Civil", "50.0\xa0%") in [tuple(row) for row in net.rows]
    assert "50&nbsp;%" in page.content.decode()  # the table's cell: its unit, no ".0"
    response = client.get("/students/figures.pdf", {"year": "2025-2026"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "figures.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    assert str(net.title) in text.replace("\n", " ") and "Génie Civil" in text
    student = client_for(school["student"])
    assert student.get("/students/figures.pdf").status_code == student.get("/students/figures/").status_code == 403

"""The forms of students' records: each page hands valid data to its service; who may open
it (allowed, refused with 403, out of scope with 404, nothing changed either way) and each
rejected input with its message."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core import signing
from django.test import Client

from amelio.core.concurrency import SALT
from amelio.history.models import HistoryEntry
from amelio.organisation.choices import PersonKind
from amelio.organisation.tests.factories import PersonFactory, ProgrammeFactory
from amelio.students.models import EnglishCertification, Enrolment, InsertionRecord, Mobility, Student, StudentRules

from .factories import StudentFactory, enrol, situation, year

pytestmark = pytest.mark.django_db


def client_for(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


@pytest.fixture
def records(school: dict[str, Any]) -> dict[str, Any]:
    year(2025)
    year(2026, current=True)
    civil = ProgrammeFactory(department=school["civil"], code="GC-FISE", name="Génie civil FISE")
    electrical = ProgrammeFactory(department=school["electrical"], code="GE-FISE")
    own = StudentFactory(person=school["student"], last_name="Étudiant", first_name="Sacha")
    enrol(own, civil, 2026, 5)
    other = StudentFactory(last_name="Ailleurs")
    enrol(other, electrical, 2026, 5)
    return {"own": own, "other": other, "civil": civil, "electrical": electrical}


def errors_of(response: Any) -> dict[str, list[str]]:
    assert response.status_code == 200, response.status_code
    return {name: list(messages) for name, messages in response.context["form"].errors.items()}


def form_data(form: Any) -> dict[str, Any]:
    """What the page's form sends as it is shown."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        data[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return data


def page_form(client: Client, url: str) -> Any:
    response = client.get(url)
    assert response.status_code == 200
    return response.context["form"]


# Creating and editing a student ---------------------------------------------------------------


def new_student(programme: Any, **extra: Any) -> dict[str, Any]:
    return {
        "ine": "123456789AB",
        "first_name": "Inès",
        "last_name": "Nouvelle",
        "email": "Ines.Nouvelle@School.test",
        "status": "apprentice",
        "programme": programme.pk,
        **extra,
    }


def test_the_office_creates_a_student_who_is_linked_to_their_account(
    school: dict[str, Any], records: dict[str, Any]
) -> None:
    account = PersonFactory(kind=PersonKind.STUDENT, email="ines.nouvelle@school.test")
    client = client_for(school["office"])
    assert "/students/new/" in client.get("/students/").content.decode()
    response = client.post("/students/new/", new_student(records["electrical"]))
    student = Student.objects.get(ine="123456789AB")
    assert response["Location"] == f"/students/{student.pk}/"
    assert (student.email, student.status, student.programme, student.person) == (
        "ines.nouvelle@school.test",
        "apprentice",
        records["electrical"],
        account,
    )
    entry = HistoryEntry.objects.get(object_id=str(student.pk), action="create")
    assert "Nouvelle" not in str(entry.changes)  # personal values are not copied into the history


def test_a_department_head_creates_students_of_their_department_only(
    school: dict[str, Any], records: dict[str, Any]
) -> None:
    client = client_for(school["head_civil"])
    errors = errors_of(client.post("/students/new/", new_student(records["electrical"])))
    assert errors["programme"] == ["Select a valid choice. That choice is not one of the available choices."]
    assert not Student.objects.filter(ine="123456789AB").exists()
    client.post("/students/new/", new_student(records["civil"]))
    assert Student.objects.get(ine="123456789AB").programme == records["civil"]


def test_only_those_who_write_records_create_students(school: dict[str, Any], records: dict[str, Any]) -> None:
    for person in ("director", "teacher", "student", "auditor"):
        client = client_for(school[person])
        assert client.get("/students/new/").status_code == 403, person
        assert client.post("/students/new/", new_student(records["civil"])).status_code == 403, person
    assert not Student.objects.filter(ine="123456789AB").exists()
    assert "/students/new/" not in client_for(school["director"]).get("/students/").content.decode()


def test_a_new_student_is_refused_with_the_fields_named(school: dict[str, Any], records: dict[str, Any]) -> None:
    client = client_for(school["quality_manager"])
    errors = errors_of(client.post("/students/new/", new_student(records["civil"], ine="12345")))
    assert errors["ine"] == ["A national student number (INE) has 11 digits or capital letters."]
    errors = errors_of(client.post("/students/new/", new_student(records["civil"], ine=records["own"].ine)))
    assert errors["ine"] == ["Student with this National student number (INE) already exists."]
    errors = errors_of(client.post("/students/new/", {**new_student(records["civil"], email="nope"), "programme": ""}))
    assert errors["email"] == ["Enter a valid email address."]
    assert errors["programme"] == ["This field is required."]
    assert Student.objects.count() == 2


def test_a_student_is_edited_by_who_writes_their_record(school: dict[str, Any], records: dict[str, Any]) -> None:
    own = records["own"]
    url = f"/students/{own.pk}/edit/"
    assert f'href="{url}"' in client_for(school["head_civil"]).get(f"/students/{own.pk}/").content.decode()
    for person, status in (("director", 403), ("student", 403), ("head_electrical", 404), ("teacher", 404)):
        client = client_for(school[person])
        assert client.get(url).status_code == status, person
        assert client.post(url, {"first_name": "X", "last_name": "Y", "status": "student"}).status_code == status
        assert f'href="{url}"' not in client.get(f"/students/{own.pk}/").content.decode()
    own.refresh_from_db()
    assert (own.first_name, own.last_name) == ("Sacha", "Étudiant")

    client = client_for(school["head_civil"])
    data = {**form_data(page_form(client, url)), "last_name": "Étudiante", "status": "apprentice"}
    assert client.post(url, data)["Location"] == f"/students/{own.pk}/"
    own.refresh_from_db()
    assert (own.last_name, own.status, own.person) == ("Étudiante", "apprentice", school["student"])
    errors = errors_of(client.post(url, {**data, "email": "not an address"}))
    assert errors["email"] == ["Enter a valid email address."]


def test_an_edit_against_a_newer_version_is_refused(school: dict[str, Any], records: dict[str, Any]) -> None:
    own = records["own"]
    url = f"/students/{own.pk}/edit/"
    client = client_for(school["office"])
    read = form_data(page_form(client, url))
    Student.objects.filter(pk=own.pk).update(status="apprentice")
    response = client.post(url, {**read, "first_name": "Sasha"})
    assert "Someone else saved this record after you opened it" in response.content.decode()
    own.refresh_from_db()
    assert (own.first_name, own.status) == ("Sacha", "apprentice")


# Enrolments -----------------------------------------------------------------------------------


def test_an_enrolment_is_added_where_the_user_writes_records(school: dict[str, Any], records: dict[str, Any]) -> None:
    student = StudentFactory()
    enrol(student, records["civil"], 2025, 3, "passed")
    url = f"/students/{student.pk}/enrolments/new/"
    data = {
        "academic_year": year(2026).pk,
        "programme": records["civil"].pk,
        "year_of_study": 4,
        "entry_route": "",
        "outcome": "pending",
    }
    for person, status in (("director", 403), ("head_electrical", 404), ("teacher", 404)):
        assert client_for(school[person]).post(url, data).status_code == status, person
    assert student.enrolments.count() == 1
    client = client_for(school["head_civil"])
    assert f'href="{url}"' in client.get(f"/students/{student.pk}/").content.decode()
    # Another department's programme is not offered to the civil engineering head.
    errors = errors_of(client.post(url, {**data, "programme": records["electrical"].pk}))
    assert errors["programme"] == ["Select a valid choice. That choice is not one of the available choices."]
    response = client.post(url, data)
    assert response["Location"] == f"/students/{student.pk}/#enrolments"
    assert student.enrolments.get(academic_year__label="2026-2027").year_of_study == 4
    # One enrolment a year.
    response = client.post(url, data)
    assert response.context["form"].non_field_errors() == [
        "Enrolment with this Student and Academic year already exists."
    ]
    assert student.enrolments.count() == 2


def enrolment_url(enrolment: Enrolment) -> str:
    return f"/students/{enrolment.student_id}/enrolments/{enrolment.pk}/"


def test_the_years_outcome_is_recorded(school: dict[str, Any], records: dict[str, Any]) -> None:
    enrolment = records["own"].enrolments.get()
    url = enrolment_url(enrolment)
    for person, status in (("director", 403), ("student", 403), ("head_electrical", 404)):
        client = client_for(school[person])
        assert client.post(url, {"outcome": "passed"}).status_code == status, person
    enrolment.refresh_from_db()
    assert enrolment.outcome == "pending"

    client = client_for(school["office"])
    assert f'href="{url}"' in client.get(f"/students/{records['own'].pk}/").content.decode()
    read = form_data(page_form(client, url))
    response = client.post(url, {**read, "outcome": "graduated", "diploma_on": "2027-07-03"})
    assert response["Location"] == f"/students/{records['own'].pk}/#enrolments"
    enrolment.refresh_from_db()
    assert (enrolment.outcome, enrolment.diploma_on) == ("graduated", datetime.date(2027, 7, 3))


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"outcome": "left"}, "leaving_reason", "Say why the student left."),
        (
            {"outcome": "passed", "leaving_reason": "personal"},
            "leaving_reason",
            "A reason for leaving is given only when the student left.",
        ),
        (
            {"outcome": "graduated"},
            "diploma_on",
            "A graduated student has a diploma date, and only they have one.",
        ),
        (
            {"outcome": "passed", "diploma_on": "2027-07-03"},
            "diploma_on",
            "A graduated student has a diploma date, and only they have one.",
        ),
        ({"year_of_study": "9"}, "year_of_study", "Select a valid choice. 9 is not one of the available choices."),
    ],
)
def test_an_outcome_that_breaks_the_rules_is_refused_on_its_field(
    school: dict[str, Any], records: dict[str, Any], change: dict[str, str], field: str, message: str
) -> None:
    enrolment = records["own"].enrolments.get()
    client = client_for(school["quality_manager"])
    read = form_data(page_form(client, enrolment_url(enrolment)))
    errors = errors_of(client.post(enrolment_url(enrolment), {**read, **change}))
    assert errors == {field: [message]}
    enrolment.refresh_from_db()
    assert (enrolment.outcome, enrolment.leaving_reason, enrolment.diploma_on) == ("pending", "", None)


def test_an_enrolment_of_another_student_is_not_found(school: dict[str, Any], records: dict[str, Any]) -> None:
    enrolment = records["other"].enrolments.get()
    client = client_for(school["quality_manager"])
    assert client.get(f"/students/{records['own'].pk}/enrolments/{enrolment.pk}/").status_code == 404


# Stays abroad, English tests ------------------------------------------------------------------


def mobility(**extra: Any) -> dict[str, Any]:
    return {
        "kind": "semester_abroad",
        "country": "ES",
        "host": "Universidad de Sevilla",
        "starts_on": "2026-09-01",
        "ends_on": "2027-01-31",
        **extra,
    }


def test_a_stay_abroad_is_recorded_on_the_students_page(school: dict[str, Any], records: dict[str, Any]) -> None:
    own = records["own"]
    url = f"/students/{own.pk}/mobility/new/"
    for person, status in (("director", 403), ("student", 403), ("head_electrical", 404), ("auditor", 404)):
        assert client_for(school[person]).post(url, mobility()).status_code == status, person
    assert not Mobility.objects.exists()
    client = client_for(school["head_civil"])
    assert f'href="{url}"' in client.get(f"/students/{own.pk}/").content.decode()
    errors = errors_of(client.post(url, mobility(ends_on="2026-08-01")))
    assert errors == {"ends_on": ["The stay cannot end before it starts."]}
    errors = errors_of(client.post(url, mobility(country="es")))
    assert errors["country"] == ["Write the country as its two-letter ISO code (FR, DE, ...)."]
    assert not Mobility.objects.exists()
    assert client.post(url, mobility())["Location"] == f"/students/{own.pk}/#mobility"
    stay = Mobility.objects.get()
    assert (stay.student, stay.weeks) == (own, 21)


def test_an_english_certification_is_recorded(school: dict[str, Any], records: dict[str, Any]) -> None:
    own = records["own"]
    url = f"/students/{own.pk}/english/new/"
    data = {"test": "TOEIC", "score": "850", "level": "B2", "taken_on": "2026-11-20"}
    for person, status in (("director", 403), ("student", 403), ("head_electrical", 404)):
        assert client_for(school[person]).post(url, data).status_code == status, person
    client = client_for(school["office"])
    errors = errors_of(client.post(url, {**data, "level": "B3", "taken_on": ""}))
    assert errors == {
        "level": ["Select a valid choice. B3 is not one of the available choices."],
        "taken_on": ["This field is required."],
    }
    assert not EnglishCertification.objects.exists()
    assert client.post(url, data)["Location"] == f"/students/{own.pk}/#english"
    certification = EnglishCertification.objects.get()
    assert (certification.student, certification.score, certification.level) == (own, Decimal("850"), "B2")
    assert "TOEIC 850.0 — B2" in client.get(f"/students/{own.pk}/").content.decode()


# Graduates' situations ------------------------------------------------------------------------


def employed(**extra: Any) -> dict[str, Any]:
    return {
        "wave": "6",
        "surveyed_on": "2027-01-15",
        "situation": "employed",
        "employer_name": "Bâtiments du Sud",
        "contract": "permanent",
        "is_cadre": "true",
        "salary_without_bonuses": "41000",
        "salary_with_bonuses": "44000",
        "country": "FR",
        "found_through": "internship",
        **extra,
    }


@pytest.fixture
def graduate(records: dict[str, Any]) -> Student:
    student = StudentFactory(last_name="Diplômée")
    enrol(student, records["civil"], 2025, 5, "graduated")
    return student


def test_a_graduates_situation_is_recorded(school: dict[str, Any], records: dict[str, Any], graduate: Student) -> None:
    url = f"/students/{graduate.pk}/situations/new/"
    for person, status in (("director", 403), ("head_electrical", 404), ("teacher", 404)):
        assert client_for(school[person]).post(url, employed()).status_code == status, person
    assert not InsertionRecord.objects.exists()
    client = client_for(school["office"])
    assert f'href="{url}"' in client.get(f"/students/{graduate.pk}/").content.decode()
    assert client.post(url, employed())["Location"] == f"/students/{graduate.pk}/#insertion"
    record = InsertionRecord.objects.get()
    assert (record.wave, record.is_cadre, record.salary_without_bonuses) == (6, True, Decimal("41000"))
    errors = errors_of(client.post(url, employed()))
    assert errors["wave"] == ["This graduate's situation at this date is already recorded."]
    assert InsertionRecord.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"employer_name": ""}, "employer_name", "Name the employer of an employed graduate."),
        ({"contract": ""}, "contract", "Give the contract of an employed graduate."),
        ({"situation": "job_seeking"}, "situation", "Only an employed graduate has a contract and a salary."),
        (
            {"salary_with_bonuses": "40000"},
            "salary_with_bonuses",
            "The salary with bonuses cannot be lower than the salary without them.",
        ),
        (
            {"salary_without_bonuses": "-1"},
            "salary_without_bonuses",
            "Ensure this value is greater than or equal to 0.",
        ),
        ({"wave": "12"}, "wave", "Select a valid choice. 12 is not one of the available choices."),
    ],
)
def test_a_situation_that_breaks_the_rules_is_refused_on_its_field(
    school: dict[str, Any], graduate: Student, change: dict[str, str], field: str, message: str
) -> None:
    client = client_for(school["quality_manager"])
    errors = errors_of(client.post(f"/students/{graduate.pk}/situations/new/", employed(**change)))
    assert errors == {field: [message]}
    assert not InsertionRecord.objects.exists()


def test_only_a_graduates_situation_is_recorded(school: dict[str, Any], records: dict[str, Any]) -> None:
    own = records["own"]
    client = client_for(school["quality_manager"])
    assert f"/students/{own.pk}/situations/new/" not in client.get(f"/students/{own.pk}/").content.decode()
    response = client.post(f"/students/{own.pk}/situations/new/", employed())
    assert response.context["form"].non_field_errors() == ["Only a graduate's situation is surveyed."]
    assert not InsertionRecord.objects.exists()


def test_a_situation_is_edited_and_a_stored_salary_stays_hidden_from_who_may_not_see_it(
    school: dict[str, Any], graduate: Student
) -> None:
    record = situation(graduate, salary_without_bonuses=Decimal("41234"), salary_with_bonuses=Decimal("45678"))
    url = f"/students/{graduate.pk}/situations/{record.pk}/"
    for person, status in (("director", 403), ("head_electrical", 404), ("auditor", 404)):
        assert client_for(school[person]).post(url, {"situation": "phd"}).status_code == status, person

    client = client_for(school["head_civil"])
    assert f'href="{url}"' in client.get(f"/students/{graduate.pk}/").content.decode()
    page = client.get(url)
    form = page.context["form"]
    assert "salary_without_bonuses" not in form.fields and "41234" not in page.content.decode()
    version = signing.Signer(salt=SALT).unsign_object(form["version"].value())
    assert "salary_without_bonuses" not in version and "41234" not in str(version)
    response = client.post(url, {**form_data(form), "employer_name": "Routes de France"})
    assert response["Location"] == f"/students/{graduate.pk}/#insertion"
    record.refresh_from_db()
    assert (record.employer_name, record.salary_without_bonuses) == ("Routes de France", Decimal("41234"))

    # The quality manager sees and corrects the salary.
    client = client_for(school["quality_manager"])
    form = page_form(client, url)
    assert form["salary_without_bonuses"].value() == Decimal("41234")
    client.post(url, {**form_data(form), "salary_without_bonuses": "42000"})
    record.refresh_from_db()
    assert record.salary_without_bonuses == Decimal("42000")


def test_a_situation_edited_against_a_newer_version_is_refused_without_naming_salaries(
    school: dict[str, Any], graduate: Student
) -> None:
    record = situation(graduate, salary_without_bonuses=Decimal("41234"))
    url = f"/students/{graduate.pk}/situations/{record.pk}/"
    client = client_for(school["office"])
    read = form_data(page_form(client, url))
    # Someone else changes the salary: no conflict on a field this person does not see.
    InsertionRecord.objects.filter(pk=record.pk).update(salary_without_bonuses=Decimal("43000"))
    assert client.post(url, {**read, "sector": "BTP"}).status_code == 302
    # ...but a change of the employer they read is a conflict, and nothing is written.
    read = form_data(page_form(client, url))
    InsertionRecord.objects.filter(pk=record.pk).update(employer_name="Autre")
    page = client.post(url, {**read, "sector": "Énergie"}).content.decode()
    assert "Someone else saved this record after you opened it" in page and "43000" not in page
    record.refresh_from_db()
    assert (record.sector, record.salary_without_bonuses) == ("BTP", Decimal("43000"))


# The school's settings ------------------------------------------------------------------------


def test_the_graduation_requirements_are_the_quality_managers(school: dict[str, Any], records: dict[str, Any]) -> None:
    url = "/students/requirements/"
    data = {
        "internship_weeks": "30",
        "mobility_weeks_student": "17",
        "mobility_weeks_apprentice": "9",
        "english_level": "C1",
        "retention_years": "6",
    }
    for person in ("office", "director", "head_civil", "teacher", "student"):
        client = client_for(school[person])
        assert client.get(url).status_code == 403, person
        assert client.post(url, data).status_code == 403, person
        assert url not in client.get("/students/").content.decode()
    assert not StudentRules.objects.exists()

    client = client_for(school["quality_manager"])
    assert url in client.get("/students/").content.decode()
    assert url in client.get("/students/at-risk/").content.decode()
    errors = errors_of(client.post(url, {**form_data(page_form(client, url)), "retention_years": "0"}))
    assert errors == {"retention_years": ["Ensure this value is greater than or equal to 1."]}
    errors = errors_of(client.post(url, {**form_data(page_form(client, url)), "english_level": "D1"}))
    assert errors == {"english_level": ["Select a valid choice. D1 is not one of the available choices."]}
    assert not StudentRules.objects.exists()
    assert client.post(url, {**form_data(page_form(client, url)), **data})["Location"] == "/students/at-risk/"
    rules = StudentRules.objects.get()
    assert (rules.internship_weeks, rules.english_level, rules.retention_years) == (30, "C1", 6)
    # An edit read before someone else's save is refused.
    read = form_data(page_form(client, url))
    StudentRules.objects.update(internship_weeks=28)
    assert "Someone else saved this record" in client.post(url, {**read, "retention_years": "7"}).content.decode()
    rules.refresh_from_db()
    assert (rules.internship_weeks, rules.retention_years) == (28, 6)

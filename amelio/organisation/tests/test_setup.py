"""A school that starts without the demo: the superuser is never locked out, the first-run
set-up pages and `manage.py setup_school`, the school's record and its identifiers."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from PIL import Image

from amelio.core.permissions import can
from amelio.history.models import HistoryEntry
from amelio.organisation import services
from amelio.organisation.choices import Role
from amelio.organisation.models import AcademicYear, Department, Person, Programme, RoleAssignment, School
from amelio.organisation.selectors import school_logo, school_logo_data_uri
from amelio.organisation.setup import parse_structure, setup_is_complete
from amelio.organisation.validators import validate_siret, validate_uai
from amelio.processes.models import Process
from amelio.processes.services import process_create

pytestmark = pytest.mark.django_db

PASSWORD = "Un-mot-de-passe-solide-2026"


@pytest.fixture
def superuser() -> Person:
    return Person.objects.create_superuser("admin@ecole.fr", PASSWORD, first_name="Ada", last_name="Admin")


def client_for(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


def signed_in(email: str) -> Client:
    """Signs in through the login page, as a person would (password and lockout checks)."""
    client = Client()
    response = client.post(reverse("login"), {"username": email, "password": PASSWORD})
    assert response.status_code == 302, response.content
    return client


def png_upload(name: str = "logo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), (30, 60, 120)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


# A superuser is never locked out ------------------------------------------------------


@pytest.mark.parametrize(
    "url_name",
    [
        "organisation:department_create",
        "organisation:programme_create",
        "organisation:academic_year_create",
        "organisation:person_create",
        "processes:process_create",
        "internships:internship_create",
        "organisation:setup",
        "organisation:setup_school",
        "organisation:setup_year",
        "organisation:setup_structure",
        "organisation:setup_quality_manager",
    ],
)
def test_a_superuser_without_any_role_opens_the_new_pages(superuser: Person, url_name: str) -> None:
    assert not RoleAssignment.objects.filter(person=superuser).exists()
    assert client_for(superuser).get(reverse(url_name)).status_code == 200


def test_a_superuser_holds_the_school_wide_roles_but_state_rules_still_hold(superuser: Person) -> None:
    assert can(superuser, "organisation.manage_structure")
    assert can(superuser, "organisation.grant_role", None)
    assert can(superuser, "processes.add_process")
    assert can(superuser, "internships.create")


def test_an_inactive_superuser_is_refused(superuser: Person) -> None:
    superuser.is_active = False
    superuser.save()
    assert not can(superuser, "organisation.manage_structure")


def test_a_plain_member_of_staff_still_gets_403_on_set_up_pages(school: dict[str, Any]) -> None:
    client = client_for(school["teacher"])
    for name in ("organisation:setup", "organisation:setup_school", "organisation:school_update"):
        assert client.get(reverse(name)).status_code == 403
    response = client.post(reverse("organisation:setup_structure"), {"lines": "XX; Intrus"})
    assert response.status_code == 403
    assert not Department.objects.filter(code="XX").exists()


# The set-up pages, end to end ---------------------------------------------------------


def test_home_leads_a_superuser_to_the_set_up_until_it_is_done(superuser: Person) -> None:
    client = client_for(superuser)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("organisation:setup")


def test_home_does_not_redirect_other_people(school: dict[str, Any]) -> None:
    assert client_for(school["quality_manager"]).get("/").status_code == 200


def test_the_whole_set_up_through_the_pages(superuser: Person) -> None:
    client = client_for(superuser)
    response = client.post(
        reverse("organisation:setup_school"),
        {
            "name": "École d'ingénieurs de Lyon",
            "short_name": "EIL",
            "city": "Lyon",
            "siret": "19691774400019",
            "uai": "0690192J",
            "default_language": "fr",
            "time_zone": "Europe/Paris",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    assert response["Location"] == reverse("organisation:setup")
    response = client.post(
        reverse("organisation:setup_year"),
        {"label": "2026-2027", "starts_on": "2026-09-01", "ends_on": "2027-08-31", "is_current": "on"},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("organisation:setup_structure"),
        {
            "lines": "GC; Génie Civil\nGE; Génie Électrique\n"
            + "GC-ING; Ingénieur Génie Civil; GC\nGE-APP; Ingénieur GE; GE; apprentissage"
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("organisation:setup_quality_manager"),
        {"email": "Qualite@Ecole.fr", "first_name": "Claire", "last_name": "Martin", "password": PASSWORD},
    )
    assert response.status_code == 302
    assert setup_is_complete()
    assert client.get("/").status_code == 200  # no more redirect once set up
    school = School.objects.get()
    assert (school.siret, school.uai) == ("19691774400019", "0690192J")
    assert AcademicYear.objects.get().is_current
    assert set(Programme.objects.values_list("code", "is_apprenticeship")) == {("GC-ING", False), ("GE-APP", True)}
    manager = Person.objects.get(email="qualite@ecole.fr")
    assert RoleAssignment.objects.filter(person=manager, role=Role.QUALITY_MANAGER, scope_kind="school").exists()
    assert HistoryEntry.objects.filter(actor=superuser).count() >= 7
    # The new quality manager signs in with their password and creates a process.
    quality_client = signed_in("qualite@ecole.fr")
    assert quality_client.get(reverse("processes:process_create")).status_code == 200
    process = process_create(
        actor=manager,
        data={"code": "P-01", "name": "Former", "kind": "realisation", "purpose": "Former", "owner": manager},
    )
    assert Process.objects.filter(pk=process.pk).exists()


def test_structure_lines_with_mistakes_are_refused_whole_with_their_line(superuser: Person) -> None:
    response = client_for(superuser).post(
        reverse("organisation:setup_structure"), {"lines": "GC; Génie Civil\nseulement-un-code\nP1; Prog; ZZ"}
    )
    assert response.status_code == 200  # the form again, with its errors
    errors = response.context["form"].errors["lines"]
    assert any("Line 2" in error for error in errors)
    assert not Department.objects.exists()
    response = client_for(superuser).post(
        reverse("organisation:setup_structure"), {"lines": "GC; Génie Civil\nP1; Prog; ZZ"}
    )
    assert response.status_code == 200  # the form again, with its errors
    assert "no department has the code “ZZ”" in str(response.context["form"].errors["lines"])
    assert not Department.objects.exists()  # the department of line 1 was not kept either


def test_structure_from_a_csv_file_and_typed_twice_changes_nothing(superuser: Person) -> None:
    client = client_for(superuser)
    upload = SimpleUploadedFile("structure.csv", "GC;Génie Civil\nGC-ING;Ingénieur GC;GC\n".encode(), "text/csv")
    assert client.post(reverse("organisation:setup_structure"), {"file": upload}).status_code == 302
    entries = HistoryEntry.objects.count()
    assert (
        client.post(
            reverse("organisation:setup_structure"), {"lines": "GC;Génie Civil\nGC-ING;Ingénieur GC;GC"}
        ).status_code
        == 302
    )
    assert Department.objects.count() == 1 and Programme.objects.count() == 1
    assert HistoryEntry.objects.count() == entries


def test_parse_structure_ignores_comments_and_blank_lines() -> None:
    structure = parse_structure("# départements\n\nGC\tGénie Civil\t\nGC-ING; Ingénieur; GC; FISA\n")
    assert structure.departments == [{"code": "GC", "name": "Génie Civil"}]
    assert structure.programmes[0]["apprenticeship"] is True


def test_the_quality_manager_step_refuses_a_weak_password(superuser: Person) -> None:
    response = client_for(superuser).post(
        reverse("organisation:setup_quality_manager"),
        {"email": "q@ecole.fr", "first_name": "Q", "last_name": "M", "password": "123"},
    )
    assert response.status_code == 200  # the form again, with its errors
    assert "password" in response.context["form"].errors
    assert not Person.objects.filter(email="q@ecole.fr").exists()


# The school's record ------------------------------------------------------------------


@pytest.mark.parametrize("siret", ["73282932000074", "19691774400019", "35600000000048", "35600000000001"])
def test_valid_sirets(siret: str) -> None:
    validate_siret(siret)


@pytest.mark.parametrize(
    ("siret", "message"),
    [("1234", "14 digits"), ("7328293200007A", "14 digits"), ("73282932000075", "check digit")],
)
def test_invalid_sirets(siret: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        validate_siret(siret)


def test_uai_checks_its_key_letter() -> None:
    validate_uai("0750736T")
    with pytest.raises(ValidationError, match="key letter"):
        validate_uai("0750736U")
    with pytest.raises(ValidationError, match="7 digits"):
        validate_uai("750736T")


def test_the_school_page_shows_the_record_and_its_history(school: dict[str, Any]) -> None:
    record = services.school_create(actor=school["quality_manager"], data={"name": "École", "city": "Lyon"})
    services.school_update(actor=school["quality_manager"], school=record, data={"uai": "0690192J"})
    page = client_for(school["teacher"]).get(reverse("organisation:school_detail"))
    assert page.status_code == 200
    assert "0690192J" in page.content.decode()
    assert HistoryEntry.objects.filter(object_id=str(record.pk), content_type__model="school").count() == 2
    assert client_for(school["student"]).get(reverse("organisation:school_detail")).status_code == 403


def test_editing_the_school_with_a_bad_siret_changes_nothing(school: dict[str, Any]) -> None:
    record = services.school_create(actor=school["quality_manager"], data={"name": "École"})
    response = client_for(school["quality_manager"]).post(
        reverse("organisation:school_update"),
        {"name": "Autre", "siret": "73282932000075", "uai": "", "default_language": "fr", "time_zone": "Mars/Olympus"},
    )
    assert response.status_code == 200  # the form again, with its errors
    errors = response.context["form"].errors
    assert "check digit" in str(errors["siret"]) and "time zone" in str(errors["time_zone"])
    record.refresh_from_db()
    assert record.name == "École"


def test_only_structure_managers_edit_the_school(school: dict[str, Any]) -> None:
    record = services.school_create(actor=school["quality_manager"], data={"name": "École"})
    with pytest.raises(PermissionDenied):
        services.school_update(actor=school["head_civil"], school=record, data={"name": "Piraté"})
    record.refresh_from_db()
    assert record.name == "École"


def test_a_second_school_is_refused(school: dict[str, Any]) -> None:
    services.school_create(actor=school["quality_manager"], data={"name": "École"})
    with pytest.raises(ValidationError, match="already recorded"):
        services.school_create(actor=school["quality_manager"], data={"name": "Bis"})
    assert School.objects.count() == 1


def test_the_logo_is_kept_shown_and_printed(school: dict[str, Any]) -> None:
    record = services.school_create(actor=school["quality_manager"], data={"name": "École"})
    client = client_for(school["quality_manager"])
    assert client.post(reverse("organisation:school_logo"), {"logo": png_upload()}).status_code == 302
    stored = school_logo(school=record)
    assert stored is not None and stored.content_type == "image/png"
    assert school_logo_data_uri(school=record).startswith("data:image/png;base64,iVBOR")
    assert client.get(reverse("core:file_download", args=[stored.pk])).status_code == 200
    pdf = SimpleUploadedFile(
        "logo.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf"
    )
    response = client.post(reverse("organisation:school_logo"), {"logo": pdf})
    assert response.status_code == 200  # the form again, with its errors
    assert "PNG or JPEG" in str(response.context["form"].errors)
    assert school_logo(school=record) == stored


# manage.py setup_school ---------------------------------------------------------------

SETUP_TOML = """
[school]
name = "École d'ingénieurs de Lyon"
siret = "19691774400019"
uai = "0690192J"

[academic_year]
label = "2026-2027"
starts_on = 2026-09-01
ends_on = 2027-08-31

[[departments]]
code = "GC"
name = "Génie Civil"

[[programmes]]
code = "GC-ING"
name = "Ingénieur Génie Civil"
department = "GC"

[quality_manager]
email = "qualite@ecole.fr"
first_name = "Claire"
last_name = "Martin"
password = "Un-mot-de-passe-solide-2026"
"""


def test_setup_school_from_a_toml_file_twice(tmp_path: Path, db: Any) -> None:
    path = tmp_path / "school.toml"
    path.write_text(SETUP_TOML, encoding="utf-8")
    out = io.StringIO()
    call_command("setup_school", file=str(path), stdout=out)
    assert "school: 1" in out.getvalue()
    assert setup_is_complete()
    entries = HistoryEntry.objects.count()
    out = io.StringIO()
    call_command("setup_school", file=str(path), stdout=out)
    assert "school: 0, academic_year: 0, departments: 0, programmes: 0, quality_manager: 0" in out.getvalue()
    assert HistoryEntry.objects.count() == entries
    assert (School.objects.count(), AcademicYear.objects.count(), Person.objects.count()) == (1, 1, 1)
    signed_in("qualite@ecole.fr")


def test_setup_school_from_json_and_options(tmp_path: Path, db: Any) -> None:
    path = tmp_path / "school.json"
    path.write_text(json.dumps({"school": {"name": "École"}}), encoding="utf-8")
    call_command(
        "setup_school",
        file=str(path),
        uai="0750736T",
        year="2026-2027:2026-09-01:2027-08-31",
        department=["GE:Génie Électrique"],
        programme=["GE-APP:Ingénieur GE:GE:apprenticeship"],
        quality_manager="q@ecole.fr:Quentin:Martin",
        stdout=io.StringIO(),
    )
    assert School.objects.get().uai == "0750736T"
    assert Programme.objects.get().is_apprenticeship
    assert not Person.objects.get(email="q@ecole.fr").has_usable_password()


def test_setup_school_refuses_bad_input_and_writes_nothing(tmp_path: Path, db: Any) -> None:
    path = tmp_path / "school.toml"
    path.write_text(SETUP_TOML.replace("0690192J", "0690192K"), encoding="utf-8")
    with pytest.raises(CommandError, match="uai: This UAI's key letter is wrong"):
        call_command("setup_school", file=str(path), stdout=io.StringIO())
    path.write_text("[school\nname=", encoding="utf-8")
    with pytest.raises(CommandError, match="not valid TOML"):
        call_command("setup_school", file=str(path), stdout=io.StringIO())
    with pytest.raises(CommandError, match="Nothing to set up"):
        call_command("setup_school", stdout=io.StringIO())
    assert not School.objects.exists() and not Department.objects.exists()


# Django's admin site ------------------------------------------------------------------


def test_the_admin_lists_the_organisation_read_only(superuser: Person, school: dict[str, Any]) -> None:
    client = client_for(superuser)
    assert client.get(reverse("admin:organisation_person_changelist")).status_code == 200
    assert client.get(reverse("admin:organisation_department_add")).status_code == 403
    department = Department.objects.first()
    assert department is not None
    response = client.post(
        reverse("admin:organisation_department_change", args=[department.pk]), {"code": "X", "name": "Y"}
    )
    assert response.status_code == 403
    department.refresh_from_db()
    assert department.code != "X"

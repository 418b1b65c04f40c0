"""Companies, their sites and contacts: the comparable name, de-duplication (a SIRET
already used is refused, a probable duplicate must be confirmed), the merge of two records
with their whole story, the pages and who may use them."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from amelio.history.choices import HistoryAction
from amelio.history.models import HistoryEntry
from amelio.internships.models import Internship
from amelio.organisation.tests.factories import ProgrammeFactory
from amelio.partners import services
from amelio.partners.models import Company, Contact, Intervention, PartnershipAgreement, Site
from amelio.partners.tests.conftest import client_for
from amelio.partners.tests.factories import (
    AgreementFactory,
    CompanyFactory,
    ContactFactory,
    InterventionFactory,
    SiteFactory,
    academic_year,
    hosted_internship,
)

pytestmark = pytest.mark.django_db

VALID_SIRET = "73282932000074"


def company_data(**changes: Any) -> dict[str, Any]:
    data = {
        "legal_name": "Bâtiments Réunis SAS",
        "trade_name": "",
        "siret": "732 829 320 00074",
        "naf_code": "41.20A",
        "size": "sme",
        "address": "3 rue de la Paix",
        "postal_code": "69001",
        "city": "Lyon",
        "country": "fr",
        "website": "",
    }
    data.update(changes)
    return data


def history_of(record: Any) -> list[HistoryEntry]:
    return list(
        HistoryEntry.objects.filter(content_type__model=record._meta.model_name, object_id=str(record.pk)).order_by(
            "id"
        )
    )


# The comparable name --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Société Générale S.A.", "SOCIETE GENERALE"),
        ("SOCIETE GENERALE", "SOCIETE GENERALE"),
        ("Vinci SAS", "VINCI"),
        ("vinci", "VINCI"),
        ("Thales Group", "THALES"),
        ("Eiffage SA", "EIFFAGE"),
        ("Boulangerie Dupont SARL", "BOULANGERIE DUPONT"),
        ("Conseil Martin EURL", "CONSEIL MARTIN"),
        ("Studio Nova SASU", "STUDIO NOVA"),
        ("Frères Lumière SNC", "FRERES LUMIERE"),
        ("L'Oréal", "LOREAL"),
        ("Saint-Gobain", "SAINT GOBAIN"),
        ("  Électricité   de France  ", "ELECTRICITE DE FRANCE"),
        ("SA", "SA"),
    ],
)
def test_normalise_company_name(name: str, key: str) -> None:
    assert services.normalise_company_name(name) == key


# Creating ---------------------------------------------------------------------------------


def test_the_office_creates_a_company(school: dict[str, Any]) -> None:
    company = services.company_create(actor=school["office"], data=company_data())
    assert company.siret == VALID_SIRET
    assert company.name_key == "BATIMENTS REUNIS"
    assert company.country == "FR"
    assert company.merged_into is None and company.is_active
    [entry] = history_of(company)
    assert entry.action == HistoryAction.CREATE
    assert entry.actor == school["office"]
    assert entry.changes["siret"] == ["", VALID_SIRET]


@pytest.mark.parametrize("key", ["quality_manager", "director", "office"])
def test_who_may_create_a_company(school: dict[str, Any], key: str) -> None:
    services.company_create(actor=school[key], data=company_data())
    assert Company.objects.count() == 1


@pytest.mark.parametrize("key", ["teacher", "head_civil", "student", "auditor"])
def test_who_may_not_create_a_company(school: dict[str, Any], key: str) -> None:
    with pytest.raises(PermissionDenied):
        services.company_create(actor=school[key], data=company_data())
    assert not Company.objects.exists()
    assert not HistoryEntry.objects.exists()


def test_a_siret_already_used_is_refused_naming_the_company(school: dict[str, Any]) -> None:
    existing = CompanyFactory(legal_name="Constructions Alpha", siret=VALID_SIRET)
    with pytest.raises(ValidationError) as error:
        services.company_create(
            actor=school["office"], data=company_data(legal_name="Autre nom"), confirm_duplicate=True
        )
    message = " ".join(error.value.message_dict["siret"])
    assert "Constructions Alpha" in message
    assert "732 829 320 00074" in message
    assert Company.objects.count() == 1
    assert not history_of(existing)


def test_a_siret_of_a_merged_record_may_be_used_again(school: dict[str, Any]) -> None:
    keep = CompanyFactory(legal_name="Gardée")
    CompanyFactory(legal_name="Absorbée", siret=VALID_SIRET, merged_into=keep, is_active=False)
    company = services.company_create(actor=school["office"], data=company_data(), confirm_duplicate=True)
    assert company.siret == VALID_SIRET


def test_an_invalid_siret_is_refused(school: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as error:
        services.company_create(actor=school["office"], data=company_data(siret="732 829 320 00075"))
    assert "siret" in error.value.message_dict
    assert not Company.objects.exists()


def test_a_probable_duplicate_by_name_must_be_confirmed(school: dict[str, Any]) -> None:
    existing = CompanyFactory(legal_name="BATIMENTS REUNIS")
    with pytest.raises(services.ProbableDuplicateError) as error:
        services.company_create(actor=school["office"], data=company_data(siret=""))
    assert error.value.duplicates == [existing]
    assert Company.objects.count() == 1
    company = services.company_create(actor=school["office"], data=company_data(siret=""), confirm_duplicate=True)
    assert company.name_key == existing.name_key
    assert Company.objects.count() == 2


def test_another_establishment_of_the_same_siren_is_a_probable_duplicate(school: dict[str, Any]) -> None:
    existing = CompanyFactory(legal_name="Tout autre nom", siret="73282932000017")
    with pytest.raises(services.ProbableDuplicateError) as error:
        services.company_create(actor=school["office"], data=company_data())
    assert error.value.duplicates == [existing]


def test_merged_records_are_not_duplicates(school: dict[str, Any]) -> None:
    keep = CompanyFactory(legal_name="Autre")
    CompanyFactory(legal_name="Bâtiments réunis", merged_into=keep)
    services.company_create(actor=school["office"], data=company_data())


# Updating ---------------------------------------------------------------------------------


def test_an_update_recomputes_the_comparable_name(school: dict[str, Any]) -> None:
    company = CompanyFactory(legal_name="Ancien Nom SA")
    changes = services.company_update(
        actor=school["office"], company=company, data={"legal_name": "Nouveau Nom SAS", "naf_code": "6201z"}
    )
    company.refresh_from_db()
    assert company.name_key == "NOUVEAU NOM"
    assert company.naf_code == "62.01Z"
    assert changes["legal_name"] == ["Ancien Nom SA", "Nouveau Nom SAS"]
    assert history_of(company)[-1].action == HistoryAction.UPDATE


def test_an_update_to_a_used_siret_is_refused(school: dict[str, Any]) -> None:
    CompanyFactory(legal_name="Titulaire", siret=VALID_SIRET)
    company = CompanyFactory(legal_name="Autre")
    with pytest.raises(ValidationError) as error:
        services.company_update(actor=school["office"], company=company, data={"siret": VALID_SIRET})
    assert "Titulaire" in " ".join(error.value.message_dict["siret"])
    company.refresh_from_db()
    assert company.siret == ""
    assert not history_of(company)


def test_a_teacher_cannot_update_a_company(school: dict[str, Any]) -> None:
    company = CompanyFactory(legal_name="Intacte")
    with pytest.raises(PermissionDenied):
        services.company_update(actor=school["teacher"], company=company, data={"legal_name": "Changée"})
    company.refresh_from_db()
    assert company.legal_name == "Intacte"
    assert not history_of(company)


def test_a_merged_record_cannot_be_updated(school: dict[str, Any]) -> None:
    keep = CompanyFactory()
    absorbed = CompanyFactory(merged_into=keep, is_active=False)
    with pytest.raises(ValidationError):
        services.company_update(actor=school["office"], company=absorbed, data={"city": "Paris"})


# Merging ----------------------------------------------------------------------------------


def populated_company(school: dict[str, Any], name: str, **fields: Any) -> Company:
    company = CompanyFactory(legal_name=name, **fields)
    SiteFactory(company=company)
    tutor = ContactFactory(company=company)
    AgreementFactory(company=company, owner=school["office"])
    InterventionFactory(speaker=ContactFactory(company=company, is_speaker=True), company=company)
    hosted_internship(
        company=company, programme=ProgrammeFactory(department=school["civil"]), year=academic_year(2025), tutor=tutor
    )
    return company


def test_merge_moves_everything_and_records_history_on_both(school: dict[str, Any]) -> None:
    keep = populated_company(school, "Bâtiments Réunis", city="")
    absorbed = populated_company(school, "BATIMENTS REUNIS SAS", siret=VALID_SIRET, city="Lyon")
    earlier = CompanyFactory(legal_name="Ancien doublon", merged_into=absorbed, is_active=False)

    result = services.company_merge(actor=school["office"], keep=keep, absorbed=absorbed, reason="Même entreprise")

    assert result == keep
    for model in (Site, PartnershipAgreement, Intervention, Internship):
        assert model.objects.filter(company=keep).count() == 2, model
        assert not model.objects.filter(company=absorbed).exists(), model
    assert Contact.objects.filter(company=keep).count() == 4
    assert not Contact.objects.filter(company=absorbed).exists()
    absorbed.refresh_from_db()
    keep.refresh_from_db()
    earlier.refresh_from_db()
    assert absorbed.merged_into == keep and not absorbed.is_active
    assert earlier.merged_into == keep
    # The kept record takes the details it lacked, the SIRET included.
    assert keep.siret == VALID_SIRET and keep.city == "Lyon"
    [absorbed_entry] = history_of(absorbed)
    assert absorbed_entry.reason == "Même entreprise"
    assert absorbed_entry.changes["merged_into"] == ["", str(keep)]
    assert absorbed_entry.changes["is_active"] == ["✔", "✘"]
    keep_entry = history_of(keep)[-1]
    assert keep_entry.reason == "Même entreprise"
    assert keep_entry.actor == school["office"]
    assert keep_entry.changes["siret"] == ["", VALID_SIRET]
    assert "BATIMENTS REUNIS SAS" in keep_entry.changes["description"][1]
    assert "1 internship" in keep_entry.changes["description"][1]


def test_the_absorbed_page_leads_to_the_kept_one(school: dict[str, Any]) -> None:
    keep = CompanyFactory(legal_name="Gardée")
    absorbed = CompanyFactory(legal_name="Absorbée")
    services.company_merge(actor=school["office"], keep=keep, absorbed=absorbed, reason="Doublon")
    client = client_for(school["teacher"])
    response = client.get(absorbed.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"] == keep.get_absolute_url()
    assert client.get(reverse("partners:company_update", args=[absorbed.pk])).status_code in (403, 404)
    page = client.get(keep.get_absolute_url())
    assert "Absorbée" in page.content.decode()
    assert absorbed not in client.get(reverse("partners:company_list")).context["table"].data.data


@pytest.mark.parametrize(
    ("reason", "same", "already_merged"),
    [("", False, False), ("Doublon", True, False), ("Doublon", False, True)],
)
def test_refused_merges_change_nothing(school: dict[str, Any], reason: str, same: bool, already_merged: bool) -> None:
    keep = populated_company(school, "Gardée")
    absorbed = keep if same else populated_company(school, "Absorbée")
    if already_merged:
        Company.objects.filter(pk=absorbed.pk).update(merged_into=CompanyFactory(), is_active=False)
        absorbed.refresh_from_db()
    entries = HistoryEntry.objects.count()
    with pytest.raises(ValidationError):
        services.company_merge(actor=school["office"], keep=keep, absorbed=absorbed, reason=reason)
    assert Site.objects.filter(company=keep).count() == 1
    assert HistoryEntry.objects.count() == entries


@pytest.mark.parametrize("key", ["teacher", "head_civil"])
def test_who_may_not_merge(school: dict[str, Any], key: str) -> None:
    keep, absorbed = populated_company(school, "Gardée"), populated_company(school, "Absorbée")
    with pytest.raises(PermissionDenied):
        services.company_merge(actor=school[key], keep=keep, absorbed=absorbed, reason="Doublon")
    absorbed.refresh_from_db()
    assert absorbed.merged_into is None and absorbed.is_active
    assert Site.objects.filter(company=absorbed).count() == 1
    assert not history_of(absorbed)


def test_the_merge_page(school: dict[str, Any]) -> None:
    keep, absorbed = CompanyFactory(legal_name="Gardée"), CompanyFactory(legal_name="Absorbée")
    url = reverse("partners:company_merge", args=[keep.pk])
    assert client_for(school["teacher"]).get(url).status_code == 403
    client = client_for(school["office"])
    assert client.get(url).status_code == 200
    response = client.post(url, {"absorbed": absorbed.pk, "reason": ""})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    response = client.post(url, {"absorbed": absorbed.pk, "reason": "Doublon"})
    assert response.status_code == 302 and response["Location"] == keep.get_absolute_url()
    absorbed.refresh_from_db()
    assert absorbed.merged_into == keep


# The pages --------------------------------------------------------------------------------


def test_the_create_page_shows_possible_duplicates_and_asks_to_confirm(school: dict[str, Any]) -> None:
    existing = CompanyFactory(legal_name="Bâtiments Réunis")
    client = client_for(school["office"])
    url = reverse("partners:company_create")
    assert client.get(url).status_code == 200
    form = company_data(siret="", country="FR")
    response = client.post(url, form)
    assert response.status_code == 200
    assert list(response.context["duplicates"]) == [existing]
    content = response.content.decode()
    assert existing.get_absolute_url() in content
    assert 'type="checkbox" name="confirm_duplicate"' in content
    assert Company.objects.count() == 1
    response = client.post(url, {**form, "confirm_duplicate": "on"})
    assert response.status_code == 302
    assert Company.objects.count() == 2


def test_the_create_page_names_the_company_of_a_used_siret(school: dict[str, Any]) -> None:
    CompanyFactory(legal_name="Titulaire du SIRET", siret=VALID_SIRET)
    response = client_for(school["office"]).post(
        reverse("partners:company_create"), {**company_data(legal_name="Autre"), "confirm_duplicate": "on"}
    )
    assert response.status_code == 200
    assert "Titulaire du SIRET" in " ".join(response.context["form"].errors["siret"])
    assert Company.objects.count() == 1


@pytest.mark.parametrize(("key", "expected"), [("office", 200), ("teacher", 403), ("student", 403)])
def test_who_opens_the_create_page(school: dict[str, Any], key: str, expected: int) -> None:
    assert client_for(school[key]).get(reverse("partners:company_create")).status_code == expected


def test_a_teacher_cannot_post_a_company(school: dict[str, Any]) -> None:
    response = client_for(school["teacher"]).post(reverse("partners:company_create"), company_data())
    assert response.status_code == 403
    assert not Company.objects.exists()


def test_the_edit_page(school: dict[str, Any]) -> None:
    company = CompanyFactory(legal_name="Avant")
    url = reverse("partners:company_update", args=[company.pk])
    assert client_for(school["teacher"]).post(url, {**company_data(), "is_active": "on"}).status_code == 403
    response = client_for(school["office"]).post(url, {**company_data(legal_name="Après"), "is_active": "on"})
    assert response.status_code == 302
    company.refresh_from_db()
    assert company.legal_name == "Après" and company.name_key == "APRES"


@pytest.mark.parametrize(("key", "expected"), [("teacher", 200), ("auditor", 200), ("student", 403)])
def test_who_sees_the_company_page(school: dict[str, Any], key: str, expected: int) -> None:
    company = CompanyFactory()
    assert client_for(school[key]).get(company.get_absolute_url()).status_code == expected


def test_the_company_page_shows_what_the_school_does_with_it(school: dict[str, Any]) -> None:
    company = CompanyFactory(legal_name="Partenaire Fidèle")
    programme = ProgrammeFactory(department=school["civil"])
    alumnus = ContactFactory(company=company, first_name="Alice", last_name="Ancienne", is_alumni=True)
    for start, count in ((2024, 2), (2025, 3)):
        for _ in range(count):
            hosted_internship(
                company=company,
                programme=programme,
                year=academic_year(start),
                scores={"company_tutor": Decimal("4"), "student": Decimal("3")},
            )
    hosted_internship(company=company, programme=programme, year=academic_year(2025), status="draft")
    hosted_internship(company=company, programme=programme, year=academic_year(2025), status="cancelled")
    InterventionFactory(
        speaker=ContactFactory(company=company, is_speaker=True),
        company=company,
        academic_year=academic_year(2025),
        planned_hours=Decimal("12"),
        delivered_hours=Decimal("10.5"),
    )
    AgreementFactory(company=company, title="Chaire béton", owner=school["office"], departments=[school["civil"]])

    response = client_for(school["office"]).get(company.get_absolute_url())
    assert response.status_code == 200
    dossier = response.context["dossier"]
    sections = {section["name"]: section for section in response.context["company_sections"]}
    per_year = sections["internships_per_year"]["rows"]
    years = {row["academic_year__label"]: (row["hosted"], row["in_preparation"]) for row in per_year}
    assert years == {"2025-2026": (3, 1), "2024-2025": (2, 0)}
    assert [row["academic_year__label"] for row in per_year] == ["2025-2026", "2024-2025"]
    assert len(sections["latest_internships"]["internships"]) == 7
    [teaching] = dossier.teaching_per_year
    assert (teaching["planned"], teaching["delivered"]) == (Decimal("12"), Decimal("10.5"))
    first = sections["internship_scores"]["rows"][0]
    assert first["academic_year__label"] == "2025-2026"
    assert [cell["average"] for cell in first["cells"]] == [Decimal("4"), Decimal("3")]
    assert dossier.alumni == [alumnus]
    content = response.content.decode()
    assert "Chaire béton" in content
    assert "Alice Ancienne" in content
    assert "students app" in content


def test_the_latest_internships_are_those_the_user_may_open(school: dict[str, Any]) -> None:
    company = CompanyFactory()
    programme = ProgrammeFactory(department=school["civil"])
    hosted_internship(company=company, programme=programme, year=academic_year(2025))
    response = client_for(school["teacher"]).get(company.get_absolute_url())
    # The counts name nobody; the list shows only internships the teacher may open.
    sections = {section["name"]: section for section in response.context["company_sections"]}
    assert sections["internships_per_year"]["rows"][0]["hosted"] == 1
    assert sections["latest_internships"]["internships"] == []


def test_the_company_list_filters_and_exports(school: dict[str, Any]) -> None:
    CompanyFactory(legal_name="Alpha Construction", siret=VALID_SIRET)
    CompanyFactory(legal_name="Beta Énergie")
    client = client_for(school["teacher"])
    response = client.get(reverse("partners:company_list"), {"q": "732 829"})
    assert [c.legal_name for c in response.context["table"].data.data] == ["Alpha Construction"]
    response = client.get(reverse("partners:company_list"), {"export": "csv"})
    assert response.status_code == 200
    assert "Beta Énergie" in response.content.decode("utf-8-sig")


# Sites and contacts -------------------------------------------------------------------------


def test_sites_and_contacts_are_added_and_edited_with_history(school: dict[str, Any]) -> None:
    company = CompanyFactory()
    site = services.site_create(
        actor=school["office"], company=company, data={"name": "Usine", "siret": "732 829 320 00074", "city": "Lyon"}
    )
    assert site.siret == VALID_SIRET and site.company == company
    services.site_update(actor=school["office"], site=site, data={"city": "Vienne"})
    contact = services.contact_create(
        actor=school["office"],
        company=company,
        data={"first_name": "Léa", "last_name": "Roux", "email": "Lea.Roux@Company.test", "is_hr": True},
    )
    assert contact.email == "lea.roux@company.test"
    services.contact_update(actor=school["office"], contact=contact, data={"is_alumni": True})
    contact.refresh_from_db()
    assert contact.is_alumni
    assert [entry.action for entry in history_of(site)] == [HistoryAction.CREATE, HistoryAction.UPDATE]
    assert [entry.action for entry in history_of(contact)] == [HistoryAction.CREATE, HistoryAction.UPDATE]


def test_a_teacher_cannot_add_a_contact_or_a_site(school: dict[str, Any]) -> None:
    company = CompanyFactory()
    with pytest.raises(PermissionDenied):
        services.contact_create(actor=school["teacher"], company=company, data={"first_name": "A", "last_name": "B"})
    with pytest.raises(PermissionDenied):
        services.site_create(actor=school["teacher"], company=company, data={"name": "Usine"})
    contact = ContactFactory(company=company, job_title="Avant")
    with pytest.raises(PermissionDenied):
        services.contact_update(actor=school["teacher"], contact=contact, data={"job_title": "Après"})
    site = SiteFactory(company=company, name="Usine")
    with pytest.raises(PermissionDenied):
        services.site_update(actor=school["head_civil"], site=site, data={"name": "Entrepôt"})
    contact.refresh_from_db()
    site.refresh_from_db()
    assert contact.job_title == "Avant" and site.name == "Usine"
    assert not Contact.objects.exclude(pk=contact.pk).exists()
    assert Site.objects.count() == 1
    assert not HistoryEntry.objects.exists()


def test_nothing_is_added_to_a_merged_record(school: dict[str, Any]) -> None:
    absorbed = CompanyFactory(merged_into=CompanyFactory(), is_active=False)
    with pytest.raises(ValidationError):
        services.contact_create(actor=school["office"], company=absorbed, data={"first_name": "A", "last_name": "B"})


def test_the_site_and_contact_pages(school: dict[str, Any]) -> None:
    company = CompanyFactory()
    client = client_for(school["office"])
    response = client.post(
        reverse("partners:contact_create", args=[company.pk]),
        {"first_name": "Paul", "last_name": "Durand", "is_tutor": "on", "is_active": "on"},
    )
    assert response.status_code == 302 and response["Location"] == company.get_absolute_url()
    contact = Contact.objects.get()
    assert contact.is_tutor and not contact.is_hr
    response = client.get(reverse("partners:contact_update", args=[contact.pk]))
    assert response.status_code == 200 and response.context["history"]
    response = client.post(
        reverse("partners:site_create", args=[company.pk]), {"name": "Siège", "siret": "123", "country": "FR"}
    )
    assert response.status_code == 200 and "siret" in response.context["form"].errors
    response = client.post(reverse("partners:site_create", args=[company.pk]), {"name": "Siège", "country": "FR"})
    assert response.status_code == 302
    site = Site.objects.get()
    assert client.get(reverse("partners:site_update", args=[site.pk])).status_code == 200
    teacher = client_for(school["teacher"])
    assert teacher.get(reverse("partners:contact_create", args=[company.pk])).status_code == 403
    assert teacher.post(reverse("partners:contact_update", args=[contact.pk]), {"first_name": "X"}).status_code == 403
    assert teacher.post(reverse("partners:site_update", args=[site.pk]), {"name": "X"}).status_code == 403


def test_the_contact_list_filters_by_role(school: dict[str, Any]) -> None:
    company = CompanyFactory(legal_name="Recruteur")
    ContactFactory(company=company, last_name="Rh", is_hr=True, is_tutor=False)
    ContactFactory(company=company, last_name="Tuteur", is_tutor=True)
    ContactFactory(company=company, last_name="Orateur", is_speaker=True, is_tutor=False)
    ContactFactory(company=company, last_name="Ancien", is_alumni=True, is_tutor=False)
    client = client_for(school["teacher"])
    url = reverse("partners:contact_list")
    for role, name in (("hr", "Rh"), ("tutor", "Tuteur"), ("speaker", "Orateur"), ("alumni", "Ancien")):
        response = client.get(url, {"role": role})
        assert [contact.last_name for contact in response.context["table"].data.data] == [name], role
    assert len(client.get(url).context["table"].data.data) == 4
    response = client.get(url, {"role": "alumni", "export": "xlsx"})
    assert response.status_code == 200
    assert client_for(school["student"]).get(url).status_code == 403


def test_dates_of_internships_do_not_matter_to_the_merge(school: dict[str, Any]) -> None:
    """An internship of any state moves: the host FK is all that changes."""
    keep, absorbed = CompanyFactory(), CompanyFactory()
    programme = ProgrammeFactory(department=school["civil"])
    internship = hosted_internship(company=absorbed, programme=programme, year=academic_year(2020), status="cancelled")
    before = Internship.objects.values("starts_on", "status", "company_tutor_id").get(pk=internship.pk)
    services.company_merge(actor=school["director"], keep=keep, absorbed=absorbed, reason="Doublon")
    after = Internship.objects.values("starts_on", "status", "company_tutor_id", "company_id").get(pk=internship.pk)
    assert after.pop("company_id") == keep.pk
    assert after == before
    assert before["starts_on"] > datetime.date(2020, 9, 1)


def test_each_internship_moved_by_a_merge_has_its_history_entry(school: dict[str, Any]) -> None:
    """The merge moves internships through the internships service, one history entry each,
    whatever their state, with the merge's reason."""
    keep = CompanyFactory(legal_name="Gardée")
    absorbed = CompanyFactory(legal_name="Absorbée")
    programme = ProgrammeFactory(department=school["civil"])
    moved = [
        hosted_internship(company=absorbed, programme=programme, year=academic_year(2025), status=status)
        for status in ("draft", "signed", "evaluated", "cancelled")
    ]
    services.company_merge(actor=school["office"], keep=keep, absorbed=absorbed, reason="Doublon SIRET")
    for internship in moved:
        internship.refresh_from_db()
        assert internship.company == keep
        [entry] = HistoryEntry.objects.filter(object_id=str(internship.pk), content_type__model="internship")
        assert entry.changes["company"] == [str(absorbed), str(keep)]
        assert entry.reason == "Doublon SIRET" and entry.actor == school["office"]

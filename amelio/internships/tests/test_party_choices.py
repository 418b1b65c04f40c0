"""The agreement form offers the chosen company's sites and contacts only, and finds the
company as one types (htmx asks `internships:party_options`)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from amelio.internships.models import Internship
from amelio.internships.tests.factories import agreement_data
from amelio.internships.tests.test_views import form_data
from amelio.partners.models import Contact
from amelio.partners.tests.factories import CompanyFactory, ContactFactory, SiteFactory

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"


def client_for(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


def options(response: Any) -> list[str]:
    return re.findall(r'<option value="(\d+)"', response.content.decode())


def select_options(response: Any, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}".*?</select>', response.content.decode(), re.S)
    assert select is not None
    return re.findall(r'<option value="(\d+)"', select.group(0))


@pytest.fixture
def two_companies() -> dict[str, Any]:
    host, other = CompanyFactory(legal_name="Béton Armé SA"), CompanyFactory(legal_name="Ponts et Chaussées")
    return {
        "host": host,
        "other": other,
        "host_contact": ContactFactory(company=host),
        "host_site": SiteFactory(company=host),
        "other_contact": ContactFactory(company=other),
        "other_site": SiteFactory(company=other),
        "former": ContactFactory(company=host, is_active=False),
    }


def test_a_new_agreement_offers_no_contact_before_the_company_is_chosen(
    school: dict[str, Any], two_companies: dict[str, Any]
) -> None:
    response = client_for(school["student"]).get(reverse("internships:internship_create"))
    assert select_options(response, "company_tutor") == []
    assert select_options(response, "site") == []
    assert "Choose the company first" in response.content.decode()
    assert 'hx-get="/internships/new/options/company_tutor/"' in response.content.decode()


@pytest.mark.parametrize("field", ["company_tutor", "site"])
def test_the_options_are_the_chosen_company_s_only(
    school: dict[str, Any], two_companies: dict[str, Any], field: str
) -> None:
    url = reverse("internships:party_options", args=[field])
    response = client_for(school["student"]).get(url, {"company": two_companies["host"].pk})
    assert response.status_code == 200
    mine = "host_contact" if field == "company_tutor" else "host_site"
    assert options(response) == [str(two_companies[mine].pk)]  # neither the other company's nor a former contact


@pytest.mark.parametrize("company", ["", "abc", "-1", HUGE, "²"])
def test_no_company_or_a_bad_one_gives_no_options(
    school: dict[str, Any], two_companies: dict[str, Any], company: str
) -> None:
    url = reverse("internships:party_options", args=["company_tutor"])
    response = client_for(school["office"]).get(url, {"company": company})
    assert response.status_code == 200
    assert options(response) == []


def test_the_company_list_narrows_as_one_types(school: dict[str, Any], two_companies: dict[str, Any]) -> None:
    url = reverse("internships:party_options", args=["company"])
    response = client_for(school["student"]).get(url, {"company_search": "béton"})
    assert options(response) == [str(two_companies["host"].pk)]
    everything = client_for(school["student"]).get(url, {"company_search": ""})
    assert set(options(everything)) >= {str(two_companies["host"].pk), str(two_companies["other"].pk)}


def test_only_those_who_draft_agreements_may_ask(school: dict[str, Any], two_companies: dict[str, Any]) -> None:
    url = reverse("internships:party_options", args=["company_tutor"])
    query = {"company": two_companies["host"].pk}
    assert client_for(school["teacher"]).get(url, query).status_code == 403
    assert client_for(school["auditor"]).get(url, query).status_code == 403
    assert Client().get(url, query).status_code == 302
    assert client_for(school["student"]).get(reverse("internships:party_options", args=["student"])).status_code == 404


def test_a_tutor_of_another_company_is_still_refused_and_nothing_is_written(
    school: dict[str, Any], two_companies: dict[str, Any]
) -> None:
    data = agreement_data(school, company=two_companies["host"], company_tutor=two_companies["other_contact"])
    response = client_for(school["student"]).post(reverse("internships:internship_create"), form_data(data))
    assert response.status_code == 200
    assert "company_tutor" in response.context["form"].errors
    assert not Internship.objects.exists()


def test_an_agreement_being_edited_offers_its_company_s_contacts(
    school: dict[str, Any], two_companies: dict[str, Any]
) -> None:
    data = agreement_data(school, company=two_companies["host"], company_tutor=two_companies["host_contact"])
    client = client_for(school["student"])
    client.post(reverse("internships:internship_create"), form_data(data))
    internship = Internship.objects.get()
    response = client.get(reverse("internships:internship_update", args=[internship.pk]))
    host_contacts = Contact.objects.filter(company=two_companies["host"], is_active=True)
    assert sorted(select_options(response, "company_tutor")) == sorted(str(c.pk) for c in host_contacts)
    assert str(two_companies["other_contact"].pk) not in select_options(response, "company_tutor")

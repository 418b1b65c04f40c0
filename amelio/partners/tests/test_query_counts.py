"""The pages of company partnerships run a fixed number of SQL queries whatever the number
of rows: each is measured with 5 and with 50 internships (with their evaluations), years,
contacts, sites, agreements and interventions; both counts must be the page's budget in
tests/query_budgets.json."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from amelio.history.services import history_record
from amelio.organisation.choices import Role
from amelio.organisation.tests.factories import DepartmentFactory, PersonFactory, ProgrammeFactory, grant
from amelio.partners.models import TeachingVolume
from amelio.partners.tests.factories import (
    AgreementFactory,
    CompanyFactory,
    ContactFactory,
    InterventionFactory,
    SiteFactory,
    academic_year,
    hosted_internship,
)
from tests.query_budgets import check_query_budgets

pytestmark = pytest.mark.django_db

STATUSES = ["draft", "signed", "under_way", "finished", "evaluated", "cancelled"]


def populate(rows: int) -> dict[str, Any]:
    department = DepartmentFactory(code="GC", name="Génie Civil")
    office = PersonFactory(email="office@school.test")
    grant(office, Role.INTERNSHIP_OFFICE)
    head = PersonFactory(email="head@school.test", department=department)
    grant(head, Role.DEPARTMENT_HEAD, department)
    company = CompanyFactory(legal_name="Partenaire")
    programme = ProgrammeFactory(department=department)
    years = [academic_year(2000 + index) for index in range(min(rows, 20))]
    tutor = ContactFactory(company=company)
    for index in range(rows):
        hosted_internship(
            company=company,
            programme=programme,
            year=years[index % len(years)],
            status=STATUSES[index % len(STATUSES)],
            tutor=tutor,
            scores={"company_tutor": Decimal("4"), "student": Decimal(index % 5)},
        )
        ContactFactory(company=company, is_alumni=bool(index % 2), is_speaker=True)
        SiteFactory(company=company)
        AgreementFactory(company=company, owner=office, departments=[department])
        InterventionFactory(
            speaker=tutor, company=company, programme=programme, academic_year=years[index % len(years)]
        )
        CompanyFactory(legal_name=f"Doublon {index}", merged_into=company, is_active=False)
        history_record(instance=company, action="update", actor=office, changes={"city": ["a", "b"]})
    for year in years:
        TeachingVolume.objects.create(programme=programme, academic_year=year, total_hours=Decimal("500"))
    return {"office": office, "head": head, "company": company, "agreement": company.agreements.first()}


PAGES: list[tuple[str, Callable[[dict[str, Any]], str]]] = [
    ("company page", lambda s: reverse("partners:company_detail", args=[s["company"].pk])),
    ("company list", lambda s: reverse("partners:company_list")),
    ("company export", lambda s: reverse("partners:company_list") + "?export=csv"),
    ("company edit", lambda s: reverse("partners:company_update", args=[s["company"].pk])),
    ("company merge", lambda s: reverse("partners:company_merge", args=[s["company"].pk])),
    ("contact list", lambda s: reverse("partners:contact_list") + "?role=alumni"),
    ("agreement list", lambda s: reverse("partners:agreement_list")),
    ("agreement export", lambda s: reverse("partners:agreement_list") + "?export=xlsx"),
    ("agreement page", lambda s: reverse("partners:agreement_detail", args=[s["agreement"].pk])),
    ("agreement edit", lambda s: reverse("partners:agreement_update", args=[s["agreement"].pk])),
    ("intervention list", lambda s: reverse("partners:intervention_list")),
    ("teaching hours", lambda s: reverse("partners:teaching_volumes")),
    ("teaching figures", lambda s: reverse("partners:teaching_figures")),
]


def count_queries(rows: int, who: str) -> dict[str, int]:
    school = populate(rows)
    client = Client()
    client.force_login(school[who])
    counts = {}
    for _name, url in PAGES:
        # A first visit fills the process-wide caches (content types), whose state would
        # otherwise depend on what ran before.
        client.get(url(school))
    for name, url in PAGES:
        with CaptureQueriesContext(connection) as context:
            response = client.get(url(school))
        assert response.status_code in (200, 403), name
        counts[name] = len(context.captured_queries)
    return counts


def wipe() -> None:
    from amelio.internships.models import Evaluation, Internship
    from amelio.organisation.models import AcademicYear, Department, Person, Programme, RoleAssignment
    from amelio.partners.models import Company, Contact, Intervention, PartnershipAgreement, Site

    # History entries are append-only: they stay, the new records have other ids.
    for model in (Evaluation, Internship, Intervention, TeachingVolume, PartnershipAgreement, Site):
        model.objects.all().delete()
    Contact.objects.all().delete()
    Company.objects.exclude(merged_into=None).delete()
    for other in (Company, RoleAssignment, Programme, AcademicYear, Person, Department):
        other.objects.all().delete()


@pytest.mark.parametrize("who", ["office", "head"])
def test_pages_run_their_budgeted_queries_with_5_and_50_rows(who: str) -> None:
    with_5 = count_queries(5, who)
    wipe()
    with_50 = count_queries(50, who)
    check_query_budgets(
        f"partners as {who}", {name: {"5 rows": with_5[name], "50 rows": with_50[name]} for name in with_5}
    )
    print(who, with_50)
    assert max(with_50.values()) <= 25, with_50

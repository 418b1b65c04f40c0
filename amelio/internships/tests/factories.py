from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import factory

from amelio.internships.choices import InternshipKind
from amelio.organisation.models import AcademicYear
from amelio.organisation.tests.factories import PersonFactory, ProgrammeFactory
from amelio.partners.models import Company, Contact
from amelio.partners.services import normalise_company_name


class CompanyFactory(factory.django.DjangoModelFactory[Company]):
    class Meta:
        model = Company

    legal_name = factory.Sequence(lambda n: f"Entreprise {n} SAS")
    name_key = factory.LazyAttribute(lambda o: normalise_company_name(o.legal_name))


class ContactFactory(factory.django.DjangoModelFactory[Contact]):
    class Meta:
        model = Contact

    company = factory.SubFactory(CompanyFactory)
    first_name = factory.Sequence(lambda n: f"Tuteur{n}")
    last_name = "Entreprise"
    email = factory.Sequence(lambda n: f"tutor{n}@company.test")
    is_tutor = True


def year_2026() -> AcademicYear:
    year, _created = AcademicYear.objects.get_or_create(
        label="2026-2027",
        defaults={"starts_on": datetime.date(2026, 9, 1), "ends_on": datetime.date(2027, 8, 31), "is_current": True},
    )
    return year


def agreement_data(school: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """A lawful 10-week engineer internship of the civil engineering student."""
    programme = ProgrammeFactory(department=school["civil"]) if "programme" not in changes else changes["programme"]
    company = changes.get("company") or CompanyFactory()
    data = {
        "student": school["student"],
        "company": company,
        "company_tutor": ContactFactory(company=company),
        "academic_tutor": school["teacher"],
        "programme": programme,
        "academic_year": year_2026(),
        "kind": InternshipKind.ENGINEER,
        "subject": "Dimensionnement d'ouvrages",
        "starts_on": datetime.date(2027, 4, 5),
        "ends_on": datetime.date(2027, 6, 11),
        "weekly_hours": Decimal("35"),
        "hourly_gratification": Decimal("4.35"),
    }
    data.update(changes)
    return data


__all__ = ["PersonFactory"]

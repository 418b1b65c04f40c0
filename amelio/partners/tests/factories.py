"""Factories of company partnerships, and internships written directly (their own
workflow is tested in the internships app)."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal
from typing import Any

import factory

from amelio.internships.choices import InternshipKind, InternshipStatus
from amelio.internships.models import Evaluation, Internship
from amelio.organisation.choices import PersonKind
from amelio.organisation.models import AcademicYear, Programme
from amelio.organisation.tests.factories import PersonFactory, ProgrammeFactory
from amelio.partners.choices import AgreementKind, AgreementStatus, InterventionKind
from amelio.partners.models import Company, Contact, Intervention, PartnershipAgreement, Site
from amelio.partners.services import normalise_company_name

_references = itertools.count(1)


class CompanyFactory(factory.django.DjangoModelFactory[Company]):
    class Meta:
        model = Company

    legal_name = factory.Sequence(lambda n: f"Entreprise {n} SAS")
    name_key = factory.LazyAttribute(lambda o: normalise_company_name(o.legal_name))
    city = "Lyon"


class SiteFactory(factory.django.DjangoModelFactory[Site]):
    class Meta:
        model = Site

    company = factory.SubFactory(CompanyFactory)
    name = factory.Sequence(lambda n: f"Établissement {n}")
    city = "Grenoble"


class ContactFactory(factory.django.DjangoModelFactory[Contact]):
    class Meta:
        model = Contact

    company = factory.SubFactory(CompanyFactory)
    first_name = factory.Sequence(lambda n: f"Camille{n}")
    last_name = factory.Sequence(lambda n: f"Martin{n}")
    email = factory.Sequence(lambda n: f"contact{n}@company.test")
    is_tutor = True


class AgreementFactory(factory.django.DjangoModelFactory[PartnershipAgreement]):
    class Meta:
        model = PartnershipAgreement
        skip_postgeneration_save = True

    company = factory.SubFactory(CompanyFactory)
    kind = AgreementKind.SPONSORSHIP
    title = factory.Sequence(lambda n: f"Mécénat {n}")
    starts_on = datetime.date(2026, 1, 1)
    ends_on = datetime.date(2028, 12, 31)
    status = AgreementStatus.DRAFT
    owner = factory.SubFactory(PersonFactory)

    @factory.post_generation
    def departments(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.departments.set(extracted)


def academic_year(start: int) -> AcademicYear:
    year, _created = AcademicYear.objects.get_or_create(
        label=f"{start}-{start + 1}",
        defaults={"starts_on": datetime.date(start, 9, 1), "ends_on": datetime.date(start + 1, 8, 31)},
    )
    return year


class InterventionFactory(factory.django.DjangoModelFactory[Intervention]):
    class Meta:
        model = Intervention

    speaker = factory.SubFactory(ContactFactory, is_speaker=True)
    company = factory.LazyAttribute(lambda o: o.speaker.company)
    programme = factory.SubFactory(ProgrammeFactory)
    department = factory.LazyAttribute(lambda o: o.programme.department)
    academic_year = factory.LazyFunction(lambda: academic_year(2025))
    course = factory.Sequence(lambda n: f"Cours {n}")
    kind = InterventionKind.LECTURE
    planned_hours = Decimal("10")
    delivered_hours = Decimal("8")


def hosted_internship(
    *,
    company: Company,
    programme: Programme,
    year: AcademicYear,
    status: str = InternshipStatus.FINISHED,
    student: Any = None,
    tutor: Contact | None = None,
    scores: dict[str, Decimal] | None = None,
) -> Internship:
    number = next(_references)
    internship = Internship.objects.create(
        reference=f"ST-T-{number:05d}",
        student=student or PersonFactory(kind=PersonKind.STUDENT, department=programme.department),
        company=company,
        company_tutor=tutor or ContactFactory(company=company),
        programme=programme,
        academic_year=year,
        kind=InternshipKind.ENGINEER,
        subject="Sujet",
        starts_on=year.starts_on + datetime.timedelta(days=200),
        ends_on=year.starts_on + datetime.timedelta(days=270),
        status=status,
    )
    for kind, score in (scores or {}).items():
        Evaluation.objects.create(internship=internship, kind=kind, score=score)
    return internship

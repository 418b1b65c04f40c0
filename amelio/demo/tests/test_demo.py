"""The demo school as a whole: built on an empty database, every agreement lawful."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from amelio.internships.agreement_rules import check_agreement
from amelio.internships.models import Internship

pytestmark = pytest.mark.django_db


def test_the_demo_school_is_built_and_every_agreement_is_lawful() -> None:
    call_command("load_demo", stdout=io.StringIO())
    internships = Internship.objects.select_related("academic_year", "company", "company_tutor")
    assert internships.count() > 1000
    broken = {internship.reference: errors for internship in internships if (errors := check_agreement(internship))}
    assert broken == {}

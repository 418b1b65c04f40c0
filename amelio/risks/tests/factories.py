from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from amelio.core import clock
from amelio.core.references import next_reference
from amelio.organisation.tests.factories import PersonFactory
from amelio.risks.choices import RiskKind, RiskStatus
from amelio.risks.models import Risk


class RiskFactory(factory.django.DjangoModelFactory[Risk]):
    class Meta:
        model = Risk

    # Taken from the same counter as the service's, so a risk recorded through the service
    # later in the test never gets a reference a factory already gave.
    reference = factory.LazyFunction(lambda: next_reference(prefix="RI", year=clock.today().year))
    kind = RiskKind.RISK
    title = factory.Sequence(lambda n: f"Risque {n}")
    description = "Une description."
    owner = factory.SubFactory(PersonFactory)
    likelihood = 3
    impact = 4
    status = RiskStatus.OPEN
    review_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=90))


def risk_data(school: dict[str, object], **overrides: object) -> dict[str, object]:
    """What the register's form gives the create service for a civil engineering risk."""
    return {
        "kind": RiskKind.RISK,
        "title": "Chantier école sans encadrant",
        "description": "Un chantier école a lieu sans enseignant présent.",
        "causes": "Planning des encadrants tendu.",
        "consequences": "Accident d'un élève.",
        "process": school["process_civil"],
        "owner": school["teacher"],
        "likelihood": 3,
        "impact": 5,
        "review_on": timezone.localdate() + datetime.timedelta(days=180),
        **overrides,
    }

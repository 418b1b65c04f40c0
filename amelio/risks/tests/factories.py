from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from amelio.organisation.tests.factories import PersonFactory
from amelio.risks.choices import RiskKind, RiskStatus
from amelio.risks.models import Risk


class RiskFactory(factory.django.DjangoModelFactory[Risk]):
    class Meta:
        model = Risk

    reference = factory.Sequence(lambda n: f"RI-2026-{n + 1:04d}")
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

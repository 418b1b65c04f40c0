from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import factory

from amelio.indicators.choices import Direction, ObjectiveStatus, ScopeKind, Source
from amelio.indicators.models import Indicator, IndicatorValue, Objective, Target
from amelio.organisation.models import AcademicYear
from amelio.organisation.tests.factories import PersonFactory


class IndicatorFactory(factory.django.DjangoModelFactory[Indicator]):
    class Meta:
        model = Indicator

    code = factory.Sequence(lambda n: f"IND-{n + 1:02d}")
    name = factory.Sequence(lambda n: f"Indicateur {n}")
    description = "Ce que l'indicateur mesure."
    scope_kind = ScopeKind.SCHOOL
    unit = "%"
    direction = Direction.HIGHER_IS_BETTER
    owner = factory.SubFactory(PersonFactory)
    source = Source.MANUAL
    computation = ""


def computed_indicator(computation: str, **fields: Any) -> Indicator:
    return IndicatorFactory(source=Source.COMPUTED, computation=computation, **fields)


def year(start: int) -> AcademicYear:
    found, _created = AcademicYear.objects.get_or_create(
        label=f"{start}-{start + 1}",
        defaults={"starts_on": datetime.date(start, 9, 1), "ends_on": datetime.date(start + 1, 8, 31)},
    )
    return found


def target(indicator: Indicator, academic_year: AcademicYear, value: str, threshold: str) -> Target:
    return Target.objects.create(
        indicator=indicator, academic_year=academic_year, target=Decimal(value), alert_threshold=Decimal(threshold)
    )


def objective(*, owner: Any, process: Any = None, start: int = 2025, code: str = "", **fields: Any) -> Objective:
    """An objective starting in the academic year begun in `start`, due at its end (written
    directly, as a test's starting point; the services are tested on their own)."""
    academic_year = year(start)
    fields.setdefault("status", ObjectiveStatus.DRAFT)
    return Objective.objects.create(
        code=code or f"OBJ-{Objective.objects.count() + 1:02d}",
        statement="Réussir",
        commitment="Engagement 1 de la politique qualité",
        process=process,
        owner=owner,
        academic_year=academic_year,
        due_on=academic_year.ends_on,
        **fields,
    )


def value(
    indicator: Indicator,
    academic_year: AcademicYear,
    number: str | None,
    department: Any = None,
    programme: Any = None,
) -> IndicatorValue:
    """A value of the indicator for the whole school, a department or a programme, written
    directly (the services are tested on their own), with the indicator's source."""
    key = (
        f"department:{department.pk}"
        if department is not None
        else f"programme:{programme.pk}"
        if programme is not None
        else "school"
    )
    return IndicatorValue.objects.create(
        indicator=indicator,
        academic_year=academic_year,
        scope_key=key,
        department=department,
        programme=programme,
        source=indicator.source,
        value=None if number is None else Decimal(number),
    )

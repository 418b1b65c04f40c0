"""Definitions and targets: created and changed only by the quality manager through the
declared editable fields, a computed source that must exist and fit the scope, and the alert
threshold on the wrong side of the target, refused on its field."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from amelio.history.models import HistoryEntry
from amelio.indicators import services
from amelio.indicators.choices import Direction, Light, ScopeKind, Source
from amelio.indicators.computed import ComputedResult, computed_indicators, register_computed
from amelio.indicators.models import Indicator, Target

from .factories import IndicatorFactory, target, year

pytestmark = pytest.mark.django_db


def definition(school: dict[str, Any], **changes: Any) -> dict[str, Any]:
    data = {
        "code": "IND-01",
        "name": "Taux de réussite",
        "description": "Part des étudiants diplômés.",
        "purpose": "Suivre la réussite.",
        "process": school["process_civil"],
        "scope_kind": ScopeKind.SCHOOL,
        "unit": "%",
        "period_kind": "academic_year",
        "direction": Direction.HIGHER_IS_BETTER,
        "owner": school["teacher"],
        "source": Source.MANUAL,
        "computation": "",
    }
    data.update(changes)
    return data


def test_the_quality_manager_defines_an_indicator_with_its_history(school: dict[str, Any]) -> None:
    indicator = services.indicator_create(actor=school["quality_manager"], data=definition(school))
    assert indicator.definition_version == 1
    entry = HistoryEntry.objects.get(object_id=str(indicator.pk), content_type__model="indicator")
    assert entry.changes["code"] == ["", "IND-01"]


@pytest.mark.parametrize("who", ["teacher", "head_civil", "auditor", "director"])
def test_only_the_quality_manager_defines(school: dict[str, Any], who: str) -> None:
    with pytest.raises(PermissionDenied):
        services.indicator_create(actor=school[who], data=definition(school))
    assert not Indicator.objects.exists()


def test_a_change_of_meaning_raises_the_definition_version(school: dict[str, Any]) -> None:
    indicator = services.indicator_create(actor=school["quality_manager"], data=definition(school))
    services.indicator_update(actor=school["quality_manager"], indicator=indicator, data={"name": "Réussite"})
    indicator.refresh_from_db()
    assert indicator.definition_version == 1
    services.indicator_update(
        actor=school["quality_manager"], indicator=indicator, data={"description": "Diplômés en 3 ans."}
    )
    indicator.refresh_from_db()
    assert indicator.definition_version == 2


def test_a_field_not_declared_editable_is_refused_whole(school: dict[str, Any]) -> None:
    indicator = services.indicator_create(actor=school["quality_manager"], data=definition(school))
    with pytest.raises(ValidationError) as error:
        services.indicator_update(
            actor=school["quality_manager"], indicator=indicator, data={"name": "X", "definition_version": 9}
        )
    assert "definition_version" in str(error.value)
    indicator.refresh_from_db()
    assert (indicator.name, indicator.definition_version) == ("Taux de réussite", 1)


def test_a_computed_indicator_names_a_registered_computation_that_fits_its_scope(school: dict[str, Any]) -> None:
    qm = school["quality_manager"]
    with pytest.raises(ValidationError) as error:
        services.indicator_create(actor=qm, data=definition(school, source=Source.COMPUTED, computation=""))
    assert error.value.message_dict["computation"] == ["Choose the computation of a computed indicator."]
    with pytest.raises(ValidationError) as error:
        services.indicator_create(
            actor=qm, data=definition(school, source=Source.COMPUTED, computation="nothing.registered")
        )
    assert "computation" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.indicator_create(
            actor=qm,
            data=definition(
                school,
                source=Source.COMPUTED,
                computation="partners.active_companies",
                scope_kind=ScopeKind.PROGRAMME,
            ),
        )
    assert error.value.message_dict["scope_kind"] == [
        "“Active partner companies” can be computed only: for the whole school, per department."
    ]
    with pytest.raises(ValidationError) as error:
        services.indicator_create(actor=qm, data=definition(school, computation="internships.signed_before_start"))
    assert error.value.message_dict["computation"] == ["An indicator entered by hand has no computation."]
    assert not Indicator.objects.exists()


def test_every_shipped_computation_is_registered_with_its_definition() -> None:
    codes = {entry.code for entry in computed_indicators()}
    assert {
        "internships.signed_before_start",
        "internships.midterm_contacts_on_time",
        "internships.company_evaluation_average",
        "internships.students_abroad",
        "partners.active_companies",
        "improvement.actions_on_time",
        "improvement.items_closed_effective",
        "improvement.median_days_to_close",
        "improvement.complaints_per_100_students",
    } <= codes
    assert all(str(entry.definition_text) for entry in computed_indicators())


def test_a_code_registered_twice_differently_is_an_error() -> None:
    def other(scope: Any, academic_year: Any) -> ComputedResult:
        return ComputedResult(None)

    with pytest.raises(ValueError, match="twice"):
        register_computed("improvement.actions_on_time", label="x", definition_text="y", compute=other)


# Targets ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("direction", "threshold", "message"),
    [
        (
            Direction.HIGHER_IS_BETTER,
            "90",
            "Higher is better for this indicator: the alert threshold must be below the target (80).",
        ),
        (
            Direction.HIGHER_IS_BETTER,
            "80",
            "Higher is better for this indicator: the alert threshold must be below the target (80).",
        ),
        (
            Direction.LOWER_IS_BETTER,
            "70",
            "Lower is better for this indicator: the alert threshold must be above the target (80).",
        ),
    ],
)
def test_a_threshold_on_the_wrong_side_is_refused_on_its_field(
    school: dict[str, Any], direction: str, threshold: str, message: str
) -> None:
    indicator = IndicatorFactory(direction=direction, owner=school["teacher"])
    with pytest.raises(ValidationError) as error:
        services.target_set(
            actor=school["teacher"],
            indicator=indicator,
            academic_year=year(2025),
            target=Decimal("80"),
            alert_threshold=Decimal(threshold),
        )
    assert error.value.message_dict == {"alert_threshold": [message]}
    assert not Target.objects.exists()


def test_the_owner_sets_and_changes_a_target_with_history(school: dict[str, Any]) -> None:
    indicator = IndicatorFactory(owner=school["teacher"])
    academic_year = year(2025)
    services.target_set(
        actor=school["teacher"],
        indicator=indicator,
        academic_year=academic_year,
        target=Decimal("80"),
        alert_threshold=Decimal("60"),
    )
    services.target_set(
        actor=school["teacher"],
        indicator=indicator,
        academic_year=academic_year,
        target=Decimal("85"),
        alert_threshold=Decimal("60"),
    )
    stored = Target.objects.get()
    assert (stored.target, stored.alert_threshold) == (Decimal("85"), Decimal("60"))
    entries = HistoryEntry.objects.filter(content_type__model="indicator", object_id=str(indicator.pk))
    assert [entry.changes for entry in entries.order_by("pk")][-1] == {"target": ["2025-2026: 80.00", "2025-2026: 85"]}


@pytest.mark.parametrize(
    ("direction", "value", "light"),
    [
        (Direction.HIGHER_IS_BETTER, "85", Light.ON_TARGET),
        (Direction.HIGHER_IS_BETTER, "80", Light.ON_TARGET),
        (Direction.HIGHER_IS_BETTER, "70", Light.WATCH),
        (Direction.HIGHER_IS_BETTER, "60", Light.WATCH),
        (Direction.HIGHER_IS_BETTER, "59.9", Light.ALERT),
        (Direction.LOWER_IS_BETTER, "10", Light.ON_TARGET),
        (Direction.LOWER_IS_BETTER, "15", Light.WATCH),
        (Direction.LOWER_IS_BETTER, "25", Light.ALERT),
        (Direction.LOWER_IS_BETTER, None, Light.UNKNOWN),
    ],
)
def test_the_traffic_light(direction: str, value: str | None, light: str) -> None:
    indicator = IndicatorFactory(direction=direction)
    if direction == Direction.HIGHER_IS_BETTER:
        stored = target(indicator, year(2025), "80", "60")
    else:
        stored = target(indicator, year(2025), "10", "20")
    assert stored.light(Decimal(value) if value is not None else None) == light

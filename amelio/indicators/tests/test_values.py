"""Values entered by hand (who, when, evidence) and computed (inputs' counts, when, the
definition's version), each with its history; recomputation of every computed indicator,
the command, freezing a closed year; and the improvement item raised off target: once per
indicator, scope and year, never for a frozen year."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from amelio.core.models import StoredFile
from amelio.history.models import HistoryEntry
from amelio.improvement.choices import ItemStatus, Origin
from amelio.improvement.models import ImprovementItem
from amelio.indicators import services
from amelio.indicators.choices import Direction, ScopeKind, Source
from amelio.indicators.computed import IndicatorScope
from amelio.indicators.models import IndicatorValue, OffTargetItem

from .factories import IndicatorFactory, computed_indicator, target, year

pytestmark = pytest.mark.django_db
_numbers = itertools.count(1)

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def history_of(value: IndicatorValue) -> list[dict[str, Any]]:
    entries = HistoryEntry.objects.filter(content_type__model="indicatorvalue", object_id=str(value.pk))
    return [entry.changes for entry in entries.order_by("pk")]


def test_the_owner_records_a_value_with_its_evidence(school: dict[str, Any]) -> None:
    indicator = IndicatorFactory(owner=school["teacher"], process=school["process_civil"])
    value = services.value_record(
        actor=school["teacher"],
        indicator=indicator,
        academic_year=year(2025),
        scope=IndicatorScope.school(),
        value=Decimal("72.5"),
        note="Relevé du jury",
        evidence=SimpleUploadedFile("jury.pdf", PDF_BYTES, content_type="application/pdf"),
    )
    assert (value.value, value.source, value.recorded_by, value.note) == (
        Decimal("72.5"),
        Source.MANUAL,
        school["teacher"],
        "Relevé du jury",
    )
    assert value.recorded_at is not None
    stored = StoredFile.objects.get()
    assert (stored.owner, stored.purpose, stored.original_name) == (value, "evidence", "jury.pdf")
    assert history_of(value)[0]["value"] == ["", "72.50"]
    # Entered again: the same row, its history says from what to what.
    services.value_record(
        actor=school["teacher"],
        indicator=indicator,
        academic_year=year(2025),
        scope=IndicatorScope.school(),
        value=Decimal("74"),
        note="Relevé du jury",
    )
    assert IndicatorValue.objects.get().value == Decimal("74")
    assert history_of(value)[-1] == {"value": ["72.50", "74.00"]}


def test_a_value_for_another_kind_of_scope_is_refused(school: dict[str, Any]) -> None:
    indicator = IndicatorFactory(owner=school["teacher"], scope_kind=ScopeKind.DEPARTMENT)
    with pytest.raises(ValidationError) as error:
        services.value_record(
            actor=school["teacher"],
            indicator=indicator,
            academic_year=year(2025),
            scope=IndicatorScope.school(),
            value=Decimal("1"),
        )
    assert error.value.message_dict == {"scope": ["This indicator is measured per department."]}
    with pytest.raises(ValidationError) as error:
        services.scope_for(indicator)
    assert error.value.message_dict == {"department": ["This indicator is measured per department: choose one."]}
    assert not IndicatorValue.objects.exists()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("beaucoup", "“beaucoup” value must be a decimal number."),
        ("1e20", "Ensure that there are no more than 14 digits in total."),
    ],
)
def test_a_value_that_is_not_a_number_is_refused_on_its_field(school: dict[str, Any], value: str, message: str) -> None:
    indicator = IndicatorFactory(owner=school["teacher"])
    with pytest.raises(ValidationError) as error:
        services.value_record(
            actor=school["teacher"],
            indicator=indicator,
            academic_year=year(2025),
            scope=IndicatorScope.school(),
            value=value,  # as an API or an import would send it
        )
    assert error.value.message_dict == {"value": [message]}
    assert not IndicatorValue.objects.exists()


def test_a_computed_indicator_takes_no_value_by_hand(school: dict[str, Any]) -> None:
    indicator = computed_indicator("improvement.median_days_to_close", owner=school["teacher"])
    with pytest.raises(ValidationError) as error:
        services.value_record(
            actor=school["teacher"],
            indicator=indicator,
            academic_year=year(2025),
            scope=IndicatorScope.school(),
            value=Decimal("1"),
        )
    assert "recompute" in error.value.message_dict["value"][0]
    assert not IndicatorValue.objects.exists()


@pytest.mark.parametrize("who", ["auditor", "head_electrical", "director", "student"])
def test_others_record_nothing(school: dict[str, Any], who: str) -> None:
    indicator = IndicatorFactory(owner=school["teacher"], process=school["process_civil"])
    with pytest.raises(PermissionDenied):
        services.value_record(
            actor=school[who],
            indicator=indicator,
            academic_year=year(2025),
            scope=IndicatorScope.school(),
            value=Decimal("1"),
        )
    with pytest.raises(PermissionDenied):
        services.target_set(
            actor=school[who],
            indicator=indicator,
            academic_year=year(2025),
            target=Decimal("2"),
            alert_threshold=Decimal("1"),
        )
    assert not IndicatorValue.objects.exists()


def test_the_head_of_the_indicators_department_records(school: dict[str, Any]) -> None:
    indicator = IndicatorFactory(owner=school["teacher"], process=school["process_civil"])
    services.value_record(
        actor=school["head_civil"],
        indicator=indicator,
        academic_year=year(2025),
        scope=IndicatorScope.school(),
        value=Decimal("3"),
    )
    assert IndicatorValue.objects.get().recorded_by == school["head_civil"]


def closed_items(school: dict[str, Any], days: list[int]) -> None:
    for duration in days:
        raised_on = datetime.date(2025, 10, 1)
        ImprovementItem.objects.create(
            reference=f"NC-V-{next(_numbers):04d}",
            origin=Origin.NONCONFORMITY,
            title="Sujet",
            description="Description",
            department=school["civil"],
            raised_on=raised_on,
            status=ItemStatus.CLOSED_EFFECTIVE,
            closed_on=raised_on + datetime.timedelta(days=duration),
        )


def test_a_computed_value_keeps_its_inputs_time_and_definition_version(school: dict[str, Any]) -> None:
    closed_items(school, [10, 30])
    indicator = computed_indicator(
        "improvement.median_days_to_close", owner=school["teacher"], direction=Direction.LOWER_IS_BETTER, unit="j"
    )
    indicator.definition_version = 3
    indicator.save()
    value = services.value_compute(
        actor=school["teacher"], indicator=indicator, academic_year=year(2025), scope=IndicatorScope.school()
    )
    assert value is not None
    assert (value.value, value.inputs, value.definition_version, value.source, value.recorded_by) == (
        Decimal("20.0"),
        {"items_closed": 2},
        3,
        Source.COMPUTED,
        None,
    )
    assert history_of(value)[0]["inputs"] == ["", "items_closed=2"]


def test_recompute_every_computed_indicator_and_the_command(school: dict[str, Any]) -> None:
    closed_items(school, [10, 30])
    year(2025)
    computed_indicator("improvement.median_days_to_close", owner=school["teacher"])
    computed_indicator("improvement.items_closed_effective", owner=school["teacher"], scope_kind=ScopeKind.DEPARTMENT)
    IndicatorFactory(owner=school["teacher"])  # entered by hand: left alone
    written = services.indicator_recompute_all(actor=None)
    # One school value, and one per active department (civil and electrical), for 2025-2026.
    assert written == 3
    assert IndicatorValue.objects.count() == 3
    civil = IndicatorValue.objects.get(scope_key=f"department:{school['civil'].pk}")
    assert (civil.value, civil.inputs) == (Decimal("100.0"), {"part": 2, "whole": 2})
    out = StringIO()
    call_command("recompute_indicators", "--year", "2025-2026", stdout=out)
    assert out.getvalue().strip() == "3 value(s) written."
    with pytest.raises(PermissionDenied):
        services.indicator_recompute_all(actor=school["teacher"])


def test_a_frozen_year_is_not_rewritten_and_says_so(school: dict[str, Any]) -> None:
    closed_items(school, [10, 30])
    academic_year = year(2025)
    indicator = computed_indicator("improvement.median_days_to_close", owner=school["teacher"])
    services.value_compute(actor=None, indicator=indicator, academic_year=academic_year, scope=IndicatorScope.school())
    with pytest.raises(ValidationError) as error:
        services.values_freeze(actor=school["quality_manager"], academic_year=year(2026))
    assert "not over" in error.value.message_dict["academic_year"][0]
    academic_year.ends_on = datetime.date(2026, 1, 1)  # a closed year
    academic_year.save()
    with pytest.raises(PermissionDenied):
        services.values_freeze(actor=school["teacher"], academic_year=academic_year)
    assert services.values_freeze(actor=school["quality_manager"], academic_year=academic_year) == 1
    closed_items(school, [100, 200, 300])
    value = services.value_compute(
        actor=None, indicator=indicator, academic_year=academic_year, scope=IndicatorScope.school()
    )
    assert value is not None and value.is_frozen and value.value == Decimal("20.0")
    assert services.indicator_recompute(actor=None, indicator=indicator, academic_year=academic_year) == 0
    manual = IndicatorFactory(owner=school["teacher"])
    IndicatorValue.objects.create(
        indicator=manual, academic_year=academic_year, scope_key="school", source=Source.MANUAL, is_frozen=True
    )
    with pytest.raises(ValidationError) as error:
        services.value_record(
            actor=school["teacher"],
            indicator=manual,
            academic_year=academic_year,
            scope=IndicatorScope.school(),
            value=Decimal("5"),
        )
    assert error.value.message_dict == {"value": ["The values of 2025-2026 are frozen: they are not rewritten."]}


# Off target → improvement -------------------------------------------------------------------


def test_a_value_beyond_its_threshold_raises_one_item_for_the_process_owner(school: dict[str, Any]) -> None:
    indicator = IndicatorFactory(
        code="IND-09", name="Réussite", owner=school["head_civil"], process=school["process_civil"], unit="%"
    )
    academic_year = year(2025)
    target(indicator, academic_year, "80", "60")
    record = {"indicator": indicator, "academic_year": academic_year, "scope": IndicatorScope.school()}
    services.value_record(actor=school["quality_manager"], value=Decimal("70"), **record)  # watch: nothing
    assert not ImprovementItem.objects.exists()
    value = services.value_record(actor=school["quality_manager"], value=Decimal("55"), **record)
    item = ImprovementItem.objects.get()
    assert (item.origin, item.process, item.department, item.raised_by) == (
        Origin.OPPORTUNITY,
        school["process_civil"],
        school["civil"],
        None,
    )
    assert item.title == "IND-09 off target in 2025-2026: Whole school"
    assert item.description == (
        "The indicator “Réussite” is at 55 % for Whole school in 2025-2026, beyond its alert threshold of 60 % "
        "(target 80 %)."
    )
    link = OffTargetItem.objects.get()
    assert (link.value, link.item) == (value, item)
    # The process owner is told.
    from amelio.notifications.models import Notification

    assert Notification.objects.filter(recipient=school["teacher"], url=item.get_absolute_url()).exists()
    # Still beyond, lower still, recorded again: no second item.
    services.value_record(actor=school["quality_manager"], value=Decimal("50"), **record)
    services.value_record(actor=school["quality_manager"], value=Decimal("55"), **record)
    assert ImprovementItem.objects.count() == 1


def test_a_computed_value_off_target_raises_once_per_scope(school: dict[str, Any]) -> None:
    closed_items(school, [40, 60])
    academic_year = year(2025)
    indicator = computed_indicator(
        "improvement.median_days_to_close",
        owner=school["teacher"],
        direction=Direction.LOWER_IS_BETTER,
        scope_kind=ScopeKind.DEPARTMENT,
    )
    target(indicator, academic_year, "20", "30")
    services.indicator_recompute(actor=None, indicator=indicator, academic_year=academic_year)
    services.indicator_recompute(actor=None, indicator=indicator, academic_year=academic_year)
    # Civil's median (50 days) is beyond 30; electrical has no value.
    item = ImprovementItem.objects.get(origin=Origin.OPPORTUNITY)
    assert item.department == school["civil"]
    assert OffTargetItem.objects.get().scope_key == f"department:{school['civil'].pk}"


def test_no_item_for_a_frozen_year(school: dict[str, Any]) -> None:
    indicator = IndicatorFactory(owner=school["teacher"])
    academic_year = year(2024)
    target(indicator, academic_year, "80", "60")
    value = IndicatorValue.objects.create(
        indicator=indicator,
        academic_year=academic_year,
        scope_key="school",
        source=Source.MANUAL,
        value=Decimal("10"),
        is_frozen=True,
    )
    assert services.raise_if_off_target(value=value) is None
    assert not ImprovementItem.objects.exists()

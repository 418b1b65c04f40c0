"""The pages of indicators over HTTP: who sees them (staff, auditors read-only; a student
gets 403), who records targets and values (quality manager, the indicator's owner, the head
of its department), that a refusal changes nothing, that bad input is refused on its field,
and what the pages show (definition of a computed indicator, lights, the chart, the
dashboard, the export)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from amelio.core.models import StoredFile
from amelio.core.registry import navigation_for
from amelio.history.models import HistoryEntry
from amelio.indicators.choices import Direction, ScopeKind, Source
from amelio.indicators.models import Indicator, IndicatorValue, Target

from .factories import IndicatorFactory, computed_indicator, target, year
from .test_values import PDF_BYTES

pytestmark = pytest.mark.django_db


def client_for(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


@pytest.fixture
def indicator(school: dict[str, Any]) -> Indicator:
    year(2024)
    year(2025)
    return IndicatorFactory(
        code="IND-01", name="Réussite", owner=school["teacher"], process=school["process_civil"], unit="%"
    )


READERS = ["quality_manager", "director", "teacher", "head_civil", "head_electrical", "auditor", "office"]


@pytest.mark.parametrize("who", READERS)
def test_staff_and_auditors_see_the_pages(school: dict[str, Any], indicator: Indicator, who: str) -> None:
    client = client_for(school[who])
    for url in (
        reverse("indicators:dashboard"),
        reverse("indicators:indicator_list"),
        reverse("indicators:indicator_detail", args=[indicator.pk]),
    ):
        assert client.get(url).status_code == 200, url
    assert any(section["label"] == "Indicators" for section in navigation_for(school[who]))


def test_a_student_sees_none_of_it(school: dict[str, Any], indicator: Indicator) -> None:
    client = client_for(school["student"])
    for url in (
        reverse("indicators:dashboard"),
        reverse("indicators:indicator_list"),
        reverse("indicators:indicator_detail", args=[indicator.pk]),
        reverse("indicators:value_record", args=[indicator.pk]),
        reverse("indicators:indicator_create"),
    ):
        assert client.get(url).status_code == 403, url
    assert not any(section["label"] == "Indicators" for section in navigation_for(school["student"]))


@pytest.mark.parametrize("who", ["quality_manager", "teacher", "head_civil"])
def test_those_who_record_set_a_target_and_record_a_value(
    school: dict[str, Any], indicator: Indicator, who: str
) -> None:
    client = client_for(school[who])
    academic_year = year(2025)
    response = client.post(
        reverse("indicators:target_set", args=[indicator.pk]),
        {"academic_year": academic_year.pk, "target": "80", "alert_threshold": "60"},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("indicators:value_record", args=[indicator.pk]),
        {
            "academic_year": academic_year.pk,
            "value": "82.5",
            "note": "Jury de juin",
            "evidence": SimpleUploadedFile("jury.pdf", PDF_BYTES, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    value = IndicatorValue.objects.get()
    assert (value.value, value.recorded_by) == (Decimal("82.50"), school[who])
    page = client.get(reverse("indicators:indicator_detail", args=[indicator.pk])).content.decode()
    assert 'data-light="on_target"' in page
    assert "jury.pdf" in page


@pytest.mark.parametrize("who", ["auditor", "director", "head_electrical", "office"])
def test_readers_record_nothing(school: dict[str, Any], indicator: Indicator, who: str) -> None:
    client = client_for(school[who])
    academic_year = year(2025)
    history = HistoryEntry.objects.count()
    assert client.get(reverse("indicators:value_record", args=[indicator.pk])).status_code == 403
    assert client.get(reverse("indicators:target_set", args=[indicator.pk])).status_code == 403
    assert (
        client.post(
            reverse("indicators:value_record", args=[indicator.pk]), {"academic_year": academic_year.pk, "value": "1"}
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("indicators:target_set", args=[indicator.pk]),
            {"academic_year": academic_year.pk, "target": "2", "alert_threshold": "1"},
        ).status_code
        == 403
    )
    assert client.post(reverse("indicators:recompute", args=[indicator.pk]), {}).status_code == 403
    assert client.get(reverse("indicators:indicator_update", args=[indicator.pk])).status_code == 403
    assert not IndicatorValue.objects.exists() and not Target.objects.exists()
    assert HistoryEntry.objects.count() == history
    page = client.get(reverse("indicators:indicator_detail", args=[indicator.pk])).content.decode()
    assert reverse("indicators:value_record", args=[indicator.pk]) not in page


def test_bad_input_is_refused_on_its_field(school: dict[str, Any], indicator: Indicator) -> None:
    client = client_for(school["teacher"])
    academic_year = year(2025)
    response = client.post(
        reverse("indicators:value_record", args=[indicator.pk]),
        {"academic_year": academic_year.pk, "value": "beaucoup"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"value": ["Enter a number."]}
    response = client.post(
        reverse("indicators:target_set", args=[indicator.pk]),
        {"academic_year": academic_year.pk, "target": "80", "alert_threshold": "90"},
    )
    assert response.context["form"].errors == {
        "alert_threshold": ["Higher is better for this indicator: the alert threshold must be below the target (80)."]
    }
    assert not IndicatorValue.objects.exists() and not Target.objects.exists()


def test_a_value_per_department_asks_for_the_department(school: dict[str, Any]) -> None:
    indicator = IndicatorFactory(owner=school["teacher"], scope_kind=ScopeKind.DEPARTMENT)
    client = client_for(school["teacher"])
    academic_year = year(2025)
    response = client.post(
        reverse("indicators:value_record", args=[indicator.pk]), {"academic_year": academic_year.pk, "value": "3"}
    )
    assert response.context["form"].errors == {"department": ["This field is required."]}
    response = client.post(
        reverse("indicators:value_record", args=[indicator.pk]),
        {"academic_year": academic_year.pk, "value": "3", "department": school["civil"].pk},
    )
    assert response.status_code == 302
    assert IndicatorValue.objects.get().scope_key == f"department:{school['civil'].pk}"


def test_only_the_quality_manager_defines_through_the_pages(school: dict[str, Any]) -> None:
    data = {
        "code": "IND-02",
        "name": "Médiane de clôture",
        "description": "Jours pour clore.",
        "purpose": "",
        "process": "",
        "scope_kind": ScopeKind.SCHOOL,
        "unit": "j",
        "period_kind": "academic_year",
        "direction": Direction.LOWER_IS_BETTER,
        "owner": school["teacher"].pk,
        "source": Source.COMPUTED,
        "computation": "improvement.median_days_to_close",
    }
    assert client_for(school["teacher"]).post(reverse("indicators:indicator_create"), data).status_code == 403
    assert not Indicator.objects.exists()
    client = client_for(school["quality_manager"])
    assert client.get(reverse("indicators:indicator_create")).status_code == 200
    response = client.post(reverse("indicators:indicator_create"), data)
    assert response.status_code == 302
    indicator = Indicator.objects.get()
    edit = client.get(reverse("indicators:indicator_update", args=[indicator.pk]))
    assert edit.status_code == 200
    response = client.post(
        reverse("indicators:indicator_update", args=[indicator.pk]),
        {**data, "name": "Délai médian", "version": edit.context["form"]["version"].value()},
    )
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert indicator.name == "Délai médian"


def test_a_computed_indicators_page_shows_its_definition_and_recomputes(school: dict[str, Any]) -> None:
    indicator = computed_indicator("improvement.items_closed_effective", owner=school["teacher"])
    academic_year = year(2025)
    target(indicator, academic_year, "80", "50")
    client = client_for(school["teacher"])
    page = client.get(reverse("indicators:indicator_detail", args=[indicator.pk])).content.decode()
    assert "Among the improvement items raised during the academic year whose effectiveness" in page
    assert reverse("indicators:value_record", args=[indicator.pk]) not in page  # not entered by hand
    response = client.post(reverse("indicators:recompute", args=[indicator.pk]), {"academic_year": academic_year.pk})
    assert response.status_code == 302
    value = IndicatorValue.objects.get()
    assert value.value is None  # no item checked yet
    page = client.get(reverse("indicators:indicator_detail", args=[indicator.pk])).content.decode()
    assert "counted: 0, out of: 0" in page
    assert 'data-testid="indicator-trend"' in page


def test_the_chart_draws_values_with_the_target_and_threshold(school: dict[str, Any], indicator: Indicator) -> None:
    for start, value in ((2024, "55"), (2025, "85")):
        academic_year = year(start)
        target(indicator, academic_year, "80", "60")
        IndicatorValue.objects.create(
            indicator=indicator,
            academic_year=academic_year,
            scope_key="school",
            source=Source.MANUAL,
            value=Decimal(value),
        )
    response = client_for(school["auditor"]).get(reverse("indicators:indicator_detail", args=[indicator.pk]))
    chart = response.context["chart"]
    assert chart.x_ticks[0].label == "2024-2025" and chart.x_ticks[1].label == "2025-2026"
    scope_line, target_line, threshold_line = chart.lines
    assert [point.value for point in scope_line.points] == [55.0, 85.0]
    assert [point.value for point in target_line.points] == [80.0] * 4  # a step per year
    assert threshold_line.is_reference and threshold_line.label == "Alert threshold"
    # Higher values are drawn higher.
    assert scope_line.points[1].y < scope_line.points[0].y
    page = response.content.decode()
    assert 'data-light="alert"' in page and 'data-light="on_target"' in page


def test_the_dashboard_shows_every_indicator_with_its_light(school: dict[str, Any], indicator: Indicator) -> None:
    academic_year = year(2025)
    target(indicator, academic_year, "80", "60")
    IndicatorValue.objects.create(
        indicator=indicator, academic_year=academic_year, scope_key="school", source=Source.MANUAL, value=Decimal("70")
    )
    IndicatorFactory(code="IND-99", name="Sans valeur")
    response = client_for(school["auditor"]).get(reverse("indicators:dashboard"), {"academic_year": academic_year.pk})
    page = response.content.decode()
    assert 'data-light="watch"' in page
    assert "IND-99" in page and "No value for this year." in page


def test_the_list_filters_and_exports(school: dict[str, Any], indicator: Indicator) -> None:
    computed_indicator("improvement.actions_on_time", code="IND-50", name="Actions à l'heure")
    client = client_for(school["auditor"])
    page = client.get(reverse("indicators:indicator_list"), {"source": "computed"}).content.decode()
    assert "IND-50" in page and "IND-01" not in page
    export = client.get(reverse("indicators:indicator_list"), {"export": "csv"})
    content = b"".join(export.streaming_content) if export.streaming else export.content
    assert b"IND-01" in content and b"IND-50" in content
    for export_format in ("xlsx", "pdf"):
        assert client.get(reverse("indicators:indicator_list"), {"export": export_format}).status_code == 200


def test_evidence_is_served_to_readers_only(school: dict[str, Any], indicator: Indicator) -> None:
    client_for(school["teacher"]).post(
        reverse("indicators:value_record", args=[indicator.pk]),
        {
            "academic_year": year(2025).pk,
            "value": "70",
            "evidence": SimpleUploadedFile("preuve.pdf", PDF_BYTES, content_type="application/pdf"),
        },
    )
    stored = StoredFile.objects.get()
    assert client_for(school["auditor"]).get(stored.get_absolute_url()).status_code == 200
    assert client_for(school["student"]).get(stored.get_absolute_url()).status_code == 404


def test_the_quality_manager_freezes_a_closed_year_from_the_dashboard(
    school: dict[str, Any], indicator: Indicator
) -> None:
    closed = year(2024)
    IndicatorValue.objects.create(
        indicator=indicator, academic_year=closed, scope_key="school", source=Source.MANUAL, value=Decimal("70")
    )
    url = reverse("indicators:freeze_year")
    assert client_for(school["teacher"]).post(url, {"academic_year": closed.pk}).status_code == 403
    assert not IndicatorValue.objects.filter(is_frozen=True).exists()
    client = client_for(school["quality_manager"])
    page = client.get(reverse("indicators:dashboard"), {"academic_year": closed.pk}).content.decode()
    assert url in page
    response = client.post(url, {"academic_year": closed.pk}, follow=True)
    assert "1 value(s) of 2024-2025 frozen." in response.content.decode()
    assert IndicatorValue.objects.get().is_frozen
    page = client.get(reverse("indicators:indicator_detail", args=[indicator.pk])).content.decode()
    assert 'data-testid="frozen"' in page

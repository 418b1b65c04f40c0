"""Indicators measured per semester or per month: the periods of an academic year, a value
per (indicator, year, period, scope) refused outside the year or for another kind of
period, computed values recomputed for each period begun, an item off target once per
period, and the pages (the form's period, the page's period column and chart, the
dashboard's latest period)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from amelio.improvement.choices import ItemStatus, Origin
from amelio.improvement.models import ImprovementItem
from amelio.indicators import services
from amelio.indicators.choices import Direction, PeriodKind, Source
from amelio.indicators.computed import IndicatorScope
from amelio.indicators.models import Indicator, IndicatorValue, OffTargetItem
from amelio.indicators.periods import check_period, period_name, period_of, periods_of
from amelio.organisation.models import AcademicYear

from .factories import IndicatorFactory, computed_indicator, target, year

pytestmark = pytest.mark.django_db
D = datetime.date


# The periods of a year ---------------------------------------------------------------------


def test_the_semesters_and_months_of_an_academic_year() -> None:
    academic_year = year(2025)  # 2025-09-01 to 2026-08-31
    s1, s2 = periods_of(academic_year, PeriodKind.SEMESTER)
    assert (s1.code, s1.starts_on, s1.ends_on) == ("S1", D(2025, 9, 1), D(2026, 1, 31))
    assert (s2.code, s2.starts_on, s2.ends_on) == ("S2", D(2026, 2, 1), D(2026, 8, 31))
    months = periods_of(academic_year, PeriodKind.MONTH)
    assert [month.code for month in months] == [
        "2025-09", "2025-10", "2025-11", "2025-12", "2026-01", "2026-02",
        "2026-03", "2026-04", "2026-05", "2026-06", "2026-07", "2026-08",
    ]  # fmt: skip
    assert (months[5].starts_on, months[5].ends_on) == (D(2026, 2, 1), D(2026, 2, 28))
    (whole,) = periods_of(academic_year, PeriodKind.ACADEMIC_YEAR)
    assert (whole.code, whole.starts_on, whole.ends_on, whole.label) == ("", D(2025, 9, 1), D(2026, 8, 31), "2025-2026")
    assert period_name(academic_year, "S2") == "2025-2026, semester 2"
    assert period_name(academic_year, "2025-10") == "October 2025"


def test_a_year_starting_mid_month_cuts_its_first_and_last_months() -> None:
    academic_year = AcademicYear.objects.create(label="2030-2031", starts_on=D(2030, 9, 15), ends_on=D(2031, 7, 10))
    months = periods_of(academic_year, PeriodKind.MONTH)
    assert (months[0].code, months[0].starts_on) == ("2030-09", D(2030, 9, 15))
    assert (months[-1].code, months[-1].ends_on) == ("2031-07", D(2031, 7, 10))
    assert period_of(academic_year, "2031-08") is None
    assert periods_of(academic_year, PeriodKind.SEMESTER)[1].starts_on == D(2031, 2, 1)


@pytest.mark.parametrize(
    ("kind", "code", "message"),
    [
        (
            PeriodKind.ACADEMIC_YEAR,
            "S1",
            "This indicator is measured per academic year: a value covers the whole year.",
        ),
        (PeriodKind.SEMESTER, "", "This indicator is measured per semester: choose a semester of 2025-2026."),
        (PeriodKind.SEMESTER, "S3", "This indicator is measured per semester: choose a semester of 2025-2026."),
        (PeriodKind.SEMESTER, "2025-10", "This indicator is measured per semester: choose a semester of 2025-2026."),
        (PeriodKind.MONTH, "", "This indicator is measured per month: give a month, e.g. 2025-10."),
        (PeriodKind.MONTH, "S1", "This indicator is measured per month: give a month, e.g. 2025-10."),
        (PeriodKind.MONTH, "2025-13", "This indicator is measured per month: give a month, e.g. 2025-10."),
        (PeriodKind.MONTH, "octobre", "This indicator is measured per month: give a month, e.g. 2025-10."),
        (
            PeriodKind.MONTH,
            "2026-09",
            "September 2026 is outside the academic year 2025-2026 (09/01/2025 to 08/31/2026).",
        ),
        (
            PeriodKind.MONTH,
            "2025-08",
            "August 2025 is outside the academic year 2025-2026 (09/01/2025 to 08/31/2026).",
        ),
    ],
)
def test_a_period_of_another_kind_or_outside_the_year_is_refused(kind: str, code: str, message: str) -> None:
    with pytest.raises(ValueError, match="^" + message.replace("(", r"\(").replace(")", r"\)") + "$"):
        check_period(kind=kind, academic_year=year(2025), code=code)


# Values entered per period -----------------------------------------------------------------------


def monthly(school: dict[str, Any], **fields: Any) -> Indicator:
    return IndicatorFactory(owner=school["teacher"], period_kind=PeriodKind.MONTH, **fields)


def test_a_value_per_month_is_kept_per_month(school: dict[str, Any]) -> None:
    indicator = monthly(school)
    record = {"actor": school["teacher"], "indicator": indicator, "academic_year": year(2025)}
    scope = IndicatorScope.school()
    october = services.value_record(scope=scope, period="2025-10", value=Decimal("40"), **record)
    november = services.value_record(scope=scope, period="2025-11", value=Decimal("45"), **record)
    again = services.value_record(scope=scope, period="2025-10", value=Decimal("42"), **record)
    assert again.pk == october.pk and again.pk != november.pk
    assert sorted(IndicatorValue.objects.values_list("period", "value")) == [
        ("2025-10", Decimal("42.00")),
        ("2025-11", Decimal("45.00")),
    ]
    assert october.period_label == "October 2025" and str(again) == f"{indicator.code} October 2025 Whole school: 42.00"


@pytest.mark.parametrize(
    ("kind", "period", "message"),
    [
        (
            PeriodKind.MONTH,
            "2026-10",
            "October 2026 is outside the academic year 2025-2026 (09/01/2025 to 08/31/2026).",
        ),
        (PeriodKind.MONTH, "", "This indicator is measured per month: give a month, e.g. 2025-10."),
        (PeriodKind.SEMESTER, "S3", "This indicator is measured per semester: choose a semester of 2025-2026."),
        (
            PeriodKind.ACADEMIC_YEAR,
            "S1",
            "This indicator is measured per academic year: a value covers the whole year.",
        ),
    ],
)
def test_recording_refuses_a_period_on_its_field(school: dict[str, Any], kind: str, period: str, message: str) -> None:
    indicator = IndicatorFactory(owner=school["teacher"], period_kind=kind)
    with pytest.raises(ValidationError) as error:
        services.value_record(
            actor=school["teacher"],
            indicator=indicator,
            academic_year=year(2025),
            scope=IndicatorScope.school(),
            period=period,
            value=Decimal("1"),
        )
    assert error.value.message_dict == {"period": [message]}
    assert not IndicatorValue.objects.exists()


def test_the_database_keeps_one_value_per_scope_and_period(school: dict[str, Any]) -> None:
    indicator = monthly(school)
    fields = {"indicator": indicator, "academic_year": year(2025), "scope_key": "school", "source": Source.MANUAL}
    IndicatorValue.objects.create(period="2025-10", **fields)
    IndicatorValue.objects.create(period="2025-11", **fields)
    duplicate = IndicatorValue(period="2025-10", **fields)
    with pytest.raises(ValidationError) as error:
        duplicate.validate_constraints()
    assert error.value.message_dict == {"period": ["This indicator already has a value for this scope and period."]}
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_a_computation_refuses_a_kind_of_period_it_cannot_answer_for(school: dict[str, Any]) -> None:
    indicator = computed_indicator("partners.active_companies", owner=school["teacher"], period_kind=PeriodKind.MONTH)
    with pytest.raises(ValidationError) as error:
        indicator.full_clean()
    assert error.value.message_dict == {
        "period_kind": ["“Active partner companies” can be computed only: per academic year."]
    }
    computed_indicator(
        "improvement.median_days_to_close", owner=school["teacher"], period_kind=PeriodKind.SEMESTER
    ).full_clean()


# Computed per period --------------------------------------------------------------------------------


def closed_item(raised_on: datetime.date, days: int, department: Any) -> None:
    ImprovementItem.objects.create(
        reference=f"NC-P-{ImprovementItem.objects.count() + 1:04d}",
        origin=Origin.NONCONFORMITY,
        title="Sujet",
        description="Description",
        department=department,
        raised_on=raised_on,
        status=ItemStatus.CLOSED_EFFECTIVE,
        closed_on=raised_on + datetime.timedelta(days=days),
    )


def test_a_computed_indicator_per_semester_is_recomputed_for_each_semester(school: dict[str, Any]) -> None:
    academic_year = year(2024)  # over: both semesters have begun
    # Closed in S1 (by January 31st, 2025): 10 and 30 days, median 20; in S2: 50 days.
    closed_item(D(2024, 10, 1), 10, school["civil"])
    closed_item(D(2024, 12, 1), 30, school["civil"])
    closed_item(D(2025, 1, 20), 50, school["civil"])
    indicator = computed_indicator(
        "improvement.median_days_to_close",
        owner=school["teacher"],
        period_kind=PeriodKind.SEMESTER,
        direction=Direction.LOWER_IS_BETTER,
    )
    assert services.indicator_recompute(actor=None, indicator=indicator, academic_year=academic_year) == 2
    assert sorted(IndicatorValue.objects.values_list("period", "value", "inputs")) == [
        ("S1", Decimal("20.00"), {"items_closed": 2}),
        ("S2", Decimal("50.00"), {"items_closed": 1}),
    ]
    with pytest.raises(ValidationError) as error:
        services.value_compute(
            actor=None, indicator=indicator, academic_year=academic_year, scope=IndicatorScope.school(), period=""
        )
    assert error.value.message_dict == {
        "period": ["This indicator is measured per semester: choose a semester of 2024-2025."]
    }


def test_only_the_months_begun_are_computed(school: dict[str, Any]) -> None:
    today = datetime.date.today()
    start = today.year if today.month >= 9 else today.year - 1
    academic_year = year(start)
    indicator = computed_indicator(
        "improvement.items_closed_effective", owner=school["teacher"], period_kind=PeriodKind.MONTH
    )
    begun = [month.code for month in periods_of(academic_year, PeriodKind.MONTH) if month.starts_on <= today]
    assert services.indicator_recompute(actor=None, indicator=indicator, academic_year=academic_year) == len(begun)
    assert sorted(IndicatorValue.objects.values_list("period", flat=True)) == begun


def test_an_item_is_raised_once_per_period_off_target(school: dict[str, Any]) -> None:
    indicator = monthly(school, code="IND-31", process=school["process_civil"], unit="%")
    academic_year = year(2025)
    target(indicator, academic_year, "80", "60")  # the year's target holds for each month
    record = {
        "actor": school["quality_manager"],
        "indicator": indicator,
        "academic_year": academic_year,
        "scope": IndicatorScope.school(),
    }
    services.value_record(period="2025-10", value=Decimal("50"), **record)
    services.value_record(period="2025-10", value=Decimal("40"), **record)  # still beyond: no second item
    services.value_record(period="2025-11", value=Decimal("70"), **record)  # watch: none
    services.value_record(period="2025-12", value=Decimal("55"), **record)
    assert sorted(ImprovementItem.objects.values_list("title", flat=True)) == [
        "IND-31 off target in December 2025: Whole school",
        "IND-31 off target in October 2025: Whole school",
    ]
    assert sorted(OffTargetItem.objects.values_list("period", flat=True)) == ["2025-10", "2025-12"]


# Pages -----------------------------------------------------------------------------------------------


def client_for(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


def test_the_form_asks_for_a_month_and_refuses_one_outside_the_year(school: dict[str, Any]) -> None:
    indicator = monthly(school, process=school["process_civil"])
    academic_year = year(2025)
    url = reverse("indicators:value_record", args=[indicator.pk])
    client = client_for(school["teacher"])
    assert 'type="month"' in client.get(url).content.decode()
    response = client.post(url, {"academic_year": academic_year.pk, "period": "2027-01", "value": "3"})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "period": ["January 2027 is outside the academic year 2025-2026 (09/01/2025 to 08/31/2026)."]
    }
    response = client.post(url, {"academic_year": academic_year.pk, "period": "", "value": "3"})
    assert response.context["form"].errors == {"period": ["This field is required."]}
    assert not IndicatorValue.objects.exists()
    assert client.post(url, {"academic_year": academic_year.pk, "period": "2026-03", "value": "3"}).status_code == 302
    assert IndicatorValue.objects.get().period == "2026-03"


def test_the_form_of_a_semester_indicator_offers_the_two_semesters(school: dict[str, Any]) -> None:
    indicator = IndicatorFactory(owner=school["teacher"], period_kind=PeriodKind.SEMESTER)
    url = reverse("indicators:value_record", args=[indicator.pk])
    client = client_for(school["teacher"])
    response = client.post(url, {"academic_year": year(2025).pk, "period": "S3", "value": "3"})
    assert "period" in response.context["form"].errors
    assert client.post(url, {"academic_year": year(2025).pk, "period": "S2", "value": "3"}).status_code == 302
    assert IndicatorValue.objects.get().period == "S2"
    # Measured per academic year: no period asked.
    yearly = IndicatorFactory(owner=school["teacher"])
    page = client.get(reverse("indicators:value_record", args=[yearly.pk])).content.decode()
    assert 'name="period"' not in page


def test_the_page_shows_each_period_and_charts_the_latest_twelve_months(school: dict[str, Any]) -> None:
    indicator = monthly(school, unit="%")
    older, latest = year(2024), year(2025)
    target(indicator, older, "70", "50")
    target(indicator, latest, "80", "60")
    for academic_year, period, value in (
        (older, "2024-09", "10"),  # more than twelve months before the latest: not charted
        (older, "2025-01", "20"),
        (older, "2025-02", "30"),
        (latest, "2025-09", "70"),
        (latest, "2025-10", "50"),
        (latest, "2025-12", "90"),
    ):
        IndicatorValue.objects.create(
            indicator=indicator,
            academic_year=academic_year,
            period=period,
            scope_key="school",
            source=Source.MANUAL,
            value=Decimal(value),
        )
    response = client_for(school["auditor"]).get(reverse("indicators:indicator_detail", args=[indicator.pk]))
    chart = response.context["chart"]
    # January 2025 to December 2025, the year shown where it begins.
    assert [tick.label for tick in chart.x_ticks] == [
        "Jan 25", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]  # fmt: skip
    scope_line, target_line, threshold_line = chart.lines
    # January and February joined; September and October joined, November missing, December alone.
    assert [[point.value for point in segment] for segment in scope_line.segments] == [
        [20.0, 30.0],
        [70.0, 50.0],
        [90.0],
    ]
    # Each year's target over its months: 70 until August 2025, 80 from September.
    assert [point.value for point in target_line.points][::2] == [70.0] * 8 + [80.0] * 4
    assert threshold_line.label == "Alert threshold"
    page = response.content.decode()
    assert "From January 2025 to December 2025, with each year's target and alert threshold</title>" in page
    assert page.count('data-testid="period"') == 6
    assert "Oct 2025" in page and "Sep 2024" in page


def test_a_semester_indicator_charts_its_last_six_semesters(school: dict[str, Any]) -> None:
    indicator = IndicatorFactory(owner=school["teacher"], period_kind=PeriodKind.SEMESTER)
    for start in range(2021, 2026):
        for period in ("S1", "S2"):
            IndicatorValue.objects.create(
                indicator=indicator,
                academic_year=year(start),
                period=period,
                scope_key="school",
                source=Source.MANUAL,
                value=Decimal(start - 2000),
            )
    response = client_for(school["auditor"]).get(reverse("indicators:indicator_detail", args=[indicator.pk]))
    labels = [tick.label for tick in response.context["chart"].x_ticks]
    assert labels == ["S1 2023-2024", "S2 2023-2024", "S1 2024-2025", "S2 2024-2025", "S1 2025-2026", "S2 2025-2026"]


def test_the_dashboard_shows_the_latest_period_of_the_year(school: dict[str, Any]) -> None:
    indicator = monthly(school, unit="%")
    academic_year = year(2025)
    for period, value in (("2025-09", "11"), ("2025-10", "22")):
        IndicatorValue.objects.create(
            indicator=indicator,
            academic_year=academic_year,
            period=period,
            scope_key="school",
            source=Source.MANUAL,
            value=Decimal(value),
        )
    response = client_for(school["quality_manager"]).get(
        reverse("indicators:dashboard") + f"?academic_year={academic_year.pk}"
    )
    (line,) = [line for line in response.context["board"].lines if line.indicator == indicator]
    assert line.value.period == "2025-10" and line.previous.period == "2025-09"  # the month before
    assert line.trend == "better"  # 22 after 11, higher is better
    assert "Oct 2025" in response.content.decode()


def test_the_latest_year_of_a_monthly_indicator_is_open_the_older_ones_folded(school: dict[str, Any]) -> None:
    indicator = monthly(school)
    for start in (2024, 2025):
        IndicatorValue.objects.create(
            indicator=indicator,
            academic_year=year(start),
            period=f"{start}-10",
            scope_key="school",
            source=Source.MANUAL,
            value=Decimal(5),
        )
    page = client_for(school["auditor"]).get(reverse("indicators:indicator_detail", args=[indicator.pk]))
    content = page.content.decode()
    assert content.count("<details open>") == 1 and content.count("<details>") == 1
    assert content.index('data-testid="year-2025-2026"><details open>') < content.index(
        'data-testid="year-2024-2025"><details>'
    )

"""The public results page: only the indicators the quality manager published, each with
its latest figure for the whole school, its definition and its year; open without an account,
never a department's or programme's figure, and a fixed number of queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from amelio.indicators.services import indicator_update
from amelio.indicators.tests.factories import IndicatorFactory, value, year
from tests.query_budgets import check_query_budgets

pytestmark = pytest.mark.django_db


def test_a_published_indicator_shows_its_latest_school_figure_to_anyone(school: dict[str, Any]) -> None:
    last, this = year(2024), year(2025)
    published = IndicatorFactory(
        code="IND-40", name="Taux de réussite", description="Diplômés sur inscrits.", unit="%", is_published=True
    )
    hidden = IndicatorFactory(code="IND-41", name="Délai interne", description="Interne.")
    value(published, last, "81")
    value(published, this, "87.5")
    value(published, this, "12", department=school["civil"])  # a department's figure is never published
    value(published, year(2099), "33.3")  # nor the figure of a year not ended
    value(hidden, this, "99")
    response = Client().get(reverse("indicators:published_results"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Taux de réussite" in page and "Diplômés sur inscrits." in page
    assert "87.5" in page and "2025-2026" in page
    assert ">12<" not in page and "33.3" not in page and "Délai interne" not in page
    assert [result.value.value for result in response.context["results"]] == [
        published.values.get(academic_year=this, scope_key="school").value
    ]


def test_a_published_indicator_without_a_figure_says_so(school: dict[str, Any]) -> None:
    IndicatorFactory(code="IND-42", name="Insertion à six mois", is_published=True)
    page = Client().get(reverse("indicators:published_results")).content.decode()
    assert "Insertion à six mois" in page and "Not measured yet." in page


def test_only_the_quality_manager_publishes(school: dict[str, Any]) -> None:
    indicator = IndicatorFactory(code="IND-43", owner=school["office"])
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        indicator_update(actor=school["office"], indicator=indicator, data={"is_published": True})
    indicator.refresh_from_db()
    assert not indicator.is_published
    indicator_update(actor=school["quality_manager"], indicator=indicator, data={"is_published": True})
    indicator.refresh_from_db()
    assert indicator.is_published


def test_the_page_runs_a_fixed_number_of_queries(school: dict[str, Any]) -> None:
    this = year(2025)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert Client().get(reverse("indicators:published_results")).status_code == 200
        return len(captured)

    IndicatorFactory(code="IND-50", is_published=True)
    with_one = count()
    for number in range(51, 60):
        value(IndicatorFactory(code=f"IND-{number}", is_published=True), this, "50")
    check_query_budgets("indicators public", {"results": {"1 indicator": with_one, "10 indicators": count()}})

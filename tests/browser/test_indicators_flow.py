"""Indicators seen through a real browser: the owner sets a target and records a value off
target, the page shows its light, the trend chart and the item raised; the school dashboard
shows every indicator's light."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from amelio.improvement.models import ImprovementItem
from amelio.indicators.choices import Source
from amelio.indicators.models import IndicatorValue
from amelio.indicators.tests.factories import IndicatorFactory, target, year

from .test_foundation_flow import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_owner_records_a_value_off_target_and_reads_the_dashboard(
    page: Page, live_server: Any, school: dict[str, Any], screenshot_dir: Path, settings: Any
) -> None:
    settings.LANGUAGE_CODE = "fr"
    base = live_server.url
    indicator = IndicatorFactory(
        code="IND-01",
        name="Taux de réussite au diplôme",
        owner=school["teacher"],
        process=school["process_civil"],
        unit="%",
    )
    for start, value in ((2022, "78"), (2023, "83"), (2024, "88")):
        target(indicator, year(start), "80", "65")
        IndicatorValue.objects.create(
            indicator=indicator,
            academic_year=year(start),
            scope_key="school",
            source=Source.MANUAL,
            value=Decimal(value),
        )
    other = IndicatorFactory(code="IND-02", name="Délai de réponse aux réclamations", direction="lower", unit="j")
    target(other, year(2025), "30", "60")
    IndicatorValue.objects.create(
        indicator=other,
        academic_year=year(2025),
        scope_key="school",
        source=Source.MANUAL,
        value=Decimal("45"),
    )

    log_in(page, base, "teacher@school.test")
    page.goto(f"{base}/indicators/{indicator.pk}/targets/")
    page.select_option("#id_academic_year", str(year(2025).pk))
    page.fill("#id_target", "80")
    page.fill("#id_alert_threshold", "90")  # on the wrong side
    page.click("main form button[type=submit]")
    expect(page.locator(".invalid-feedback")).to_contain_text("seuil d'alerte doit être inférieur à la cible")
    page.fill("#id_alert_threshold", "65")
    page.click("main form button[type=submit]")

    page.goto(f"{base}/indicators/{indicator.pk}/values/")
    page.select_option("#id_academic_year", str(year(2025).pk))
    page.fill("#id_value", "61")
    page.fill("#id_note", "Résultats du jury de juillet")
    page.click("main form button[type=submit]")
    expect(page.locator("h1")).to_contain_text("Taux de réussite au diplôme")
    expect(page.locator('[data-testid="year-2025-2026"] [data-light="alert"]')).to_be_visible()
    expect(page.locator('[data-testid="indicator-trend"] polyline')).to_have_count(3)
    item = ImprovementItem.objects.get(origin="opportunity")
    expect(page.locator('[data-testid="year-2025-2026"]')).to_contain_text(item.reference)
    page.screenshot(path=str(screenshot_dir / "indicators-1-indicator-page.png"), full_page=True)

    page.goto(f"{base}/indicators/?academic_year={year(2025).pk}")
    expect(page.locator('[data-testid="dashboard"] [data-light="alert"]')).to_have_count(1)
    expect(page.locator('[data-testid="dashboard"] [data-light="watch"]')).to_have_count(1)
    page.screenshot(path=str(screenshot_dir / "indicators-2-dashboard.png"), full_page=True)

"""Quality objectives seen through a real browser: the quality manager sets an objective,
the owner measures it with an indicator (a target on the wrong side is refused on its
field), activates it, and reads its standing and trend on a laptop and on a phone; the
owner's home shows it at risk."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from amelio.indicators.models import Objective
from amelio.indicators.tests.factories import IndicatorFactory, target, value, year

from .test_foundation_flow import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_an_objective_is_set_measured_activated_and_read(
    page: Page, live_server: Any, school: dict[str, Any], screenshot_dir: Path, settings: Any
) -> None:
    settings.LANGUAGE_CODE = "fr"
    base = live_server.url
    indicator = IndicatorFactory(code="IND-01", name="Conventions signées à temps", unit="%")
    for start, number in ((2023, "70"), (2024, "66"), (2025, "55")):
        target(indicator, year(start), "80", "60")
        value(indicator, year(start), number)

    log_in(page, base, "qm@school.test")
    page.goto(f"{base}/indicators/objectives/new/")
    page.fill("#id_code", "OBJ-01")
    page.fill("#id_statement", "Toutes les conventions signées avant le stage")
    page.fill("#id_commitment", "Engagement 2 de la politique qualité")
    page.select_option("#id_process", str(school["process_civil"].pk))
    page.select_option("#id_owner", str(school["teacher"].pk))
    page.select_option("#id_academic_year", str(year(2025).pk))
    page.fill("#id_due_on", "2026-06-30")
    page.click("main form button[type=submit]")
    objective = Objective.objects.get()
    page.context.clear_cookies()

    log_in(page, base, "teacher@school.test")
    page.goto(f"{base}/indicators/objectives/{objective.pk}/measures/new/")
    page.select_option("#id_indicator", str(indicator.pk))
    page.fill("#id_target", "50")
    page.click("main form button[type=submit]")
    expect(page.locator(".invalid-feedback")).to_contain_text("au-dessus de son seuil d'alerte")
    page.fill("#id_target", "85")
    page.click("main form button[type=submit]")
    page.click('[data-step="activate"]')
    expect(page.locator('[data-testid="status"]')).to_contain_text("Actif")
    expect(page.locator('[data-testid="measures"] [data-standing="at_risk"]')).to_be_visible()
    expect(page.locator('[data-testid="measure-trend-IND-01"] circle')).to_have_count(3)
    assert Objective.objects.get().measures.get().target == Decimal("85")
    page.screenshot(path=str(screenshot_dir / "objectives-1-objective-1366.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(screenshot_dir / "objectives-2-objective-390.png"), full_page=True)

    page.goto(f"{base}/")
    expect(page.locator('[data-testid="objectives-at-risk"]')).to_contain_text("OBJ-01")

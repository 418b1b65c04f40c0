"""The risk register through a real browser: a process owner records a risk (an impact
above the school's scale is refused on its field first), the heat map shows it in its
cell, at laptop and phone widths, and the cell opens the register filtered to it."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from amelio.risks.models import Risk
from amelio.risks.tests.factories import RiskFactory

from .test_foundation_flow import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_risk_is_recorded_and_found_from_the_matrix(
    page: Page, live_server: Any, school: dict[str, Any], screenshot_dir: Path, settings: Any
) -> None:
    settings.LANGUAGE_CODE = "fr"
    base = live_server.url
    RiskFactory(process=school["process_electrical"], likelihood=1, impact=2)
    log_in(page, base, "teacher@school.test")

    page.goto(f"{base}/risks/new/")
    page.fill("#id_title", "Chute d'un élève sur le chantier école")
    page.fill("#id_description", "Travaux en hauteur sans garde-corps provisoire.")
    page.select_option("#id_process", str(school["process_civil"].pk))
    page.select_option("#id_owner", str(school["teacher"].pk))
    page.fill("#id_likelihood", "4")
    page.fill("#id_impact", "6")
    # The field says its bounds to the browser; the server's own check is what is tested here.
    page.eval_on_selector("#id_impact", "field => field.removeAttribute('max')")
    page.fill("#id_review_on", (timezone.localdate() + datetime.timedelta(days=90)).isoformat())
    page.click("main form button[type=submit]")
    page.screenshot(path=str(screenshot_dir / "risk-form-refused.png"), full_page=True)
    expect(page.locator("#id_impact_error")).to_contain_text("5")
    assert Risk.objects.count() == 1  # only the one built above
    page.fill("#id_impact", "5")
    page.click("main form button[type=submit]")
    expect(page.locator("h1")).to_contain_text("Chute d'un élève")
    risk = Risk.objects.get(title__startswith="Chute")
    assert risk.score == 20

    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{base}/risks/matrix/")
        matrix = page.get_by_test_id("risk-matrix")
        expect(matrix).to_be_visible()
        box = matrix.bounding_box()
        assert box is not None and box["x"] + box["width"] <= width, "the matrix fits the screen"
        page.screenshot(path=str(screenshot_dir / f"risk-matrix-{width}.png"), full_page=True)
    cell = page.locator("[data-testid=risk-matrix] tbody tr").nth(1).locator("td").nth(4).locator("a")
    expect(cell).to_have_text("1")
    cell.click()
    expect(page.locator("table tbody tr")).to_have_count(1)
    expect(page.locator("table tbody")).to_contain_text(risk.reference)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.screenshot(path=str(screenshot_dir / "risk-register-1366.png"), full_page=True)

"""A department dashboard seen through a real browser, at a laptop's width and at a phone's:
the head of the department picks it, reads its lights, counts and charts, goes to a process's
dashboard through the picker, and nothing scrolls sideways at 390 px."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from amelio.indicators.choices import ScopeKind, Source
from amelio.indicators.models import IndicatorValue
from amelio.indicators.tests.factories import IndicatorFactory, target, year

from .test_foundation_flow import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_department_head_reads_the_department_dashboard(
    page: Page, live_server: Any, school: dict[str, Any], screenshot_dir: Path, settings: Any
) -> None:
    settings.LANGUAGE_CODE = "fr"
    base = live_server.url
    civil = school["civil"]
    signed = IndicatorFactory(
        code="IND-01",
        name="Conventions signées avant le début du stage",
        scope_kind=ScopeKind.DEPARTMENT,
        owner=school["office"],
        process=school["process_school"],
    )
    projects = IndicatorFactory(
        code="IND-02", name="Projets livrés à temps", owner=school["teacher"], process=school["process_civil"]
    )
    for start, signed_value, projects_value in ((2023, "82", "91"), (2024, "88", "84"), (2025, "70", "79")):
        for indicator in (signed, projects):
            target(indicator, year(start), "85", "75")
        IndicatorValue.objects.create(
            indicator=signed,
            academic_year=year(start),
            scope_key=f"department:{civil.pk}",
            department=civil,
            source=Source.MANUAL,
            value=Decimal(signed_value),
        )
        IndicatorValue.objects.create(
            indicator=projects,
            academic_year=year(start),
            scope_key="school",
            source=Source.MANUAL,
            value=Decimal(projects_value),
        )

    log_in(page, base, "head.gc@school.test")
    page.goto(f"{base}/indicators/?academic_year={year(2025).pk}")
    page.click("[data-testid=department-picker]")
    page.click(f"text={civil.name}")
    expect(page.locator("h1")).to_contain_text("Génie Civil")
    board = page.locator('[data-testid="dashboard"]')
    expect(board.locator('[data-light="alert"]')).to_have_count(1)
    expect(board.locator('[data-light="watch"]')).to_have_count(1)
    expect(page.locator('[data-count="alert"]')).to_contain_text("1")
    expect(board.locator('[data-trend="worse"]')).to_have_count(2)
    expect(page.locator('[data-testid="trends"] svg')).to_have_count(2)
    expect(page.locator(f'[data-testid="trend-{signed.pk}"] [data-reference="true"]')).to_have_count(2)
    page.screenshot(path=str(screenshot_dir / "dashboards-1-department-1366.png"), full_page=True)

    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    expect(board.locator("tbody tr").first).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "dashboards-2-department-390.png"), full_page=True)

    page.click("[data-testid=process-picker]")
    page.click("text=R-GC Projets de génie civil")
    expect(page.locator("h1")).to_contain_text("R-GC")
    expect(page.locator('[data-testid="dashboard"] tbody tr')).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(screenshot_dir / "dashboards-3-process-390.png"), full_page=True)

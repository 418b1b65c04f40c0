"""The foundation seen through a real browser (Debian's Chromium driven by Playwright)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from amelio.history.models import HistoryEntry
from amelio.organisation.tests.factories import PASSWORD
from amelio.processes.models import Process

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def log_in(page: Page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def test_quality_manager_creates_a_process_sees_it_on_the_map_and_in_history(
    page: Page, live_server: Any, school: dict[str, Any], screenshot_dir: Path, settings: Any
) -> None:
    settings.LANGUAGE_CODE = "fr"
    base = live_server.url
    log_in(page, base, "qm@school.test")
    expect(page.locator("h1")).to_contain_text("Quentin")

    page.goto(f"{base}/processes/new/")
    page.fill("#id_code", "S-20")
    page.fill("#id_name", "Gérer les systèmes d'information")
    page.select_option("#id_kind", "support")
    page.fill("#id_purpose", "Fournir des outils numériques fiables.")
    page.select_option("#id_owner", str(school["director"].pk))
    page.select_option("#id_interacts_with", [str(school["process_civil"].pk)])
    page.screenshot(path=str(screenshot_dir / "1-process-form.png"), full_page=True)
    page.click("main form button[type=submit]")
    expect(page.locator("h1")).to_contain_text("Gérer les systèmes d'information")
    process = Process.objects.get(code="S-20")
    assert list(process.interacts_with.all()) == [school["process_civil"]]

    page.goto(f"{base}/processes/map/")
    box = page.locator('[data-testid=process-map] a[data-code="S-20"]')
    expect(box).to_be_visible()
    expect(page.locator("[data-testid=process-map] line title", has_text="S-20 → R-GC")).to_have_count(1)
    page.screenshot(path=str(screenshot_dir / "2-process-map-fr.png"), full_page=True)

    # Edit it, then switch the language and read the change in the history.
    page.goto(f"{base}/processes/{process.pk}/edit/")
    page.fill("#id_name", "Piloter le système d'information")
    page.click("main form button[type=submit]")
    page.click("[data-testid=language-en]")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#history")).to_contain_text("History")
    expect(page.locator("#history")).to_contain_text("Piloter le système d'information")
    expect(page.locator("#history")).to_contain_text("Gérer les systèmes d'information")
    page.screenshot(path=str(screenshot_dir / "3-process-detail-en.png"), full_page=True)
    assert HistoryEntry.objects.filter(object_id=str(process.pk)).count() == 2

    page.goto(f"{base}/processes/map/")
    expect(page.locator("h1")).to_have_text("Process map")


def test_student_is_refused_the_process_edit_page(
    page: Page, live_server: Any, school: dict[str, Any], screenshot_dir: Path
) -> None:
    log_in(page, live_server.url, "student@school.test")
    process = school["process_civil"]
    response = page.goto(f"{live_server.url}/processes/{process.pk}/edit/")
    assert response is not None and response.status == 403
    expect(page.locator("h1")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "4-student-refused.png"), full_page=True)
    assert page.locator("#id_name").count() == 0

"""The internship office imports a student-information-system export with one bad row
(refused, the row named), fixes it and imports it; the programme head then opens the
at-risk list. Screenshots at 1366 and 390 pixels wide, to be looked at."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from amelio.organisation.tests.factories import PASSWORD, ProgrammeFactory
from amelio.students.models import Student
from amelio.students.tests.factories import year

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

HEADER = "INE;Nom;Prénom;Code étape;Année;Résultat\n"
GOOD_ROWS = "1234567890A;Durand;Marie;GC-BTP-5;2026;\n2234567890B;Martin;Léo;GC-BTP-4;2026;\n"


def log_in(page: Page, base_url: str, email: str) -> None:
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": base_url}])
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def upload(page: Page, base: str, path: Path) -> None:
    page.goto(f"{base}/imports/")
    page.select_option("#id_kind", "students")
    page.set_input_files("#id_file", str(path))
    with page.expect_navigation():
        page.click("main form button[type=submit]")


def test_office_imports_students_then_programme_head_opens_the_at_risk_list(
    page: Page, live_server: Any, school: dict[str, Any], screenshot_dir: Path, tmp_path: Path, settings: Any
) -> None:
    settings.LANGUAGE_CODE = "en"
    settings.MEDIA_ROOT = str(tmp_path / "media")
    base = live_server.url
    year(2026, current=True)
    ProgrammeFactory(code="GC-BTP", name="Bâtiment et travaux publics", department=school["civil"])
    bad = tmp_path / "apogee.csv"
    bad.write_text(HEADER + GOOD_ROWS + "3234567890C;Petit;Inès;GC-XYZ-5;2026;\n", encoding="utf-8")

    log_in(page, base, "office@school.test")
    upload(page, base, bad)
    expect(page.locator("[data-testid=import-status]")).to_have_text("refused")
    errors = page.locator("[data-testid=import-errors]")
    expect(errors).to_contain_text("4")
    expect(errors).to_contain_text("No programme with the code “GC-XYZ”.")
    page.screenshot(path=str(screenshot_dir / "students-1-import-refused.png"), full_page=True)
    assert not Student.objects.exists()

    fixed = tmp_path / "apogee-fixed.csv"
    fixed.write_text(HEADER + GOOD_ROWS + "3234567890C;Petit;Inès;GC-BTP-5;2026;\n", encoding="utf-8")
    upload(page, base, fixed)
    expect(page.locator("[data-testid=import-status]")).to_have_text("previewed")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    expect(page.locator("[data-testid=import-status]")).to_have_text("applied")
    page.screenshot(path=str(screenshot_dir / "students-2-import-applied.png"), full_page=True)
    assert Student.objects.count() == 3

    log_in(page, base, "head.gc@school.test")
    page.goto(f"{base}/students/at-risk/")
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(2)  # the two final-year students: no internship, stay abroad or English yet
    expect(page.locator("main table")).to_contain_text("Durand")
    expect(page.locator("main table")).not_to_contain_text("Martin")
    page.screenshot(path=str(screenshot_dir / "students-3-at-risk.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(screenshot_dir / "students-4-at-risk-phone.png"), full_page=True)
    with page.expect_navigation():
        page.click("text=Marie Durand")
    expect(page.locator("#requirements")).to_contain_text("at risk")
    page.screenshot(path=str(screenshot_dir / "students-5-record-phone.png"), full_page=True)

"""A school without the demo, through a real browser: on an empty database the superuser is
led through the set-up, then the new quality manager signs in and creates a process. No page
on the way is refused."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, Response, expect

from amelio.organisation.models import Person
from amelio.processes.models import Process

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "Un-mot-de-passe-solide-2026"


def log_in(page: Page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def submit(page: Page) -> None:
    with page.expect_navigation():
        page.click("main form button[type=submit]")


def test_first_run_set_up_then_the_quality_manager_creates_a_process(
    page: Page, live_server: Any, screenshot_dir: Path, settings: Any
) -> None:
    settings.LANGUAGE_CODE = "fr"
    statuses: list[int] = []

    def record(response: Response) -> None:
        if response.url.startswith(live_server.url):
            statuses.append(response.status)

    page.on("response", record)
    base = live_server.url
    Person.objects.create_superuser("admin@ecole.fr", PASSWORD, first_name="Ada", last_name="Admin")
    log_in(page, base, "admin@ecole.fr")
    expect(page).to_have_url(re.compile(r"/organisation/setup/$"))
    page.screenshot(path=str(screenshot_dir / "first-run-1-setup.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(screenshot_dir / "first-run-1-setup-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})

    page.click("main a.btn-primary")  # the next step: the school
    page.fill("#id_name", "École d'ingénieurs de Lyon")
    page.fill("#id_short_name", "EIL")
    page.fill("#id_city", "Lyon")
    page.fill("#id_siret", "19691774400019")
    page.fill("#id_uai", "0690192K")  # a typing mistake first
    submit(page)
    expect(page.locator("main")).to_contain_text("lettre clé")
    page.screenshot(path=str(screenshot_dir / "first-run-2-school-error.png"), full_page=True)
    page.fill("#id_uai", "0690192J")
    submit(page)
    expect(page).to_have_url(re.compile(r"/organisation/setup/$"))

    page.click("main a.btn-primary")  # the academic year, proposed
    submit(page)
    page.click("main a.btn-primary")  # departments and programmes
    page.fill(
        "#id_lines",
        "GC; Génie Civil\nGE; Génie Électrique\n"
        + "GC-ING; Ingénieur Génie Civil; GC\nGE-APP; Ingénieur GE; GE; apprentissage",
    )
    submit(page)
    page.click("main a.btn-primary")  # the first quality manager
    page.fill("#id_email", "qualite@ecole.fr")
    page.fill("#id_first_name", "Claire")
    page.fill("#id_last_name", "Martin")
    page.fill("#id_password", PASSWORD)
    submit(page)
    expect(page.locator("[data-testid=setup-done]")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "first-run-3-done.png"), full_page=True)
    page.goto(f"{base}/organisation/school/")
    expect(page.locator("main")).to_contain_text("0690192J")
    page.screenshot(path=str(screenshot_dir / "first-run-4-school.png"), full_page=True)

    page.context.clear_cookies()
    log_in(page, base, "qualite@ecole.fr")
    page.goto(f"{base}/processes/new/")
    page.fill("#id_code", "M-01")
    page.fill("#id_name", "Piloter l'école")
    page.select_option("#id_kind", "management")
    page.fill("#id_purpose", "Fixer le cap et le suivre.")
    page.select_option("#id_owner", str(Person.objects.get(email="qualite@ecole.fr").pk))
    submit(page)
    expect(page.locator("h1")).to_contain_text("Piloter l'école")
    page.screenshot(path=str(screenshot_dir / "first-run-5-process.png"), full_page=True)
    assert Process.objects.filter(code="M-01").exists()
    assert 403 not in statuses and not any(status >= 500 for status in statuses)

"""axe-core (from npm, run in Chromium) checks the main pages of the demo school against the
WCAG 2.1 A and AA rules — the ground of the French accessibility standard (RGAA) a public
school must meet — at a laptop's width and at a phone's, as the quality manager, who sees
every page, and as a student. Any violation fails the test, named with its page, rule and
elements."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

from amelio.demo.school import build_demo_school

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DEMO_PASSWORD = "amelio-demo-2026"

QUALITY_MANAGER_PAGES = [
    "/",
    "/processes/",
    "/processes/map/",
    "/documents/",
    "/risks/",
    "/risks/matrix/",
    "/improvement/",
    "/improvement/board/",
    "/improvement/my-work/",
    "/improvement/figures/",
    "/indicators/",
    "/internships/",
    "/internships/figures/",
    "/partners/companies/",
    "/history/",
    "/students/",
    "/students/figures/",
    "/students/cohorts/",
    "/surveys/",
    "/audits/",
    "/reviews/",
    "/standards/",
    "/exports/",
    "/indicators/results/",
]
STUDENT_PAGES = ["/", "/students/me/", "/notifications/"]


def violations_on(page: Page, url: str) -> list[str]:
    response = page.goto(url)
    assert response is not None and response.ok, url
    page.evaluate(AXE.read_text())  # through the browser's debugger: the page's CSP allows no inline script
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", WCAG_21_AA
    )
    return [
        f"{url}: {violation['id']} on {', '.join(str(node['target']) for node in violation['nodes'][:5])}"
        for violation in result["violations"]
    ]


def log_in_demo(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")


def test_the_main_pages_meet_wcag_21_aa_on_a_laptop_and_a_phone(page: Page, live_server: Any, settings: Any) -> None:
    assert AXE.exists(), "axe-core is missing: run `make install-dev` (npm ci)."
    settings.LANGUAGE_CODE = "fr"
    build_demo_school()
    base = live_server.url
    found: list[str] = []
    for width, height in ((1366, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.context.clear_cookies()
        log_in_demo(page, base, "qualite@amelio-demo.fr")
        for url in QUALITY_MANAGER_PAGES:
            found += [f"{width} px {line}" for line in violations_on(page, base + url)]
        page.context.clear_cookies()
        log_in_demo(page, base, "etudiant@amelio-demo.fr")
        for url in STUDENT_PAGES:
            found += [f"{width} px, student, {line}" for line in violations_on(page, base + url)]
    assert found == [], "\n".join(found)

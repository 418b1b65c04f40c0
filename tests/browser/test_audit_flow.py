"""An internal audit through a real browser: the quality manager plans it from the
programme, the lead auditor starts it and answers two checklist lines on a phone
(390 × 844), records a minor nonconformity from the line, puts it in the improvement
register in one step and finds its item there."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from amelio.audits.models import Audit, Finding
from amelio.audits.tests.factories import clause, programme

from .test_foundation_flow import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_plan_answer_on_a_phone_record_a_minor_nonconformity_and_find_its_item(
    page: Page, live_server: Any, school: dict[str, Any], screenshot_dir: Path, settings: Any
) -> None:
    settings.LANGUAGE_CODE = "fr"
    base = live_server.url
    year = programme(starts_on=datetime.date(2026, 9, 1))
    log_in(page, base, "qm@school.test")
    page.goto(f"{base}{year.get_absolute_url()}")
    page.get_by_test_id("plan-audit").click()
    page.fill("#id_title", "Audit des projets de génie civil")
    page.select_option("#id_processes", [str(school["process_civil"].pk)])
    page.select_option("#id_clauses", [str(clause("8.5").pk), str(clause("9.1").pk)])
    page.fill("#id_starts_on", "2026-11-30")
    page.fill("#id_ends_on", "2026-12-01")
    page.select_option("#id_lead_auditor", str(school["head_electrical"].pk))
    page.fill("#id_plan", "9h réunion d'ouverture\n10h revue des projets\n16h réunion de clôture")
    page.click("main form button[type=submit]")
    expect(page.locator("h1")).to_contain_text("Audit des projets de génie civil")
    page.screenshot(path=str(screenshot_dir / "audit-planned-1366.png"), full_page=True)
    audit = Audit.objects.get()
    assert audit.checklist.count() == 3

    page.context.clear_cookies()
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, base, "head.ge@school.test")
    page.goto(f"{base}{audit.get_absolute_url()}")
    page.locator("[data-step=start]").click()
    page.get_by_test_id("open-checklist").click()
    first, second = list(audit.checklist.order_by("position")[:2])
    page.click(f"label[for=id_line{first.pk}-answer_0]")
    page.fill(f"#id_line{first.pk}-note", "Revues de projet tracées sur l'échantillon.")
    page.locator(f"#line-{first.position} [data-testid=save-line]").click()
    expect(page.locator(f"#line-{first.position}")).to_contain_text("Hélène Électrique")
    page.click(f"label[for=id_line{second.pk}-answer_1]")
    page.locator(f"#line-{second.position} [data-testid=save-line]").click()
    # Not conform without what was seen: refused on the line, nothing saved.
    expect(page.locator(f"#line-{second.position} .invalid-feedback")).to_be_visible()
    second.refresh_from_db()
    assert second.answer == ""
    page.click(f"label[for=id_line{second.pk}-answer_1]")
    page.fill(f"#id_line{second.pk}-note", "Deux indicateurs du processus sans mesure depuis six mois.")
    page.locator(f"#line-{second.position} [data-testid=save-line]").click()
    expect(page.locator(f"#line-{second.position}")).to_contain_text("Hélène Électrique")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the checklist fits a phone ({width} px)"
    page.screenshot(path=str(screenshot_dir / "audit-checklist-390.png"), full_page=True)

    page.locator(f"#line-{second.position} a[href*='findings/new']").click()
    page.select_option("#id_grade", "minor_nc")
    page.fill("#id_statement", "Indicateurs du processus non mesurés")
    page.fill("#id_requirement", "ISO 9001 9.1.1 : surveiller et mesurer aux intervalles définis")
    page.click("main form button[type=submit]")
    finding = page.get_by_test_id("finding")
    expect(finding).to_contain_text("NC Min")
    page.get_by_test_id("raise-item").click()
    expect(page.get_by_test_id("finding-item")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "audit-finding-390.png"), full_page=True)
    item = Finding.objects.get().improvement_item
    assert item is not None and item.due_on == datetime.date(2026, 12, 1) + datetime.timedelta(days=180)

    page.goto(f"{base}/improvement/")
    expect(page.locator("table tbody")).to_contain_text(item.reference)
    page.screenshot(path=str(screenshot_dir / "audit-item-in-register-390.png"), full_page=True)

"""The evidence map through a real browser: the quality manager links a process to the
Qualiopi indicator it evidences from the process's page, maps that indicator to ISO 9001
10.2, opens the requirement page (the process listed, the mapping shown) and the coverage of
Qualiopi, on a laptop and on a phone; the external auditor then reads the same page, which is
logged for the quality manager (through the access granted to them)."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from amelio.standards.models import AccessLogEntry, Clause, ClauseMapping, EvidenceLink
from amelio.standards.services import auditor_access_grant

from .test_foundation_flow import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_process_evidences_an_indicator_mapped_to_iso_and_the_coverage_shows_it(
    page: Page, live_server: Any, school: dict[str, Any], screenshot_dir: Path, settings: Any
) -> None:
    settings.LANGUAGE_CODE = "fr"
    base = live_server.url
    process = school["process_civil"]
    indicator = Clause.objects.get(framework__code="QUALIOPI", number="13")
    iso_10_2 = Clause.objects.get(framework__code="ISO9001:2015", number="10.2")

    log_in(page, base, "qm@school.test")
    page.goto(f"{base}{process.get_absolute_url()}")
    page.click('[data-testid="requirements-evidenced"] a.btn')
    page.select_option("#id_requirement", str(indicator.pk))
    page.fill("#id_note", "Alternance coordonnée entre l'école et l'entreprise")
    page.click("main button[type=submit]")
    expect(page.locator('[data-testid="requirements-evidenced"]')).to_contain_text("13")
    assert EvidenceLink.objects.filter(clause=indicator, record_id=process.pk).exists()
    page.screenshot(path=str(screenshot_dir / "standards-1-process.png"), full_page=True)

    page.click(f'[data-testid="requirements-evidenced"] a[href="{indicator.get_absolute_url()}"]')
    page.select_option("#id_other", str(iso_10_2.pk))
    page.fill("#id_note", "Traitement des réclamations")
    page.click('[data-testid="mappings"] button.btn-outline-primary')
    expect(page.locator('[data-testid="mappings"]')).to_contain_text("10.2")
    expect(page.locator('[data-testid="evidence"]')).to_contain_text(process.name)
    assert ClauseMapping.objects.count() == 1
    page.screenshot(path=str(screenshot_dir / "standards-2-requirement.png"), full_page=True)

    page.goto(f"{base}{iso_10_2.get_absolute_url()}")
    expect(page.locator('[data-testid="mappings"]')).to_contain_text("Qualiopi")

    page.goto(f"{base}{indicator.framework.get_absolute_url()}")
    expect(page.locator('tr[data-number="13"]')).to_have_attribute("data-status", "covered")
    expect(page.locator('tr[data-number="C3"]')).to_have_attribute("data-status", "covered")
    expect(page.locator('tr[data-number="31"]')).to_have_attribute("data-status", "uncovered")
    page.screenshot(path=str(screenshot_dir / "standards-3-coverage.png"))
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(screenshot_dir / "standards-4-coverage-phone.png"))
    page.goto(f"{base}{indicator.get_absolute_url()}")
    page.screenshot(path=str(screenshot_dir / "standards-5-requirement-phone.png"), full_page=True)

    page.set_viewport_size({"width": 1366, "height": 900})
    # The certification body's auditor reads what the quality manager granted: Qualiopi and
    # the process, this week.
    auditor_access_grant(
        actor=school["quality_manager"],
        data={
            "auditor": school["auditor"],
            "frameworks": [indicator.framework],
            "processes": [process],
            "starts_on": timezone.localdate(),
            "ends_on": timezone.localdate() + datetime.timedelta(days=5),
        },
    )
    page.context.clear_cookies()
    log_in(page, base, "auditor@school.test")
    page.goto(f"{base}{indicator.get_absolute_url()}")
    expect(page.locator('[data-testid="evidence"]')).to_contain_text(process.name)
    expect(page.locator('[data-testid="mappings"] form')).to_have_count(0)
    assert AccessLogEntry.objects.filter(person=school["auditor"], path=indicator.get_absolute_url()).exists()

    page.context.clear_cookies()
    log_in(page, base, "qm@school.test")
    page.goto(f"{base}/standards/access-log/")
    expect(page.locator("table")).to_contain_text(indicator.get_absolute_url())
    page.screenshot(path=str(screenshot_dir / "standards-6-access-log.png"), full_page=True)

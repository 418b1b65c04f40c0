"""Documented information through a real browser: the quality manager approves the new
version of a procedure (the one before is superseded), then a teacher it is distributed to
finds it on their home page and acknowledges it in one click."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from amelio.documents.choices import VersionStatus
from amelio.documents.models import Acknowledgement
from amelio.documents.tests.factories import VersionFactory, acknowledge, document_in_force
from amelio.organisation.choices import Role

from .test_foundation_flow import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_new_version_is_approved_then_acknowledged_by_a_teacher(
    page: Page, live_server: Any, school: dict[str, Any], screenshot_dir: Path, settings: Any
) -> None:
    settings.LANGUAGE_CODE = "fr"
    base = live_server.url
    document = document_in_force(
        owner=school["head_civil"],
        roles=[Role.TEACHER],
        reference="PR-GC-01",
        title="Conduite des projets de génie civil",
        processes=[school["process_civil"]],
    )
    first = document.current_version
    acknowledge(first, school["teacher"])  # read last year: it does not count for the new version
    second = VersionFactory(
        document=document,
        number=2,
        author=school["head_civil"],
        status=VersionStatus.IN_REVIEW,
        change_summary="Ajout du logigramme et des délais de validation.",
        text="# Objet\nConduire un projet **en partenariat**.\n\n# Étapes\n- Cadrage\n- Réalisation\n- Bilan",
    )

    log_in(page, base, "qm@school.test")
    page.goto(f"{base}{second.get_absolute_url()}")
    page.click('[data-step="approve"]')
    expect(page.locator("h1")).to_contain_text("version 2")
    expect(page.locator('[data-step="approve"]')).to_have_count(0)
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.status == VersionStatus.APPROVED and first.status == VersionStatus.SUPERSEDED

    page.context.clear_cookies()
    log_in(page, base, "teacher@school.test")
    expect(page.locator('[data-testid="to-read"]')).to_contain_text("PR-GC-01")
    page.click('[data-testid="to-read"] a')
    expect(page.locator('[data-testid="current-version"] h2')).to_contain_text("2")
    expect(page.locator('[data-testid="current-version"] strong')).to_have_text("en partenariat")
    page.screenshot(path=str(screenshot_dir / "documents-1-to-acknowledge.png"), full_page=True)
    page.click('[data-testid="acknowledge"]')
    expect(page.locator('[data-testid="acknowledged"]')).to_be_visible()
    assert Acknowledgement.objects.filter(version=second, person=school["teacher"]).exists()
    page.screenshot(path=str(screenshot_dir / "documents-2-acknowledged.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(screenshot_dir / "documents-3-phone.png"), full_page=True)
    page.goto(f"{base}/")
    expect(page.locator('[data-testid="to-read"]')).to_have_count(0)

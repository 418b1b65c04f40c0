"""The management review through a real browser: the quality manager compiles the inputs,
the director is refused the approval while a section has no note, the notes are written,
the director approves, and the review's PDF is drawn to PNG and looked at, at laptop and
phone widths."""

from __future__ import annotations

import base64
import datetime
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, expect

from amelio.improvement.choices import Origin
from amelio.improvement.tests.factories import ImprovementItemFactory
from amelio.reviews import services
from amelio.reviews.choices import ReviewStatus
from amelio.reviews.models import ManagementReview

from .test_foundation_flow import log_in
from .test_improvement_flow import log_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_review_is_compiled_noted_approved_and_printed(
    page: Page, live_server: Any, school: dict[str, Any], screenshot_dir: Path, tmp_path: Path
) -> None:
    base = live_server.url
    today = datetime.date.today()
    starts_on, ends_on = today - datetime.timedelta(days=365), today - datetime.timedelta(days=1)
    for days in (30, 90, 200):
        ImprovementItemFactory(
            origin=Origin.NONCONFORMITY,
            raised_on=today - datetime.timedelta(days=days),
            raised_by=school["student"],
            process=school["process_civil"],
        )
    review = services.review_create(
        actor=school["quality_manager"],
        data={
            "title": "Revue annuelle",
            "starts_on": starts_on,
            "ends_on": ends_on,
            "meeting_on": today,
            "chair": school["director"],
            "participants": [school["teacher"]],
        },
    )
    url = f"{base}{review.get_absolute_url()}"

    log_in(page, base, "qm@school.test")
    page.goto(url)
    page.click("[data-step=compile]")
    expect(page.get_by_test_id("review-status")).to_have_class(re.compile("status-compiled"))
    expect(page.get_by_test_id("section-nonconformities").locator("svg.bar-chart")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "review-1-compiled-1366.png"), full_page=True)
    keys = list(review.sections.values_list("key", flat=True))
    for key in keys[:-1]:  # the last one is left without a note
        page.goto(url)
        page.get_by_test_id(f"note-{key}").click()
        page.fill("#id_note", f"Examiné en séance ({key}).")
        page.click("main form button[type=submit]")
        expect(page.get_by_test_id(f"section-{key}")).to_contain_text(f"Examiné en séance ({key}).")
    log_out(page, base)

    log_in(page, base, "director@school.test")
    page.goto(url)
    page.click("[data-step=approve]")
    # The refusal names the section left without a note.
    last = review.sections.get(key=keys[-1])
    with translation.override("fr"):  # the director reads French: the title in French
        expected = f"{last.clause} {last.display_title}"
    expect(page.locator(".alert").first).to_contain_text(expected)
    page.screenshot(path=str(screenshot_dir / "review-2-approval-refused-1366.png"), full_page=True)
    assert ManagementReview.objects.get(pk=review.pk).status == ReviewStatus.COMPILED
    page.goto(url)
    page.get_by_test_id(f"note-{keys[-1]}").click()
    page.fill("#id_note", "Ressources suffisantes.")
    page.click("main form button[type=submit]")
    page.click("[data-step=approve]")
    expect(page.get_by_test_id("review-status")).to_have_class(re.compile("status-approved"))
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(url)
        page.screenshot(path=str(screenshot_dir / f"review-3-approved-{width}.png"), full_page=True)

    response = page.request.get(f"{base}{reverse('reviews:review_pdf', args=[review.pk])}")
    assert response.status == 200 and response.body().startswith(b"%PDF")
    pdf = tmp_path / "review.pdf"
    pdf.write_bytes(response.body())
    subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "pdf")], check=True)
    png = next(tmp_path.glob("pdf*.png"))
    encoded = base64.b64encode(png.read_bytes()).decode()
    page.set_viewport_size({"width": 1366, "height": 900})
    page.set_content(f'<img alt="review PDF, page 1" src="data:image/png;base64,{encoded}">')
    expect(page.locator("img")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "review-4-pdf-page-1.png"), full_page=True)

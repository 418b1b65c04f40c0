"""At a phone's size (390 × 844) nothing on the main pages scrolls sideways: the home, the
improvement register (its rows as cards, its filters folded behind a button), an item page,
the student's internship page and the company tutor's evaluation form. Screenshots are kept
in test-results/screenshots."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from amelio.demo.school import build_demo_school
from amelio.improvement.models import ImprovementItem
from amelio.internships import services
from amelio.internships.choices import EvaluationKind, InternshipStatus
from amelio.internships.models import Internship
from amelio.organisation.models import Person

from .test_accessibility import log_in_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}


def overflow(page: Page) -> tuple[int, int]:
    return page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")


def check(page: Page, url: str, name: str, screenshot_dir: Path) -> None:
    response = page.goto(url)
    assert response is not None and response.ok, url
    page.screenshot(path=str(screenshot_dir / f"phone-{name}.png"), full_page=True)
    scroll_width, inner_width = overflow(page)
    assert scroll_width <= inner_width, f"{url} is {scroll_width} px wide on a {inner_width} px screen"


def test_the_main_pages_fit_a_phone(page: Page, live_server: Any, settings: Any, screenshot_dir: Path) -> None:
    settings.LANGUAGE_CODE = "fr"
    build_demo_school()
    base = live_server.url
    page.set_viewport_size(PHONE)
    item = ImprovementItem.objects.filter(actions__isnull=False).distinct().order_by("pk").first()
    assert item is not None

    log_in_demo(page, base, "qualite@amelio-demo.fr")
    check(page, f"{base}/", "home", screenshot_dir)
    check(page, f"{base}/improvement/", "register", screenshot_dir)
    # The filters are folded; the button opens them.
    expect(page.locator("#list-filters")).to_be_hidden()
    page.get_by_test_id("filters-toggle").click()
    expect(page.locator("#list-filters")).to_be_visible()
    check(page, f"{base}/improvement/?origin=complaint&status=new", "register-filtered", screenshot_dir)
    expect(page.get_by_test_id("filters-toggle")).to_contain_text("2")
    # A row is a card: its reference and its state are there, its process (a detail) is not.
    first_row = page.locator(".table-cards tbody tr").first
    expect(first_row.locator("td[data-label='État']")).to_be_visible()
    expect(first_row.locator("td.col-detail").first).to_be_hidden()
    check(page, f"{base}{item.get_absolute_url()}", "item", screenshot_dir)

    student = Person.objects.get(email="etudiant@amelio-demo.fr")
    internship = Internship.objects.filter(student=student).order_by("-starts_on").first()
    assert internship is not None
    page.context.clear_cookies()
    log_in_demo(page, base, "etudiant@amelio-demo.fr")
    check(page, f"{base}{internship.get_absolute_url()}", "student-internship", screenshot_dir)

    followed = (
        Internship.objects.filter(status=InternshipStatus.UNDER_WAY, academic_tutor__isnull=False)
        .exclude(evaluations__kind=EvaluationKind.COMPANY_TUTOR)
        .order_by("pk")
        .first()
    )
    assert followed is not None
    _link, token = services.evaluation_link_send(
        actor=followed.academic_tutor, internship=followed, kind=EvaluationKind.COMPANY_TUTOR
    )
    page.context.clear_cookies()
    check(page, f"{base}/internships/evaluation/{token}/", "evaluation-form", screenshot_dir)

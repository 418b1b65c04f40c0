"""An internship agreement from the student's draft to the company tutor's evaluation,
in a real browser; the agreement's PDF is rendered to PNG to be looked at."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect

from amelio.internships.models import Evaluation, Internship
from amelio.internships.tests.factories import agreement_data
from amelio.organisation.tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def log_in(page: Page, base_url: str, email: str) -> None:
    page.context.clear_cookies()
    # This scenario reads the English labels (the French ones are tested elsewhere).
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": base_url}])
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def click_step(page: Page, label: str) -> None:
    with page.expect_navigation():
        page.locator("[data-testid=steps] button, [data-testid=steps] a", has_text=label).first.click()


def test_student_drafts_office_validates_company_tutor_evaluates(
    page: Page, live_server: Any, school: dict[str, Any], screenshot_dir: Path, settings: Any
) -> None:
    settings.LANGUAGE_CODE = "en"
    base = live_server.url
    data = agreement_data(school)  # a company, its tutor, a programme of civil engineering, the year

    # The student drafts the agreement.
    log_in(page, base, "student@school.test")
    page.goto(f"{base}/internships/new/")
    page.select_option("#id_company", str(data["company"].pk))
    page.select_option("#id_company_tutor", str(data["company_tutor"].pk))
    page.select_option("#id_academic_tutor", str(school["teacher"].pk))
    page.select_option("#id_programme", str(data["programme"].pk))
    page.select_option("#id_academic_year", str(data["academic_year"].pk))
    page.select_option("#id_kind", "engineer")
    page.fill("#id_subject", "Dimensionnement d'une passerelle")
    page.fill("#id_starts_on", "2027-04-05")
    page.fill("#id_ends_on", "2027-06-11")
    page.fill("#id_weekly_hours", "35")
    page.fill("#id_hourly_gratification", "4.00")  # below the minimum: refused, named
    page.click("main form button[type=submit]")
    expect(page.locator("#id_hourly_gratification_error")).to_contain_text("D124-8")
    page.screenshot(path=str(screenshot_dir / "internship-1-rule-refused.png"), full_page=True)
    page.fill("#id_hourly_gratification", "4.35")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    internship = Internship.objects.get()
    expect(page.locator("[data-testid=status]")).to_have_text("Draft")

    # The office checks it, the department head validates it, the office records the signatures.
    log_in(page, base, "office@school.test")
    page.goto(f"{base}{internship.get_absolute_url()}")
    click_step(page, "Check")
    expect(page.locator("[data-testid=status]")).to_contain_text("Checked")
    log_in(page, base, "head.gc@school.test")
    page.goto(f"{base}{internship.get_absolute_url()}")
    click_step(page, "Validate")
    log_in(page, base, "office@school.test")
    page.goto(f"{base}{internship.get_absolute_url()}")
    click_step(page, "Record the three signatures")
    today = timezone.localdate().isoformat()
    for field in ("student_signed_on", "company_signed_on", "school_signed_on"):
        page.fill(f"#id_{field}", today)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    click_step(page, "Confirm the start")
    expect(page.locator("[data-testid=status]")).to_contain_text("Under way")
    page.select_option("#link-kind", "company_tutor")
    with page.expect_navigation():
        page.click("text=Send a personal link")
    page.screenshot(path=str(screenshot_dir / "internship-2-office.png"), full_page=True)

    # The company tutor, without an account, evaluates through the personal link.
    link = next(line for line in mail.outbox[-1].body.splitlines() if "/internships/evaluation/" in line)
    page.context.clear_cookies()
    page.goto(base + link[link.index("/internships/") :])
    for question, score in (("technical", 5), ("autonomy", 4), ("teamwork", 4), ("project", 4)):
        page.check(f"input[name={question}][value='{score}']")
    page.fill("#id_comment", "Stagiaire autonome et rigoureux.")
    page.screenshot(path=str(screenshot_dir / "internship-3-evaluation-form.png"), full_page=True)
    page.click("main form button[type=submit]")
    expect(page.locator("h1")).to_have_text(re.compile("Thank you|Merci"))
    assert float(Evaluation.objects.get(internship=internship).score) == pytest.approx(4.2, abs=0.06)

    # The agreement's PDF opens; it is rendered to PNG to be looked at.
    log_in(page, base, "office@school.test")
    response = page.request.get(f"{base}/internships/{internship.pk}/agreement.pdf")
    assert response.ok and response.headers["content-type"] == "application/pdf"
    pdf = screenshot_dir / "internship-agreement.pdf"
    pdf.write_bytes(response.body())
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            str(pdf),
            str(screenshot_dir / "internship-4-agreement"),
        ],
        check=True,
    )
    assert list(screenshot_dir.glob("internship-4-agreement*.png"))
    page.goto(base + link[link.index("/internships/") :])
    expect(page.locator("[data-testid=refused]")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "internship-5-link-spent.png"), full_page=True)

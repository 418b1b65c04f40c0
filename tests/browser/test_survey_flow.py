"""A student answers a survey on a phone (390 × 844) through their personal link: a
required answer missed is named, then corrected; the quality manager opens the results."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from amelio.surveys import services
from amelio.surveys.models import Answer, Response
from amelio.surveys.tests.factories import campaign_of, students

from .test_internship_flow import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_student_answers_on_a_phone_and_the_results_show_it(
    page: Page, live_server: Any, school: dict[str, Any], screenshot_dir: Path, settings: Any
) -> None:
    settings.LANGUAGE_CODE = "en"
    base = live_server.url
    students(school, 2)
    campaign = campaign_of(school)
    made = services.campaign_open_with_tokens(actor=school["quality_manager"], campaign=campaign)
    token = made[0][1]

    page.set_viewport_size({"width": 390, "height": 844})
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": base}])
    page.goto(f"{base}/surveys/answer/{token}/")
    expect(page.locator("[data-testid=anonymity]")).to_contain_text("anonymous")
    # Everything but the first (required) question.
    page.get_by_label("9", exact=True).check()
    page.locator("#question-colour").get_by_label("Green").check()
    page.locator("#question-tools").get_by_label("Red").check()
    page.get_by_label("Heures").fill("30")
    page.get_by_label("Commentaire").fill("Des salles plus chaudes")
    with page.expect_navigation():
        page.get_by_role("button", name="Send my answers").click()
    overall = page.locator("#question-overall")
    expect(overall).to_contain_text("This question needs an answer.")
    expect(page.get_by_label("Heures")).to_have_value("30")  # nothing typed is lost
    assert Response.objects.count() == 0
    page.screenshot(path=str(screenshot_dir / "survey-1-answer-missed-390.png"), full_page=True)
    overall.get_by_label("Agree", exact=True).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Send my answers").click()
    expect(page.locator("[data-testid=done]")).to_be_visible()
    assert Response.objects.count() == 1 and Answer.objects.count() == 6
    page.screenshot(path=str(screenshot_dir / "survey-2-answered-390.png"), full_page=True)

    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, base, "qm@school.test")
    page.goto(f"{base}/surveys/{campaign.pk}/results/")
    expect(page.locator("[data-testid=response-rate]")).to_contain_text("33.3 %")
    expect(page.locator("[data-testid=comment]")).to_contain_text("Des salles plus chaudes")
    expect(page.locator("svg.bar-chart").first).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "survey-3-results-1366.png"), full_page=True)

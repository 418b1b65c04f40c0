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


def test_a_matrix_and_a_question_on_a_condition_answered_on_a_phone(
    page: Page, live_server: Any, school: dict[str, Any], screenshot_dir: Path, settings: Any
) -> None:
    """A required matrix with a row missed, and a matrix asked only because of an earlier
    answer left empty: each missing row is named, then corrected."""
    from amelio.surveys.models import Question
    from amelio.surveys.tests.factories import published_version
    from amelio.surveys.tests.test_matrix import QUESTIONS

    settings.LANGUAGE_CODE = "en"
    base = live_server.url
    students(school, 2)
    campaign = campaign_of(school, published_version(questions=QUESTIONS))
    made = services.campaign_open_with_tokens(actor=school["quality_manager"], campaign=campaign)
    codes = {q.code: q.pk for q in Question.objects.filter(section__version=campaign.version)}

    def row(code: str, index: int) -> Any:
        return page.locator(f"#row-q{codes[code]}_r{index}")

    page.set_viewport_size({"width": 390, "height": 844})
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": base}])
    page.goto(f"{base}/surveys/answer/{made[0][1]}/")
    expect(page.locator("[data-testid=matrix]")).to_have_count(3)
    # Not satisfied overall: "what was missing" (a matrix) is now asked; it is left empty,
    # and the row "Supervision" of the quality matrix is missed.
    page.locator("#question-overall").get_by_label("Disagree", exact=True).check()
    expect(page.locator("#question-why [data-testid=condition]")).to_contain_text("Globalement satisfait")
    row("quality", 0).get_by_label("Strongly agree", exact=True).check()
    row("quality", 2).get_by_label("Agree", exact=True).check()
    row("extras", 1).get_by_label("Disagree", exact=True).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Send my answers").click()
    expect(page.locator("[data-testid=errors]")).to_be_visible()
    expect(row("quality", 1)).to_contain_text("This row needs an answer.")
    expect(row("quality", 1)).to_have_attribute("aria-invalid", "true")
    expect(row("quality", 0)).not_to_contain_text("This row needs an answer.")
    expect(row("why", 0)).to_contain_text("This row needs an answer.")
    expect(row("why", 1)).to_contain_text("This row needs an answer.")
    expect(row("extras", 0)).not_to_contain_text("This row needs an answer.")  # optional
    expect(row("quality", 0).get_by_label("Strongly agree", exact=True)).to_be_checked()  # nothing lost
    assert Response.objects.count() == 0
    page.screenshot(path=str(screenshot_dir / "survey-matrix-1-rows-missed-390.png"), full_page=True)
    row("quality", 1).get_by_label("Neither agree nor disagree", exact=True).check()
    row("why", 0).get_by_label("Agree", exact=True).check()
    row("why", 1).get_by_label("Strongly disagree", exact=True).check()
    row("why", 1).scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / "survey-matrix-2-corrected-390.png"), full_page=False)
    with page.expect_navigation():
        page.get_by_role("button", name="Send my answers").click()
    expect(page.locator("[data-testid=done]")).to_be_visible()
    stored = {a.question.code: (a.number, a.choices) for a in Answer.objects.select_related("question")}
    assert stored == {
        "overall": (2, []),
        "quality": (None, [5, 3, 4]),
        "why": (None, [3, 1]),
        "extras": (None, [None, 2]),
    }

    log_in(page, base, "qm@school.test")
    page.goto(f"{base}/surveys/{campaign.pk}/results/")
    expect(page.locator("[data-testid=matrix-rows]").first).to_contain_text("Supervision")
    page.screenshot(path=str(screenshot_dir / "survey-matrix-3-results-390.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.locator("#question-quality, [data-testid=matrix-rows]").first.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / "survey-matrix-4-results-1366.png"), full_page=True)

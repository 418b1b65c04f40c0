"""The NPS's confidence interval and the comparison with the previous campaign of the same
questionnaire, against figures worked out by hand."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from amelio.core import clock
from amelio.surveys import results, services
from amelio.surveys.models import Campaign, Question, QuestionnaireVersion

from .factories import campaign_of, published_version, students

pytestmark = pytest.mark.django_db


def test_the_nps_interval_by_the_wald_method() -> None:
    # 5 promoters, 2 detractors, 3 passives of 10: NPS 0.3, variance (0.7 − 0.09) / 10 = 0.061,
    # margin 1.96 × 0.24698 = 0.48407 → −18.4 to 78.4 points.
    assert results.nps_interval([10, 9, 9, 10, 9, 0, 6, 7, 8, 7]) == (Decimal("-18.4"), Decimal("78.4"))
    # 2 promoters, 1 detractor of 3: 1/3 ± 1.96 × √((1 − 1/9) / 3) = 1/3 ± 1.0669 → −73.4, clipped at 100.
    assert results.nps_interval([10, 9, 0]) == (Decimal("-73.4"), Decimal("100.0"))
    # All promoters: no spread, the interval is the point.
    assert results.nps_interval([10] * 4) == (Decimal("100.0"), Decimal("100.0"))
    assert results.nps_interval([10]) is None and results.nps_interval([]) is None


def answer(campaign: Campaign, likert: list[int], nps: list[int]) -> None:
    made = services.campaign_open_with_tokens(actor=None, campaign=campaign)
    codes = {q.code: q.pk for q in Question.objects.filter(section__version=campaign.version)}
    for (_invitation, token), level, score in zip(made, likert, nps, strict=False):
        services.response_submit(
            token=token,
            answers={
                codes["overall"]: level,
                codes["recommend"]: score,
                codes["colour"]: (0, ""),
                codes["tools"]: ([1], ""),
                codes["hours"]: Decimal(10),
            },
        )


def test_the_results_page_compares_with_the_previous_campaign_of_the_questionnaire(school: dict[str, Any]) -> None:
    students(school, 5)
    version: QuestionnaireVersion = published_version()
    today = clock.today()
    before = campaign_of(school, version, title="Année dernière", opens_on=today - datetime.timedelta(days=10))
    answer(before, [5, 4, 4, 2, 1], [10, 9, 8, 6, 5])
    services.campaign_close(actor=school["quality_manager"], campaign=before)
    # A draft of the same questionnaire is not a previous campaign; another questionnaire's neither.
    campaign_of(school, version, title="Brouillon", opens_on=today - datetime.timedelta(days=5))
    other = campaign_of(school, title="Autre", opens_on=today - datetime.timedelta(days=3))
    answer(other, [1], [0])
    now = campaign_of(school, version, title="Cette année")
    answer(now, [5, 5, 4], [10, 9, 0])

    # Previous: mean 16 / 5 = 3.20, satisfied 3 of 5 = 60 %, NPS 2 − 2 of 5 = 0.
    figures = results.campaign_figures(before.pk)
    assert figures[("overall", "likert")] == results.Figures(
        answered=5, mean=Decimal("3.20"), satisfaction=Decimal("60.0")
    )
    assert figures[("recommend", "nps")] == results.Figures(answered=5, nps=Decimal("0.0"))

    client = Client()
    client.force_login(school["quality_manager"])
    page = client.get(f"/surveys/{now.pk}/results/").content.decode()
    assert 'data-testid="previous-campaign"' in page and "Année dernière" in page
    assert "Wald" in page and "95 % confidence interval -73.4 to 100.0" in page
    previous = [line for line in page.split('data-testid="previous-figures"')[1:]]
    assert "mean 3.20" in " ".join(previous[0].split()) and "satisfied 60.0 %" in " ".join(previous[0].split())
    assert "NPS 0.0" in " ".join(previous[1].split())
    export = client.get(f"/surveys/{now.pk}/results/?export=csv").content.decode()
    assert "previous campaign: mean" in export and "-73.4 – 100.0" in export

    # The first campaign has nothing to compare with.
    first = client.get(f"/surveys/{before.pk}/results/").content.decode()
    assert 'data-testid="previous-campaign"' not in first and 'data-testid="previous-figures"' not in first


def test_the_page_s_answers_give_the_same_breakdown_as_the_answers_with_their_responses(
    school: dict[str, Any],
) -> None:
    from amelio.surveys import selectors
    from amelio.surveys.models import Answer

    students(school, 6)
    campaign = campaign_of(school)
    answer(campaign, [5, 4, 4, 2, 1, 3, 5], [10, 9, 8, 6, 5, 0, 7])
    questions = selectors.version_questions(campaign.version)
    loaded = Answer.objects.filter(response__campaign=campaign).select_related(
        "response__department", "response__programme"
    )

    def groups(answers: Any) -> list[list[tuple[str, int, Any, bool]]]:
        found = results.question_results(questions, answers)
        return [[(g.label, g.count, g.figure, g.hidden) for g in r.breakdown] for r in found]

    named = groups(selectors.campaign_answers(campaign))
    assert named == groups(loaded)
    # seven answers from the department, six from the programme (the school's own student has none)
    assert sorted(count for _label, count, _figure, _hidden in named[0]) == [6, 7]

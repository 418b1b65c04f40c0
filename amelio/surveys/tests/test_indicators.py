"""The computed indicators of the surveys, against answers built here and figures worked out by hand."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from amelio.indicators.computed import IndicatorScope, computed_indicator
from amelio.indicators.periods import whole_year
from amelio.surveys import services
from amelio.surveys.choices import QuestionKind, QuestionnaireKind
from amelio.surveys.models import Question

from .factories import campaign_of, published_version, students, year_of

pytestmark = pytest.mark.django_db

QUESTIONS = [
    {"code": "a", "kind": QuestionKind.LIKERT, "text_fr": "A", "scale_points": 4},
    {"code": "b", "kind": QuestionKind.LIKERT, "text_fr": "B", "scale_points": 7},
    {"code": "n", "kind": QuestionKind.NPS, "text_fr": "N"},
]


def build(school: dict[str, Any], kind: str, rows: list[tuple[int, int, int]], invited_extra: int = 0) -> Any:
    students(school, len(rows) - 1 + invited_extra)  # the school's own student is invited too
    version = published_version(kind=kind, questions=QUESTIONS)
    campaign = campaign_of(school, version)
    made = services.campaign_open_with_tokens(actor=None, campaign=campaign)
    codes = {q.code: q.pk for q in Question.objects.filter(section__version=version)}
    for (a, b, n), (_invitation, token) in zip(rows, made, strict=False):
        services.response_submit(token=token, answers={codes["a"]: a, codes["b"]: b, codes["n"]: n})
    return campaign


def test_satisfaction_nps_and_response_rate_of_a_kind(school: dict[str, Any]) -> None:
    # Four answers out of five invited. Likert on 4 points: top two = 3, 4; on 7 points: 6, 7.
    rows = [(4, 7, 10), (3, 5, 9), (2, 6, 7), (1, 1, 3)]
    campaign = build(school, QuestionnaireKind.COURSE_EVALUATION, rows, invited_extra=1)
    year = year_of(campaign.opens_on)
    school_scope = IndicatorScope.school()

    satisfaction = computed_indicator("surveys.course_evaluation.satisfaction")
    assert satisfaction is not None
    result = satisfaction.compute(school_scope, whole_year(year))
    # a: 4, 3 satisfied (2 of 4); b: 7, 6 satisfied (2 of 4) → 4 of 8 = 50 %
    assert (result.value, result.inputs) == (Decimal("50.0"), {"part": 4, "whole": 8})

    nps = computed_indicator("surveys.course_evaluation.nps")
    assert nps is not None
    result = nps.compute(school_scope, whole_year(year))
    # promoters 10, 9 (2); detractors 3 (1); of 4 → 25 points
    assert result.value == Decimal("25.0") and result.inputs["whole"] == 4

    rate = computed_indicator("surveys.course_evaluation.response_rate")
    assert rate is not None
    assert rate.compute(school_scope, whole_year(year)).value == Decimal("80.0")  # 4 of 5

    civil = rate.compute(IndicatorScope.of(school["civil"]), whole_year(year))
    electrical = rate.compute(IndicatorScope.of(school["electrical"]), whole_year(year))
    assert civil.value == Decimal("80.0") and electrical.value is None

    # Another kind of questionnaire is not counted.
    other = computed_indicator("surveys.staff.satisfaction")
    assert other is not None and other.compute(school_scope, whole_year(year)).value is None


def test_an_answer_has_the_indicators_reading_it_recomputed_after_commit(
    school: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    from amelio.indicators.models import IndicatorValue
    from amelio.indicators.tests.factories import computed_indicator as indicator_computed

    indicator = indicator_computed(
        "surveys.course_evaluation.response_rate", owner=school["quality_manager"], process=school["process_school"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        build(school, QuestionnaireKind.COURSE_EVALUATION, [(4, 7, 10)], invited_extra=1)
    value = IndicatorValue.objects.get(indicator=indicator, scope_key="school")
    assert value.value == Decimal("50.0")  # one answer of two links


def test_the_rated_rows_of_a_matrix_count_in_the_satisfaction_rate(school: dict[str, Any]) -> None:
    questions = [
        {"code": "a", "kind": QuestionKind.LIKERT, "text_fr": "A", "scale_points": 4},
        {
            "code": "m",
            "kind": QuestionKind.MATRIX,
            "text_fr": "M",
            "scale_points": 5,
            "is_required": False,
            "rows": [{"fr": "Un"}, {"fr": "Deux"}, {"fr": "Trois"}],
        },
    ]
    students(school, 1)
    version = published_version(kind=QuestionnaireKind.STAFF, questions=questions)
    campaign = campaign_of(school, version)
    made = services.campaign_open_with_tokens(actor=None, campaign=campaign)
    codes = {q.code: q.pk for q in Question.objects.filter(section__version=version)}
    # Likert on 4: 4 satisfied, 2 not. Matrix on 5 (top two = 4, 5): 5, 4 and 1; 3 and a row left out.
    services.response_submit(token=made[0][1], answers={codes["a"]: 4, codes["m"]: [5, 4, 1]})
    services.response_submit(token=made[1][1], answers={codes["a"]: 2, codes["m"]: [3, None, None]})
    satisfaction = computed_indicator("surveys.staff.satisfaction")
    assert satisfaction is not None
    result = satisfaction.compute(IndicatorScope.school(), whole_year(year_of(campaign.opens_on)))
    # Satisfied: Likert 4, rows 5 and 4 → 3 of 2 + 4 = 6 levels.
    assert (result.value, result.inputs) == (Decimal("50.0"), {"part": 3, "whole": 6})

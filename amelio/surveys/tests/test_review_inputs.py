"""The surveys' input to the management review (9.3.2 c) 1)), compiled from campaigns built
here, against figures worked out by hand."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest

from amelio.core import clock
from amelio.core.registry import review_inputs
from amelio.surveys import services
from amelio.surveys.choices import QuestionKind, QuestionnaireKind
from amelio.surveys.models import Campaign, Question
from amelio.surveys.review_inputs import KEY

from .factories import campaign_of, published_version, students

pytestmark = pytest.mark.django_db

QUESTIONS = [
    {"code": "a", "kind": QuestionKind.LIKERT, "text_fr": "A", "scale_points": 4},
    {"code": "b", "kind": QuestionKind.LIKERT, "text_fr": "B", "scale_points": 7},
    {"code": "n", "kind": QuestionKind.NPS, "text_fr": "N"},
]


def answered(
    school: dict[str, Any], version: Any, title: str, rows: list[tuple[int, int, int]], **changes: Any
) -> Campaign:
    campaign = campaign_of(school, version, title=title, **changes)
    made = services.campaign_open_with_tokens(actor=school["quality_manager"], campaign=campaign)
    assert len(made) == 8  # the seven students made here and the school's own
    codes = {q.code: q.pk for q in Question.objects.filter(section__version=version)}
    for (a, b, n), (_invitation, token) in zip(rows, made, strict=False):
        services.response_submit(token=token, answers={codes["a"]: a, codes["b"]: b, codes["n"]: n})
    return campaign


def test_closed_campaigns_of_the_period_with_their_rates_and_small_groups_hidden(school: dict[str, Any]) -> None:
    students(school, 7)
    version = published_version(kind=QuestionnaireKind.STAFF, questions=QUESTIONS)
    today = clock.today()
    # Five answers: a (4 points) satisfied 4, 3, 4 → 3; b (7 points) satisfied 7, 6 → 2: 5 of 10 = 50 %;
    # NPS promoters 10, 9, 9 (3), detractors 0 (1), of 5 → 40; response rate 5 of 8 = 62.5 %.
    shown = answered(school, version, "Grande", [(4, 7, 10), (3, 6, 9), (2, 5, 8), (1, 1, 0), (4, 2, 9)])
    # Two answers only: the rate is shown (2 of 8 = 25 %), the satisfaction and NPS are not.
    small = answered(school, version, "Petite", [(4, 7, 10), (4, 7, 10)])
    still_open = answered(school, version, "Ouverte", [(4, 7, 10)] * 5)
    later = answered(school, version, "Plus tard", [(4, 7, 10)] * 5, closes_on=today + datetime.timedelta(days=200))
    for campaign in (shown, small, later):
        services.campaign_close(actor=school["quality_manager"], campaign=campaign)

    entry = next(entry for entry in review_inputs() if entry.key == KEY)
    assert entry.clause == "9.3.2 c) 1)"
    snapshot = entry.compile(today - datetime.timedelta(days=30), today + datetime.timedelta(days=30))
    json.dumps(snapshot)  # frozen as JSON in the review
    (table,) = snapshot["tables"]
    hidden = "hidden (fewer than 5 answers)"
    closes = shown.closes_on.isoformat()
    staff = "staff satisfaction"
    assert table["rows"] == [
        ["Grande", staff, closes, 8, 5, 62.5, 50.0, 40.0],
        ["Petite", staff, closes, 8, 2, 25.0, hidden, hidden],
    ]
    assert still_open.title not in str(snapshot) and later.title not in str(snapshot)
    figures = {figure["label"]: figure["value"] for figure in snapshot["figures"]}
    # 7 answers for 16 links = 43.75 → 43.8 %
    assert figures == {"Campaigns closed in the period": 2, "Response rate of these campaigns": 43.8}

    # A period without any closed campaign: an empty table, no rate.
    empty = entry.compile(today - datetime.timedelta(days=400), today - datetime.timedelta(days=300))
    assert empty["tables"][0]["rows"] == [] and empty["figures"][1]["value"] == "—"


def test_a_withdrawn_link_is_not_counted_as_invited(school: dict[str, Any]) -> None:
    students(school, 7)
    version = published_version(kind=QuestionnaireKind.STAFF, questions=QUESTIONS)
    campaign = answered(school, version, "Retirée", [(4, 7, 10)] * 5)
    unused = campaign.invitations.filter(has_answered=False).first()
    services.invitation_revoke(actor=school["quality_manager"], invitation=unused)
    services.campaign_close(actor=school["quality_manager"], campaign=campaign)
    today = clock.today()
    snapshot = next(e for e in review_inputs() if e.key == KEY).compile(today, today + datetime.timedelta(days=30))
    # 5 answers for the 7 links left: 71.4 %; every answer satisfied and a promoter.
    assert snapshot["tables"][0]["rows"][0][3:] == [7, 5, 71.4, 100.0, 100.0]

"""The list of campaigns, a campaign's page and its results run a fixed number of SQL
queries whatever the number of campaigns and answers: measured with 5 and with 50 of each;
both counts must be the page's budget in tests/query_budgets.json."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from amelio.core import clock
from amelio.surveys import services
from amelio.surveys.models import Campaign, Question
from tests.query_budgets import check_query_budgets

from .factories import QUESTIONS, campaign_of, published_version, students

pytestmark = pytest.mark.django_db


def add_answers(campaign: Campaign, count: int) -> None:
    made = services.campaign_open_with_tokens(actor=None, campaign=campaign)
    questions = Question.objects.filter(section__version=campaign.version)
    for _invitation, token in made[:count]:
        services.response_submit(
            token=token,
            answers={q.pk: 4 for q in questions if q.kind == "likert"}
            | {q.pk: 8 for q in questions if q.kind == "nps"}
            | {q.pk: (1, "") for q in questions if q.kind == "single_choice"}
            | {q.pk: ([0, 2], "") for q in questions if q.kind == "multiple_choice"}
            | {q.pk: 12 for q in questions if q.kind == "number"}
            | {q.pk: "Un commentaire" for q in questions if q.kind == "text"}
            | {q.pk: [4, 5, 2] for q in questions if q.kind == "matrix"},
        )


def count_queries(school: dict[str, Any], main: Campaign) -> dict[str, int]:
    client = Client()
    client.force_login(school["quality_manager"])
    pages = {
        "campaign list": "/surveys/",
        "questionnaire list": "/surveys/questionnaires/",
        "campaign": main.get_absolute_url(),
        "results": f"/surveys/{main.pk}/results/",
        "version": main.version.get_absolute_url(),
    }
    client.get(pages["campaign list"])  # fills the process-wide caches (content types)
    counts = {}
    for name, url in pages.items():
        with CaptureQueriesContext(connection) as context:
            response = client.get(url)
        assert response.status_code == 200, name
        counts[name] = len(context.captured_queries)
    return counts


def test_survey_pages_run_their_budgeted_queries_with_5_and_50_rows(school: dict[str, Any]) -> None:
    # One question of each type, a matrix among them: its rows' levels in the previous
    # campaign are read in one more query (a questionnaire without a matrix runs one less).
    matrix = {
        "code": "quality",
        "kind": "matrix",
        "text_fr": "Qualité",
        "scale_points": 5,
        "rows": [{"fr": "Enseignement"}, {"fr": "Encadrement"}, {"fr": "Équipements"}],
    }
    version = published_version(questions=[*QUESTIONS, matrix])
    students(school, 49)
    # Both campaigns measured have a previous campaign to be compared with (one more query).
    earlier = campaign_of(school, version, title="Avant", opens_on=clock.today() - datetime.timedelta(days=30))
    add_answers(earlier, 5)
    main = campaign_of(school, version)
    add_answers(main, 5)
    for _ in range(4):
        campaign_of(school, version)
    with_5 = count_queries(school, main)
    # 45 more answers on a second campaign's links would not reach the main one: reopen anew
    main2 = campaign_of(school, version, title="Principale")
    add_answers(main2, 50)
    for _ in range(44):
        campaign_of(school, version)
    with_50 = count_queries(school, main2)
    check_query_budgets("surveys", {name: {"5 rows": with_5[name], "50 rows": with_50[name]} for name in with_5})

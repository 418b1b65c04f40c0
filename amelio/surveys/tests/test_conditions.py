"""Show-if conditions: declared on an earlier question's answers, checked when authored, and
enforced on the server when answering (a question not asked is not required and whatever
was sent for it is not stored)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from amelio.surveys import services
from amelio.surveys.choices import QuestionKind
from amelio.surveys.models import Answer, Campaign, Question, Response

from .factories import OPTIONS, campaign_of, published_version, questionnaire, students

pytestmark = pytest.mark.django_db

QUESTIONS: list[dict[str, Any]] = [
    {"code": "satisfied", "kind": QuestionKind.SINGLE_CHOICE, "text_fr": "Satisfait ?", "options": OPTIONS},
    {"code": "level", "kind": QuestionKind.LIKERT, "text_fr": "Niveau", "scale_points": 4},
    # Asked when "satisfied" is the second or third option (indexes 1, 2).
    {
        "code": "why",
        "kind": QuestionKind.TEXT,
        "text_fr": "Pourquoi ?",
        "show_if": {"code": "satisfied", "values": [1, 2]},
    },
    # Asked when "why" was asked and "level" is 1: a condition on a conditional question.
    {
        "code": "hours",
        "kind": QuestionKind.NUMBER,
        "text_fr": "Heures",
        "maximum": 10,
        "show_if": {"code": "level", "values": [1]},
    },
]


def opened(school: dict[str, Any]) -> tuple[Campaign, list[str]]:
    students(school, 3)
    campaign = campaign_of(school, published_version(questions=QUESTIONS))
    made = services.campaign_open_with_tokens(actor=None, campaign=campaign)
    return campaign, [token for _invitation, token in made]


def field(campaign: Campaign, code: str) -> str:
    return f"q{Question.objects.get(section__version=campaign.version, code=code).pk}"


def stored_codes() -> list[str]:
    return sorted(Answer.objects.values_list("question__code", flat=True))


def test_a_question_not_asked_is_not_required_and_what_was_sent_for_it_is_dropped(school: dict[str, Any]) -> None:
    campaign, tokens = opened(school)
    client = Client()
    page = client.get(f"/surveys/answer/{tokens[0]}/").content.decode()
    assert "Answer only if you answered “Green” / “Blue” to “Satisfait ?”." in page
    # First option: "why" is not asked, so not required, and its text (and the out-of-range
    # hours of a question not asked either) are neither refused nor stored.
    data = {field(campaign, "satisfied"): "0", field(campaign, "level"): "3"}
    data |= {field(campaign, "why"): "Rien", field(campaign, "hours"): "99"}
    response = client.post(f"/surveys/answer/{tokens[0]}/", data)
    assert response.status_code == 200, response.content.decode()
    assert stored_codes() == ["level", "satisfied"]


def test_a_question_asked_on_its_condition_is_required_and_checked(school: dict[str, Any]) -> None:
    campaign, tokens = opened(school)
    client = Client()
    url = f"/surveys/answer/{tokens[0]}/"
    data = {field(campaign, "satisfied"): "2", field(campaign, "level"): "1", field(campaign, "hours"): "11"}
    response = client.post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert page.count("This question needs an answer.") == 1  # "why", now asked
    assert "less than or equal to 10" in page  # "hours", asked since the level is 1
    assert Response.objects.count() == 0 and Answer.objects.count() == 0
    data |= {field(campaign, "why"): "Trop cher", field(campaign, "hours"): "4"}
    assert client.post(url, data).status_code == 200
    assert stored_codes() == ["hours", "level", "satisfied", "why"]


def test_the_service_itself_enforces_the_conditions(school: dict[str, Any]) -> None:
    campaign, tokens = opened(school)
    pks = {q.code: q.pk for q in Question.objects.filter(section__version=campaign.version)}
    with pytest.raises(ValidationError, match="why"):
        services.response_submit(token=tokens[0], answers={pks["satisfied"]: (1, ""), pks["level"]: 4})
    assert Response.objects.count() == 0
    services.response_submit(
        token=tokens[0], answers={pks["satisfied"]: (0, ""), pks["level"]: 4, pks["why"]: "Caché", pks["hours"]: 3}
    )
    assert stored_codes() == ["level", "satisfied"]


@pytest.mark.parametrize(
    ("show_if", "message"),
    [
        ({"code": "nowhere", "values": [1]}, "asked before this one"),
        ({"code": "later", "values": [1]}, "asked before this one"),
        ({"code": "free", "values": [1]}, "an agreement scale, a 0–10 score or a choice"),
        ({"code": "scale", "values": [5]}, "not possible answers of “scale”"),
        ({"code": "scale", "values": []}, "at least one of its answers"),
        ({"code": "scale", "values": ["1"]}, "not possible answers of “scale”"),
    ],
)
def test_a_condition_that_cannot_hold_is_refused(school: dict[str, Any], show_if: dict[str, Any], message: str) -> None:
    version = questionnaire().versions.get()
    first = services.section_add(actor=None, version=version, title_fr="Un")
    second = services.section_add(actor=None, version=version, title_fr="Deux")
    services.question_add(
        actor=None,
        section=first,
        data={"code": "scale", "kind": QuestionKind.LIKERT, "text_fr": "S", "scale_points": 4},
    )
    services.question_add(actor=None, section=first, data={"code": "free", "kind": QuestionKind.TEXT, "text_fr": "F"})
    services.question_add(actor=None, section=second, data={"code": "later", "kind": QuestionKind.NPS, "text_fr": "L"})
    with pytest.raises(ValidationError) as refused:
        services.question_add(
            actor=None,
            section=first,
            data={"code": "new", "kind": QuestionKind.TEXT, "text_fr": "N", "show_if": show_if},
        )
    assert message in str(refused.value.message_dict["show_if"])
    assert not Question.objects.filter(code="new").exists()


def test_the_authoring_form_numbers_options_from_one_and_a_new_draft_keeps_the_condition(
    school: dict[str, Any],
) -> None:
    version = questionnaire().versions.get()
    section = services.section_add(actor=None, version=version, title_fr="Un")
    services.question_add(
        actor=None,
        section=section,
        data={"code": "pick", "kind": QuestionKind.SINGLE_CHOICE, "text_fr": "P", "options": OPTIONS},
    )
    client = Client()
    client.force_login(school["quality_manager"])
    form = {"section": section.pk, "code": "then", "kind": "text", "text_fr": "Ensuite", "is_required": "on"}
    refused = client.post(
        f"/surveys/versions/{version.pk}/questions/", form | {"show_if_code": "pick", "show_if_values": "un"}
    )
    assert refused.status_code == 400 and "Give whole numbers separated by commas." in refused.content.decode()
    response = client.post(
        f"/surveys/versions/{version.pk}/questions/", form | {"show_if_code": "pick", "show_if_values": "2, 3"}
    )
    assert response.status_code == 302
    assert Question.objects.get(code="then").show_if == {"code": "pick", "values": [1, 2]}
    services.version_publish(actor=None, version=version)
    draft = services.version_new_draft(actor=None, version=version)
    assert Question.objects.get(section__version=draft, code="then").show_if == {"code": "pick", "values": [1, 2]}

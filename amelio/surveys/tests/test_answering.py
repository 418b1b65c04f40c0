"""The answering page reached by a personal link, the anonymity of what it stores, and the
validation of each question type through the public form."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.core import mail
from django.db import models
from django.test import Client
from django.utils.html import escape

from amelio.core import clock
from amelio.history.models import HistoryEntry
from amelio.surveys import services
from amelio.surveys.models import Answer, Campaign, Invitation, Question, Response, ResponseAuthor

from .factories import campaign_of, students

pytestmark = pytest.mark.django_db


def opened(school: dict[str, Any], **changes: Any) -> tuple[Campaign, list[str]]:
    students(school, 3)
    campaign = campaign_of(school, **changes)
    made = services.campaign_open_with_tokens(actor=school["quality_manager"], campaign=campaign)
    return campaign, [token for _invitation, token in made]


def field(campaign: Campaign, code: str) -> str:
    return f"q{Question.objects.get(section__version=campaign.version, code=code).pk}"


def valid_post(campaign: Campaign, **changes: Any) -> dict[str, Any]:
    data = {
        field(campaign, "overall"): "4",
        field(campaign, "recommend"): "9",
        field(campaign, "colour"): "1",
        field(campaign, "tools"): ["0", "2"],
        field(campaign, "hours"): "35",
        field(campaign, "started"): "2026-09-01",
        field(campaign, "comment"): "Plus de travaux pratiques",
    }
    for code, value in changes.items():
        data[field(campaign, code) if not code.endswith("_other") else field(campaign, code[:-6]) + "_other"] = value
    return {name: value for name, value in data.items() if value is not None}


def url(token: str) -> str:
    return f"/surveys/answer/{token}/"


def stored() -> tuple[int, int, int]:
    return Response.objects.count(), Answer.objects.count(), Invitation.objects.filter(has_answered=True).count()


def test_opening_emails_each_person_a_personal_link_whose_token_is_kept_hashed(
    school: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    students(school, 2)
    campaign = campaign_of(school)
    with django_capture_on_commit_callbacks(execute=True):
        services.campaign_open(actor=school["quality_manager"], campaign=campaign)
    invitations = list(campaign.invitations.all())
    # the two students made here and the school's own civil engineering student
    assert len(invitations) == 3 and len(mail.outbox) == 3
    token = re.search(r"/surveys/answer/([^/]+)/", mail.outbox[0].body).group(1)  # type: ignore[union-attr]
    assert all(token not in invitation.token_hash for invitation in invitations)
    assert Invitation.objects.filter(token_hash=services._hash(token)).exists()
    assert "anonymous" in mail.outbox[0].body


def test_an_answer_is_stored_and_the_link_spent(school: dict[str, Any]) -> None:
    campaign, tokens = opened(school)
    client = Client()
    page = client.get(url(tokens[0]))
    assert page.status_code == 200 and "no-cache" in page["Cache-Control"]
    assert 'data-testid="anonymity"' in page.content.decode()
    response = client.post(url(tokens[0]), valid_post(campaign))
    assert response.status_code == 200 and b'data-testid="done"' in response.content
    assert stored() == (1, 7, 1)
    answers = {a.question.code: a for a in Answer.objects.select_related("question")}
    assert answers["overall"].number == 4 and answers["tools"].choices == [0, 2]
    assert answers["started"].date == datetime.date(2026, 9, 1) and answers["comment"].text.startswith("Plus")
    again = client.post(url(tokens[0]), valid_post(campaign))
    assert again.status_code == 410 and b"already been used" in again.content
    assert stored() == (1, 7, 1)


def test_a_missed_required_answer_is_named_and_nothing_is_written(school: dict[str, Any]) -> None:
    campaign, tokens = opened(school)
    response = Client().post(url(tokens[0]), valid_post(campaign, overall=None))
    assert response.status_code == 400
    assert b"This question needs an answer." in response.content
    assert stored() == (0, 0, 0)


@pytest.mark.parametrize(
    ("changes", "code", "message"),
    [
        ({"overall": "6"}, "overall", "Select a valid choice"),
        ({"recommend": "11"}, "recommend", "Select a valid choice"),
        ({"colour": "7"}, "colour", "Select a valid choice"),
        ({"colour": "other"}, "colour_other", "Say what “other” is."),
        ({"colour_other": "Jaune"}, "colour_other", "Tick “other” to give another answer."),
        ({"tools": ["0", "other"]}, "tools_other", "Say what “other” is."),
        ({"tools": []}, "tools", "This question needs an answer."),
        ({"hours": "61"}, "hours", "less than or equal to 60"),
        ({"hours": "beaucoup"}, "hours", "Enter a number."),
        ({"started": "2026-13-45"}, "started", "Enter a valid date."),
        ({"comment": "x" * 5001}, "comment", "at most 5000 characters"),
    ],
)
def test_each_question_type_refuses_a_wrong_answer(
    school: dict[str, Any], changes: dict[str, Any], code: str, message: str
) -> None:
    campaign, tokens = opened(school)
    response = Client().post(url(tokens[0]), valid_post(campaign, **changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert stored() == (0, 0, 0)


def test_other_answers_are_kept_with_their_text(school: dict[str, Any]) -> None:
    campaign, tokens = opened(school)
    post = valid_post(campaign, colour="other", colour_other="Jaune", tools=["1", "other"], tools_other="Git")
    assert Client().post(url(tokens[0]), post).status_code == 200
    answers = {a.question.code: a for a in Answer.objects.select_related("question")}
    assert answers["colour"].number is None and answers["colour"].text == "Jaune"
    assert answers["tools"].choices == [1] and answers["tools"].text == "Git"


def test_forged_revoked_expired_and_closed_links_are_refused_with_nothing_written(school: dict[str, Any]) -> None:
    campaign, tokens = opened(school)
    client = Client()
    assert client.post(url("forged-token-" + "x" * 30), valid_post(campaign)).status_code == 410
    invitation = Invitation.objects.get(token_hash=services._hash(tokens[0]))
    services.invitation_revoke(actor=school["quality_manager"], invitation=invitation)
    refused = client.post(url(tokens[0]), valid_post(campaign))
    assert refused.status_code == 410 and b"withdrawn" in refused.content
    Invitation.objects.filter(token_hash=services._hash(tokens[1])).update(expires_at=clock.now())
    assert b"expired" in client.post(url(tokens[1]), valid_post(campaign)).content
    services.campaign_close(actor=school["quality_manager"], campaign=campaign)
    assert client.post(url(tokens[2]), valid_post(campaign)).status_code == 410
    assert stored() == (0, 0, 0)


def _refusal_case(school: dict[str, Any], case: str) -> tuple[Campaign, str]:
    """A campaign and a link refused for the reason `case`, reached through the services."""
    today, manager = clock.today(), school["quality_manager"]
    if case == "not_open":
        # Opened (the links sent) ahead of its first day.
        campaign, tokens = opened(
            school, opens_on=today + datetime.timedelta(days=3), closes_on=today + datetime.timedelta(days=20)
        )
        return campaign, tokens[0]
    campaign, tokens = opened(school)
    if case == "expired":
        Invitation.objects.filter(token_hash=services._hash(tokens[0])).update(
            expires_at=clock.now() - datetime.timedelta(minutes=1)
        )
    elif case == "revoked":
        services.invitation_revoke(
            actor=manager, invitation=Invitation.objects.get(token_hash=services._hash(tokens[0]))
        )
    elif case == "closed":
        services.campaign_close(actor=manager, campaign=campaign)
    elif case == "closing_day_past":
        Campaign.objects.filter(pk=campaign.pk).update(
            opens_on=today - datetime.timedelta(days=10), closes_on=today - datetime.timedelta(days=1)
        )
    return campaign, tokens[0]


REFUSALS = {
    # case: (status, code, title, message, French title)
    "expired": (
        410,
        "expired",
        "Your link has expired",
        "Your personal link has expired, although the survey is still open",
        "Votre lien a expiré",
    ),
    "revoked": (
        410,
        "revoked",
        "This link has been withdrawn",
        "This link has been withdrawn.",
        "Ce lien a été retiré",
    ),
    "not_open": (
        403,
        "not_open",
        "This survey is not open yet",
        "This survey is not open yet: come back with the same link from",
        "Cette enquête n'est pas encore ouverte",
    ),
    "closed": (410, "closed", "This survey is closed", "This survey closed on", "Cette enquête est close"),
    "closing_day_past": (410, "closed", "This survey is closed", "This survey closed on", "Cette enquête est close"),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_an_expired_revoked_not_yet_open_or_closed_link_says_which_and_writes_nothing(
    school: dict[str, Any], case: str
) -> None:
    campaign, token = _refusal_case(school, case)
    status, code, title, message, french = REFUSALS[case]
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    page = client.get(url(token))
    text = page.content.decode()
    assert page.status_code == status and f'data-refusal="{code}"' in text
    assert f'<h1 class="h4">{title}</h1>' in text and message in text
    assert "Send my answers" not in text
    drafts_before = list(Invitation.objects.order_by("pk").values_list("draft", "has_answered", "token_hash"))
    for post in (valid_post(campaign), valid_post(campaign) | {"save": "1"}):
        refused = client.post(url(token), post)
        assert refused.status_code == status and f'data-refusal="{code}"' in refused.content.decode()
    assert stored() == (0, 0, 0)
    assert list(Invitation.objects.order_by("pk").values_list("draft", "has_answered", "token_hash")) == drafts_before
    french_page = Client(HTTP_ACCEPT_LANGUAGE="fr").get(url(token)).content.decode()
    assert f'<h1 class="h4">{escape(french)}</h1>' in french_page and message not in french_page


def test_the_answering_page_is_rate_limited(school: dict[str, Any]) -> None:
    opened(school)
    client = Client()
    codes = [client.post(url(f"forged-{n}"), {}).status_code for n in range(11)]
    assert codes[:10] == [410] * 10 and codes[10] == 429


# Anonymity --------------------------------------------------------------------------------


def test_the_schema_of_a_response_names_no_person_link_or_token_and_keeps_the_day_only() -> None:
    for model in (Response, Answer):
        for model_field in model._meta.get_fields():
            related = getattr(model_field, "related_model", None)
            assert related not in (Invitation, ResponseAuthor) or model_field.auto_created, model_field
            assert related is None or related._meta.label not in ("organisation.Person", "partners.Contact")
            assert "token" not in model_field.name and "email" not in model_field.name
            assert not isinstance(model_field, models.DateTimeField), model_field
    # The link records that it was used, and not when.
    datetimes = {f.name for f in Invitation._meta.get_fields() if isinstance(f, models.DateTimeField)}
    assert datetimes == {"expires_at", "revoked_at", "last_sent_at"}


def test_the_stored_rows_of_an_anonymous_answer_lead_to_no_one(school: dict[str, Any]) -> None:
    campaign, tokens = opened(school)
    invitation = Invitation.objects.get(token_hash=services._hash(tokens[0]))
    before = {f.name: getattr(invitation, f.attname) for f in Invitation._meta.concrete_fields}
    history_before = HistoryEntry.objects.count()
    Client().post(url(tokens[0]), valid_post(campaign))
    invitation.refresh_from_db()
    after = {f.name: getattr(invitation, f.attname) for f in Invitation._meta.concrete_fields}
    assert {name for name in after if after[name] != before[name]} == {"has_answered"}
    response = Response.objects.values().get()
    assert set(response) == {"id", "campaign_id", "answered_on", "language", "department_id", "programme_id"}
    assert response["answered_on"] == clock.today()
    assert not ResponseAuthor.objects.exists()
    assert HistoryEntry.objects.count() == history_before  # not even the time of the answer
    texts = " ".join(str(value) for row in Answer.objects.values() for value in row.values())
    assert tokens[0] not in texts and invitation.token_hash not in texts and invitation.email not in texts


def test_a_named_campaign_says_so_and_keeps_the_author(school: dict[str, Any]) -> None:
    campaign, tokens = opened(school, is_anonymous=False)
    page = Client().get(url(tokens[0])).content.decode()
    assert "NOT anonymous" in page
    Client().post(url(tokens[0]), valid_post(campaign))
    author = ResponseAuthor.objects.select_related("invitation").get()
    assert author.invitation.token_hash == services._hash(tokens[0])


def test_save_and_continue_later_on_the_same_link(school: dict[str, Any]) -> None:
    campaign, tokens = opened(school)
    client = Client()
    partial = valid_post(campaign, overall=None, hours="999") | {"evil": "x" * 10}  # unchecked until sent
    saved = client.post(url(tokens[0]), partial | {"save": "1"})
    assert saved.status_code == 200 and b'data-testid="saved"' in saved.content
    invitation = Invitation.objects.get(token_hash=services._hash(tokens[0]))
    assert invitation.draft[field(campaign, "hours")] == "999" and "evil" not in invitation.draft
    assert (
        invitation.draft[field(campaign, "tools")] == ["0", "2"] and field(campaign, "overall") not in invitation.draft
    )
    assert stored() == (0, 0, 0)
    # The same link shows what was saved; sending checks it all.
    page = client.get(url(tokens[0])).content.decode()
    assert 'value="999"' in page and re.search(r'value="2"[^>]*checked|checked[^>]*value="2"', page)
    refused = client.post(url(tokens[0]), partial)
    assert refused.status_code == 400 and "This question needs an answer." in refused.content.decode()
    assert stored() == (0, 0, 0)
    assert client.post(url(tokens[0]), valid_post(campaign)).status_code == 200
    invitation.refresh_from_db()
    # Once sent, nothing is left on the link but that it was used.
    assert invitation.draft == {} and invitation.has_answered and stored() == (1, 7, 1)
    again = client.post(url(tokens[0]), partial | {"save": "1"})
    assert again.status_code == 410
    invitation.refresh_from_db()
    assert invitation.draft == {}


def test_a_withdrawn_link_says_so_and_saves_nothing(school: dict[str, Any]) -> None:
    campaign, tokens = opened(school)
    invitation = Invitation.objects.get(token_hash=services._hash(tokens[0]))
    services.invitation_revoke(actor=school["quality_manager"], invitation=invitation)
    client = Client()
    page = client.get(url(tokens[0]))
    assert page.status_code == 410 and "This link has been withdrawn." in page.content.decode()
    assert client.post(url(tokens[0]), valid_post(campaign) | {"save": "1"}).status_code == 410
    invitation.refresh_from_db()
    assert invitation.draft == {} and stored() == (0, 0, 0)

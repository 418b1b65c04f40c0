"""The surveys waiting on a person signed in: counted on their home page, listed on their
"surveys to answer" page, and answered from there through their own link."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from amelio.surveys import services
from amelio.surveys.models import Invitation

from .factories import campaign_of, students

pytestmark = pytest.mark.django_db


def login(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


def home_count(client: Client) -> tuple[int, str] | None:
    html = client.get(reverse("core:home")).content.decode()
    found = re.search(r'href="([^"]+)" data-testid="home-surveys-to-answer" data-count="(\d+)"', html)
    return (int(found[2]), found[1]) if found else None


def test_a_student_sees_their_surveys_to_answer_and_answers_from_there(school: dict[str, Any]) -> None:
    student, _classmate, _third = students(school, 3)
    open_one = campaign_of(school, title="Évaluation S1")
    services.campaign_open(actor=school["quality_manager"], campaign=open_one)
    other = campaign_of(school, title="Évaluation S2")
    services.campaign_open(actor=school["quality_manager"], campaign=other)
    campaign_of(school, title="Brouillon")  # not open: nobody invited yet
    answered = Invitation.objects.get(campaign=other, person=student)
    answered.has_answered = True
    answered.save()

    client = login(student)
    assert home_count(client) == (1, reverse("surveys:my_invitations"))
    page = client.get(reverse("surveys:my_invitations"))
    assert [invitation.campaign for invitation in page.context["invitations"]] == [open_one]

    mine = Invitation.objects.get(campaign=open_one, person=student)
    old_hash = mine.token_hash
    response = client.post(reverse("surveys:my_invitation_answer", args=[mine.pk]))
    assert response.status_code == 302 and response["Location"].startswith("/surveys/answer/")
    mine.refresh_from_db()
    assert mine.token_hash != old_hash  # a fresh link; the emailed one stops working
    assert client.get(response["Location"]).status_code == 200


def test_nobody_opens_another_persons_link(school: dict[str, Any]) -> None:
    student, classmate, _third = students(school, 3)
    campaign = campaign_of(school)
    services.campaign_open(actor=school["quality_manager"], campaign=campaign)
    theirs = Invitation.objects.get(campaign=campaign, person=classmate)
    before = theirs.token_hash
    response = login(student).post(reverse("surveys:my_invitation_answer", args=[theirs.pk]))
    assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        services.invitation_open_for_person(actor=student, invitation=theirs)
    theirs.refresh_from_db()
    assert theirs.token_hash == before


def test_no_survey_no_card(school: dict[str, Any]) -> None:
    assert home_count(login(school["student"])) is None
    page = login(school["student"]).get(reverse("surveys:my_invitations"))
    assert page.status_code == 200 and page.context["invitations"] == []

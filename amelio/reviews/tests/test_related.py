"""An action decided at a management review shows, on its page, the review and the decision
it carries out (core.registry's related records): linked for a reader of the review, named
without a link for its owner who does not take part in the review, absent from an action
planned by hand."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from amelio.core.permissions import can
from amelio.improvement.models import Action
from amelio.reviews import services
from amelio.reviews.choices import DecisionKind, ReviewStatus

from .factories import review_of

pytestmark = pytest.mark.django_db


def client_of(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


def decided_action(school: dict[str, Any]) -> tuple[Any, Action]:
    review = review_of(school, status=ReviewStatus.COMPILED, ends_on=datetime.date(2026, 6, 30))
    decision = services.decision_record(
        actor=school["quality_manager"],
        review=review,
        kind=DecisionKind.RESOURCES,
        text="Recruter un technicien de laboratoire.",
        owner=school["head_civil"],
        due_on=timezone.localdate() + datetime.timedelta(days=90),
    )
    return decision, decision.action


def test_the_action_page_shows_the_review_and_its_decision_with_a_link(school: dict[str, Any]) -> None:
    decision, action = decided_action(school)
    review = decision.review
    page = client_of(school["quality_manager"]).get(action.get_absolute_url()).content.decode()
    assert 'data-testid="related-review-decision"' in page
    # Hand-written: the review's meeting is on 30 June 2026 (its period's end, see review_of).
    assert (
        f'Decided at management review of June 30, 2026 (<a href="{decision.get_absolute_url()}" '
        f'data-testid="related-review">{review.reference}</a>): Recruter un technicien de laboratoire.'
    ) in page


def test_the_owner_who_may_not_see_the_review_sees_no_link_to_it(school: dict[str, Any]) -> None:
    decision, action = decided_action(school)
    review = decision.review
    owner = school["head_civil"]  # neither the chair nor a participant
    assert can(owner, "improvement.view_action", action) and not can(owner, "reviews.view_review", review)
    response = client_of(owner).get(action.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert f"Decided at management review of June 30, 2026 ({review.reference})" in page
    assert review.get_absolute_url() not in page and 'data-testid="related-review"' not in page


def test_an_action_planned_by_hand_shows_no_related_records(school: dict[str, Any]) -> None:
    action = Action.objects.create(
        kind="improvement",
        title="Ranger le laboratoire",
        owner=school["head_civil"],
        due_on=timezone.localdate() + datetime.timedelta(days=30),
    )
    page = client_of(school["quality_manager"]).get(action.get_absolute_url()).content.decode()
    assert 'data-testid="related-records"' not in page

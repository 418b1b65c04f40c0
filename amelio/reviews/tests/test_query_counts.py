"""The list of reviews and a review's page run a fixed number of SQL queries whatever the
number of reviews, participants and decisions: each is measured with 1 and with 20 of each,
as the quality manager and as a participant; both counts must be the page's budget in
tests/query_budgets.json."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from amelio.improvement.models import Action
from amelio.organisation.choices import PersonKind, Role
from amelio.organisation.tests.factories import DepartmentFactory, PersonFactory, grant
from amelio.reviews.choices import DecisionKind, ReviewStatus
from amelio.reviews.models import ManagementReview, ReviewDecision, ReviewSection
from tests.query_budgets import check_query_budgets

pytestmark = pytest.mark.django_db


def populate(rows: int) -> dict[str, Any]:
    department = DepartmentFactory(code="GC", name="Génie Civil")
    qm = PersonFactory(email="qm@school.test")
    grant(qm, Role.QUALITY_MANAGER)
    director = PersonFactory(email="director@school.test")
    grant(director, Role.DIRECTOR)
    participant = PersonFactory(email="teacher@school.test", kind=PersonKind.TEACHER, department=department)
    grant(participant, Role.TEACHER, department)
    people = [PersonFactory(department=department) for _ in range(rows)]
    reviews = []
    for index in range(rows):
        review = ManagementReview.objects.create(
            reference=f"RDD-2026-{index:02d}",
            title=f"Revue {index}",
            starts_on=datetime.date(2000 + index, 9, 1),
            ends_on=datetime.date(2001 + index, 8, 31),
            chair=director,
            status=ReviewStatus.COMPILED,
        )
        review.participants.set([participant.pk, *(person.pk for person in people)])
        reviews.append(review)
    main = reviews[0]
    sections = ReviewSection.objects.bulk_create(
        ReviewSection(
            review=main,
            key=f"input{n}",
            order=n,
            clause=f"9.3.2 c) {n}",
            title=f"Entrée {n}",
            snapshot={
                "figures": [{"label": "Nombre", "value": n, "unit": "", "note": ""}],
                "tables": [{"title": "Tableau", "columns": ["A", "B"], "rows": [["a", n]] * rows}],
                "charts": [{"title": "Graphe", "kind": "bar", "labels": ["a", "b"], "series": [{"values": [1, n]}]}],
            },
            note="Vu" if n % 2 else "",
        )
        for n in range(8)
    )
    actions = Action.objects.bulk_create(
        Action(kind="improvement", title=f"Action {n}", owner=people[n], due_on=datetime.date(2030, 1, 1))
        for n in range(rows)
    )
    ReviewDecision.objects.bulk_create(
        ReviewDecision(review=main, section=sections[n % 8], kind=DecisionKind.IMPROVEMENT, text="D", action=action)
        for n, action in enumerate(actions)
    )
    # As after any write in the process: the content type of a review is in Django's cache.
    ContentType.objects.get_for_model(ManagementReview)
    return {"qm": qm, "participant": participant, "review": main}


PAGES: list[tuple[str, Callable[[dict[str, Any]], str]]] = [
    ("list", lambda s: reverse("reviews:review_list")),
    ("list filtered", lambda s: reverse("reviews:review_list") + "?status=compiled&q=Revue"),
    ("list csv", lambda s: reverse("reviews:review_list") + "?export=csv"),
    ("review detail", lambda s: reverse("reviews:review_detail", args=[s["review"].pk])),
]


def count_queries(rows: int, viewer: str) -> dict[str, int]:
    school = populate(rows)
    client = Client()
    client.force_login(school[viewer])
    counts = {}
    for name, url in PAGES:
        with CaptureQueriesContext(connection) as context:
            response = client.get(url(school))
        assert response.status_code == 200, name
        if not response.streaming:
            response.content  # noqa: B018  (a lazy template would run its queries here)
        counts[name] = len(context.captured_queries)
    return counts


def wipe() -> None:
    from amelio.history.models import HistoryEntry
    from amelio.organisation.models import Department, Person, RoleAssignment

    HistoryEntry.objects.all()._raw_delete(HistoryEntry.objects.db)  # append-only for everything but tests
    ReviewDecision.objects.all().delete()
    for model in (ManagementReview, Action, RoleAssignment, Person, Department):
        model.objects.all().delete()  # type: ignore[attr-defined]


@pytest.mark.parametrize("viewer", ["qm", "participant"])
def test_pages_run_their_budgeted_queries_with_1_and_20_reviews(viewer: str) -> None:
    with_one = count_queries(1, viewer)
    wipe()
    with_many = count_queries(20, viewer)
    check_query_budgets(
        f"reviews as {viewer}",
        {name: {"1 review": with_one[name], "20 reviews": with_many[name]} for name in with_one},
    )

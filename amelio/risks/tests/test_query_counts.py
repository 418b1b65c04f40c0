"""The register, the matrix and a risk's page run a fixed number of SQL queries whatever the
number of risks: each is measured with 1 and with 40 risks (each with as many actions and
history entries), as the quality manager and as a process owner; both counts must be the
page's budget in tests/query_budgets.json."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from amelio.history.services import history_record
from amelio.improvement.models import Action
from amelio.organisation.choices import PersonKind, Role
from amelio.organisation.tests.factories import DepartmentFactory, PersonFactory, grant
from amelio.processes.tests.factories import ProcessFactory
from amelio.risks.choices import RiskKind, RiskStatus, Treatment
from amelio.risks.models import Risk
from tests.query_budgets import check_query_budgets

pytestmark = pytest.mark.django_db

STATUSES = [RiskStatus.OPEN, RiskStatus.TREATED, RiskStatus.CLOSED]


def populate(rows: int) -> dict[str, Any]:
    department = DepartmentFactory(code="GC", name="Génie Civil")
    qm = PersonFactory(email="qm@school.test")
    grant(qm, Role.QUALITY_MANAGER)
    owner = PersonFactory(email="owner@school.test", kind=PersonKind.TEACHER, department=department)
    grant(owner, Role.TEACHER, department)
    people = [PersonFactory(department=department) for _ in range(rows)]
    processes = [ProcessFactory(owner=owner, department=department) for _ in range(rows)]
    today = timezone.localdate()
    risks = [
        Risk.objects.create(
            reference=f"RI-2026-{index:04d}",
            kind=RiskKind.RISK if index % 4 else RiskKind.OPPORTUNITY,
            title=f"Risque {index}",
            description="Description",
            process=processes[index],
            owner=people[index] if index % 2 else owner,
            likelihood=index % 5 + 1,
            impact=(index * 3) % 5 + 1,
            treatment=Treatment.ACCEPT,
            residual_likelihood=1,
            residual_impact=index % 3 + 1,
            status=STATUSES[index % 3],
            closing_reason="Clos" if index % 3 == 2 else "",
            review_on=today + datetime.timedelta(days=index - rows // 2),
        )
        for index in range(rows)
    ]
    main = risks[0]
    actions = Action.objects.bulk_create(
        Action(kind="preventive", title=f"Action {n}", owner=people[n], process=main.process, due_on=today)
        for n in range(rows)
    )
    main.actions.set(actions)
    for number in range(rows):
        history_record(instance=main, action="update", actor=people[number], changes={"title": ["a", "b"]})
    return {"qm": qm, "owner": owner, "risk": main}


PAGES: list[tuple[str, Callable[[dict[str, Any]], str]]] = [
    ("register", lambda s: reverse("risks:risk_list")),
    (
        "register filtered",
        lambda s: reverse("risks:risk_list") + "?current=true&overdue=false&score_min=1&kind=opportunity",
    ),
    ("register sorted", lambda s: reverse("risks:risk_list") + "?sort=-score"),
    ("register csv", lambda s: reverse("risks:risk_list") + "?export=csv"),
    ("register xlsx", lambda s: reverse("risks:risk_list") + "?export=xlsx&sort=process"),
    ("matrix", lambda s: reverse("risks:risk_matrix")),
    ("residual matrix", lambda s: reverse("risks:risk_matrix") + "?view=residual"),
    ("risk detail", lambda s: reverse("risks:risk_detail", args=[s["risk"].pk])),
    ("risk edit", lambda s: reverse("risks:risk_update", args=[s["risk"].pk])),
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
    from amelio.processes.models import Process

    HistoryEntry.objects.all()._raw_delete(HistoryEntry.objects.db)  # append-only for everything but tests
    for model in (Risk, Action, RoleAssignment, Process, Person, Department):
        model.objects.all().delete()  # type: ignore[attr-defined]


@pytest.mark.parametrize("viewer", ["qm", "owner"])
def test_pages_run_their_budgeted_queries_with_1_and_40_risks(viewer: str) -> None:
    with_one = count_queries(1, viewer)
    wipe()
    with_many = count_queries(40, viewer)
    check_query_budgets(
        f"risks as {viewer}",
        {name: {"1 risk": with_one[name], "40 risks": with_many[name]} for name in with_one},
    )

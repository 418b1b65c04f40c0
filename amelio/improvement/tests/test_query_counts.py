"""The pages of continuous improvement run a fixed number of SQL queries whatever the
number of rows: each page is measured with 5 and with 50 items, actions per item, notes
and attachments, as the quality manager and as a process owner; both counts must be the
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

from amelio.audits.choices import AuditStatus, Grade
from amelio.audits.models import Audit, Finding
from amelio.core.models import StoredFile
from amelio.history.services import history_record
from amelio.improvement.choices import ActionStatus, ItemStatus, Origin
from amelio.improvement.models import Action, ImprovementItem, ProgressNote
from amelio.organisation.choices import PersonKind, Role
from amelio.organisation.tests.factories import DepartmentFactory, PersonFactory, grant
from amelio.processes.tests.factories import ProcessFactory
from amelio.reviews.choices import DecisionKind
from amelio.reviews.models import ManagementReview, ReviewDecision
from amelio.standards.models import Clause
from tests.query_budgets import check_query_budgets

pytestmark = pytest.mark.django_db

ORIGINS = list(Origin)
# The states an item can hold while it is being worked on, and the closed ones.
STATUSES = [
    ItemStatus.NEW,
    ItemStatus.ACCEPTED,
    ItemStatus.ANALYSED,
    ItemStatus.ACTIONS_UNDER_WAY,
    ItemStatus.AWAITING_CHECK,
    ItemStatus.REOPENED,
    ItemStatus.CLOSED_EFFECTIVE,
    ItemStatus.REJECTED,
]


def populate(rows: int) -> dict[str, Any]:
    """`rows` items on `rows` processes, each item with `rows` actions (some overdue), the
    first item with `rows` attachments, clauses and history entries, its first action
    with `rows` notes and attachments."""
    department = DepartmentFactory(code="GC", name="Génie Civil")
    qm = PersonFactory(email="qm@school.test")
    grant(qm, Role.QUALITY_MANAGER)
    owner = PersonFactory(email="owner@school.test", kind=PersonKind.TEACHER, department=department)
    grant(owner, Role.TEACHER, department)
    people = [PersonFactory(department=department) for _ in range(rows)]
    processes = [ProcessFactory(owner=owner, department=department) for _ in range(rows)]
    today = timezone.localdate()
    items = [
        ImprovementItem.objects.create(
            reference=f"SU-2026-{index:04d}",
            origin=ORIGINS[index % len(ORIGINS)],
            severity="minor" if ORIGINS[index % len(ORIGINS)] == Origin.NONCONFORMITY else "",
            title=f"Sujet {index}",
            description="Description",
            process=processes[index],
            department=department,
            raised_by=owner if index % 2 else people[index],
            status=STATUSES[index % len(STATUSES)],
            due_on=today + datetime.timedelta(days=index),
        )
        for index in range(rows)
    ]
    actions = Action.objects.bulk_create(
        Action(
            item=item,
            kind="corrective",
            title=f"Action {item.pk}-{number}",
            owner=owner if number % 2 else people[number],
            process=item.process,
            department=department,
            due_on=today + datetime.timedelta(days=number - rows // 2),
            status=ActionStatus.PLANNED if number % 3 else ActionStatus.DONE,
            completed_on=None if number % 3 else today,
        )
        for item in items
        for number in range(rows)
    )
    main, main_action = items[0], actions[0]
    main.clauses.set(Clause.objects.all()[:rows])
    ProgressNote.objects.bulk_create(
        ProgressNote(action=main_action, author=people[number], text=f"Note {number}") for number in range(rows)
    )
    StoredFile.objects.bulk_create(
        [
            *(
                StoredFile(
                    owner=main,
                    file=f"files/item-{number}.pdf",
                    original_name=f"item-{number}.pdf",
                    content_type="application/pdf",
                    size=1000,
                    uploaded_by=people[number],
                    purpose="attachment",
                )
                for number in range(rows)
            ),
            *(
                StoredFile(
                    owner=action,
                    file=f"files/action-{action.pk}.pdf",
                    original_name=f"action-{action.pk}.pdf",
                    content_type="application/pdf",
                    size=1000,
                    uploaded_by=action.owner,
                    purpose="evidence",
                )
                for action in actions[:rows]
            ),
        ]
    )
    for number in range(rows):
        history_record(instance=main, action="update", actor=people[number], changes={"title": ["a", "b"]})
        history_record(instance=main_action, action="update", actor=people[number], changes={"title": ["a", "b"]})
    # The first item was raised from an audit finding and the first action decided at a
    # management review (their pages show where they came from): an audit of `rows`
    # processes and auditors, a review of `rows` participants.
    audit = Audit.objects.create(
        reference=f"AI-2026-{rows:02d}",
        title="Audit des projets",
        starts_on=today,
        ends_on=today,
        lead_auditor=people[-1],
        status=AuditStatus.REPORTED,
    )
    audit.processes.set(processes)
    audit.team.set(people[1:])
    Finding.objects.create(
        audit=audit,
        number=1,
        grade=Grade.MINOR_NONCONFORMITY,
        statement="Revues non tracées",
        evidence="Vu",
        requirement="8.3.4",
        improvement_item=main,
    )
    review = ManagementReview.objects.create(
        reference=f"RDD-2026-{rows:02d}", title="Revue", starts_on=today, ends_on=today, meeting_on=today, chair=qm
    )
    review.participants.set(people)
    ReviewDecision.objects.create(review=review, kind=DecisionKind.RESOURCES, text="Recruter", action=main_action)
    return {"qm": qm, "owner": owner, "item": main, "action": main_action, "person": people[0]}


PAGES: list[tuple[str, Callable[[dict[str, Any]], str]]] = [
    ("register", lambda s: reverse("improvement:item_list")),
    ("register filtered", lambda s: reverse("improvement:item_list") + "?origin=suggestion&open=true&overdue=true"),
    ("register by owner", lambda s: reverse("improvement:item_list") + f"?owner={s['owner'].pk}"),
    ("register sorted", lambda s: reverse("improvement:item_list") + "?sort=-action_count"),
    ("register csv", lambda s: reverse("improvement:item_list") + "?export=csv"),
    ("register xlsx", lambda s: reverse("improvement:item_list") + "?export=xlsx&sort=process"),
    ("board", lambda s: reverse("improvement:item_board")),
    ("item detail", lambda s: reverse("improvement:item_detail", args=[s["item"].pk])),
    ("item edit", lambda s: reverse("improvement:item_update", args=[s["item"].pk])),
    ("item analyse form", lambda s: reverse("improvement:item_step", args=[s["item"].pk, "analyse"])),
    ("plan an action", lambda s: reverse("improvement:item_action_create", args=[s["item"].pk])),
    ("action register", lambda s: reverse("improvement:action_list")),
    ("action register csv", lambda s: reverse("improvement:action_list") + "?export=csv"),
    ("action detail", lambda s: reverse("improvement:action_detail", args=[s["action"].pk])),
    ("my work", lambda s: reverse("improvement:my_work")),
    ("figures", lambda s: reverse("improvement:dashboard")),
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
    for model in (
        ReviewDecision,
        ManagementReview,
        Finding,
        Audit,
        StoredFile,
        ProgressNote,
        Action,
        ImprovementItem,
        RoleAssignment,
        Process,
        Person,
        Department,
    ):
        model.objects.all().delete()  # type: ignore[attr-defined]


@pytest.mark.parametrize("viewer", ["qm", "owner"])
def test_pages_run_their_budgeted_queries_with_5_and_50_rows(viewer: str) -> None:
    counts_with_5_rows = count_queries(5, viewer)
    wipe()
    counts_with_50_rows = count_queries(50, viewer)
    print(viewer, counts_with_50_rows)
    check_query_budgets(
        f"improvement as {viewer}",
        {
            name: {"5 rows": counts_with_5_rows[name], "50 rows": counts_with_50_rows[name]}
            for name in counts_with_5_rows
        },
    )
    assert max(counts_with_50_rows.values()) <= 25, counts_with_50_rows

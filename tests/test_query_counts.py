"""Every page of the foundation runs a fixed number of SQL queries whatever the number of
rows: each page is measured with 5 and with 50 rows of what it lists, and both counts must be
the page's budget in tests/query_budgets.json."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from amelio.history.services import history_record
from amelio.organisation.choices import Role
from amelio.organisation.models import AcademicYear, Person, Programme, RoleAssignment
from amelio.organisation.tests.factories import DepartmentFactory, PersonFactory, grant
from amelio.processes.models import (
    Activity,
    ContextIssue,
    InterestedParty,
    Process,
    ProcessInteraction,
    RaciAssignment,
    Statement,
)
from amelio.processes.tests.factories import ProcessFactory
from amelio.standards.models import Clause
from tests.query_budgets import check_query_budgets

pytestmark = pytest.mark.django_db


def populate(rows: int) -> dict[str, Any]:
    """A school where every list, and every part of every detail page, has `rows` rows."""
    department = DepartmentFactory(code="GC", name="Génie Civil")
    qm = PersonFactory(email="qm@school.test", department=department)
    grant(qm, Role.QUALITY_MANAGER)
    people = [PersonFactory(department=department) for _ in range(rows)]
    processes = [ProcessFactory(owner=people[i % rows], department=department) for i in range(rows)]
    main = processes[0]
    main.clauses.set(Clause.objects.all()[:rows])
    for index, other in enumerate(processes[1:], start=1):
        ProcessInteraction.objects.create(source=main, target=other, description=f"flux {index}")
        ProcessInteraction.objects.create(source=other, target=main)
    for index in range(rows):
        activity = Activity.objects.create(process=main, position=index + 1, name=f"Activité {index}")
        RaciAssignment.objects.create(activity=activity, person=people[index], responsibility="R")
        RaciAssignment.objects.create(activity=activity, person=qm, responsibility="A")
        grant(people[index], Role.PROCESS_OWNER, processes[index])
        grant(people[index], Role.TEACHER, department)
        grant(qm, Role.PROCESS_OWNER, processes[index])
        Programme.objects.create(code=f"PR{index}", name=f"Programme {index}", department=department)
        AcademicYear.objects.create(
            label=f"{1950 + index}-{1951 + index}",
            starts_on=datetime.date(1950 + index, 9, 1),
            ends_on=datetime.date(1951 + index, 8, 31),
        )
        ContextIssue.objects.create(title=f"Enjeu {index}", origin="internal", effect="positive").processes.set(
            processes[:3]
        )
        InterestedParty.objects.create(name=f"Partie {index}", category="students", needs="x").processes.set(
            processes[:3]
        )
        Statement.objects.create(kind="policy", version=index + 1, text=f"Version {index}")
        for target in (main, qm, department):
            history_record(instance=target, action="update", actor=qm, changes={"name": ["a", "b"]})
    DepartmentFactory.create_batch(rows - 1)
    return {"qm": qm, "process": main, "department": department, "person": people[0]}


PAGES: list[tuple[str, Callable[[dict[str, Any]], str]]] = [
    ("home", lambda s: reverse("core:home")),
    ("process list", lambda s: reverse("processes:process_list")),
    ("process list filtered", lambda s: reverse("processes:process_list") + "?kind=realisation&q=Processus"),
    ("process map", lambda s: reverse("processes:process_map")),
    ("process map svg", lambda s: reverse("processes:process_map_svg")),
    ("process detail", lambda s: reverse("processes:process_detail", args=[s["process"].pk])),
    ("process edit", lambda s: reverse("processes:process_update", args=[s["process"].pk])),
    ("process create", lambda s: reverse("processes:process_create")),
    ("context issues", lambda s: reverse("processes:context_issue_list")),
    ("interested parties", lambda s: reverse("processes:interested_party_list")),
    ("policy", lambda s: reverse("processes:statement_list", args=["policy"])),
    ("departments", lambda s: reverse("organisation:department_list")),
    ("department detail", lambda s: reverse("organisation:department_detail", args=[s["department"].pk])),
    ("programmes", lambda s: reverse("organisation:programme_list")),
    ("academic years", lambda s: reverse("organisation:academic_year_list")),
    ("people", lambda s: reverse("organisation:person_list")),
    ("person detail", lambda s: reverse("organisation:person_detail", args=[s["qm"].pk])),
    ("person edit", lambda s: reverse("organisation:person_update", args=[s["person"].pk])),
    ("grant role", lambda s: reverse("organisation:role_grant", args=[s["person"].pk])),
    ("roles", lambda s: reverse("organisation:role_list")),
    ("my roles", lambda s: reverse("organisation:my_roles")),
    ("trail search", lambda s: reverse("history:search")),
    ("trail search filtered", lambda s: reverse("history:search") + "?action=update"),
    ("process export csv", lambda s: reverse("processes:process_list") + "?export=csv"),
]


def count_queries(rows: int) -> dict[str, int]:
    school = populate(rows)
    client = Client()
    client.force_login(school["qm"])
    counts = {}
    for name, url in PAGES:
        with CaptureQueriesContext(connection) as context:
            response = client.get(url(school))
        assert response.status_code == 200, name
        counts[name] = len(context.captured_queries)
    return counts


def wipe() -> None:
    from amelio.organisation.models import Department

    for model in (
        RoleAssignment,
        RaciAssignment,
        Activity,
        ProcessInteraction,
        Statement,
        ContextIssue,
        InterestedParty,
    ):
        model.objects.all().delete()
    for model in (Process, Programme, AcademicYear, Person, Department):  # type: ignore[assignment]
        model.objects.all().delete()


def test_pages_run_their_budgeted_queries_with_5_and_50_rows() -> None:
    counts_with_5_rows = count_queries(5)
    wipe()
    counts_with_50_rows = count_queries(50)
    print(counts_with_50_rows)
    check_query_budgets(
        "foundation",
        {
            name: {"5 rows": counts_with_5_rows[name], "50 rows": counts_with_50_rows[name]}
            for name in counts_with_5_rows
        },
    )
    # And the budgets stay small: a page is a handful of queries, not dozens.
    assert max(counts_with_50_rows.values()) <= 25, counts_with_50_rows

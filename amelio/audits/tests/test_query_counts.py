"""The audit pages run a fixed number of SQL queries whatever the number of audits: each is
measured with 1 and with 30 audits (the main one with as many processes in scope, checklist
lines, findings and history entries, each process with a document, an indicator and an
open item at hand), as the quality manager and as the owner of the processes; both counts
must be the page's budget in tests/query_budgets.json."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from amelio.audits import services
from amelio.audits.choices import Answer, AuditStatus, Grade
from amelio.audits.models import Audit
from amelio.documents.tests.factories import document_in_force
from amelio.history.services import history_record
from amelio.improvement.tests.factories import ImprovementItemFactory
from amelio.indicators.tests.factories import IndicatorFactory
from amelio.organisation.choices import PersonKind, Role
from amelio.organisation.tests.factories import DepartmentFactory, PersonFactory, grant
from amelio.processes.tests.factories import ProcessFactory
from tests.query_budgets import check_query_budgets

from .factories import clause, programme

pytestmark = pytest.mark.django_db


def populate(rows: int) -> dict[str, Any]:
    department = DepartmentFactory(code="GC", name="Génie Civil")
    qm = PersonFactory(email="qm@school.test")
    grant(qm, Role.QUALITY_MANAGER)
    owner = PersonFactory(email="owner@school.test", kind=PersonKind.TEACHER, department=department)
    grant(owner, Role.TEACHER, department)
    lead = PersonFactory(email="lead@school.test")
    grant(lead, Role.INTERNAL_AUDITOR)
    processes = [ProcessFactory(owner=owner, department=department) for _ in range(rows)]
    for process in processes:
        process.clauses.set([clause("8.5")])
        document_in_force(owner=owner, processes=[process])
        IndicatorFactory(owner=owner, process=process)
        ImprovementItemFactory(process=process, department=department)
    year = programme(starts_on=datetime.date(2025, 9, 1))
    audits = [
        services.audit_create(
            actor=None,
            data={
                "programme": year,
                "title": f"Audit {index}",
                "processes": processes if index == 0 else [processes[index]],
                "clauses": [clause("8.5"), clause("9.1")],
                "criteria": "ISO 9001",
                "starts_on": datetime.date(2025, 10, 1) + datetime.timedelta(days=index),
                "ends_on": datetime.date(2025, 10, 2) + datetime.timedelta(days=index),
                "lead_auditor": lead,
            },
        )
        for index in range(rows)
    ]
    main = audits[0]
    Audit.objects.filter(pk=main.pk).update(status=AuditStatus.IN_PROGRESS)
    main.refresh_from_db()
    for line in main.checklist.select_related("audit"):
        services.checklist_answer(actor=lead, line=line, answer=Answer.CONFORM)
    for number in range(rows):
        finding = services.finding_record(
            actor=lead,
            audit=main,
            data={
                "grade": Grade.MINOR_NONCONFORMITY,
                "statement": f"Écart {number}",
                "evidence": "Vu",
                "requirement": "8.5",
                "clause": clause("8.5"),
                "process": processes[number],
            },
        )
        if number % 2:
            services.finding_raise_item(actor=lead, finding=finding)
        history_record(instance=main, action="update", actor=lead, changes={"title": ["a", "b"]})
    return {"qm": qm, "owner": owner, "audit": main, "programme": year}


PAGES: list[tuple[str, Callable[[dict[str, Any]], str]]] = [
    ("audit list", lambda s: reverse("audits:audit_list")),
    (
        "audit list filtered",
        lambda s: reverse("audits:audit_list") + "?kind=internal&late=false&status=planned&q=Audit",
    ),
    ("audit list sorted", lambda s: reverse("audits:audit_list") + "?sort=-ends_on"),
    ("audit list csv", lambda s: reverse("audits:audit_list") + "?export=csv"),
    ("programme list", lambda s: reverse("audits:programme_list")),
    ("programme detail", lambda s: reverse("audits:programme_detail", args=[s["programme"].pk])),
    ("audit detail", lambda s: reverse("audits:audit_detail", args=[s["audit"].pk])),
    ("checklist", lambda s: reverse("audits:checklist", args=[s["audit"].pk])),
    ("report pdf", lambda s: reverse("audits:audit_report_pdf", args=[s["audit"].pk])),
]
QM_ONLY = [
    ("audit edit", lambda s: reverse("audits:audit_update", args=[s["audit"].pk])),
]


def count_queries(rows: int, viewer: str) -> dict[str, int]:
    school = populate(rows)
    client = Client()
    client.force_login(school[viewer])
    counts = {}
    pages = PAGES + (QM_ONLY if viewer == "qm" else [])
    for name, url in pages:
        with CaptureQueriesContext(connection) as context:
            response = client.get(url(school))
        assert response.status_code == 200, name
        if not response.streaming:
            response.content  # noqa: B018  (a lazy template would run its queries here)
        counts[name] = len(context.captured_queries)
    return counts


def wipe() -> None:
    from amelio.audits.models import AuditProgramme, Finding
    from amelio.documents.models import Document
    from amelio.history.models import HistoryEntry
    from amelio.improvement.models import ImprovementItem
    from amelio.indicators.models import Indicator
    from amelio.organisation.models import Department, Person, RoleAssignment
    from amelio.processes.models import Process

    HistoryEntry.objects.all()._raw_delete(HistoryEntry.objects.db)  # append-only for everything but tests
    Finding.objects.all().delete()
    for model in (
        Audit,
        AuditProgramme,
        ImprovementItem,
        Indicator,
        Document,
        RoleAssignment,
        Process,
        Person,
        Department,
    ):
        model.objects.all().delete()  # type: ignore[attr-defined]


@pytest.mark.parametrize("viewer", ["qm", "owner"])
def test_pages_run_their_budgeted_queries_with_1_and_30_audits(viewer: str) -> None:
    with_one = count_queries(1, viewer)
    wipe()
    with_many = count_queries(30, viewer)
    check_query_budgets(
        f"audits as {viewer}",
        {name: {"1 audit": with_one[name], "30 audits": with_many[name]} for name in with_one},
    )

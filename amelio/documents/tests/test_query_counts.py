"""The pages of documented information run a fixed number of SQL queries whatever the number
of rows: each is measured with 5 and with 50 documents, versions of one document (each with
its file), readers and acknowledgements; both counts must be the page's budget in
tests/query_budgets.json."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from amelio.core.files import store_file
from amelio.core.models import FilePurpose
from amelio.documents.choices import VersionStatus
from amelio.documents.models import Distribution
from amelio.documents.tests.conftest import PDF_BYTES, upload
from amelio.documents.tests.factories import VersionFactory, acknowledge, document_in_force
from amelio.organisation.choices import PersonKind, Role
from amelio.organisation.tests.factories import DepartmentFactory, PersonFactory, grant
from amelio.processes.tests.factories import ProcessFactory
from tests.query_budgets import check_query_budgets

pytestmark = pytest.mark.django_db


def populate(rows: int) -> dict[str, Any]:
    department = DepartmentFactory(code="GC", name="Génie Civil")
    quality = PersonFactory(email="qm@school.test")
    grant(quality, Role.QUALITY_MANAGER)
    owner = PersonFactory(email="owner@school.test", kind=PersonKind.TEACHER, department=department)
    grant(owner, Role.TEACHER, department)
    student = PersonFactory(email="student@school.test", kind=PersonKind.STUDENT, department=department)
    grant(student, Role.STUDENT, department)
    processes = [ProcessFactory(code=f"P-{index}", owner=owner) for index in range(min(rows, 10))]
    main = document_in_force(owner=owner, roles=[Role.STUDENT, Role.TEACHER], number=rows + 1, reference="A-MAIN")
    main.processes.set(processes)
    for number in range(1, rows + 1):
        version = VersionFactory(document=main, number=number, author=owner, status=VersionStatus.SUPERSEDED)
        store_file(
            actor=owner, upload=upload(f"v{number}.pdf", PDF_BYTES), owner=version, purpose=FilePurpose.ATTACHMENT
        )
    store_file(
        actor=owner, upload=upload("current.pdf", PDF_BYTES), owner=main.current_version, purpose=FilePurpose.ATTACHMENT
    )
    for index in range(rows):
        reader = PersonFactory(kind=PersonKind.STUDENT, department=department)
        grant(reader, Role.STUDENT, department)
        acknowledge(main.current_version, reader)
        Distribution.objects.create(document=main, person=PersonFactory())
        other = document_in_force(owner=owner, roles=[Role.STUDENT], reference=f"B-{index:03d}")
        other.processes.set(processes[: 1 + index % 3])
    return {"quality": quality, "owner": owner, "student": student, "document": main}


PAGES: list[tuple[str, Callable[[dict[str, Any]], str]]] = [
    ("home", lambda s: reverse("core:home")),
    ("document list", lambda s: reverse("documents:document_list")),
    (
        "document list filtered",
        lambda s: reverse("documents:document_list") + "?kind=procedure&review_overdue=false&q=B",
    ),
    ("document export", lambda s: reverse("documents:document_list") + "?export=csv"),
    ("document page", lambda s: reverse("documents:document_detail", args=[s["document"].pk])),
    ("version page", lambda s: reverse("documents:version_detail", args=[s["document"].current_version_id])),
]


def count_queries(rows: int, who: str) -> dict[str, int]:
    school = populate(rows)
    client = Client()
    client.force_login(school[who])
    counts = {}
    for _name, url in PAGES:
        client.get(url(school))  # fills the process-wide caches (content types)
    for name, url in PAGES:
        with CaptureQueriesContext(connection) as context:
            response = client.get(url(school))
        assert response.status_code == 200, name
        counts[name] = len(context.captured_queries)
    return counts


def wipe() -> None:
    from amelio.core.models import StoredFile
    from amelio.documents.models import Document
    from amelio.organisation.models import Department, Person, RoleAssignment
    from amelio.processes.models import Process

    StoredFile.objects.all().delete()
    Document.objects.update(current_version=None)
    Document.objects.all().delete()
    for model in (Process, RoleAssignment, Person, Department):
        model.objects.all().delete()


@pytest.mark.parametrize("who", ["quality", "owner", "student"])
def test_pages_run_their_budgeted_queries_with_5_and_50_rows(who: str, media_root: Any) -> None:
    with_5 = count_queries(5, who)
    wipe()
    with_50 = count_queries(50, who)
    check_query_budgets(
        f"documents as {who}", {name: {"5 rows": with_5[name], "50 rows": with_50[name]} for name in with_5}
    )
    assert max(with_50.values()) <= 25, with_50

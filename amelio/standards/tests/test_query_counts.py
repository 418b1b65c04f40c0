"""The pages of the standards app run a fixed number of SQL queries whatever the number of
rows: each is measured with 5 and with 50 requirements, evidence links of each kind,
mappings and access-log lines; both counts must be the page's budget in
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
from django.utils import timezone

from amelio.documents.tests.factories import document_in_force
from amelio.organisation.choices import PersonKind, Role
from amelio.organisation.tests.factories import PersonFactory, grant
from amelio.processes.models import Process
from amelio.processes.tests.factories import ProcessFactory
from amelio.standards import services
from amelio.standards.models import Clause
from amelio.standards.tests.factories import open_access
from tests.query_budgets import check_query_budgets

pytestmark = pytest.mark.django_db


def populate(rows: int) -> dict[str, Any]:
    quality = PersonFactory()
    grant(quality, Role.QUALITY_MANAGER)
    auditor = PersonFactory(kind=PersonKind.EXTERNAL)
    grant(auditor, Role.EXTERNAL_AUDITOR, ends_on=timezone.localdate() + datetime.timedelta(days=30))
    framework = services.framework_create(actor=quality, data={"code": f"CTI-{rows}", "name": f"CTI {rows}"})
    top = services.requirement_create(actor=quality, framework=framework, data={"number": "A", "title_fr": "A"})
    for index in range(rows):
        services.requirement_create(
            actor=quality, framework=framework, data={"number": f"A.{index}", "title_fr": f"Critère {index}"}
        )
    iso = list(Clause.objects.filter(framework__code="ISO9001:2015").order_by("sort_key")[:rows])
    qualiopi = list(Clause.objects.filter(framework__code="QUALIOPI").order_by("sort_key")[:rows])
    for clause in iso[: rows // 2] + qualiopi[: rows - rows // 2]:
        services.mapping_create(actor=quality, requirement=top, other=clause)
    for index in range(rows):
        process = ProcessFactory(code=f"P{rows}-{index}", owner=quality, is_active=index % 3 != 0)
        document = document_in_force(owner=quality, reference=f"D{rows}-{index}")
        services.evidence_link(actor=quality, record=process, requirement=top, note=f"note {index}")
        services.evidence_link(actor=quality, record=document, requirement=top)
        services.evidence_link(
            actor=quality, record=document, requirement=Clause.objects.get(framework=framework, number=f"A.{index}")
        )
    # The auditor reads every framework and process through `rows` accesses, and other
    # auditors' accesses, some through a personal link, are listed too.
    for index in range(rows):
        access = open_access(auditor, processes=Process.objects.all())
        if index % 2:
            other = open_access(PersonFactory(kind=PersonKind.EXTERNAL), processes=[process])
            type(other).objects.filter(pk=other.pk).update(auditor=None, auditor_name=f"Auditeur {index}")
    client = Client()
    client.force_login(auditor)
    for _index in range(rows):
        client.get(top.get_absolute_url())
    return {
        "quality": quality,
        "auditor": auditor,
        "framework": framework,
        "top": top,
        "process": process,
        "access": access,
    }


PAGES: list[tuple[str, Callable[[dict[str, Any]], str]]] = [
    ("frameworks", lambda s: reverse("standards:framework_list")),
    ("coverage", lambda s: reverse("standards:framework_detail", args=[s["framework"].pk])),
    ("requirement page", lambda s: reverse("standards:requirement_detail", args=[s["top"].pk])),
    ("access log", lambda s: reverse("standards:access_log")),
    ("access log export", lambda s: reverse("standards:access_log") + "?export=csv"),
    (
        "link form",
        lambda s: reverse(
            "standards:evidence_create", args=[ContentType.objects.get_for_model(s["process"]).pk, s["process"].pk]
        ),
    ),
    ("process page", lambda s: s["process"].get_absolute_url()),
    ("auditor accesses", lambda s: reverse("standards:access_list")),
    ("auditor access page", lambda s: s["access"].get_absolute_url()),
]
REFUSED_TO_THE_AUDITOR = {
    "access log": 403,
    "access log export": 403,
    "link form": 403,
    "auditor accesses": 403,
    "auditor access page": 404,
}


def count_queries(rows: int, who: str) -> dict[str, int]:
    school = populate(rows)
    client = Client()
    client.force_login(school[who])
    counts = {}
    for name, url in PAGES:
        expected = REFUSED_TO_THE_AUDITOR.get(name, 200) if who == "auditor" else 200
        client.get(url(school))  # fills the process-wide caches (content types)
        with CaptureQueriesContext(connection) as context:
            response = client.get(url(school))
        assert response.status_code == expected, name
        counts[name] = len(context.captured_queries)
    return counts


@pytest.mark.parametrize("who", ["quality", "auditor"])
def test_pages_run_their_budgeted_queries_with_5_and_50_rows(who: str) -> None:
    with_5 = count_queries(5, who)
    with_50 = count_queries(50, who)
    check_query_budgets(
        f"standards as {who}", {name: {"5 rows": with_5[name], "50 rows": with_50[name]} for name in with_5}
    )
    assert max(with_50.values()) <= 25, with_50

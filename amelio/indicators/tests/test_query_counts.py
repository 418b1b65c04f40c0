"""The pages of indicators run a fixed number of SQL queries whatever the number of rows:
each is measured with 5 and with 50 indicators (and, on the indicator's page and the
dashboards, 5 and 50 departments with a value each over three and six academic years, each
value with its evidence file and an item raised off target), as the quality manager and as
an indicator's owner; both counts must be the page's budget in tests/query_budgets.json."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from amelio.core.models import StoredFile
from amelio.history.services import history_record
from amelio.improvement.models import ImprovementItem
from amelio.indicators.choices import ScopeKind, Source
from amelio.indicators.models import Indicator, IndicatorValue, OffTargetItem, Target
from amelio.organisation.choices import PersonKind, Role
from amelio.organisation.tests.factories import DepartmentFactory, PersonFactory, grant
from amelio.processes.tests.factories import ProcessFactory
from tests.query_budgets import check_query_budgets

from .factories import year

pytestmark = pytest.mark.django_db


def populate(rows: int) -> dict[str, Any]:
    qm = PersonFactory(email="qm@school.test")
    grant(qm, Role.QUALITY_MANAGER)
    owner = PersonFactory(email="owner@school.test", kind=PersonKind.TEACHER)
    departments = [DepartmentFactory(code=f"D{number}", name=f"Département {number}") for number in range(rows)]
    years = [year(start) for start in range(2026 - (3 if rows <= 5 else 6), 2026)]
    processes = [ProcessFactory(owner=owner, department=departments[number]) for number in range(rows)]
    indicators = [
        Indicator.objects.create(
            code=f"IND-{number:03d}",
            name=f"Indicateur {number}",
            description="Mesure",
            process=processes[number],
            scope_kind=ScopeKind.DEPARTMENT if number == 0 else ScopeKind.SCHOOL,
            unit="%",
            direction="higher",
            owner=owner,
            source=Source.COMPUTED if number % 2 else Source.MANUAL,
            computation="improvement.actions_on_time" if number % 2 else "",
        )
        for number in range(rows)
    ]
    main = indicators[0]
    Target.objects.bulk_create(
        Target(indicator=indicator, academic_year=academic_year, target=Decimal(80), alert_threshold=Decimal(60))
        for indicator in indicators
        for academic_year in years
    )
    values = IndicatorValue.objects.bulk_create(
        [
            *(
                IndicatorValue(
                    indicator=main,
                    academic_year=academic_year,
                    scope_key=f"department:{department.pk}",
                    department=department,
                    value=Decimal(50 + number % 40),
                    source=Source.MANUAL,
                    recorded_by=owner,
                )
                for academic_year in years
                for number, department in enumerate(departments)
            ),
            *(
                IndicatorValue(
                    indicator=indicator,
                    academic_year=years[-1],
                    scope_key="school",
                    value=Decimal(70),
                    source=indicator.source,
                    inputs={"part": 7, "whole": 10},
                )
                for indicator in indicators[1:]
            ),
        ]
    )
    owner_type = ContentType.objects.get_for_model(IndicatorValue)
    StoredFile.objects.bulk_create(
        StoredFile(
            file=f"files/evidence-{value.pk}.pdf",
            original_name=f"evidence-{value.pk}.pdf",
            content_type="application/pdf",
            size=100,
            sha256="0" * 64,
            uploaded_by=owner,
            owner_type=owner_type,
            owner_id=value.pk,
            purpose="evidence",
        )
        for value in values
        if value.indicator_id == main.pk
    )
    for number, value in enumerate(values[:rows]):
        item = ImprovementItem.objects.create(
            reference=f"OA-2026-{number:04d}", origin="opportunity", title="Hors cible", description="."
        )
        OffTargetItem.objects.create(
            indicator=main, academic_year=value.academic_year, scope_key=value.scope_key, value=value, item=item
        )
        history_record(instance=main, action="update", actor=owner, changes={"name": ["a", "b"]})
    return {"qm": qm, "owner": owner, "indicator": main, "computed": indicators[1], "department": departments[0]}


PAGES: list[tuple[str, Callable[[dict[str, Any]], str]]] = [
    ("dashboard", lambda s: reverse("indicators:dashboard")),
    ("dashboard csv", lambda s: reverse("indicators:dashboard") + "?export=csv"),
    ("department dashboard", lambda s: reverse("indicators:department_dashboard", args=[s["department"].pk])),
    (
        "department dashboard xlsx",
        lambda s: reverse("indicators:department_dashboard", args=[s["department"].pk]) + "?export=xlsx",
    ),
    ("process dashboard", lambda s: reverse("indicators:process_dashboard", args=[s["indicator"].process_id])),
    ("my indicators", lambda s: reverse("indicators:my_dashboard")),
    ("home", lambda s: reverse("core:home")),
    ("list", lambda s: reverse("indicators:indicator_list")),
    ("list filtered", lambda s: reverse("indicators:indicator_list") + "?source=manual&q=IND"),
    ("list csv", lambda s: reverse("indicators:indicator_list") + "?export=csv"),
    ("indicator", lambda s: reverse("indicators:indicator_detail", args=[s["indicator"].pk])),
    ("computed indicator", lambda s: reverse("indicators:indicator_detail", args=[s["computed"].pk])),
    ("record a value", lambda s: reverse("indicators:value_record", args=[s["indicator"].pk])),
    ("set a target", lambda s: reverse("indicators:target_set", args=[s["indicator"].pk])),
]


def count_queries(rows: int, viewer: str) -> dict[str, int]:
    school = populate(rows)
    client = Client()
    client.force_login(school[viewer])
    counts = {}
    for name, url in PAGES:
        with CaptureQueriesContext(connection) as context:
            response = client.get(url(school))
            if not response.streaming:
                response.content  # noqa: B018  (a lazy template would run its queries here)
            else:
                b"".join(response.streaming_content)
        assert response.status_code == 200, name
        counts[name] = len(context.captured_queries)
    return counts


def wipe() -> None:
    from amelio.history.models import HistoryEntry
    from amelio.organisation.models import AcademicYear, Department, Person, RoleAssignment
    from amelio.processes.models import Process

    HistoryEntry.objects.all()._raw_delete(HistoryEntry.objects.db)  # append-only for everything but tests
    for model in (
        StoredFile,
        OffTargetItem,
        ImprovementItem,
        IndicatorValue,
        Target,
        Indicator,
        RoleAssignment,
        Process,
        Person,
        Department,
        AcademicYear,
    ):
        model.objects.all().delete()  # type: ignore[attr-defined]


@pytest.mark.parametrize("viewer", ["qm", "owner"])
def test_pages_run_their_budgeted_queries_with_5_and_50_rows(viewer: str) -> None:
    counts_with_5_rows = count_queries(5, viewer)
    wipe()
    counts_with_50_rows = count_queries(50, viewer)
    check_query_budgets(
        f"indicators as {viewer}",
        {
            name: {"5 rows": counts_with_5_rows[name], "50 rows": counts_with_50_rows[name]}
            for name in counts_with_5_rows
        },
    )
    assert max(counts_with_50_rows.values()) <= 20, counts_with_50_rows

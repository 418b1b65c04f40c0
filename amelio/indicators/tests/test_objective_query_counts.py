"""The pages of quality objectives run a fixed number of SQL queries whatever the number of
rows: each is measured with 1 and with 30 objectives, the first measured by as many
indicators (each with a value per department over three years) and served by as many
actions, as the quality manager and as the objectives' owner; both counts must be the
page's budget in tests/query_budgets.json."""

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

from amelio.improvement.models import Action
from amelio.indicators.choices import ObjectiveStatus, ScopeKind
from amelio.indicators.models import Indicator, IndicatorValue, Objective, ObjectiveMeasure, Target
from amelio.organisation.choices import PersonKind, Role
from amelio.organisation.tests.factories import DepartmentFactory, PersonFactory, grant
from amelio.processes.tests.factories import ProcessFactory
from tests.query_budgets import check_query_budgets

from .factories import year

pytestmark = pytest.mark.django_db


def populate(rows: int) -> dict[str, Any]:
    qm = PersonFactory(email=f"qm{rows}@school.test")
    grant(qm, Role.QUALITY_MANAGER)
    owner = PersonFactory(email=f"owner{rows}@school.test", kind=PersonKind.TEACHER)
    departments = [
        DepartmentFactory(code=f"D{rows}-{number}", name=f"Département {rows}-{number}") for number in range(3)
    ]
    years = [year(2023), year(2024), year(2025)]
    process = ProcessFactory(owner=owner, department=departments[0])
    indicators = [
        Indicator.objects.create(
            code=f"IND-{rows}-{number:03d}",
            name=f"Indicateur {number}",
            description="Mesure",
            scope_kind=ScopeKind.DEPARTMENT if number % 2 else ScopeKind.SCHOOL,
            unit="%",
            direction="higher",
            owner=owner,
        )
        for number in range(rows)
    ]
    Target.objects.bulk_create(
        Target(indicator=indicator, academic_year=academic_year, target=Decimal(80), alert_threshold=Decimal(60))
        for indicator in indicators
        for academic_year in years
    )
    IndicatorValue.objects.bulk_create(
        IndicatorValue(
            indicator=indicator,
            academic_year=academic_year,
            scope_key=f"department:{department.pk}" if indicator.scope_kind == ScopeKind.DEPARTMENT else "school",
            department=department if indicator.scope_kind == ScopeKind.DEPARTMENT else None,
            value=Decimal(50 + number * 7 % 45),
            source="manual",
        )
        for number, indicator in enumerate(indicators)
        for academic_year in years
        for department in (departments if indicator.scope_kind == ScopeKind.DEPARTMENT else departments[:1])
    )
    objectives = [
        Objective.objects.create(
            code=f"OBJ-{rows}-{number:03d}",
            statement=f"Objectif {number}",
            commitment="Engagement",
            process=process,
            owner=owner,
            academic_year=years[-1],
            due_on=years[-1].ends_on,
            status=ObjectiveStatus.ACTIVE,
        )
        for number in range(rows)
    ]
    main = objectives[0]
    ObjectiveMeasure.objects.bulk_create(
        [ObjectiveMeasure(objective=main, indicator=indicator, target=Decimal(75)) for indicator in indicators]
        + [ObjectiveMeasure(objective=other, indicator=indicators[0], target=Decimal(75)) for other in objectives[1:]]
    )
    actions = [
        Action.objects.create(
            kind="improvement", title=f"Action {number}", owner=owner, process=process, due_on=years[-1].ends_on
        )
        for number in range(rows)
    ]
    main.actions.set(actions)
    return {"qm": qm, "owner": owner, "objective": main, "measure": main.measures.first()}


PAGES: list[tuple[str, Callable[[dict[str, Any]], str]]] = [
    ("list", lambda s: reverse("indicators:objective_list")),
    ("list by standing", lambda s: reverse("indicators:objective_list") + "?standing=behind&status=active"),
    ("list csv", lambda s: reverse("indicators:objective_list") + "?export=csv"),
    ("objective", lambda s: reverse("indicators:objective_detail", args=[s["objective"].pk])),
    ("edit", lambda s: reverse("indicators:objective_update", args=[s["objective"].pk])),
    ("add a measure", lambda s: reverse("indicators:measure_add", args=[s["objective"].pk])),
    ("edit a measure", lambda s: reverse("indicators:measure_update", args=[s["measure"].pk])),
    ("link an action", lambda s: reverse("indicators:action_link", args=[s["objective"].pk])),
]


def count_queries(rows: int, viewer: str) -> dict[str, int]:
    ContentType.objects.clear_cache()  # each measure starts as cold as the first
    setting = populate(rows)
    client = Client()
    client.force_login(setting[viewer])
    counts = {}
    for name, url in PAGES:
        with CaptureQueriesContext(connection) as context:
            response = client.get(url(setting))
            if response.streaming:
                b"".join(response.streaming_content)
            else:
                response.content  # noqa: B018  (a lazy template would run its queries here)
        assert response.status_code == 200, name
        counts[name] = len(context.captured_queries)
    return counts


@pytest.mark.parametrize("viewer", ["qm", "owner"])
def test_pages_run_their_budgeted_queries_with_1_and_30_rows(viewer: str) -> None:
    with_1_row = count_queries(1, viewer)
    with_30_rows = count_queries(30, viewer)
    check_query_budgets(
        f"objectives as {viewer}",
        {name: {"1 row": with_1_row[name], "30 rows": with_30_rows[name]} for name in with_1_row},
    )
    assert max(with_30_rows.values()) <= 25, with_30_rows

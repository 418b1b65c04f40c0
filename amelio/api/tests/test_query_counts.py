"""The API's lists run a fixed number of SQL queries whatever the number of rows: each is
measured with a few rows and with many more; both counts must be its budget in
tests/query_budgets.json."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from amelio.improvement.tests.factories import ActionFactory, ImprovementItemFactory
from amelio.partners.tests.factories import CompanyFactory
from amelio.processes.tests.factories import ProcessFactory
from tests.query_budgets import check_query_budgets

pytestmark = pytest.mark.django_db

LISTS = ["process_list", "item_list", "action_list", "indicator_list", "internship_list", "company_list"]


def add_rows(school: dict[str, Any], rows: int) -> None:
    for _ in range(rows):
        ProcessFactory(owner=school["teacher"], department=school["civil"])
        item = ImprovementItemFactory(raised_by=school["student"], department=school["civil"])
        ActionFactory(item=item, owner=school["teacher"])
        CompanyFactory()


def measure(client: APIClient) -> dict[str, int]:
    counts = {}
    for name in LISTS:
        with CaptureQueriesContext(connection) as context:
            response = client.get(reverse(f"api:{name}"))
        assert response.status_code == 200, name
        counts[name] = len(context.captured_queries)
    return counts


def test_api_lists_run_their_budgeted_queries(school: dict[str, Any]) -> None:
    client = APIClient()
    client.force_authenticate(school["quality_manager"])
    add_rows(school, 2)
    measure(client)  # the roles are loaded once per user object, which the test client keeps
    few = measure(client)
    add_rows(school, 30)
    many = measure(client)
    check_query_budgets("api", {name: {"2 rows": few[name], "32 rows": many[name]} for name in LISTS})

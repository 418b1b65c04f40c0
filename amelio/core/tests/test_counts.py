"""core.counts.count_each: several counts, of any tables, in one query."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from amelio.core.counts import count_each
from amelio.organisation.models import Department, Person

pytestmark = pytest.mark.django_db


def test_counts_of_several_tables_in_one_query(school: dict[str, Any]) -> None:
    with CaptureQueriesContext(connection) as context:
        counts = count_each(
            people=Person.objects.all(),
            civil=Person.objects.filter(department=school["civil"]),
            departments=Department.objects.filter(code="GE"),
            nobody=Person.objects.none(),
            none_matching=Person.objects.filter(email="nobody@school.test"),
        )
    assert len(context.captured_queries) == 1
    assert counts == {
        "people": Person.objects.count(),
        "civil": Person.objects.filter(department=school["civil"]).count(),
        "departments": 1,
        "nobody": 0,
        "none_matching": 0,
    }
    assert count_each() == {}

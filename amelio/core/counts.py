"""Several counts in one SQL query, for the home page's cards: each card asks the database
once, whatever the number of its rows and of the tables they come from."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import F, Func, QuerySet


def count_each(**querysets: QuerySet[Any]) -> dict[str, int]:
    """{name: the number of rows of querysets[name]}, in one query: SELECT (SELECT COUNT(...)
    FROM ...), (SELECT COUNT(...) FROM ...). The querysets must use one database."""
    if not querysets:
        return {}
    columns: list[str] = []
    params: list[Any] = []
    database = next(iter(querysets.values())).db
    for queryset in querysets.values():
        # A plain COUNT function, not the Count aggregate: Django adds no GROUP BY for it.
        counted = queryset.order_by().annotate(counted_rows=Func(F("pk"), function="COUNT")).values("counted_rows")
        try:
            sql, sql_params = counted.query.get_compiler(using=database).as_sql()
        except EmptyResultSet:  # a queryset.none(): nothing to ask
            columns.append("0")
            continue
        columns.append(f"({sql})")
        params.extend(sql_params)
    with connections[database].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(columns), params)
        row = cursor.fetchone()
    return {name: int(value or 0) for name, value in zip(querysets, row, strict=True)}

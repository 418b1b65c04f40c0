"""The number of SQL queries each page may run, pinned in one file (query_budgets.json, as
NetBox keeps its query_counts.json), and the check the query-count tests call.

Each test measures its pages with few and with many rows; every measurement must equal the
page's budget. So a page whose count grows with its rows fails (an N+1), and so does a page
that gained or lost a query: the change has to be written in query_budgets.json, where it is
seen in review. To write the measured counts instead of editing by hand:

    UPDATE_QUERY_BUDGETS=1 .venv/bin/pytest -q <the test file>

(it writes only pages whose measurements agree, and keeps the file sorted).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path

BUDGETS_FILE = Path(__file__).with_name("query_budgets.json")
UPDATE_VARIABLE = "UPDATE_QUERY_BUDGETS"


def read_budgets() -> dict[str, int]:
    budgets: dict[str, int] = json.loads(BUDGETS_FILE.read_text())
    return budgets


def write_budgets(budgets: Mapping[str, int]) -> None:
    BUDGETS_FILE.write_text(json.dumps(dict(sorted(budgets.items())), indent=2, ensure_ascii=False) + "\n")


def page_key(group: str, page: str) -> str:
    return f"{group}: {page}"


def check_query_budgets(group: str, measured: Mapping[str, Mapping[str, int]], *, whole_group: bool = True) -> None:
    """`measured` maps each page of `group` to its query counts by measurement (e.g.
    {"register": {"5 rows": 12, "50 rows": 12}}). Fails, naming each page with its budget and
    what was measured, unless every count equals the page's budget. `whole_group` says the
    test measured every page of the group, so a budget left for a page it no longer measures
    is reported too."""
    budgets = read_budgets()
    if os.environ.get(UPDATE_VARIABLE) == "1":
        _update(budgets, group, measured, whole_group=whole_group)
        budgets = read_budgets()
    problems = []
    for page, counts in sorted(measured.items()):
        key = page_key(group, page)
        described = ", ".join(f"{count} with {label}" for label, count in counts.items())
        if key not in budgets:
            problems.append(f"  {key!r}: no budget; measured {described}")
        elif any(count != budgets[key] for count in counts.values()):
            problems.append(f"  {key!r}: budget {budgets[key]}, measured {described}")
    if whole_group:
        measured_keys = {page_key(group, page) for page in measured}
        for key in sorted(budgets):
            if key.startswith(page_key(group, "")) and key not in measured_keys:
                problems.append(f"  {key!r}: budget {budgets[key]} for a page this test no longer measures")
    if problems:
        raise AssertionError(
            f"SQL queries per page differ from {BUDGETS_FILE.relative_to(BUDGETS_FILE.parent.parent)}:\n"
            + "\n".join(problems)
            + "\nA page runs exactly its budgeted number of queries, with few rows and with many: a count that"
            " grows with the rows is an N+1 to fix, never a budget. If the new count is intended (a query"
            f" added to or saved on the page), set it in the file, or run the test again with {UPDATE_VARIABLE}=1"
            " to write the measured counts, and commit the change with its reason."
        )


def _update(
    budgets: dict[str, int], group: str, measured: Mapping[str, Mapping[str, int]], *, whole_group: bool
) -> None:
    if whole_group:
        budgets = {key: value for key, value in budgets.items() if not key.startswith(page_key(group, ""))}
    for page, counts in measured.items():
        values = set(counts.values())
        if len(values) == 1:  # measurements that disagree are a bug to fix, not a budget
            budgets[page_key(group, page)] = values.pop()
    write_budgets(budgets)

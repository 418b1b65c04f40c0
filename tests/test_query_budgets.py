"""The file of query budgets (tests/query_budgets.json) and the check the query-count tests
run against it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests import query_budgets
from tests.query_budgets import check_query_budgets, read_budgets


def test_the_file_is_sorted_and_holds_a_count_per_page() -> None:
    """Kept sorted, so that pages added by different changes merge without conflict and a
    new count shows as one changed line."""
    text = query_budgets.BUDGETS_FILE.read_text()
    budgets = json.loads(text)
    assert list(budgets) == sorted(budgets)
    assert all(isinstance(count, int) and count > 0 for count in budgets.values())
    assert all(": " in key for key in budgets)  # "<group>: <page>"
    assert text == json.dumps(budgets, indent=2, ensure_ascii=False) + "\n"


@pytest.fixture
def budgets_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "tests" / "query_budgets.json"
    path.parent.mkdir()
    path.write_text(json.dumps({"shop: basket": 7, "shop: old page": 3, "zoo: cage": 4}))
    monkeypatch.setattr(query_budgets, "BUDGETS_FILE", path)
    monkeypatch.delenv(query_budgets.UPDATE_VARIABLE, raising=False)
    return path


def test_counts_equal_to_the_budget_pass(budgets_file: Path) -> None:
    check_query_budgets("shop", {"basket": {"5 rows": 7, "50 rows": 7}}, whole_group=False)


def test_a_new_query_names_the_page_its_budget_and_the_measure(budgets_file: Path) -> None:
    with pytest.raises(AssertionError) as failure:
        check_query_budgets("shop", {"basket": {"5 rows": 8, "50 rows": 8}}, whole_group=False)
    message = str(failure.value)
    assert "'shop: basket': budget 7, measured 8 with 5 rows, 8 with 50 rows" in message
    assert "tests/query_budgets.json" in message
    assert "UPDATE_QUERY_BUDGETS=1" in message


def test_a_count_growing_with_the_rows_fails(budgets_file: Path) -> None:
    with pytest.raises(AssertionError, match="budget 7, measured 7 with 5 rows, 52 with 50 rows"):
        check_query_budgets("shop", {"basket": {"5 rows": 7, "50 rows": 52}}, whole_group=False)


def test_a_page_without_a_budget_fails(budgets_file: Path) -> None:
    with pytest.raises(AssertionError, match="'shop: till': no budget; measured 2 with 5 rows"):
        check_query_budgets("shop", {"till": {"5 rows": 2}}, whole_group=False)


def test_a_budget_left_for_a_page_no_longer_measured_is_reported(budgets_file: Path) -> None:
    with pytest.raises(AssertionError, match="'shop: old page': budget 3 for a page this test no longer measures"):
        check_query_budgets("shop", {"basket": {"5 rows": 7}})


def test_updating_writes_the_measured_counts_sorted(budgets_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(query_budgets.UPDATE_VARIABLE, "1")
    check_query_budgets("shop", {"basket": {"5 rows": 9, "50 rows": 9}, "till": {"5 rows": 2, "50 rows": 2}})
    assert read_budgets() == {"shop: basket": 9, "shop: till": 2, "zoo: cage": 4}
    assert list(read_budgets()) == sorted(read_budgets())
    # Measurements that disagree are never written: the test still fails.
    with pytest.raises(AssertionError, match="measured 9 with 5 rows, 10 with 50 rows"):
        check_query_budgets("shop", {"basket": {"5 rows": 9, "50 rows": 10}}, whole_group=False)
    assert read_budgets()["shop: basket"] == 9

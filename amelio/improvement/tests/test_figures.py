"""The figures count each item once, whatever its number of actions."""

from __future__ import annotations

from typing import Any

import pytest

from amelio.improvement.choices import ActionStatus, ItemStatus
from amelio.improvement.selectors import dashboard_figures, item_list
from amelio.improvement.tests.factories import ActionFactory, ImprovementItemFactory

pytestmark = pytest.mark.django_db


def test_open_items_by_process_count_items_not_actions(school: dict[str, Any]) -> None:
    item = ImprovementItemFactory(process=school["process_civil"], status=ItemStatus.ACTIONS_UNDER_WAY)
    for _ in range(3):
        ActionFactory(item=item, owner=school["teacher"], status=ActionStatus.IN_PROGRESS)
    ImprovementItemFactory(process=school["process_civil"], status=ItemStatus.NEW)
    figures = dashboard_figures(user=school["quality_manager"])
    assert figures["open_total"] == 2
    assert sum(row["total"] for row in figures["open_by_process"]) == 2
    assert item_list(user=school["quality_manager"]).get(pk=item.pk).action_count == 3


def test_shares_of_actions_on_time_and_items_closed_effective(school: dict[str, Any]) -> None:
    import datetime

    day = datetime.date(2026, 6, 1)
    for completed in (day, day + datetime.timedelta(days=3)):  # one on time, one late
        ActionFactory(owner=school["teacher"], status=ActionStatus.DONE, due_on=day, completed_on=completed)
    ActionFactory(owner=school["teacher"], status=ActionStatus.PLANNED)
    for status in (
        ItemStatus.CLOSED_EFFECTIVE,
        ItemStatus.CLOSED_EFFECTIVE,
        ItemStatus.CLOSED_EFFECTIVE,
        ItemStatus.REOPENED,
    ):
        ImprovementItemFactory(status=status, raised_on=day, closed_on=day + datetime.timedelta(days=10))
    figures = dashboard_figures(user=school["quality_manager"])
    assert figures["actions_done"] == 2
    assert figures["actions_on_time_share"] == 0.5
    assert figures["closed_effective_share"] == 0.75
    assert figures["median_days_to_close"] == 10

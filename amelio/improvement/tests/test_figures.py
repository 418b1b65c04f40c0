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

"""What the indicators app adds to a person's "My work" page and home page: their active
objectives with their standing, and the open items raised by values off target that wait on
them (on a process they own, or about an indicator they answer for)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from amelio.improvement.choices import ItemStatus
from amelio.indicators.choices import ObjectiveStatus
from amelio.indicators.services import raise_if_off_target

from .factories import IndicatorFactory, objective, target, value, year

pytestmark = pytest.mark.django_db


def test_my_work_lists_the_owner_s_active_objectives_only(client: Client, school: dict[str, Any]) -> None:
    objective(owner=school["teacher"], code="OBJ-ACTIF", status=ObjectiveStatus.ACTIVE)
    objective(owner=school["teacher"], code="OBJ-BROUILLON")
    objective(owner=school["head_civil"], code="OBJ-AUTRE", status=ObjectiveStatus.ACTIVE)
    client.force_login(school["teacher"])
    page = client.get(reverse("improvement:my_work")).content.decode()
    assert 'data-testid="my-objectives"' in page and "OBJ-ACTIF" in page
    assert "OBJ-BROUILLON" not in page and "OBJ-AUTRE" not in page
    client.force_login(school["office"])
    assert 'data-testid="my-objectives"' not in client.get(reverse("improvement:my_work")).content.decode()


def test_an_item_raised_off_target_shows_for_the_process_owner_until_closed(
    client: Client, school: dict[str, Any]
) -> None:
    # The indicator is the director's; its process (and so the raised item) the teacher's.
    indicator = IndicatorFactory(process=school["process_civil"], owner=school["director"])
    target(indicator, year(2025), "90", "80")
    raised = raise_if_off_target(value=value(indicator, year(2025), "70"))
    assert raised is not None
    reference = raised.item.reference
    for person in ("teacher", "director"):
        client.force_login(school[person])
        assert reference in client.get(reverse("improvement:my_work")).content.decode()
        home = client.get(reverse("core:home")).content.decode()
        assert 'data-testid="off-target-items"' in home and reference in home
    for person in ("head_electrical", "student"):
        client.force_login(school[person])
        assert reference not in client.get(reverse("improvement:my_work")).content.decode()
        assert 'data-testid="off-target-items"' not in client.get(reverse("core:home")).content.decode()
    raised.item.status = ItemStatus.CLOSED_EFFECTIVE
    raised.item.save()
    client.force_login(school["teacher"])
    assert reference not in client.get(reverse("core:home")).content.decode()

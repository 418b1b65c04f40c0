"""A dashboard's trend charts are drawn once for each distinct content and kept: the same
chart is not drawn again, and a changed value, target or language draws a new one (nothing
stale is shown)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from amelio.indicators import selectors
from amelio.indicators.models import IndicatorValue

from .factories import IndicatorFactory, target, value, year

pytestmark = pytest.mark.django_db


def chart_of(page: str, pk: int) -> str:
    start = page.index(f'data-testid="trend-{pk}"')
    return page[start : page.index("</svg>", start)]


def test_the_same_chart_is_drawn_once_and_a_changed_one_anew(client: Client, school: dict[str, Any]) -> None:
    indicator = IndicatorFactory(code="IND-77")
    target(indicator, year(2024), "90", "80")
    target(indicator, year(2025), "90", "80")
    value(indicator, year(2024), "91")
    recorded = value(indicator, year(2025), "93.25")
    selectors._drawn_charts.clear()
    client.force_login(school["quality_manager"])
    url = reverse("indicators:dashboard") + f"?year={year(2025).pk}"

    first = client.get(url).content.decode()
    assert "93.25" in first and len(selectors._drawn_charts) == 1
    assert chart_of(client.get(url).content.decode(), indicator.pk) == chart_of(first, indicator.pk)
    assert len(selectors._drawn_charts) == 1

    IndicatorValue.objects.filter(pk=recorded.pk).update(value=Decimal("71.5"))
    changed = client.get(url).content.decode()
    assert "71.5" in changed and "93.25" not in changed
    assert len(selectors._drawn_charts) == 2

    with translation.override("en"):
        english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "71.5" in english


def test_the_kept_charts_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    from amelio.core.charts import line_chart

    monkeypatch.setattr(selectors, "DRAWN_CHARTS_KEPT", 3)
    selectors._drawn_charts.clear()
    for number in range(5):
        selectors.drawn_chart(line_chart(x_labels=["a"], series=[("s", [number])]), chart_id="c", title="t")
    assert len(selectors._drawn_charts) == 3

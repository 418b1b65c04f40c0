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


def test_trend_ageing_and_pareto(school: dict[str, Any]) -> None:
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    ImprovementItemFactory(process=school["process_civil"], raised_on=today)
    ImprovementItemFactory(process=school["process_civil"], raised_on=today - datetime.timedelta(days=100))
    ImprovementItemFactory(
        status=ItemStatus.CLOSED_EFFECTIVE, raised_on=today - datetime.timedelta(days=40), closed_on=today
    )
    ImprovementItemFactory(raised_on=today - datetime.timedelta(days=800))  # open, too old for the trend
    figures = dashboard_figures(user=school["quality_manager"])
    trend = figures["trend"]
    assert len(trend) == 12 and trend[-1][0] == today.replace(day=1)
    assert trend[-1][1] == 1 and trend[-1][2] == 1  # raised today; closed today
    assert sum(raised for _month, raised, _closed in trend) == 3
    assert dict((str(label), total) for label, total in figures["ageing"]) == {
        "30 days or less": 1,
        "31 to 90 days": 0,
        "91 to 180 days": 1,
        "181 days to a year": 0,
        "more than a year": 1,
    }
    process_label = f"{school['process_civil'].code} {school['process_civil'].name}"
    assert [(str(label), total) for label, total in figures["recent_by_process"]] == [
        (process_label, 2),
        ("no process", 1),
    ]
    assert ("suggestion", 3) in [(str(label), total) for label, total in figures["open_by_origin"]]


def test_page_and_pdf_show_the_same_charts_in_french(school: dict[str, Any], settings: Any, tmp_path: Any) -> None:
    """Choice labels rather than codes, days without a ",0", and each chart drawn in the
    PDF too with its numbers as text."""
    import datetime
    import re
    import subprocess

    from django.test import Client
    from django.urls import reverse

    from amelio.improvement.choices import Origin

    settings.LANGUAGE_CODE = "fr"
    day = datetime.date(2026, 1, 5)
    ImprovementItemFactory(
        origin=Origin.NONCONFORMITY,
        status=ItemStatus.CLOSED_EFFECTIVE,
        raised_on=day,
        closed_on=day + datetime.timedelta(days=160),
    )
    ImprovementItemFactory(origin=Origin.OPPORTUNITY, process=school["process_civil"])
    client = Client()
    client.force_login(school["quality_manager"])
    import html

    page = html.unescape(client.get(reverse("improvement:dashboard")).content.decode())
    assert 'data-testid="chart-trend"' in page and 'data-testid="chart-origin"' in page
    assert 'data-testid="chart-ageing"' in page and 'data-testid="chart-pareto"' in page
    assert "opportunité d’amélioration" in page.lower() or "opportunité d'amélioration" in page.lower()
    assert ">opportunity<" not in page and "Opportunity" not in page
    median = re.search(r'data-testid="median-days">([^<]*)<', page)
    assert median is not None and median.group(1).strip() == "160\xa0j"
    response = client.get(reverse("improvement:dashboard_pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "figures.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    assert "Fiches ouvertes par origine" in text and "Ancienneté des fiches ouvertes" in text
    assert "160" in text and "160,0" not in text
    assert re.search(r"\bopportunity\b|\bnonconformity\b", text) is None
    assert "non-conformité" in text.lower()


def test_figures_pdf_needs_an_account_and_counts_only_what_its_reader_sees(school: dict[str, Any]) -> None:
    import subprocess
    import tempfile

    from django.test import Client
    from django.urls import reverse

    ImprovementItemFactory(raised_by=school["teacher"], title="Mine")
    ImprovementItemFactory.create_batch(3)
    anonymous = Client().get(reverse("improvement:dashboard_pdf"))
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    client = Client()
    client.force_login(school["teacher"])
    response = client.get(reverse("improvement:dashboard_pdf"))
    assert response.status_code == 200
    with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
        pdf.write(response.content)
        pdf.flush()
        text = subprocess.run(["pdftotext", "-layout", pdf.name, "-"], check=True, capture_output=True, text=True)
    import re

    # The origins' table: the teacher's one suggestion, not the four of the school.
    rows = [line.split() for line in text.stdout.splitlines() if re.match(r"^\s*suggestion\s+\d+\s*$", line)]
    assert rows and all(row == ["suggestion", "1"] for row in rows)

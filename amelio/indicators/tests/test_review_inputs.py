"""The management review inputs this app registers (ISO 9001 9.3.2 c) 2) and c) 3)),
compiled from records built here and compared with figures counted by hand."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from amelio.core.registry import review_inputs
from amelio.indicators.choices import Direction, Light, ObjectiveStatus, ScopeKind
from amelio.indicators.models import ObjectiveMeasure
from amelio.indicators.review_inputs import objectives_met, process_performance

from .factories import IndicatorFactory, objective, target, value, year

pytestmark = pytest.mark.django_db

PERIOD = (datetime.date(2025, 9, 1), datetime.date(2026, 8, 31))


def test_both_inputs_are_registered_under_their_clause() -> None:
    clauses = {entry.key: entry.clause for entry in review_inputs()}
    assert clauses["indicators.objectives"] == "9.3.2 c) 2)"
    assert clauses["indicators.process_performance"] == "9.3.2 c) 3)"


def test_objectives_met_counts_the_period_s_objectives_by_status(school: dict[str, Any]) -> None:
    owner = school["teacher"]
    objective(owner=owner, code="OBJ-A", status=ObjectiveStatus.ACHIEVED, closed_on=datetime.date(2026, 6, 30))
    objective(owner=owner, code="OBJ-B", status=ObjectiveStatus.NOT_ACHIEVED, closed_on=datetime.date(2026, 7, 1))
    objective(owner=owner, code="OBJ-C", status=ObjectiveStatus.ABANDONED, closed_on=datetime.date(2026, 1, 5))
    active = objective(owner=owner, code="OBJ-D", status=ObjectiveStatus.ACTIVE, process=school["process_civil"])
    objective(owner=owner, code="OBJ-E")  # a draft: nothing committed to yet
    objective(owner=owner, code="OBJ-F", start=2023, status=ObjectiveStatus.ACHIEVED)  # before the period
    # The active objective is measured by an indicator beyond its alert threshold: at risk.
    indicator = IndicatorFactory(direction=Direction.HIGHER_IS_BETTER)
    target(indicator, year(2025), "90", "80")
    value(indicator, year(2025), "70")
    ObjectiveMeasure.objects.create(objective=active, indicator=indicator, target=Decimal("90"))

    snapshot = objectives_met(*PERIOD)

    figures = [figure["value"] for figure in snapshot["figures"]]
    # By hand: A, B, C, D in the period; 1 achieved of the 2 closed achieved or not: 50 %.
    assert figures == [4, 1, 1, 1, 1, 50.0]
    rows = snapshot["tables"][0]["rows"]
    assert [row[0] for row in rows] == ["OBJ-A", "OBJ-B", "OBJ-C", "OBJ-D"]
    assert rows[3][2] == school["process_civil"].code and rows[3][7] == "at risk"
    assert rows[0][7] == ""  # a closed objective's standing is its status


def test_objectives_met_without_a_closed_objective_has_no_share(school: dict[str, Any]) -> None:
    objective(owner=school["teacher"], status=ObjectiveStatus.ACTIVE)
    snapshot = objectives_met(*PERIOD)
    assert snapshot["figures"][-1]["value"] == ""


def test_process_performance_sets_each_value_against_its_year_s_target(school: dict[str, Any]) -> None:
    civil, department = school["process_civil"], school["civil"]
    higher = IndicatorFactory(code="IND-A", process=civil, scope_kind=ScopeKind.DEPARTMENT)
    lower = IndicatorFactory(code="IND-B", process=civil, direction=Direction.LOWER_IS_BETTER)
    untargeted = IndicatorFactory(code="IND-C")
    target(higher, year(2025), "90", "80")
    target(lower, year(2025), "3", "5")
    value(higher, year(2025), "95")  # on target
    value(higher, year(2025), "85", department=department)  # between target and threshold
    value(lower, year(2025), "6")  # beyond the threshold (lower is better)
    value(lower, year(2023), "9")  # another year: left out
    value(untargeted, year(2025), "12")  # no target: unknown

    snapshot = process_performance(*PERIOD)

    counts = {figure["label"]: figure["value"] for figure in snapshot["figures"]}
    assert counts == {
        str(Light.ON_TARGET.label): 1,
        str(Light.WATCH.label): 1,
        str(Light.ALERT.label): 1,
        str(Light.UNKNOWN.label): 1,
    }
    rows = snapshot["tables"][0]["rows"]
    assert len(rows) == 4
    by_value = {row[4]: row for row in rows}
    assert by_value["6"][6:] == ["3", "5", str(Light.ALERT.label)]
    assert by_value["85"][3] == str(department) and by_value["85"][8] == str(Light.WATCH.label)
    assert by_value["12"][0] == "" and by_value["12"][6] == ""
    assert "1" in snapshot["summary"] and "4" in snapshot["summary"]


def test_process_performance_shows_each_indicator_and_scope_once_at_its_latest_value(school: dict[str, Any]) -> None:
    monthly = IndicatorFactory(code="IND-M", process=school["process_civil"])
    yearly = IndicatorFactory(code="IND-Y", process=school["process_civil"])
    target(monthly, year(2025), "90", "80")
    for period, number in (("2025-09", "70"), ("2025-11", "95"), ("2025-10", "85")):
        found = value(monthly, year(2025), number)
        type(found).objects.filter(pk=found.pk).update(period=period)
    semester = value(yearly, year(2024), "10")
    type(semester).objects.filter(pk=semester.pk).update(period="S2")
    value(yearly, year(2024), "11")  # the whole year 2024-2025 sums it up
    value(yearly, year(2025), "12")  # a later year: this one stands
    value(yearly, year(2025), "13", department=school["civil"])  # another scope: its own row

    snapshot = process_performance(datetime.date(2025, 1, 1), datetime.date(2026, 8, 31))

    rows = snapshot["tables"][0]["rows"]
    # By process, indicator, then scope ("department:…" before "school").
    assert [(row[1].split()[0], row[2], row[4]) for row in rows] == [
        ("IND-M", "November 2025", "95"),
        ("IND-Y", "2025-2026", "13"),
        ("IND-Y", "2025-2026", "12"),
    ]
    # The lights count the rows: IND-M on target, the others without a target.
    counts = {figure["label"]: figure["value"] for figure in snapshot["figures"]}
    assert counts[str(Light.ON_TARGET.label)] == 1 and counts[str(Light.UNKNOWN.label)] == 2
    assert snapshot["summary"].startswith("0 indicators beyond their alert threshold, 1 on target, out of 3")

"""The management review input of the risks app (ISO 9001 9.3.2 e)), compiled from risks and
actions built here and compared with figures counted by hand."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from amelio.core.registry import review_inputs
from amelio.improvement.choices import ActionStatus
from amelio.improvement.tests.factories import ActionFactory
from amelio.risks.choices import RiskStatus, Treatment
from amelio.risks.review_inputs import risk_treatment_effectiveness

from .factories import RiskFactory

pytestmark = pytest.mark.django_db

PERIOD = (datetime.date(2026, 1, 1), datetime.date(2026, 6, 30))


def test_it_is_registered_under_its_clause() -> None:
    assert {entry.key: entry.clause for entry in review_inputs()}["risks.treatment_effectiveness"] == "9.3.2 e)"


def test_reviews_scores_and_actions_of_the_period(school: dict[str, Any]) -> None:
    process = school["process_civil"]
    on_time = ActionFactory(
        status=ActionStatus.DONE, completed_on=datetime.date(2026, 2, 1), due_on=datetime.date(2026, 3, 1)
    )
    late = ActionFactory(
        status=ActionStatus.DONE, completed_on=datetime.date(2026, 5, 1), due_on=datetime.date(2026, 4, 1)
    )
    planned = ActionFactory(status=ActionStatus.PLANNED)
    before_period = ActionFactory(
        status=ActionStatus.DONE, completed_on=datetime.date(2025, 11, 1), due_on=datetime.date(2025, 12, 1)
    )
    first = RiskFactory(
        reference="RI-1",
        process=process,
        likelihood=3,
        impact=4,
        treatment=Treatment.REDUCE,
        residual_likelihood=1,
        residual_impact=2,
        last_reviewed_on=datetime.date(2026, 3, 1),
    )
    first.actions.set([on_time, late, planned])
    second = RiskFactory(
        reference="RI-2",
        process=process,
        status=RiskStatus.TREATED,
        likelihood=2,
        impact=5,
        treatment=Treatment.REDUCE,
        residual_likelihood=2,
        residual_impact=2,
        last_reviewed_on=datetime.date(2025, 10, 1),
    )
    second.actions.set([on_time, before_period])  # the shared action counts once
    RiskFactory(
        reference="RI-3",
        process=process,
        status=RiskStatus.CLOSED,
        closing_reason="Maîtrisé.",
        likelihood=4,
        impact=4,
        last_reviewed_on=datetime.date(2026, 6, 1),
    )
    RiskFactory(  # closed before the period, untouched in it: left out
        reference="RI-4",
        process=process,
        status=RiskStatus.CLOSED,
        closing_reason="Sans objet.",
        last_reviewed_on=datetime.date(2025, 1, 1),
    )

    snapshot = risk_treatment_effectiveness(*PERIOD)

    # By hand: RI-1 and RI-3 reviewed in the period; RI-1 (12 → 2) and RI-2 (10 → 4) treated:
    # 11.0 on average before, 3.0 after; two actions done in the period, one on time.
    assert [figure["value"] for figure in snapshot["figures"]] == [2, 2, 11.0, 3.0, 2, 1]
    rows = snapshot["tables"][0]["rows"]
    assert [row[0] for row in rows] == ["RI-1", "RI-2", "RI-3"]
    assert rows[0][6:9] == [12, 2, "2/3"]
    assert rows[1][8] == "2/2" and rows[2][7] == ""


def test_an_empty_register_compiles_to_zeros() -> None:
    snapshot = risk_treatment_effectiveness(*PERIOD)
    assert [figure["value"] for figure in snapshot["figures"]] == [0, 0, "", "", 0, 0]
    assert snapshot["tables"][0]["rows"] == []

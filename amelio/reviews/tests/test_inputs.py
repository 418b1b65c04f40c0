"""Each input of the management review compiled against records built here, with figures
computed by hand."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from amelio.improvement.choices import ActionKind, ActionStatus, ItemStatus, Origin
from amelio.improvement.review_inputs import feedback, nonconformities, opportunities
from amelio.improvement.tests.factories import ActionFactory, ImprovementItemFactory
from amelio.internships.choices import EvaluationKind, InternshipStatus
from amelio.internships.models import Evaluation
from amelio.internships.review_inputs import internships_hosted
from amelio.organisation.tests.factories import ProgrammeFactory
from amelio.partners.choices import AgreementStatus
from amelio.partners.review_inputs import teaching_by_professionals
from amelio.partners.tests.factories import (
    AgreementFactory,
    CompanyFactory,
    ContactFactory,
    InterventionFactory,
    academic_year,
    hosted_internship,
)
from amelio.processes.models import ContextIssue, InterestedParty
from amelio.processes.review_inputs import context_changes
from amelio.reviews.choices import DecisionKind, ReviewStatus
from amelio.reviews.models import ReviewDecision
from amelio.reviews.review_inputs import adequacy_of_resources, previous_decisions

from .factories import review_of

START, END = datetime.date(2025, 9, 1), datetime.date(2026, 8, 31)
D = datetime.date


def figures(snapshot: dict[str, Any]) -> list[Any]:
    return [figure["value"] for figure in snapshot["figures"]]


def item(school: dict[str, Any], origin: str, raised_on: datetime.date, **fields: Any) -> Any:
    return ImprovementItemFactory(origin=origin, raised_on=raised_on, raised_by=school["student"], **fields)


def test_nonconformities_and_corrective_actions(school: dict[str, Any]) -> None:
    civil = school["process_civil"]
    item(school, Origin.NONCONFORMITY, D(2025, 10, 1), severity="major", process=civil)
    item(
        school,
        Origin.NONCONFORMITY,
        D(2026, 2, 1),
        severity="minor",
        process=civil,
        status=ItemStatus.CLOSED_EFFECTIVE,
        closed_on=D(2026, 3, 1),
    )
    # Raised before the period, closed in it: counted as closed, not as raised.
    item(school, Origin.NONCONFORMITY, D(2024, 5, 1), status=ItemStatus.CLOSED_EFFECTIVE, closed_on=D(2025, 11, 1))
    item(school, Origin.COMPLAINT, D(2026, 1, 1), complainant_kind="student")  # not a nonconformity
    owner = school["head_civil"]
    ActionFactory(owner=owner, status=ActionStatus.DONE, completed_on=D(2026, 1, 10))
    ActionFactory(owner=owner, status=ActionStatus.DONE, completed_on=D(2024, 1, 1))  # done before
    ActionFactory(owner=owner, status=ActionStatus.PLANNED, due_on=D(2026, 5, 1))  # late
    ActionFactory(owner=owner, status=ActionStatus.IN_PROGRESS, due_on=D(2027, 1, 1))  # due after the period
    ActionFactory(owner=owner, kind=ActionKind.IMPROVEMENT, status=ActionStatus.PLANNED, due_on=D(2026, 1, 1))

    snapshot = nonconformities(START, END)

    # raised 2 (1 major), closed 2, corrective actions done 1, late 1.
    assert figures(snapshot) == [2, 1, 2, 1, 1]
    assert snapshot["charts"][0]["labels"] == ["R-GC"] and snapshot["charts"][0]["series"][0]["values"] == [2]
    assert len(snapshot["tables"][0]["rows"]) == 2


def test_complaints_and_suggestions_as_feedback(school: dict[str, Any]) -> None:
    item(school, Origin.COMPLAINT, D(2025, 12, 1), complainant_kind="student")
    item(
        school,
        Origin.COMPLAINT,
        D(2026, 3, 1),
        complainant_kind="company",
        status=ItemStatus.CLOSED_EFFECTIVE,
        closed_on=D(2026, 4, 1),
    )
    item(school, Origin.COMPLAINT, D(2025, 1, 1), complainant_kind="student")  # before the period
    item(school, Origin.SUGGESTION, D(2026, 1, 1))
    item(school, Origin.SUGGESTION, D(2024, 1, 1))

    snapshot = feedback(START, END)

    assert figures(snapshot) == [2, 1, 1]
    chart = snapshot["charts"][0]
    assert chart["labels"] == ["student", "company"] and chart["series"][0]["values"] == [1, 1]


def test_opportunities_for_improvement(school: dict[str, Any]) -> None:
    item(school, Origin.OPPORTUNITY, D(2026, 4, 1))
    item(school, Origin.OPPORTUNITY, D(2023, 4, 1))
    owner = school["head_civil"]
    ActionFactory(owner=owner, kind=ActionKind.IMPROVEMENT, status=ActionStatus.DONE, completed_on=D(2026, 2, 2))
    ActionFactory(owner=owner, kind=ActionKind.CORRECTIVE, status=ActionStatus.DONE, completed_on=D(2026, 2, 2))

    snapshot = opportunities(START, END)

    assert figures(snapshot) == [1, 1]
    assert [row[1] for row in snapshot["tables"][0]["rows"]] == [
        ImprovementItemFactory._meta.model.objects.get(raised_on=D(2026, 4, 1)).title
    ]


def test_changes_in_context_issues_and_interested_parties(school: dict[str, Any]) -> None:
    ContextIssue.objects.create(
        title="Baisse des candidatures", origin="internal", effect="negative", reviewed_on=D(2026, 1, 15)
    )
    ContextIssue.objects.create(
        title="Nouveau label", origin="external", effect="positive", is_active=False, reviewed_on=D(2026, 2, 1)
    )
    ContextIssue.objects.create(title="Réforme", origin="external", effect="negative", reviewed_on=D(2024, 1, 1))
    ContextIssue.objects.create(title="Campus neuf", origin="internal", effect="positive")
    for name, relevance in (("Étudiants", "high"), ("Entreprises", "high"), ("Familles", "low")):
        InterestedParty.objects.create(name=name, category="other", needs="—", relevance=relevance)

    snapshot = context_changes(START, END)

    # reviewed in the period 2 (1 no longer relevant); relevant now 3; high relevance 2 of 3.
    assert figures(snapshot) == [2, 1, 3, 2]
    assert snapshot["figures"][3]["note"] == "of 3"
    assert snapshot["tables"][0]["rows"] == [["internal", 1, 1], ["external", 0, 1]]
    assert [row[0] for row in snapshot["tables"][1]["rows"]] == ["Nouveau label", "Baisse des candidatures"]


def test_teaching_by_professionals(school: dict[str, Any]) -> None:
    this_year, old_year = academic_year(2025), academic_year(2023)
    speaker = ContactFactory(is_speaker=True, company=CompanyFactory(legal_name="Bâtisseurs SA"))
    InterventionFactory(speaker=speaker, academic_year=this_year, planned_hours=Decimal(10), delivered_hours=8)
    InterventionFactory(speaker=speaker, academic_year=this_year, planned_hours=Decimal(6), delivered_hours=6)
    other = ContactFactory(is_speaker=True, company=CompanyFactory(legal_name="Watt SARL"))
    InterventionFactory(speaker=other, academic_year=this_year, planned_hours=Decimal(4), delivered_hours=0)
    InterventionFactory(speaker=other, academic_year=old_year, planned_hours=Decimal(20), delivered_hours=20)
    AgreementFactory(status=AgreementStatus.ACTIVE, starts_on=D(2026, 1, 1), ends_on=D(2028, 12, 31))
    AgreementFactory(status=AgreementStatus.DRAFT, starts_on=D(2026, 1, 1), ends_on=D(2028, 12, 31))
    AgreementFactory(status=AgreementStatus.EXPIRED, starts_on=D(2020, 1, 1), ends_on=D(2023, 12, 31))

    snapshot = teaching_by_professionals(START, END)

    # delivered 8 + 6 + 0 = 14 of 10 + 6 + 4 = 20 planned: 70 %; 2 speakers; 1 agreement in force.
    assert figures(snapshot) == [14.0, 20.0, 70, 2, 1]
    assert snapshot["tables"][0]["rows"] == [["Bâtisseurs SA", 16.0, 14.0], ["Watt SARL", 4.0, 0.0]]


def test_internships_hosted_and_tutor_evaluations(school: dict[str, Any]) -> None:
    programme = ProgrammeFactory(department=school["civil"])
    year, old_year = academic_year(2025), academic_year(2023)  # this year's start on 2026-03-20
    alpha, beta = CompanyFactory(legal_name="Alpha"), CompanyFactory(legal_name="Beta")
    tutor, student = EvaluationKind.COMPANY_TUTOR, EvaluationKind.STUDENT
    hosted_internship(company=alpha, programme=programme, year=year, scores={tutor: Decimal(4), student: Decimal(3)})
    hosted_internship(
        company=alpha, programme=programme, year=year, status=InternshipStatus.UNDER_WAY, scores={tutor: Decimal(5)}
    )
    hosted_internship(
        company=beta,
        programme=programme,
        year=year,
        status=InternshipStatus.EVALUATED,
        scores={tutor: Decimal("3.5"), student: Decimal("4.5")},
    )
    hosted_internship(company=beta, programme=programme, year=year, status=InternshipStatus.CANCELLED)
    old = hosted_internship(company=beta, programme=programme, year=old_year, scores={tutor: Decimal(1)})
    Evaluation.objects.update(submitted_at=datetime.datetime(2026, 5, 1, 12, tzinfo=datetime.UTC))
    Evaluation.objects.filter(internship=old).update(submitted_at=datetime.datetime(2024, 6, 1, tzinfo=datetime.UTC))

    snapshot = internships_hosted(START, END)

    # 3 hosted by 2 companies; tutors (4 + 5 + 3.5) / 3 = 4.17 → 4.2; students (3 + 4.5) / 2 = 3.75 → 3.8.
    assert figures(snapshot) == [3, 2, 4.2, 3.8]
    assert snapshot["tables"][0]["rows"] == [["Alpha", 2, 4.5, 3.0], ["Beta", 1, 3.5, 4.5]]
    assert snapshot["charts"][0]["series"][0]["values"] == [2, 1]


def test_status_of_actions_decided_by_previous_reviews(school: dict[str, Any]) -> None:
    last_year = review_of(school, status=ReviewStatus.APPROVED, starts_on=D(2024, 9, 1), ends_on=D(2025, 8, 31))
    this_year = review_of(school, status=ReviewStatus.COMPILED, starts_on=START, ends_on=END)
    owner = school["head_civil"]
    for status, due_on, extra in (
        (ActionStatus.DONE, D(2025, 12, 1), {"completed_on": D(2025, 11, 1)}),
        (ActionStatus.PLANNED, D(2026, 3, 1), {}),  # late at the end of the period
        (ActionStatus.IN_PROGRESS, D(2027, 1, 1), {}),
        (ActionStatus.CANCELLED, D(2026, 1, 1), {"cancellation_reason": "Abandonné"}),
    ):
        action = ActionFactory(owner=owner, kind=ActionKind.IMPROVEMENT, status=status, due_on=due_on, **extra)
        ReviewDecision.objects.create(review=last_year, kind=DecisionKind.IMPROVEMENT, text="Décision", action=action)
    # A decision of this period's review is not a previous one.
    ReviewDecision.objects.create(
        review=this_year, kind=DecisionKind.RESOURCES, text="Recruter", action=ActionFactory(owner=owner)
    )

    snapshot = previous_decisions(START, END)

    # 4 decided; 1 done (25 %); 2 planned or under way; 1 late; 1 cancelled.
    assert figures(snapshot) == [4, 1, 2, 1, 1]
    assert snapshot["figures"][1]["note"] == "25 %"
    assert snapshot["charts"][0]["series"][0]["values"] == [1, 1, 1, 1]
    assert all(row[0] == last_year.reference for row in snapshot["tables"][0]["rows"])


def test_adequacy_of_resources_has_no_figure_but_asks_for_a_note(school: dict[str, Any]) -> None:
    snapshot = adequacy_of_resources(START, END)
    assert "figures" not in snapshot and "note" in snapshot["summary"]

"""The services of the risk register: recording, editing with the version read, the scale,
reviews, planned actions, and every refused input with its message on its field."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from amelio.core.concurrency import EditConflict, version_of
from amelio.history.models import HistoryEntry
from amelio.improvement.choices import ActionKind
from amelio.improvement.tests.factories import ActionFactory
from amelio.risks import services
from amelio.risks.choices import RiskKind, RiskStatus, Treatment
from amelio.risks.models import Risk, RiskScale
from amelio.risks.selectors import scale_maximum

from .factories import RiskFactory, risk_data

pytestmark = pytest.mark.django_db


def history_of(risk: Risk) -> list[HistoryEntry]:
    return list(HistoryEntry.objects.filter(object_id=str(risk.pk), content_type__model="risk").order_by("id"))


def test_a_risk_is_recorded_open_with_its_score_reference_and_history(school: dict[str, Any]) -> None:
    risk = services.risk_create(actor=school["teacher"], data=risk_data(school))
    risk.refresh_from_db()
    assert risk.status == RiskStatus.OPEN
    assert risk.score == 15 and risk.residual_score is None
    assert risk.reference == f"RI-{timezone.localdate().year}-0001"
    assert risk.created_by == school["teacher"]
    entry = history_of(risk)[0]
    assert entry.actor == school["teacher"] and entry.changes["likelihood"] == ["", "3"]
    opportunity = services.risk_create(
        actor=school["quality_manager"], data=risk_data(school, kind=RiskKind.OPPORTUNITY, title="Mécénat")
    )
    assert opportunity.reference.startswith("OP-")


def test_the_score_follows_its_factors_on_every_change(school: dict[str, Any]) -> None:
    risk = services.risk_create(actor=school["teacher"], data=risk_data(school))
    services.risk_update(
        actor=school["teacher"],
        risk=risk,
        data={"likelihood": 2, "treatment": Treatment.REDUCE, "residual_likelihood": 1, "residual_impact": 3},
    )
    risk.refresh_from_db()
    assert (risk.score, risk.residual_score) == (10, 3)
    assert Risk.objects.filter(score=10, residual_score=3).count() == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [("likelihood", 6), ("impact", 0), ("residual_likelihood", 9), ("residual_impact", 6)],
)
def test_a_value_outside_the_scale_is_refused_on_its_field(school: dict[str, Any], field: str, value: int) -> None:
    data = risk_data(school, residual_likelihood=1, residual_impact=1)
    data[field] = value
    with pytest.raises(ValidationError) as refused:
        services.risk_create(actor=school["teacher"], data=data)
    assert refused.value.message_dict[field] == ["Give a value from 1 to 5 (the school's scale)."]
    assert not Risk.objects.exists()


def test_on_a_scale_of_four_five_is_refused(school: dict[str, Any]) -> None:
    services.risk_scale_update(actor=school["quality_manager"], maximum=4)
    assert scale_maximum() == 4
    with pytest.raises(ValidationError) as refused:
        services.risk_create(actor=school["teacher"], data=risk_data(school, impact=5))
    assert refused.value.message_dict["impact"] == ["Give a value from 1 to 4 (the school's scale)."]


def test_half_a_residual_score_is_refused(school: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as refused:
        services.risk_create(actor=school["teacher"], data=risk_data(school, residual_likelihood=2))
    assert refused.value.message_dict["residual_impact"] == [
        "Give both the residual likelihood and the residual impact, or neither."
    ]


def test_a_treatment_of_the_other_kind_is_refused(school: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as refused:
        services.risk_create(actor=school["teacher"], data=risk_data(school, treatment=Treatment.EXPLOIT))
    assert refused.value.message_dict["treatment"] == [
        "For the kind “risk”, choose one of: accept, reduce, transfer, avoid."
    ]
    risk = services.risk_create(actor=school["teacher"], data=risk_data(school, treatment=Treatment.TRANSFER))
    with pytest.raises(ValidationError) as refused:
        services.risk_update(actor=school["teacher"], risk=risk, data={"kind": RiskKind.OPPORTUNITY})
    assert refused.value.message_dict["treatment"][0].startswith("For the kind “opportunity”, choose one of: accept,")


def test_an_edit_against_a_newer_version_is_refused(school: dict[str, Any]) -> None:
    risk = services.risk_create(actor=school["teacher"], data=risk_data(school))
    version = version_of(risk, Risk.editable_fields)
    services.risk_update(actor=school["quality_manager"], risk=Risk.objects.get(pk=risk.pk), data={"impact": 2})
    with pytest.raises(EditConflict):
        services.risk_update(actor=school["teacher"], risk=risk, data={"title": "Autre"}, version=version)
    risk.refresh_from_db()
    assert risk.title == "Chantier école sans encadrant" and risk.impact == 2


def test_status_and_score_are_not_editable(school: dict[str, Any]) -> None:
    risk = services.risk_create(actor=school["teacher"], data=risk_data(school))
    for data in ({"status": RiskStatus.CLOSED}, {"reminder_sent_for": timezone.localdate()}):
        with pytest.raises(ValidationError, match="cannot be changed here"):
            services.risk_update(actor=school["teacher"], risk=risk, data=data)
    risk.refresh_from_db()
    assert risk.status == RiskStatus.OPEN


def test_a_closed_risk_is_not_edited(school: dict[str, Any]) -> None:
    risk = RiskFactory(process=school["process_civil"], status=RiskStatus.CLOSED, closing_reason="Fin")
    with pytest.raises(ValidationError, match="A closed risk cannot be changed"):
        services.risk_update(actor=school["quality_manager"], risk=risk, data={"title": "X"})


def test_the_scale_cannot_shrink_below_the_values_in_use(school: dict[str, Any]) -> None:
    RiskFactory(process=school["process_civil"], likelihood=2, impact=2, residual_likelihood=5, residual_impact=1)
    with pytest.raises(ValidationError) as refused:
        services.risk_scale_update(actor=school["quality_manager"], maximum=4)
    message = refused.value.message_dict["maximum"][0]
    assert message.startswith("1 risk uses values above 4 (RI-2026-") and "lower them" in message
    assert scale_maximum() == 5
    Risk.objects.update(residual_likelihood=4)
    changes = services.risk_scale_update(actor=school["quality_manager"], maximum=4)
    assert changes == {"maximum": ["5", "4"]}
    assert RiskScale.objects.get().maximum == 4


def test_a_review_sets_the_dates_and_keeps_what_was_found(school: dict[str, Any]) -> None:
    risk = RiskFactory(process=school["process_civil"], owner=school["office"])
    next_review = timezone.localdate() + datetime.timedelta(days=120)
    services.risk_review(actor=school["office"], risk=risk, next_review_on=next_review, note="Rien de neuf")
    risk.refresh_from_db()
    assert risk.last_reviewed_on == timezone.localdate() and risk.review_on == next_review
    entry = history_of(risk)[-1]
    assert entry.reason == "Rien de neuf" and entry.actor == school["office"]
    with pytest.raises(ValidationError) as refused:
        services.risk_review(actor=school["office"], risk=risk, next_review_on=timezone.localdate())
    assert refused.value.message_dict["next_review_on"] == ["The next review comes after today."]


def test_a_closed_risk_is_not_reviewed(school: dict[str, Any]) -> None:
    risk = RiskFactory(process=school["process_civil"], status=RiskStatus.CLOSED, closing_reason="Fin")
    with pytest.raises(ValidationError, match="not reviewed"):
        services.risk_review(
            actor=school["quality_manager"], risk=risk, next_review_on=timezone.localdate() + datetime.timedelta(1)
        )


def test_an_action_is_planned_through_improvement_and_linked(school: dict[str, Any]) -> None:
    risk = RiskFactory(process=school["process_civil"])
    action = services.risk_plan_action(
        actor=school["teacher"],
        risk=risk,
        data={
            "kind": ActionKind.PREVENTIVE,
            "title": "Double encadrement",
            "description": "",
            "owner": school["head_civil"],
            "due_on": timezone.localdate() + datetime.timedelta(days=30),
        },
    )
    assert list(risk.actions.all()) == [action]
    assert action.process == school["process_civil"] and action.department == school["civil"]
    assert history_of(risk)[-1].changes == {"actions": ["", "Double encadrement"]}


def test_existing_actions_are_linked_by_editing(school: dict[str, Any]) -> None:
    risk = RiskFactory(process=school["process_civil"])
    action = ActionFactory(owner=school["teacher"])
    services.risk_update(actor=school["teacher"], risk=risk, data={"actions": [action]})
    assert list(risk.actions.all()) == [action]


def test_moving_a_risk_to_a_process_one_does_not_manage_is_refused(school: dict[str, Any]) -> None:
    from django.core.exceptions import PermissionDenied

    risk = RiskFactory(process=school["process_civil"])
    with pytest.raises(PermissionDenied):
        services.risk_update(actor=school["teacher"], risk=risk, data={"process": school["process_electrical"]})
    risk.refresh_from_db()
    assert risk.process == school["process_civil"]

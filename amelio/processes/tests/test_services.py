"""Services of the process map: validation, history, statements' versions."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from amelio.history.choices import HistoryAction
from amelio.history.models import HistoryEntry
from amelio.processes import services
from amelio.processes.choices import StatementKind
from amelio.processes.models import Activity, Process, ProcessInteraction, RaciAssignment, Statement
from amelio.standards.models import Clause

pytestmark = pytest.mark.django_db


def test_process_create_records_fields_interactions_and_clauses(school: dict[str, Any]) -> None:
    qm = school["quality_manager"]
    clauses = list(Clause.objects.filter(number__in=["8.5", "8.2"]))
    process = services.process_create(
        actor=qm,
        data={
            "code": "R-10",
            "name": "Accompagner les élèves",
            "kind": "realisation",
            "purpose": "Faire réussir chaque élève.",
            "owner": school["teacher"],
            "interacts_with": [school["process_school"]],
            "clauses": clauses,
        },
    )
    assert list(process.interacts_with.all()) == [school["process_school"]]
    entry = HistoryEntry.objects.get(object_id=str(process.pk), action=HistoryAction.CREATE)
    assert entry.changes["code"] == ["", "R-10"]
    assert "M-01" in entry.changes["interacts_with"][1]
    assert "8.2" in entry.changes["clauses"][1] and "8.5" in entry.changes["clauses"][1]


def test_process_update_records_old_and_new_values_with_reason(school: dict[str, Any]) -> None:
    process = school["process_civil"]
    services.process_update(
        actor=school["quality_manager"],
        process=process,
        data={"name": "Projets de génie civil et urbain", "owner": school["head_civil"]},
        reason="Revue de processus 2026",
    )
    entry = HistoryEntry.objects.get(object_id=str(process.pk), action=HistoryAction.UPDATE)
    assert entry.changes["name"] == ["Projets de génie civil", "Projets de génie civil et urbain"]
    assert entry.changes["owner"] == [str(school["teacher"]), str(school["head_civil"])]
    assert entry.reason == "Revue de processus 2026"


def test_saving_unchanged_values_writes_no_history(school: dict[str, Any]) -> None:
    process = school["process_civil"]
    before = HistoryEntry.objects.count()
    assert services.process_update(actor=school["quality_manager"], process=process, data={"name": process.name}) == {}
    assert HistoryEntry.objects.count() == before


def test_a_process_cannot_interact_with_itself(school: dict[str, Any]) -> None:
    process = school["process_civil"]
    with pytest.raises(ValidationError) as error:
        services.process_update(actor=school["quality_manager"], process=process, data={"interacts_with": [process]})
    assert error.value.message_dict["interacts_with"] == ["A process cannot interact with itself."]
    assert not ProcessInteraction.objects.filter(source=process).exists()


def test_the_database_also_refuses_a_self_interaction(school: dict[str, Any]) -> None:
    process = school["process_civil"]
    with pytest.raises(IntegrityError), transaction.atomic():
        ProcessInteraction.objects.create(source=process, target=process)


def test_duplicate_process_code_is_named(school: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as error:
        services.process_create(
            actor=school["quality_manager"],
            data={"code": "R-GC", "name": "Doublon", "kind": "realisation", "purpose": "x", "owner": school["teacher"]},
        )
    assert "code" in error.value.message_dict
    assert Process.objects.filter(code="R-GC").count() == 1


def test_activities_and_raci_are_recorded_on_the_process(school: dict[str, Any]) -> None:
    owner = school["teacher"]
    process = school["process_civil"]
    activity = services.activity_create(actor=owner, process=process, data={"name": "Planifier les projets"})
    assert activity.position == 1
    second = services.activity_create(actor=owner, process=process, data={"name": "Évaluer les projets"})
    assert second.position == 2
    raci = services.raci_assign(actor=owner, activity=activity, person=school["head_civil"], responsibility="A")
    with pytest.raises(ValidationError):
        services.raci_assign(actor=owner, activity=activity, person=school["head_civil"], responsibility="A")
    services.raci_remove(actor=owner, assignment=raci)
    services.activity_delete(actor=owner, activity=second)
    assert list(Activity.objects.filter(process=process)) == [activity]
    assert not RaciAssignment.objects.exists()
    actions = list(
        HistoryEntry.objects.filter(object_id=str(process.pk)).order_by("id").values_list("action", flat=True)
    )
    assert actions == ["create", "create", "create", "delete", "delete"]


def test_activities_refused_out_of_scope(school: dict[str, Any]) -> None:
    with pytest.raises(PermissionDenied):
        services.activity_create(actor=school["head_civil"], process=school["process_electrical"], data={"name": "X"})
    assert not Activity.objects.exists()


def test_statement_versions_draft_then_approval(school: dict[str, Any]) -> None:
    qm, director = school["quality_manager"], school["director"]
    first = services.statement_write(actor=qm, kind=StatementKind.POLICY, text="Politique qualité v1")
    assert first.version == 1 and not first.is_approved
    with pytest.raises(ValidationError) as error:
        services.statement_write(actor=qm, kind=StatementKind.POLICY, text="Une autre")
    assert "already waiting for approval" in str(error.value)
    with pytest.raises(PermissionDenied):
        services.statement_approve(actor=qm, statement=first)  # approval is the director's
    services.statement_approve(actor=director, statement=first)
    first.refresh_from_db()
    assert first.is_approved and first.approved_by == director
    with pytest.raises(ValidationError):
        services.statement_update_draft(actor=qm, statement=first, text="Réécrite")
    with pytest.raises(ValidationError):
        services.statement_approve(actor=director, statement=first)
    second = services.statement_write(actor=qm, kind=StatementKind.POLICY, text="Politique qualité v2")
    assert second.version == 2
    assert Statement.objects.filter(kind=StatementKind.POLICY).count() == 2
    assert HistoryEntry.objects.filter(action=HistoryAction.APPROVE).count() == 1


def test_empty_statement_is_refused(school: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as error:
        services.statement_write(actor=school["quality_manager"], kind=StatementKind.SCOPE, text="   ")
    assert "text" in error.value.message_dict


def test_context_and_parties_are_managed_by_management_only(school: dict[str, Any]) -> None:
    data = {"title": "Réforme de l'apprentissage", "origin": "external", "effect": "negative"}
    issue = services.context_issue_create(actor=school["director"], data=data)
    with pytest.raises(PermissionDenied):
        services.context_issue_update(actor=school["teacher"], issue=issue, data={"title": "X"})
    party = services.interested_party_create(
        actor=school["quality_manager"], data={"name": "CTI", "category": "accreditation", "needs": "Conformité R&O"}
    )
    with pytest.raises(PermissionDenied):
        services.interested_party_update(actor=school["head_civil"], party=party, data={"name": "X"})
    issue.refresh_from_db()
    party.refresh_from_db()
    assert issue.title == "Réforme de l'apprentissage" and party.name == "CTI"

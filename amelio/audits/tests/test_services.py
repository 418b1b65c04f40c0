"""Audits: independence, checklist, findings into the improvement register with the
grade's deadline, the workflow's preconditions and the programme's coverage."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from amelio.audits import services
from amelio.audits.choices import CORRECTIVE_ACTION_DAYS, Answer, AuditStatus, Grade
from amelio.audits.models import Audit, ChecklistLine
from amelio.audits.selectors import programme_coverage, requirement_clauses
from amelio.history.models import HistoryEntry
from amelio.improvement.choices import Origin, Severity
from amelio.organisation.choices import Role
from amelio.organisation.tests.factories import PersonFactory, grant
from amelio.processes.models import Activity, RaciAssignment
from amelio.processes.tests.factories import ProcessFactory

from .factories import audit_data, audit_in, clause, external_audit, programme

pytestmark = pytest.mark.django_db


# Independence -----------------------------------------------------------------------------


def test_the_owner_of_a_process_may_not_audit_it_and_the_conflict_is_named(school: dict[str, Any]) -> None:
    count = Audit.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.audit_create(actor=school["quality_manager"], data=audit_data(school, lead_auditor=school["teacher"]))
    message = " ".join(refused.value.messages)
    assert "Théo Enseignant" in message and "R-GC" in message and "own" in message
    assert Audit.objects.count() == count


def test_a_process_owner_by_role_a_raci_member_and_a_department_member_are_refused(school: dict[str, Any]) -> None:
    by_role = PersonFactory(first_name="Paul", last_name="Pilote")
    grant(by_role, Role.PROCESS_OWNER, school["process_civil"])
    in_raci = PersonFactory(first_name="Rita", last_name="Raci")
    activity = Activity.objects.create(process=school["process_civil"], name="Suivre les chantiers")
    RaciAssignment.objects.create(activity=activity, person=in_raci, responsibility="R")
    colleague = PersonFactory(first_name="Carla", last_name="Collègue", department=school["civil"])
    with pytest.raises(ValidationError) as refused:
        services.audit_create(
            actor=school["quality_manager"],
            data=audit_data(school, team=[by_role, in_raci, colleague]),
        )
    messages = refused.value.message_dict["team"]
    assert any("Paul Pilote" in m and "own" in m for m in messages)
    assert any("Rita Raci" in m and "RACI" in m for m in messages)
    assert any("Carla Collègue" in m and "department" in m for m in messages)
    assert not Audit.objects.exists()


def test_an_auditor_of_the_audited_department_is_refused_on_update_too(school: dict[str, Any]) -> None:
    audit = audit_in(school)
    with pytest.raises(ValidationError) as refused:
        services.audit_update(
            actor=school["quality_manager"], audit=audit, data={"departments": [school["electrical"]]}
        )
    assert "Hélène Électrique" in " ".join(refused.value.messages)
    audit.refresh_from_db()
    assert list(audit.departments.all()) == []


def test_an_independent_auditor_is_accepted_and_the_checklist_generated(school: dict[str, Any]) -> None:
    audit = services.audit_create(actor=school["quality_manager"], data=audit_data(school))
    assert audit.reference.startswith("AI-2026-")
    questions = list(audit.checklist.order_by("position").values_list("clause__number", "process__code"))
    # One line per requirement in scope, in the standard's order, then one per process.
    assert questions == [("7.5", None), ("8.5", None), (None, "R-GC")]


def test_the_checklist_follows_the_scope_and_keeps_answered_lines(school: dict[str, Any]) -> None:
    audit = audit_in(school, status=AuditStatus.IN_PROGRESS)
    line_75 = audit.checklist.get(clause__number="7.5")
    services.checklist_answer(actor=school["head_electrical"], line=line_75, answer=Answer.CONFORM, note="Vu")
    services.audit_update(actor=school["quality_manager"], audit=audit, data={"clauses": [clause("9.1")]})
    numbers = set(audit.checklist.values_list("clause__number", flat=True))
    assert numbers == {"7.5", "9.1", None}  # 7.5 answered stays, 8.5 unanswered goes, 9.1 comes


# Checklist answers ------------------------------------------------------------------------------


def test_an_answer_is_refused_outside_the_audit_and_a_nonconformity_needs_what_was_seen(
    school: dict[str, Any],
) -> None:
    audit = audit_in(school)
    line = audit.checklist.first()
    with pytest.raises(ValidationError, match="in progress"):
        services.checklist_answer(actor=school["head_electrical"], line=line, answer=Answer.CONFORM)
    Audit.objects.filter(pk=audit.pk).update(status=AuditStatus.IN_PROGRESS)
    line = ChecklistLine.objects.select_related("audit").get(pk=line.pk)
    with pytest.raises(ValidationError) as refused:
        services.checklist_answer(actor=school["head_electrical"], line=line, answer=Answer.NOT_CONFORM)
    assert "note" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.checklist_answer(actor=school["head_electrical"], line=line, answer="maybe")
    services.checklist_answer(actor=school["head_electrical"], line=line, answer=Answer.NOT_CONFORM, note="Absent")
    line.refresh_from_db()
    assert (line.answer, line.note, line.answered_by) == (Answer.NOT_CONFORM, "Absent", school["head_electrical"])


# Findings into the improvement register ------------------------------------------------------------


@pytest.mark.parametrize(
    ("grade", "origin", "severity", "days"),
    [
        (Grade.MAJOR_NONCONFORMITY, Origin.NONCONFORMITY, Severity.MAJOR, 90),
        (Grade.MINOR_NONCONFORMITY, Origin.NONCONFORMITY, Severity.MINOR, 180),
        (Grade.OPPORTUNITY, Origin.OPPORTUNITY, "", 365),
    ],
)
def test_a_finding_becomes_an_item_with_the_deadline_its_grade_implies(
    school: dict[str, Any], grade: str, origin: str, severity: str, days: int
) -> None:
    audit = audit_in(school, status=AuditStatus.IN_PROGRESS)
    finding = services.finding_record(
        actor=school["head_electrical"],
        audit=audit,
        data={
            "grade": grade,
            "statement": "Revues de projet non tracées",
            "evidence": "3 projets sur 5 sans compte rendu de revue",
            "requirement": "ISO 9001 8.3.4",
            "clause": clause("8.3"),
            "process": school["process_civil"],
        },
    )
    assert finding.number == 1
    item = services.finding_raise_item(actor=school["head_electrical"], finding=finding)
    assert CORRECTIVE_ACTION_DAYS[grade] == days
    # Hand-computed: the audit ends on 11 March 2026.
    assert item.due_on == datetime.date(2026, 3, 11) + datetime.timedelta(days=days)
    assert (item.origin, item.severity, item.process) == (origin, severity, school["process_civil"])
    assert list(item.clauses.values_list("number", flat=True)) == ["8.3"]
    finding.refresh_from_db()
    assert finding.improvement_item == item and item.audit_finding == finding  # both ways
    with pytest.raises(ValidationError, match="already"):
        services.finding_raise_item(actor=school["head_electrical"], finding=finding)


def test_a_strength_does_not_become_an_item(school: dict[str, Any]) -> None:
    audit = audit_in(school, status=AuditStatus.IN_PROGRESS)
    finding = services.finding_record(
        actor=school["head_electrical"],
        audit=audit,
        data={"grade": Grade.STRENGTH, "statement": "Bon suivi", "evidence": "Tableau", "requirement": "9.1"},
    )
    with pytest.raises(ValidationError, match="Only a nonconformity"):
        services.finding_raise_item(actor=school["head_electrical"], finding=finding)


def test_findings_are_recorded_only_while_the_audit_runs_and_need_evidence(school: dict[str, Any]) -> None:
    audit = audit_in(school)
    data = {"grade": Grade.OBSERVATION, "statement": "Obs", "evidence": "Vu", "requirement": "7.5"}
    with pytest.raises(ValidationError, match="in progress"):
        services.finding_record(actor=school["head_electrical"], audit=audit, data=data)
    Audit.objects.filter(pk=audit.pk).update(status=AuditStatus.IN_PROGRESS)
    audit.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        services.finding_record(actor=school["head_electrical"], audit=audit, data={**data, "evidence": ""})
    assert "evidence" in refused.value.message_dict
    assert not audit.findings.exists()


# The workflow's preconditions ----------------------------------------------------------------------


def test_the_report_needs_a_conclusion_and_every_line_answered(school: dict[str, Any]) -> None:
    audit = audit_in(school, status=AuditStatus.IN_PROGRESS)
    lead = school["head_electrical"]
    with pytest.raises(ValidationError, match="Answer every line"):
        services.audit_report(actor=lead, audit=audit, conclusion="Système efficace")
    with pytest.raises(ValidationError):
        services.audit_report(actor=lead, audit=audit, conclusion="  ")
    for line in audit.checklist.select_related("audit"):
        services.checklist_answer(actor=lead, line=line, answer=Answer.CONFORM)
    services.audit_report(actor=lead, audit=audit, conclusion="Système efficace")
    audit.refresh_from_db()
    assert audit.status == AuditStatus.REPORTED and audit.conclusion == "Système efficace"


def test_closing_waits_for_every_nonconformity_in_the_register(school: dict[str, Any]) -> None:
    audit = audit_in(school, status=AuditStatus.IN_PROGRESS)
    finding = services.finding_record(
        actor=school["head_electrical"],
        audit=audit,
        data={"grade": Grade.MINOR_NONCONFORMITY, "statement": "NC", "evidence": "Vu", "requirement": "7.5"},
    )
    Audit.objects.filter(pk=audit.pk).update(status=AuditStatus.REPORTED, conclusion="Fin")
    audit.refresh_from_db()
    with pytest.raises(ValidationError, match="findings 1"):
        services.audit_close(actor=school["quality_manager"], audit=audit)
    services.finding_raise_item(actor=school["quality_manager"], finding=finding)
    services.audit_close(actor=school["quality_manager"], audit=audit)
    audit.refresh_from_db()
    assert audit.status == AuditStatus.CLOSED


def test_an_external_audit_records_the_bodys_findings_by_the_quality_manager(school: dict[str, Any]) -> None:
    audit = external_audit(school)
    assert audit.reference.startswith("AE-2026-") and audit.is_external
    with pytest.raises(ValidationError):
        services.audit_create(actor=None, data={**audit_data(school), "lead_auditor": None}, kind="surveillance")
    services.audit_start(actor=school["quality_manager"], audit=audit)
    finding = services.finding_record(
        actor=school["quality_manager"],
        audit=audit,
        data={"grade": Grade.MINOR_NONCONFORMITY, "statement": "Revue", "evidence": "CR", "requirement": "9.3"},
    )
    services.audit_report(actor=school["quality_manager"], audit=audit, conclusion="Maintien recommandé")
    item = services.finding_raise_item(actor=school["quality_manager"], finding=finding)
    assert item.due_on == datetime.date(2026, 5, 5) + datetime.timedelta(days=180)


# The programme's coverage ---------------------------------------------------------------------------


def test_the_programme_coverage_is_computed_against_the_audits_of_the_cycle(school: dict[str, Any]) -> None:
    school["process_civil"].clauses.set([clause("8.1"), clause("8.5")])
    year = programme(starts_on=datetime.date(2025, 9, 1))
    # Reported two years ago: within the three-year cycle that ends on 31 August 2026.
    done = audit_in(
        school,
        status=AuditStatus.REPORTED,
        starts_on=datetime.date(2024, 3, 1),
        ends_on=datetime.date(2024, 3, 1),
        clauses=[clause("7.5"), clause("9")],
    )
    # Planned in the programme, not done, and its dates past: late.
    late = audit_in(
        school,
        programme=year,
        processes=[school["process_school"]],
        lead_auditor=school["head_civil"],
        clauses=[clause("10.2")],
        starts_on=datetime.date(2026, 1, 5),
        ends_on=datetime.date(2026, 1, 6),
    )
    # Before the cycle: does not count.
    audit_in(
        school,
        status=AuditStatus.REPORTED,
        starts_on=datetime.date(2023, 6, 1),
        ends_on=datetime.date(2023, 6, 1),
        processes=[school["process_electrical"]],
        lead_auditor=school["head_civil"],
        clauses=[clause("4.1")],
    )
    # Cancelled: does not count.
    audit_in(school, status=AuditStatus.CANCELLED, clauses=[clause("5.1")], processes=[school["process_school"]])
    coverage = programme_coverage(programme=year, today=datetime.date(2026, 2, 1))
    states = {row.subject.code: row.state for row in coverage["processes"]}
    assert states == {"R-GC": "audited", "M-01": "planned", "R-GE": "missing"}
    clause_states = {row.subject.number: row.state for row in coverage["clauses"]}
    # Hand-computed: 7.5, 9.1, 9.2, 9.3 (through 9), 8.1 and 8.5 (the
    # audited process answers them) audited; 10.2 planned; the other 21 of 28 missing.
    assert len(requirement_clauses()) == 28
    audited = {number for number, state in clause_states.items() if state == "audited"}
    assert audited == {"7.5", "8.1", "8.5", "9.1", "9.2", "9.3"}
    assert {n for n, s in clause_states.items() if s == "planned"} == {"10.2"}
    assert coverage["clause_figures"] == {
        "total": 28,
        "audited": 6,
        "planned": 1,
        "missing": 21,
        "audited_percent": 21,
        "covered_percent": 25,
    }
    assert coverage["process_figures"]["audited"] == 1 and coverage["process_figures"]["missing"] == 1
    assert [audit.pk for audit in coverage["late"]] == [late.pk]
    assert coverage["starts_on"] == datetime.date(2023, 9, 1)
    assert done.pk not in [audit.pk for audit in coverage["late"]]


def test_history_is_written_for_an_answer(school: dict[str, Any]) -> None:
    audit = audit_in(school, status=AuditStatus.IN_PROGRESS)
    before = HistoryEntry.objects.count()
    services.checklist_answer(
        actor=school["head_electrical"], line=audit.checklist.select_related("audit").first(), answer=Answer.CONFORM
    )
    assert HistoryEntry.objects.count() == before + 1


def test_a_new_process_is_not_covered_until_audited(school: dict[str, Any]) -> None:
    year = programme()
    ProcessFactory(code="S-09", name="Nouveau", owner=school["director"])
    coverage = programme_coverage(programme=year, today=datetime.date(2026, 2, 1))
    assert {row.subject.code: row.state for row in coverage["processes"]}["S-09"] == "missing"

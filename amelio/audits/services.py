"""Writes of the audit programme and of audits. An auditor never audits a process they own
or work in (refused here, naming the conflict); every change records its history in the
same transaction; the status moves through workflows.py only."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from amelio.core import clock
from amelio.core.permissions import require
from amelio.core.references import next_reference
from amelio.core.services import model_create, model_update
from amelio.history.choices import HistoryAction
from amelio.history.services import history_record
from amelio.improvement import services as improvement_services
from amelio.improvement.choices import Origin, Severity
from amelio.improvement.models import ImprovementItem
from amelio.organisation.choices import Role
from amelio.organisation.models import RoleAssignment
from amelio.processes.models import RaciAssignment

from .choices import (
    CORRECTIVE_ACTION_DAYS,
    EXTERNAL_KINDS,
    EXTERNAL_PREFIX,
    INTERNAL_PREFIX,
    ITEM_GRADES,
    NONCONFORMITY_GRADES,
    Answer,
    AuditKind,
    AuditStatus,
    AuditTransition,
    Grade,
)
from .models import Audit, AuditProgramme, ChecklistLine, Finding
from .workflows import AUDIT_WORKFLOW

PLAN = "audits.plan_audit"
# The states in which an audit's scope and team may still be changed.
EDITABLE_STATUSES = frozenset({AuditStatus.PLANNED, AuditStatus.IN_PROGRESS})


# The programme ------------------------------------------------------------------------------


def programme_create(*, actor: Any, data: dict[str, Any]) -> AuditProgramme:
    require(actor, PLAN)
    return model_create(
        model=AuditProgramme, data={**data, "created_by": actor}, actor=actor, history_fields=list(data)
    )


def programme_update(
    *, actor: Any, programme: AuditProgramme, data: dict[str, Any], version: str | None = None
) -> dict[str, list[str]]:
    require(actor, PLAN, programme)
    return model_update(instance=programme, data=data, actor=actor, version=version)


# Independence (ISO 9001 9.2.2 c) -------------------------------------------------------------


def independence_conflicts(
    *, auditors: Iterable[Any], processes: Iterable[Any], departments: Iterable[Any] = ()
) -> list[str]:
    """Why each auditor may not audit this scope, one sentence per conflict: they own a
    process in scope (as its pilote or by role), hold a RACI letter in one of its
    activities, or work in its department, or in a department in scope. Three queries."""
    auditors = [person for person in auditors if person is not None]
    processes, departments = list(processes), list(departments)
    if not auditors or not (processes or departments):
        return []
    auditor_ids = {person.pk for person in auditors}
    process_ids = {process.pk for process in processes}
    owners_by_role = set(
        RoleAssignment.objects.active()
        .filter(role=Role.PROCESS_OWNER, person_id__in=auditor_ids, process_id__in=process_ids)
        .values_list("person_id", "process_id")
    )
    raci = set(
        RaciAssignment.objects.filter(person_id__in=auditor_ids, activity__process_id__in=process_ids).values_list(
            "person_id", "activity__process_id"
        )
    )
    conflicts: list[str] = []
    for person in sorted(auditors, key=lambda p: (p.last_name, p.first_name, p.pk)):
        for process in processes:
            named = {"person": str(person), "process": str(process)}
            if process.owner_id == person.pk or (person.pk, process.pk) in owners_by_role:
                conflicts.append(_("%(person)s cannot audit %(process)s: they own it.") % named)
            elif (person.pk, process.pk) in raci:
                conflicts.append(_("%(person)s cannot audit %(process)s: they work in it (RACI).") % named)
            elif process.department_id is not None and process.department_id == person.department_id:
                conflicts.append(_("%(person)s cannot audit %(process)s: they work in its department.") % named)
        for department in departments:
            if department.pk == person.department_id:
                conflicts.append(
                    _("%(person)s cannot audit the department %(department)s: they work in it.")
                    % {"person": str(person), "department": str(department)}
                )
    return conflicts


def _check_independence(data: dict[str, Any]) -> None:
    auditors = [data.get("lead_auditor"), *list(data.get("team") or [])]
    conflicts = independence_conflicts(
        auditors=auditors, processes=data.get("processes") or [], departments=data.get("departments") or []
    )
    if conflicts:
        raise ValidationError({"team" if len(auditors) > 1 else "lead_auditor": conflicts})


def _check_audit(kind: str, data: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    if kind in EXTERNAL_KINDS:
        if not (data.get("body") or "").strip():
            errors["body"] = _("Name the body that audits.")
    elif data.get("lead_auditor") is None:
        errors["lead_auditor"] = _("An internal audit has a lead auditor.")
    if not (data.get("processes") or data.get("clauses") or data.get("departments")):
        errors["processes"] = _("Give the scope: processes, departments or requirements.")
    lead = data.get("lead_auditor")
    if lead is not None and lead in list(data.get("team") or []):
        errors["team"] = _("The lead auditor is not listed again in the team.")
    if errors:
        raise ValidationError(errors)
    if kind not in EXTERNAL_KINDS:
        _check_independence(data)


@transaction.atomic
def audit_create(*, actor: Any, data: dict[str, Any], kind: str = AuditKind.INTERNAL) -> Audit:
    """Plan an audit (internal, or an external body's); its checklist is generated from the
    requirements and processes in scope."""
    require(actor, PLAN)
    kind = AuditKind(kind)
    _check_audit(kind, data)
    start = data.get("starts_on") or clock.today()
    prefix = EXTERNAL_PREFIX if kind in EXTERNAL_KINDS else INTERNAL_PREFIX
    audit = model_create(
        model=Audit,
        data={
            **data,
            "kind": kind,
            "reference": next_reference(prefix=prefix, year=start.year),
            "created_by": actor,
        },
        actor=actor,
        history_fields=[*data, "kind", "reference"],
    )
    checklist_sync(audit=audit)
    return audit


@transaction.atomic
def audit_update(*, actor: Any, audit: Audit, data: dict[str, Any], version: str | None = None) -> dict[str, list[str]]:
    """Change an audit's scope, dates, team or plan until it is reported; independence is
    checked again on the whole team and scope."""
    require(actor, PLAN, audit)
    if audit.status not in EDITABLE_STATUSES:
        raise ValidationError(_("A reported, closed or cancelled audit is not changed."))
    current = {
        "lead_auditor": audit.lead_auditor,
        "team": list(audit.team.all()),
        "processes": list(audit.processes.all()),
        "departments": list(audit.departments.all()),
        "clauses": list(audit.clauses.all()),
        "body": audit.body,
    }
    _check_audit(audit.kind, {**current, **data})
    changes = model_update(instance=audit, data=data, actor=actor, version=version)
    checklist_sync(audit=audit)
    return changes


# The checklist ------------------------------------------------------------------------------


def _clause_question(clause: Any) -> str:
    return _("%(number)s %(title)s: is the requirement met, and what evidences it?") % {
        "number": clause.number,
        "title": clause.title,
    }


def _process_question(process: Any) -> str:
    return _(
        "%(process)s: does it reach its purpose? Are its indicators measured against their targets, its documents "
        "in force and its open actions followed?"
    ) % {"process": str(process)}


def checklist_sync(*, audit: Audit) -> None:
    """The checklist follows the scope: a line per requirement in scope (with the process
    in scope that answers it, when there is one), then a line per process. Lines already
    answered are kept whatever the scope; unanswered lines leaving the scope go."""
    processes = list(audit.processes.prefetch_related("clauses").order_by("code"))
    clauses = list(audit.clauses.order_by("sort_key"))
    wanted: list[tuple[int | None, int | None, str]] = []
    for clause in clauses:
        answering = next((p for p in processes if any(c.pk == clause.pk for c in p.clauses.all())), None)
        wanted.append((clause.pk, answering.pk if answering else None, _clause_question(clause)))
    for process in processes:
        wanted.append((None, process.pk, _process_question(process)))
    existing = list(audit.checklist.all())
    keys = {(line.clause_id, line.process_id) for line in existing}
    wanted_keys = {(clause_id, process_id) for clause_id, process_id, _question in wanted}
    leaving = [line.pk for line in existing if not line.answer and (line.clause_id, line.process_id) not in wanted_keys]
    if leaving:
        ChecklistLine.objects.filter(pk__in=leaving).delete()
    position = max((line.position for line in existing), default=0)
    new_lines = []
    for clause_id, process_id, question in wanted:
        if (clause_id, process_id) in keys:
            continue
        position += 1
        new_lines.append(
            ChecklistLine(audit=audit, position=position, clause_id=clause_id, process_id=process_id, question=question)
        )
    ChecklistLine.objects.bulk_create(new_lines)


@transaction.atomic
def checklist_answer(*, actor: Any, line: ChecklistLine, answer: str, note: str = "") -> ChecklistLine:
    """An auditor of the audit answers a line during the audit, with what was seen."""
    audit = line.audit
    require(actor, "audits.answer_checklist", audit)
    if audit.status != AuditStatus.IN_PROGRESS:
        raise ValidationError(_("The checklist is answered while the audit is in progress."))
    if answer not in Answer.values:
        raise ValidationError({"answer": _("Choose conform, not conform or not applicable.")})
    note = (note or "").strip()
    if answer == Answer.NOT_CONFORM and not note:
        raise ValidationError({"note": _("Say what was seen: a nonconformity rests on evidence.")})
    model_update(
        instance=line,
        data={"answer": answer, "note": note, "answered_by": actor, "answered_at": clock.now()},
        actor=actor,
        fields=("answer", "note", "answered_by", "answered_at"),
        history_target=audit,
    )
    return line


# Findings -------------------------------------------------------------------------------------


@transaction.atomic
def finding_record(
    *, actor: Any, audit: Audit, data: dict[str, Any], checklist_line: ChecklistLine | None = None
) -> Finding:
    """A finding of the audit, graded, with its evidence and requirement. An internal audit's
    findings are recorded while it runs; an external body's until its report is received."""
    require(actor, "audits.record_finding", audit)
    locked = Audit.objects.select_for_update().get(pk=audit.pk)
    allowed = {AuditStatus.IN_PROGRESS, AuditStatus.REPORTED} if locked.is_external else {AuditStatus.IN_PROGRESS}
    if locked.status not in allowed:
        raise ValidationError(_("Findings are recorded while the audit is in progress."))
    if checklist_line is not None and checklist_line.audit_id != audit.pk:
        raise ValidationError(_("This checklist line belongs to another audit."))
    number = (locked.findings.aggregate(last=Max("number"))["last"] or 0) + 1
    return model_create(
        model=Finding,
        data={
            **data,
            "audit": locked,
            "number": number,
            "checklist_line": checklist_line,
            "recorded_by": actor,
        },
        actor=actor,
        history_fields=[*data, "number"],
    )


def corrective_action_due_on(*, grade: str, audit: Audit) -> datetime.date | None:
    """The deadline the grade implies, from the last day of the audit (choices.CORRECTIVE_ACTION_DAYS)."""
    days = CORRECTIVE_ACTION_DAYS.get(grade)
    return audit.ends_on + datetime.timedelta(days=days) if days is not None else None


@transaction.atomic
def finding_raise_item(*, actor: Any, finding: Finding) -> ImprovementItem:
    """A nonconformity or an opportunity becomes an improvement item in one step, through the
    improvement app's own service, with the deadline its grade implies; linked both ways."""
    audit = finding.audit
    require(actor, "audits.raise_item", audit)
    locked = (
        Finding.objects.select_for_update(of=("self",)).select_related("audit", "process", "clause").get(pk=finding.pk)
    )
    if locked.grade not in ITEM_GRADES:
        raise ValidationError(_("Only a nonconformity or an opportunity for improvement becomes an improvement item."))
    if locked.improvement_item_id is not None:
        raise ValidationError(_("This finding is already in the improvement register."))
    if locked.audit.status == AuditStatus.CANCELLED:
        raise ValidationError(_("A cancelled audit raises no item."))
    process = locked.process or locked.audit.processes.order_by("code").first()
    is_nonconformity = locked.grade in NONCONFORMITY_GRADES
    severity = Severity.MAJOR if locked.grade == Grade.MAJOR_NONCONFORMITY else Severity.MINOR
    description = "\n\n".join(
        part
        for part in (
            _("Finding %(reference)s-%(number)02d (%(grade)s) of the audit “%(audit)s”.")
            % {
                "reference": locked.audit.reference,
                "number": locked.number,
                "grade": locked.get_grade_display(),
                "audit": locked.audit.title,
            },
            _("Evidence: %(evidence)s") % {"evidence": locked.evidence},
            _("Requirement: %(requirement)s") % {"requirement": locked.requirement},
        )
        if part
    )
    data: dict[str, Any] = {
        "origin": Origin.NONCONFORMITY if is_nonconformity else Origin.OPPORTUNITY,
        "title": locked.statement[:200],
        "description": description,
        "process": process,
        "due_on": corrective_action_due_on(grade=locked.grade, audit=locked.audit),
    }
    if is_nonconformity:
        data["severity"] = severity
    if locked.clause is not None:
        data["clauses"] = [locked.clause]
    item = improvement_services.item_raise(actor=actor, data=data)
    locked.improvement_item = item
    locked.save(update_fields=["improvement_item"])
    history_record(
        instance=locked.audit,
        action=HistoryAction.UPDATE,
        actor=actor,
        changes={_("finding %(number)s") % {"number": locked.number}: ["", item.reference]},
    )
    finding.improvement_item = item
    return item


# The state machine --------------------------------------------------------------------------


def audit_start(*, actor: Any, audit: Audit) -> Audit:
    return AUDIT_WORKFLOW.apply(actor=actor, record=audit, transition=AuditTransition.START)


def _ready_to_report(audit: Audit) -> None:
    if not audit.conclusion:
        raise ValidationError({"conclusion": _("Write the audit's conclusion.")})
    if not audit.is_external and audit.checklist.filter(answer="").exists():
        raise ValidationError(_("Answer every line of the checklist before issuing the report."))


def audit_report(*, actor: Any, audit: Audit, conclusion: str) -> Audit:
    """The report is issued with its conclusion; the checklist of an internal audit is fully answered."""
    return AUDIT_WORKFLOW.apply(
        actor=actor,
        record=audit,
        transition=AuditTransition.REPORT,
        fields={"conclusion": (conclusion or "").strip(), "reported_on": clock.today()},
        precondition=_ready_to_report,
    )


def _findings_followed(audit: Audit) -> None:
    waiting = list(
        audit.findings.filter(grade__in=ITEM_GRADES, improvement_item__isnull=True).values_list("number", flat=True)
    )
    if waiting:
        raise ValidationError(
            _("Put findings %(numbers)s in the improvement register before closing the audit.")
            % {"numbers": ", ".join(str(number) for number in waiting)}
        )


def audit_close(*, actor: Any, audit: Audit) -> Audit:
    """Closed once every nonconformity and opportunity is followed in the improvement register."""
    return AUDIT_WORKFLOW.apply(
        actor=actor, record=audit, transition=AuditTransition.CLOSE, precondition=_findings_followed
    )


def audit_cancel(*, actor: Any, audit: Audit, reason: str) -> Audit:
    reason = (reason or "").strip()
    return AUDIT_WORKFLOW.apply(
        actor=actor,
        record=audit,
        transition=AuditTransition.CANCEL,
        reason=reason,
        fields={"cancellation_reason": reason},
    )

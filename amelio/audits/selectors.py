"""Reads of the audit programme and audits, narrowed to what the user may see."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from amelio.core.permissions import visible
from amelio.documents.selectors import document_list
from amelio.improvement.choices import OPEN_ITEM_STATUSES
from amelio.improvement.selectors import item_list
from amelio.indicators.selectors import indicator_list
from amelio.processes.models import Process
from amelio.standards.models import Clause

from .choices import CYCLE_YEARS, DONE_AUDIT_STATUSES, OPEN_AUDIT_STATUSES, Answer, AuditKind, AuditStatus
from .models import Audit, AuditProgramme, ChecklistLine, Finding

ISO_9001 = "ISO9001:2015"
# The requirement clauses of ISO 9001 (4 to 10): the programme covers each of their
# second-level clauses (4.1 ... 10.3).
REQUIREMENT_SECTIONS = {str(number) for number in range(4, 11)}


def _finding_count() -> Coalesce:
    return Coalesce(
        Subquery(
            Finding.objects.filter(audit=OuterRef("pk")).order_by().values("audit").annotate(n=Count("pk")).values("n")
        ),
        0,
    )


def programme_list(*, user: Any) -> QuerySet[AuditProgramme]:
    return visible(user, AuditProgramme.objects.annotate(audit_count=Count("audits"))).order_by("-starts_on", "-id")


def programme_get(*, user: Any, pk: int) -> AuditProgramme:
    return get_object_or_404(visible(user, AuditProgramme.objects.all()), pk=pk)


def audit_list(*, user: Any) -> QuerySet[Audit]:
    return (
        visible(user, Audit.objects.select_related("programme", "lead_auditor"))
        .annotate(finding_count=_finding_count())
        .order_by("-starts_on", "-id")
    )


def _audit_base() -> QuerySet[Audit]:
    return Audit.objects.select_related("programme", "lead_auditor").prefetch_related(
        "team", "processes", "departments"
    )


def audit_get(*, user: Any, pk: int) -> Audit:
    return get_object_or_404(visible(user, _audit_base()), pk=pk)


def audit_detail(*, user: Any, pk: int) -> Audit:
    findings = Finding.objects.select_related("clause", "process", "improvement_item").order_by("number")
    queryset = _audit_base().prefetch_related(
        Prefetch("clauses", queryset=Clause.objects.order_by("sort_key")),
        Prefetch("findings", queryset=findings),
    )
    audit = get_object_or_404(visible(user, queryset), pk=pk)
    audit.answer_counts = dict(  # type: ignore[attr-defined]
        audit.checklist.order_by().values_list("answer").annotate(n=Count("pk"))
    )
    return audit


def finding_get(*, user: Any, pk: int) -> Finding:
    queryset = Finding.objects.select_related("audit__lead_auditor", "clause", "process", "improvement_item")
    finding = get_object_or_404(visible(user, queryset.prefetch_related("audit__team", "audit__processes")), pk=pk)
    return finding


def line_get(*, user: Any, audit: Audit, pk: int) -> ChecklistLine:
    line = get_object_or_404(ChecklistLine.objects.select_related("clause", "process"), audit=audit, pk=pk)
    line.audit = audit  # already checked and loaded with its team
    return line


@dataclass
class AtHand:
    """What an auditor has at hand on a process during the audit."""

    process: Process
    documents: list[Any] = field(default_factory=list)
    indicators: list[Any] = field(default_factory=list)
    open_items: list[Any] = field(default_factory=list)


def checklist_context(*, user: Any, audit: Audit) -> dict[str, Any]:
    """The audit's checklist lines and, for each process in scope, its documents, indicators
    and open improvement items, read through their own apps' selectors (so the auditor sees
    only what they may see). A fixed number of queries whatever the scope."""
    lines = list(audit.checklist.select_related("clause", "process", "answered_by").order_by("position"))
    processes = sorted(audit.processes.all(), key=lambda process: process.code)
    ids = [process.pk for process in processes]
    at_hand = {process.pk: AtHand(process=process) for process in processes}
    if ids:
        for document in document_list(user=user).filter(processes__in=ids).distinct():
            for process in document.processes.all():
                if process.pk in at_hand:
                    at_hand[process.pk].documents.append(document)
        for indicator in indicator_list(user=user).filter(process__in=ids):
            if indicator.process_id in at_hand:
                at_hand[indicator.process_id].indicators.append(indicator)
        for item in item_list(user=user).filter(process__in=ids, status__in=OPEN_ITEM_STATUSES)[:200]:
            if item.process_id in at_hand:
                at_hand[item.process_id].open_items.append(item)
    answered = sum(1 for line in lines if line.answer)
    return {"lines": lines, "at_hand": [at_hand[pk] for pk in ids], "answered": answered, "total": len(lines)}


# The programme's coverage -------------------------------------------------------------------


def cycle_start(ends_on: datetime.date) -> datetime.date:
    """The first day of the certification cycle that ends on `ends_on`."""
    try:
        back = ends_on.replace(year=ends_on.year - CYCLE_YEARS)
    except ValueError:  # 29 February
        back = ends_on.replace(year=ends_on.year - CYCLE_YEARS, day=28)
    return back + datetime.timedelta(days=1)


def requirement_clauses() -> list[Clause]:
    """ISO 9001's second-level requirement clauses, 4.1 to 10.3."""
    return [
        clause
        for clause in Clause.objects.filter(framework__code=ISO_9001).order_by("sort_key")
        if clause.number.count(".") == 1 and clause.number.split(".")[0] in REQUIREMENT_SECTIONS
    ]


def _level_two(number: str, clause_numbers: set[str]) -> set[str]:
    """The second-level requirement clauses an audit of `number` covers: 8.5 covers 8.5; so
    does 8.5.1 (part of it); 8 covers all of 8.1 to 8.7."""
    parts = number.split(".")
    if len(parts) == 1:
        return {clause for clause in clause_numbers if clause.split(".")[0] == parts[0]}
    level_two = f"{parts[0]}.{parts[1]}"
    return {level_two} if level_two in clause_numbers else set()


@dataclass
class CoverageRow:
    subject: Any
    audited_on: datetime.date | None = None
    audit: Any = None
    planned_on: datetime.date | None = None
    planned_audit: Any = None

    @property
    def state(self) -> str:
        if self.audited_on is not None:
            return "audited"
        return "planned" if self.planned_on is not None else "missing"


def programme_coverage(*, programme: AuditProgramme, today: datetime.date | None = None) -> dict[str, Any]:
    """Over the certification cycle that ends with the programme (its last CYCLE_YEARS
    years), which active processes and which ISO 9001 requirement clauses were audited by an
    internal audit (reported or closed), which are only planned, which are missing; and
    the programme's late audits. Six queries whatever the number of audits, reading plain
    values rather than building a model per link."""
    today = today or timezone.localdate()
    starts_on = cycle_start(programme.ends_on)
    audits = list(
        Audit.objects.filter(kind=AuditKind.INTERNAL, starts_on__gte=starts_on, starts_on__lte=programme.ends_on)
        .exclude(status=AuditStatus.CANCELLED)
        .only("id", "reference", "programme_id", "status", "starts_on", "ends_on")
        .order_by("starts_on", "id")
    )
    ids = [audit.pk for audit in audits]
    processes_of: dict[int, list[int]] = defaultdict(list)
    for audit_id, process_id in Audit.processes.through.objects.filter(audit_id__in=ids).values_list(
        "audit_id", "process_id"
    ):
        processes_of[audit_id].append(process_id)
    numbers_of: dict[int, set[str]] = defaultdict(set)
    for audit_id, number in Audit.clauses.through.objects.filter(audit_id__in=ids).values_list(
        "audit_id", "clause__number"
    ):
        numbers_of[audit_id].add(number)
    answered_by_process: dict[int, set[str]] = defaultdict(set)
    for process_id, number in Process.clauses.through.objects.values_list("process_id", "clause__number"):
        answered_by_process[process_id].add(number)
    processes = {
        process.pk: CoverageRow(subject=process)
        for process in Process.objects.filter(is_active=True).order_by("code").only("id", "code", "name")
    }
    clauses = {row.subject.number: row for row in (CoverageRow(subject=c) for c in requirement_clauses())}
    clause_numbers = set(clauses)
    for audit in audits:
        done = audit.status in DONE_AUDIT_STATUSES
        numbers = set(numbers_of[audit.pk])
        for process_id in processes_of[audit.pk]:
            numbers |= answered_by_process[process_id]
            row = processes.get(process_id)
            if row is not None:
                _mark(row, audit, done)
        covered: set[str] = set()
        for number in numbers:
            covered |= _level_two(number, clause_numbers)
        for number in covered:
            _mark(clauses[number], audit, done)
    process_rows = list(processes.values())
    clause_rows = list(clauses.values())
    late = [audit for audit in audits if audit.programme_id == programme.pk and audit.is_late_on(today)]
    return {
        "starts_on": starts_on,
        "ends_on": programme.ends_on,
        "processes": process_rows,
        "clauses": clause_rows,
        "process_figures": _figures(process_rows),
        "clause_figures": _figures(clause_rows),
        "late": late,
    }


def _mark(row: CoverageRow, audit: Audit, done: bool) -> None:
    if done:
        if row.audited_on is None or audit.ends_on > row.audited_on:
            row.audited_on, row.audit = audit.ends_on, audit
    elif audit.status in OPEN_AUDIT_STATUSES and (row.planned_on is None or audit.starts_on < row.planned_on):
        row.planned_on, row.planned_audit = audit.starts_on, audit


def _figures(rows: list[CoverageRow]) -> dict[str, int]:
    total = len(rows)
    audited = sum(1 for row in rows if row.state == "audited")
    planned = sum(1 for row in rows if row.state == "planned")
    return {
        "total": total,
        "audited": audited,
        "planned": planned,
        "missing": total - audited - planned,
        "audited_percent": round(100 * audited / total) if total else 0,
        "covered_percent": round(100 * (audited + planned) / total) if total else 0,
    }


def programme_audits(*, user: Any, programme: AuditProgramme) -> list[Audit]:
    return list(audit_list(user=user).filter(programme=programme).order_by("starts_on", "id"))


def answer_summary(lines: list[ChecklistLine]) -> dict[str, int]:
    counts = {value: 0 for value in Answer.values}
    for line in lines:
        if line.answer:
            counts[line.answer] += 1
    return counts


def audits_of_process(*, user: Any, process: Process) -> QuerySet[Audit]:
    return audit_list(user=user).filter(Q(processes=process)).distinct()

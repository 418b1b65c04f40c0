"""The demo school's audits (amelio/audits/demo/audits.toml): last academic year's and this
year's programmes, fifteen internal audits (last year's ten, each with findings in the
improvement register; this year's five in every state) planned by the quality manager and led by auditors
independent of what they audit, their checklists answered and findings recorded on the
audit's days, nonconformities and opportunities put in the improvement register, and the
certification body's surveillance audit — all through the services, on their own dates.

`build_audit_demo()` runs after the improvement demo, in the same transaction, on a database
where the school, its people and its processes exist."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from amelio.audits import services
from amelio.audits.choices import ITEM_GRADES, Answer, AuditKind, AuditStatus
from amelio.audits.models import Audit, AuditProgramme, Finding
from amelio.organisation.choices import Role
from amelio.organisation.models import Person, RoleAssignment
from amelio.processes.models import Process
from amelio.standards.models import Clause

from . import data, past

QUALITY_MANAGER_EMAIL = "qualite@amelio-demo.fr"
ANSWERS = {"c": Answer.CONFORM, "n": Answer.NOT_CONFORM, "na": Answer.NOT_APPLICABLE}
NOTES = {
    Answer.CONFORM: "Conforme : enregistrements consultés, échantillon sans écart.",
    Answer.NOT_CONFORM: "Écart constaté sur l'échantillon (voir le constat).",
    Answer.NOT_APPLICABLE: "Sans objet pour ce périmètre.",
}
PLAN = (
    "9 h 00 réunion d'ouverture (pilote du processus, responsable qualité)\n"
    "9 h 30 entretiens et revue des enregistrements\n"
    "14 h 00 visite terrain et échantillonnage\n"
    "16 h 30 réunion de clôture"
)


def _programme_years(today: datetime.date) -> dict[str, tuple[str, datetime.date, datetime.date]]:
    current = today.year if today.month >= 9 else today.year - 1
    return {
        key: (f"{year}-{year + 1}", datetime.date(year, 9, 1), datetime.date(year + 1, 8, 31))
        for key, year in (("previous", current - 1), ("current", current))
    }


class _AuditorPool:
    """The internal auditor first, then the department heads, then teachers: the first ones
    independent of the audit's scope lead it and sit in its team."""

    def __init__(self) -> None:
        ids = list(
            RoleAssignment.objects.filter(role__in=[Role.INTERNAL_AUDITOR, Role.DEPARTMENT_HEAD])
            .order_by("role", "person_id")
            .values_list("person_id", "role")
        )
        people = Person.objects.in_bulk([person_id for person_id, _role in ids])
        auditors = [people[pid] for pid, role in ids if role == Role.INTERNAL_AUDITOR]
        heads = [people[pid] for pid, role in ids if role == Role.DEPARTMENT_HEAD]
        # Then teachers, who hold few RACI letters: a scope every head works in still finds auditors.
        teachers = list(
            Person.objects.filter(kind="teacher", is_active=True).exclude(pk__in=people).order_by("pk")[:30]
        )
        self.people = auditors + [head for head in heads if head not in auditors] + teachers
        self.turn = 0

    def pick(self, processes: list[Process], count: int) -> list[Person]:
        chosen: list[Person] = []
        # The internal auditor leads whenever she is independent; the heads take turns in the team.
        for person in self.people[:1] + self.people[1:][self.turn :] + self.people[1:][: self.turn]:
            if not services.independence_conflicts(auditors=[person], processes=processes):
                chosen.append(person)
            if len(chosen) == count:
                break
        self.turn = (self.turn + 1) % max(len(self.people) - 1, 1)
        return chosen


def build_audit_demo(*, stdout: Any = None) -> dict[str, int]:
    today = timezone.localdate()
    scenario = data.load("audits", "audits")
    quality = Person.objects.get(email=QUALITY_MANAGER_EMAIL)
    processes = {process.code: process for process in Process.objects.select_related("owner", "department")}
    clauses = {clause.number: clause for clause in Clause.objects.filter(framework__code="ISO9001:2015")}
    years = _programme_years(today)
    programmes: dict[str, AuditProgramme] = {}
    for row in scenario["programme"]:
        label, starts_on, ends_on = years[row["year"]]
        with past.on(min(starts_on - datetime.timedelta(days=20), today), 10):
            programmes[row["year"]] = services.programme_create(
                actor=quality,
                data={
                    "title": row["title"].replace("{label}", label),
                    "starts_on": starts_on,
                    "ends_on": ends_on,
                    "objectives": row["objectives"],
                },
            )
    pool = _AuditorPool()
    for row in scenario["audit"]:
        _internal(
            row,
            quality=quality,
            programme=programmes[row["programme"]],
            processes=processes,
            clauses=clauses,
            pool=pool,
            today=today,
        )
    for row in scenario["external"]:
        _external(
            row,
            quality=quality,
            programme=programmes[row["programme"]],
            processes=processes,
            clauses=clauses,
            today=today,
        )
    counts = {
        "audit programmes": AuditProgramme.objects.count(),
        "audits": Audit.objects.count(),
        "audit findings": Finding.objects.count(),
    }
    if stdout is not None:
        raised = Finding.objects.filter(improvement_item__isnull=False).count()
        stdout.write(
            f"  audits: {counts['audits']} in {counts['audit programmes']} programmes, "
            f"{counts['audit findings']} findings ({raised} in the improvement register)\n"
        )
    return counts


def _dates(row: dict[str, Any], programme: AuditProgramme) -> tuple[datetime.date, datetime.date]:
    starts_on = programme.starts_on + datetime.timedelta(days=row["day"])
    return starts_on, starts_on + datetime.timedelta(days=row["days"] - 1)


def _internal(
    row: dict[str, Any],
    *,
    quality: Person,
    programme: AuditProgramme,
    processes: dict[str, Process],
    clauses: dict[str, Clause],
    pool: _AuditorPool,
    today: datetime.date,
) -> None:
    starts_on, ends_on = _dates(row, programme)
    scope = [processes[code] for code in row["processes"]]
    lead, *team = pool.pick(scope, 2)
    with past.on(min(starts_on - datetime.timedelta(days=21), today), 11):
        audit = services.audit_create(
            actor=quality,
            data={
                "programme": programme,
                "title": row["title"],
                "processes": scope,
                "clauses": [clauses[number] for number in row["clauses"]],
                "objectives": "Vérifier la conformité et l'efficacité du processus.",
                "criteria": "ISO 9001:2015 ; procédures et règlement des études de l'école",
                "starts_on": starts_on,
                "ends_on": ends_on,
                "lead_auditor": lead,
                "team": team,
                "plan": PLAN,
            },
        )
    status = row["status"]
    if status == AuditStatus.PLANNED or starts_on > today:
        return
    with past.on(starts_on, 9):
        services.audit_start(actor=lead, audit=audit)
    audit = Audit.objects.get(pk=audit.pk)
    lines = list(audit.checklist.select_related("audit").order_by("position"))
    answers = row.get("answers", [])
    if status != AuditStatus.IN_PROGRESS:
        answers = answers + ["c"] * (len(lines) - len(answers))
    with past.on(starts_on, 10):
        for line, code in zip(lines, answers, strict=False):
            answer = ANSWERS[code]
            services.checklist_answer(actor=lead, line=line, answer=answer, note=NOTES[answer])
    findings = _findings(row, audit=audit, actor=lead, clauses=clauses, processes=scope, day=ends_on)
    if status == AuditStatus.IN_PROGRESS or ends_on >= today:
        return
    with past.on(ends_on + datetime.timedelta(days=3), 15):
        services.audit_report(actor=lead, audit=audit, conclusion=_conclusion(findings))
        for finding in findings:
            if finding.grade in ITEM_GRADES:
                services.finding_raise_item(actor=lead, finding=finding)
    closing = ends_on + datetime.timedelta(days=30)
    if status == AuditStatus.CLOSED and closing < today:
        with past.on(closing, 11):
            services.audit_close(actor=quality, audit=Audit.objects.get(pk=audit.pk))


def _findings(
    row: dict[str, Any],
    *,
    audit: Audit,
    actor: Person,
    clauses: dict[str, Clause],
    processes: list[Process],
    day: datetime.date,
) -> list[Finding]:
    findings = []
    with past.on(day, 16):
        for entry in row.get("finding", []):
            findings.append(
                services.finding_record(
                    actor=actor,
                    audit=audit,
                    data={
                        "grade": entry["grade"],
                        "statement": entry["statement"],
                        "evidence": entry["evidence"],
                        "requirement": entry["requirement"],
                        "clause": clauses.get(entry.get("clause", "")),
                        "process": processes[0],
                    },
                )
            )
    return findings


def _conclusion(findings: list[Finding]) -> str:
    grades = [finding.get_grade_display() for finding in findings]
    summary = ", ".join(grades) if grades else "aucun constat"
    return f"Le processus est globalement maîtrisé. Constats : {summary}."


def _external(
    row: dict[str, Any],
    *,
    quality: Person,
    programme: AuditProgramme,
    processes: dict[str, Process],
    clauses: dict[str, Clause],
    today: datetime.date,
) -> None:
    starts_on, ends_on = _dates(row, programme)
    scope = [processes[code] for code in row["processes"]]
    with past.on(min(starts_on - datetime.timedelta(days=60), today), 10):
        audit = services.audit_create(
            actor=quality,
            kind=AuditKind(row["kind"]),
            data={
                "programme": programme,
                "title": row["title"],
                "processes": scope,
                "clauses": [clauses[number] for number in row["clauses"]],
                "criteria": "ISO 9001:2015",
                "starts_on": starts_on,
                "ends_on": ends_on,
                "body": row["body"],
                "external_lead": row["external_lead"],
                "plan": PLAN,
            },
        )
    if ends_on >= today:
        return
    with past.on(starts_on, 9):
        services.audit_start(actor=quality, audit=audit)
    findings = _findings(row, audit=audit, actor=quality, clauses=clauses, processes=scope, day=ends_on)
    with past.on(ends_on + datetime.timedelta(days=10), 10):
        services.audit_report(actor=quality, audit=Audit.objects.get(pk=audit.pk), conclusion=row["conclusion"])
        for finding in findings:
            if finding.grade in ITEM_GRADES:
                services.finding_raise_item(actor=quality, finding=finding)

from __future__ import annotations

import datetime
from typing import Any

from amelio.audits import services
from amelio.audits.choices import AuditKind, AuditStatus
from amelio.audits.models import Audit, AuditProgramme
from amelio.organisation.choices import PersonKind, Role
from amelio.organisation.tests.factories import PersonFactory, grant
from amelio.standards.models import Clause

ISO = "ISO9001:2015"


def clause(number: str) -> Clause:
    return Clause.objects.get(framework__code=ISO, number=number)


def programme(*, starts_on: datetime.date = datetime.date(2025, 9, 1), **overrides: Any) -> AuditProgramme:
    return services.programme_create(
        actor=None,
        data={
            "title": overrides.pop("title", f"Programme {starts_on.year}-{starts_on.year + 1}"),
            "starts_on": starts_on,
            "ends_on": overrides.pop(
                "ends_on", starts_on.replace(year=starts_on.year + 1) - datetime.timedelta(days=1)
            ),
            "objectives": "Processus sensibles d'abord.",
            **overrides,
        },
    )


def internal_auditor(school: dict[str, Any], **fields: Any) -> Any:
    """A staff member trained as an internal auditor, in no department: independent of
    every process of the small school."""
    person = PersonFactory(first_name="Inès", last_name="Auditrice", kind=PersonKind.STAFF, **fields)
    grant(person, Role.INTERNAL_AUDITOR)
    return person


def audit_data(school: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    return {
        "title": "Audit des projets de génie civil",
        "processes": [school["process_civil"]],
        "clauses": [clause("8.5"), clause("7.5")],
        "criteria": "ISO 9001:2015 et procédures de l'école",
        "objectives": "Vérifier la maîtrise des projets.",
        "starts_on": datetime.date(2026, 3, 10),
        "ends_on": datetime.date(2026, 3, 11),
        "lead_auditor": school["head_electrical"],
        "plan": "9h réunion d'ouverture\n10h visite\n16h réunion de clôture",
        **overrides,
    }


def audit_in(school: dict[str, Any], status: str = AuditStatus.PLANNED, **overrides: Any) -> Audit:
    """An internal audit of the civil engineering process led by the electrical department's
    head (independent of it), moved straight to `status`."""
    audit = services.audit_create(actor=None, data=audit_data(school, **overrides))
    if status != AuditStatus.PLANNED:
        Audit.objects.filter(pk=audit.pk).update(
            status=status,
            conclusion="Conclusion" if status in (AuditStatus.REPORTED, AuditStatus.CLOSED) else "",
            cancellation_reason="Annulé" if status == AuditStatus.CANCELLED else "",
        )
        audit.refresh_from_db()
    return audit


def external_audit(school: dict[str, Any], **overrides: Any) -> Audit:
    data = {
        "title": "Audit de surveillance n°1",
        "processes": [school["process_civil"], school["process_school"]],
        "criteria": "ISO 9001:2015",
        "starts_on": datetime.date(2026, 5, 4),
        "ends_on": datetime.date(2026, 5, 5),
        "body": "Organisme certificateur",
        "external_lead": "M. Dupont",
        **overrides,
    }
    return services.audit_create(actor=None, data=data, kind=AuditKind.SURVEILLANCE)

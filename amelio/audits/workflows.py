"""The state machine of an audit, declared once (core.workflow): planned → in progress →
reported → closed, or cancelled before it is reported."""

from django.utils.translation import gettext_lazy as _

from amelio.core.workflow import REQUIRED_REASON, Transition, Workflow

from .choices import AuditStatus, AuditTransition

CONDUCT_AUDIT = "audits.conduct_audit"
PLAN_AUDITS = "audits.plan_audit"
SERVICES = "amelio.audits.services"

AUDIT_WORKFLOW = Workflow(
    name="audit",
    record_argument="audit",
    selector="amelio.audits.selectors.audit_get",
    url_name="audits:audit_step",
    refused=_("“%(transition)s” is not possible while the audit is “%(status)s”."),
    transitions=[
        Transition(
            name=AuditTransition.START,
            sources=frozenset({AuditStatus.PLANNED}),
            target=AuditStatus.IN_PROGRESS,
            permission=CONDUCT_AUDIT,
            service=f"{SERVICES}.audit_start",
            style="success",
        ),
        Transition(
            name=AuditTransition.REPORT,
            sources=frozenset({AuditStatus.IN_PROGRESS}),
            target=AuditStatus.REPORTED,
            permission=CONDUCT_AUDIT,
            service=f"{SERVICES}.audit_report",
            form="amelio.audits.forms.ReportForm",
            style="primary",
        ),
        Transition(
            name=AuditTransition.CLOSE,
            sources=frozenset({AuditStatus.REPORTED}),
            target=AuditStatus.CLOSED,
            permission=PLAN_AUDITS,
            service=f"{SERVICES}.audit_close",
            style="success",
        ),
        Transition(
            name=AuditTransition.CANCEL,
            sources=frozenset({AuditStatus.PLANNED, AuditStatus.IN_PROGRESS}),
            target=AuditStatus.CANCELLED,
            permission=PLAN_AUDITS,
            service=f"{SERVICES}.audit_cancel",
            reason=REQUIRED_REASON,
            reason_label=_("Why the audit is cancelled"),
            style="outline-danger",
        ),
    ],
)

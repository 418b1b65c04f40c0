"""The state machine of an external auditor's access, declared once (core.workflow): granted
→ revoked. An access also ends by itself the day after its end date, without any step: its
dates, read on every request (access.py), decide."""

from django.utils.translation import gettext_lazy as _

from amelio.core.workflow import REQUIRED_REASON, Transition, Workflow

from .choices import AccessStatus, AccessTransition

ACCESS_WORKFLOW = Workflow(
    name="auditor_access",
    record_argument="access",
    selector="amelio.standards.selectors.auditor_access_get",
    url_name="standards:access_step",
    refused=_("“%(transition)s” is not possible while the access is “%(status)s”."),
    transitions=[
        Transition(
            name=AccessTransition.REVOKE,
            sources=frozenset({AccessStatus.GRANTED}),
            target=AccessStatus.REVOKED,
            permission="standards.manage_auditor_access",
            service="amelio.standards.services.auditor_access_revoke",
            reason=REQUIRED_REASON,
            reason_label=_("Why the access is revoked"),
            style="outline-danger",
        ),
    ],
)

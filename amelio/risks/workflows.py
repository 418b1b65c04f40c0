"""The state machine of a risk, declared once (core.workflow): open → treated → closed,
and back to open when it must be looked at again."""

from django.utils.translation import gettext_lazy as _

from amelio.core.workflow import REQUIRED_REASON, Transition, Workflow

from .choices import RiskStatus, RiskTransition

MANAGE_RISK = "risks.manage_risk"
SERVICES = "amelio.risks.services"

RISK_WORKFLOW = Workflow(
    name="risk",
    record_argument="risk",
    selector="amelio.risks.selectors.risk_get",
    url_name="risks:risk_step",
    refused=_("“%(transition)s” is not possible while the risk is “%(status)s”."),
    transitions=[
        Transition(
            name=RiskTransition.TREAT,
            sources=frozenset({RiskStatus.OPEN}),
            target=RiskStatus.TREATED,
            permission=MANAGE_RISK,
            service=f"{SERVICES}.risk_treat",
            style="success",
        ),
        Transition(
            name=RiskTransition.CLOSE,
            sources=frozenset({RiskStatus.OPEN, RiskStatus.TREATED}),
            target=RiskStatus.CLOSED,
            permission=MANAGE_RISK,
            service=f"{SERVICES}.risk_close",
            reason=REQUIRED_REASON,
            reason_label=_("Why the risk is closed"),
            style="outline-secondary",
        ),
        Transition(
            name=RiskTransition.REOPEN,
            sources=frozenset({RiskStatus.TREATED, RiskStatus.CLOSED}),
            target=RiskStatus.OPEN,
            permission=MANAGE_RISK,
            service=f"{SERVICES}.risk_reopen",
            reason=REQUIRED_REASON,
            style="outline-danger",
        ),
    ],
)

"""The state machine of quality objectives, declared once (core.workflow): what the services
apply, what the objective's page offers, what the generic step view shows. Closing an
objective, whichever way, says why; reopening one is the quality manager's or the
director's, and says why too."""

from django.utils.translation import gettext_lazy as _

from amelio.core.workflow import REQUIRED_REASON, Transition, Workflow

from .choices import ObjectiveStatus, ObjectiveTransition

MANAGE = "indicators.manage_objective"
REOPEN = "indicators.reopen_objective"
SERVICES = "amelio.indicators.services"

OBJECTIVE_WORKFLOW = Workflow(
    name="quality objective",
    record_argument="objective",
    selector="amelio.indicators.selectors.objective_get",
    url_name="indicators:objective_step",
    refused=_("“%(transition)s” is not possible while the objective is “%(status)s”."),
    transitions=[
        Transition(
            name=ObjectiveTransition.ACTIVATE,
            sources=frozenset({ObjectiveStatus.DRAFT}),
            target=ObjectiveStatus.ACTIVE,
            permission=MANAGE,
            service=f"{SERVICES}.objective_activate",
            style="success",
        ),
        Transition(
            name=ObjectiveTransition.ACHIEVE,
            sources=frozenset({ObjectiveStatus.ACTIVE}),
            target=ObjectiveStatus.ACHIEVED,
            permission=MANAGE,
            service=f"{SERVICES}.objective_achieve",
            reason=REQUIRED_REASON,
            reason_label=_("What shows it is achieved"),
            style="success",
        ),
        Transition(
            name=ObjectiveTransition.MISS,
            sources=frozenset({ObjectiveStatus.ACTIVE}),
            target=ObjectiveStatus.NOT_ACHIEVED,
            permission=MANAGE,
            service=f"{SERVICES}.objective_miss",
            reason=REQUIRED_REASON,
            reason_label=_("Why it was not achieved, and what follows"),
            style="outline-danger",
        ),
        Transition(
            name=ObjectiveTransition.ABANDON,
            sources=frozenset({ObjectiveStatus.DRAFT, ObjectiveStatus.ACTIVE}),
            target=ObjectiveStatus.ABANDONED,
            permission=MANAGE,
            service=f"{SERVICES}.objective_abandon",
            reason=REQUIRED_REASON,
            reason_label=_("Why it is abandoned"),
            style="outline-secondary",
        ),
        Transition(
            name=ObjectiveTransition.REOPEN,
            sources=frozenset({ObjectiveStatus.ACHIEVED, ObjectiveStatus.NOT_ACHIEVED, ObjectiveStatus.ABANDONED}),
            target=ObjectiveStatus.ACTIVE,
            permission=REOPEN,
            service=f"{SERVICES}.objective_reopen",
            reason=REQUIRED_REASON,
            style="outline-secondary",
        ),
    ],
)

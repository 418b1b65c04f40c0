"""The state machines of improvement items and actions, declared once (core.workflow):
what the services apply, what the pages offer, what the generic step view shows."""

from django.utils.translation import gettext_lazy as _

from amelio.core.workflow import OPTIONAL_REASON, REQUIRED_REASON, Transition, Workflow

from .choices import ActionStatus, ActionTransition, ItemStatus, ItemTransition

MANAGE_ITEM = "improvement.manage_item"
CHECK_EFFECTIVENESS = "improvement.check_effectiveness"
MANAGE_ACTION = "improvement.manage_action"
WORK_ON_ACTION = "improvement.work_on_action"
SERVICES = "amelio.improvement.services"

ITEM_WORKFLOW = Workflow(
    name="improvement item",
    record_argument="item",
    selector="amelio.improvement.selectors.item_get",
    url_name="improvement:item_step",
    refused=_("“%(transition)s” is not possible while the item is “%(status)s”."),
    transitions=[
        Transition(
            name=ItemTransition.CLASSIFY,
            sources=frozenset({ItemStatus.TO_CLASSIFY}),
            target=ItemStatus.NEW,
            permission=MANAGE_ITEM,
            service=f"{SERVICES}.item_classify",
            form="amelio.improvement.forms.ClassifyForm",
            data_argument="classification",
            style="success",
        ),
        Transition(
            name=ItemTransition.ACCEPT,
            sources=frozenset({ItemStatus.NEW}),
            target=ItemStatus.ACCEPTED,
            permission=MANAGE_ITEM,
            service=f"{SERVICES}.item_accept",
            reason=OPTIONAL_REASON,
            form="amelio.improvement.forms.TargetDateForm",
            style="success",
        ),
        Transition(
            name=ItemTransition.REJECT,
            sources=frozenset({ItemStatus.TO_CLASSIFY, ItemStatus.NEW}),
            target=ItemStatus.REJECTED,
            permission=MANAGE_ITEM,
            service=f"{SERVICES}.item_reject",
            reason=REQUIRED_REASON,
            style="outline-danger",
        ),
        Transition(
            name=ItemTransition.ANALYSE,
            sources=frozenset({ItemStatus.ACCEPTED, ItemStatus.REOPENED}),
            target=ItemStatus.ANALYSED,
            permission=MANAGE_ITEM,
            service=f"{SERVICES}.item_analyse",
            form="amelio.improvement.forms.AnalysisForm",
            data_argument="analysis",
        ),
        Transition(
            name=ItemTransition.START_ACTIONS,
            sources=frozenset({ItemStatus.ANALYSED}),
            target=ItemStatus.ACTIONS_UNDER_WAY,
            permission=MANAGE_ITEM,
            service=f"{SERVICES}.item_start_actions",
        ),
        Transition(
            name=ItemTransition.REQUEST_CHECK,
            sources=frozenset({ItemStatus.ACTIONS_UNDER_WAY}),
            target=ItemStatus.AWAITING_CHECK,
            permission=MANAGE_ITEM,
            service=f"{SERVICES}.item_request_check",
        ),
        Transition(
            name=ItemTransition.CLOSE_EFFECTIVE,
            sources=frozenset({ItemStatus.AWAITING_CHECK}),
            target=ItemStatus.CLOSED_EFFECTIVE,
            permission=CHECK_EFFECTIVENESS,
            service=f"{SERVICES}.item_close_effective",
            reason=REQUIRED_REASON,
            reason_label=_("What shows it is effective"),
            arguments={"reason": "note"},
            style="success",
        ),
        Transition(
            name=ItemTransition.REOPEN,
            sources=frozenset({ItemStatus.AWAITING_CHECK}),
            target=ItemStatus.REOPENED,
            permission=CHECK_EFFECTIVENESS,
            service=f"{SERVICES}.item_reopen",
            reason=REQUIRED_REASON,
            reason_label=_("What shows it is not effective"),
            style="outline-danger",
        ),
    ],
)

ACTION_WORKFLOW = Workflow(
    name="improvement action",
    record_argument="action",
    selector="amelio.improvement.selectors.action_detail",
    url_name="improvement:action_step",
    refused=_("“%(transition)s” is not possible while the action is “%(status)s”."),
    transitions=[
        Transition(
            name=ActionTransition.START,
            sources=frozenset({ActionStatus.PLANNED}),
            target=ActionStatus.IN_PROGRESS,
            permission=WORK_ON_ACTION,
            service=f"{SERVICES}.action_start",
        ),
        Transition(
            name=ActionTransition.COMPLETE,
            sources=frozenset({ActionStatus.PLANNED, ActionStatus.IN_PROGRESS}),
            target=ActionStatus.DONE,
            permission=WORK_ON_ACTION,
            service=f"{SERVICES}.action_complete",
            reason=OPTIONAL_REASON,
            reason_label=_("What was done"),
            files=True,
            files_label=_("Evidence"),
            arguments={"reason": "note", "files": "evidence"},
            style="success",
        ),
        Transition(
            name=ActionTransition.CANCEL,
            sources=frozenset({ActionStatus.PLANNED, ActionStatus.IN_PROGRESS}),
            target=ActionStatus.CANCELLED,
            permission=MANAGE_ACTION,
            service=f"{SERVICES}.action_cancel",
            reason=REQUIRED_REASON,
            reason_label=_("Reason for cancellation"),
            style="outline-danger",
        ),
        Transition(
            name=ActionTransition.RESUME,
            sources=frozenset({ActionStatus.DONE}),
            target=ActionStatus.IN_PROGRESS,
            permission=MANAGE_ACTION,
            service=f"{SERVICES}.action_resume",
            reason=REQUIRED_REASON,
            style="outline-secondary",
        ),
    ],
)

"""The state machine of partnership agreements, declared once (core.workflow): what the
services apply, what the agreement's page offers, what the generic step view shows."""

from django.utils.translation import gettext_lazy as _

from amelio.core.workflow import OPTIONAL_REASON, REQUIRED_REASON, Transition, Workflow

from .choices import AgreementStatus, AgreementTransition

MANAGE = "partners.manage_agreement"
SERVICES = "amelio.partners.services"

AGREEMENT_WORKFLOW = Workflow(
    name="partnership agreement",
    record_argument="agreement",
    selector="amelio.partners.selectors.agreement_get",
    url_name="partners:agreement_step",
    refused=_("“%(transition)s” is not possible while the agreement is “%(status)s”."),
    transitions=[
        Transition(
            name=AgreementTransition.SUBMIT,
            sources=frozenset({AgreementStatus.DRAFT}),
            target=AgreementStatus.UNDER_REVIEW,
            permission=MANAGE,
            service=f"{SERVICES}.agreement_submit",
        ),
        Transition(
            name=AgreementTransition.REVISE,
            sources=frozenset({AgreementStatus.UNDER_REVIEW}),
            target=AgreementStatus.DRAFT,
            permission=MANAGE,
            service=f"{SERVICES}.agreement_revise",
            reason=REQUIRED_REASON,
            reason_label=_("What must change"),
            style="outline-secondary",
        ),
        Transition(
            name=AgreementTransition.SIGN,
            sources=frozenset({AgreementStatus.UNDER_REVIEW}),
            target=AgreementStatus.SIGNED,
            permission=MANAGE,
            service=f"{SERVICES}.agreement_sign",
            reason=OPTIONAL_REASON,
            reason_label=_("Comment"),
            form="amelio.partners.forms.SignForm",
            style="success",
        ),
        Transition(
            name=AgreementTransition.ACTIVATE,
            sources=frozenset({AgreementStatus.SIGNED}),
            target=AgreementStatus.ACTIVE,
            permission=MANAGE,
            service=f"{SERVICES}.agreement_activate",
            style="success",
        ),
        Transition(
            name=AgreementTransition.EXPIRE,
            sources=frozenset({AgreementStatus.ACTIVE, AgreementStatus.SIGNED}),
            target=AgreementStatus.EXPIRED,
            permission=MANAGE,
            service=f"{SERVICES}.agreement_expire",
            style="outline-secondary",
        ),
        Transition(
            name=AgreementTransition.TERMINATE,
            sources=frozenset({AgreementStatus.SIGNED, AgreementStatus.ACTIVE}),
            target=AgreementStatus.TERMINATED,
            permission=MANAGE,
            service=f"{SERVICES}.agreement_terminate",
            reason=REQUIRED_REASON,
            style="outline-danger",
        ),
    ],
)

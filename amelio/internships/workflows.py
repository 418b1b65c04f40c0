"""The state machine of internship agreements, declared once (core.workflow): what the
services apply, what the agreement's page offers, what the generic step view shows."""

from django.utils.translation import gettext_lazy as _

from amelio.core.workflow import REQUIRED_REASON, Transition, Workflow

from .choices import InternshipStatus, InternshipTransition

OFFICE = "internships.office"
VALIDATE = "internships.validate"
FOLLOW = "internships.follow"
SERVICES = "amelio.internships.services"

INTERNSHIP_WORKFLOW = Workflow(
    name="internship agreement",
    record_argument="internship",
    selector="amelio.internships.selectors.internship_get",
    url_name="internships:internship_step",
    refused=_("“%(transition)s” is not possible while the agreement is “%(status)s”."),
    # The agreement's rules are checked by the preconditions (its reference is no form field).
    validate=False,
    transitions=[
        Transition(
            name=InternshipTransition.CHECK,
            sources=frozenset({InternshipStatus.DRAFT}),
            target=InternshipStatus.CHECKED,
            permission=OFFICE,
            service=f"{SERVICES}.internship_check",
            style="success",
        ),
        Transition(
            name=InternshipTransition.RETURN,
            sources=frozenset({InternshipStatus.CHECKED, InternshipStatus.VALIDATED}),
            target=InternshipStatus.DRAFT,
            # Once validated, only the department that validated it may send it back.
            permission={InternshipStatus.CHECKED: OFFICE, InternshipStatus.VALIDATED: VALIDATE},
            service=f"{SERVICES}.internship_return",
            reason=REQUIRED_REASON,
            reason_label=_("What the student must correct"),
            style="outline-secondary",
        ),
        Transition(
            name=InternshipTransition.VALIDATE,
            sources=frozenset({InternshipStatus.CHECKED}),
            target=InternshipStatus.VALIDATED,
            permission=VALIDATE,
            service=f"{SERVICES}.internship_validate",
            style="success",
        ),
        Transition(
            name=InternshipTransition.SIGN,
            sources=frozenset({InternshipStatus.VALIDATED}),
            target=InternshipStatus.SIGNED,
            permission=OFFICE,
            service=f"{SERVICES}.internship_sign",
            form="amelio.internships.forms.SignForm",
            files=True,
            files_label=_("Signed agreement"),
        ),
        Transition(
            name=InternshipTransition.START,
            sources=frozenset({InternshipStatus.SIGNED}),
            target=InternshipStatus.UNDER_WAY,
            permission=FOLLOW,
            service=f"{SERVICES}.internship_start",
        ),
        Transition(
            name=InternshipTransition.FINISH,
            sources=frozenset({InternshipStatus.UNDER_WAY}),
            target=InternshipStatus.FINISHED,
            permission=FOLLOW,
            service=f"{SERVICES}.internship_finish",
        ),
        Transition(
            name=InternshipTransition.EVALUATE,
            sources=frozenset({InternshipStatus.FINISHED}),
            target=InternshipStatus.EVALUATED,
            permission=FOLLOW,
            service=f"{SERVICES}.internship_evaluate",
        ),
        Transition(
            name=InternshipTransition.CANCEL,
            sources=frozenset(
                {
                    InternshipStatus.DRAFT,
                    InternshipStatus.CHECKED,
                    InternshipStatus.VALIDATED,
                    InternshipStatus.SIGNED,
                    InternshipStatus.UNDER_WAY,
                }
            ),
            target=InternshipStatus.CANCELLED,
            permission=OFFICE,
            service=f"{SERVICES}.internship_cancel",
            reason=REQUIRED_REASON,
            style="outline-danger",
        ),
    ],
)

"""The state machine of a management review, declared once (core.workflow): draft →
compiled (the meeting; compiling again refreshes the figures) → approved by the director,
after which the review is frozen."""

from django.utils.translation import gettext_lazy as _

from amelio.core.workflow import Transition, Workflow

from .choices import ReviewStatus, ReviewTransition

SERVICES = "amelio.reviews.services"

REVIEW_WORKFLOW = Workflow(
    name="management_review",
    record_argument="review",
    selector="amelio.reviews.selectors.review_get",
    url_name="reviews:review_step",
    refused=_("“%(transition)s” is not possible while the review is “%(status)s”."),
    transitions=[
        Transition(
            name=ReviewTransition.COMPILE,
            sources=frozenset({ReviewStatus.DRAFT, ReviewStatus.COMPILED}),
            target=ReviewStatus.COMPILED,
            permission="reviews.prepare_review",
            service=f"{SERVICES}.review_compile",
        ),
        Transition(
            name=ReviewTransition.APPROVE,
            sources=frozenset({ReviewStatus.COMPILED}),
            target=ReviewStatus.APPROVED,
            permission="reviews.approve_review",
            service=f"{SERVICES}.review_approve",
            style="success",
        ),
    ],
)

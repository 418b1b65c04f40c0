"""The state machine of document versions, declared once (core.workflow): what the services
apply, what the version's page offers, what the generic step view shows.

draft → in review → approved → superseded (when the next version is approved) or obsolete
(withdrawn); a version in review may be sent back to its author."""

from django.utils.translation import gettext_lazy as _

from amelio.core.workflow import OPTIONAL_REASON, REQUIRED_REASON, Transition, Workflow

from .choices import VersionStatus, VersionTransition

SERVICES = "amelio.documents.services"

VERSION_WORKFLOW = Workflow(
    name="document version",
    record_argument="version",
    selector="amelio.documents.selectors.version_get",
    url_name="documents:version_step",
    refused=_("“%(transition)s” is not possible while the version is “%(status)s”."),
    transitions=[
        Transition(
            name=VersionTransition.SUBMIT,
            sources=frozenset({VersionStatus.DRAFT}),
            target=VersionStatus.IN_REVIEW,
            permission="documents.work_on_version",
            service=f"{SERVICES}.version_submit",
        ),
        Transition(
            name=VersionTransition.SEND_BACK,
            sources=frozenset({VersionStatus.IN_REVIEW}),
            target=VersionStatus.DRAFT,
            permission="documents.review_version",
            service=f"{SERVICES}.version_send_back",
            reason=REQUIRED_REASON,
            reason_label=_("What must change"),
            style="outline-secondary",
        ),
        Transition(
            name=VersionTransition.APPROVE,
            sources=frozenset({VersionStatus.IN_REVIEW}),
            target=VersionStatus.APPROVED,
            permission="documents.approve_version",
            service=f"{SERVICES}.version_approve",
            style="success",
        ),
        Transition(
            name=VersionTransition.SUPERSEDE,
            sources=frozenset({VersionStatus.APPROVED}),
            target=VersionStatus.SUPERSEDED,
            permission="documents.supersede_version",
            service=f"{SERVICES}.version_supersede",
            reason=OPTIONAL_REASON,
        ),
        Transition(
            name=VersionTransition.WITHDRAW,
            sources=frozenset({VersionStatus.APPROVED}),
            target=VersionStatus.OBSOLETE,
            permission="documents.withdraw_version",
            service=f"{SERVICES}.version_withdraw",
            reason=REQUIRED_REASON,
            reason_label=_("Why the document is withdrawn"),
            style="outline-danger",
        ),
    ],
)

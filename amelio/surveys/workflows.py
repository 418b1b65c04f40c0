"""The life of a survey campaign, declared once (core.workflow): draft → open → closed."""

from django.utils.translation import gettext_lazy as _

from amelio.core.workflow import Transition, Workflow

from .choices import CampaignStatus, CampaignTransition

MANAGE = "surveys.manage_campaign"
SERVICES = "amelio.surveys.services"

CAMPAIGN_WORKFLOW = Workflow(
    name="survey campaign",
    record_argument="campaign",
    selector="amelio.surveys.selectors.campaign_get",
    url_name="surveys:campaign_step",
    refused=_("“%(transition)s” is not possible while the campaign is “%(status)s”."),
    transitions=[
        Transition(
            name=CampaignTransition.OPEN,
            sources=frozenset({CampaignStatus.DRAFT}),
            target=CampaignStatus.OPEN,
            permission=MANAGE,
            service=f"{SERVICES}.campaign_open",
            style="success",
        ),
        Transition(
            name=CampaignTransition.CLOSE,
            sources=frozenset({CampaignStatus.OPEN}),
            target=CampaignStatus.CLOSED,
            permission=MANAGE,
            service=f"{SERVICES}.campaign_close",
            style="outline-secondary",
        ),
    ],
)

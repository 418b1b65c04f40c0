import datetime
from typing import Any

from django.apps import AppConfig
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

# A campaign closed longer ago than this no longer tells what people think now.
CAMPAIGN_FRESH_FOR = datetime.timedelta(days=366)


def _stale_campaigns(campaigns: QuerySet[Any]) -> QuerySet[Any]:
    """A campaign never opened, or closed more than a year ago."""
    from amelio.core import clock

    from .choices import CampaignStatus

    old = Q(status=CampaignStatus.CLOSED, closes_on__lt=clock.today() - CAMPAIGN_FRESH_FOR)
    return campaigns.filter(old | Q(status=CampaignStatus.DRAFT))


class SurveysConfig(AppConfig):
    name = "amelio.surveys"
    verbose_name = _("satisfaction surveys")

    def ready(self) -> None:
        # A campaign evidences the requirements on listening to people (9.1.2, Qualiopi 30).
        from amelio.standards.evidence import register_evidence_kind

        from . import (
            indicators,  # noqa: F401  (registers the computed indicators)
            navigation,  # noqa: F401  (adds its entries to the menu)
            review_inputs,  # noqa: F401  (registers its input to the management review)
            rules,  # noqa: F401  (registers the permission rules)
        )

        register_evidence_kind(
            "surveys.campaign",
            view_permission="surveys.view",
            link_permission="surveys.manage_campaign",
            stale=_stale_campaigns,
            order=60,
        )

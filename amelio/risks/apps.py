from typing import Any

from django.apps import AppConfig
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _


def _stale_risks(risks: QuerySet[Any]) -> QuerySet[Any]:
    """A current risk whose review date is past: its assessment is no longer vouched for."""
    from amelio.core import clock

    from .choices import CURRENT_RISK_STATUSES

    return risks.filter(status__in=CURRENT_RISK_STATUSES, review_on__lt=clock.today())


class RisksConfig(AppConfig):
    name = "amelio.risks"
    verbose_name = _("risks and opportunities")

    def ready(self) -> None:
        # A risk evidences the requirements it answers (6.1, Qualiopi 24-26).
        from amelio.standards.evidence import register_evidence_kind

        from . import (
            navigation,  # noqa: F401  (adds its entries to the menu and its home card)
            rules,  # noqa: F401  (registers the permission rules)
            tasks,  # noqa: F401  (registers the review reminder with the worker)
        )

        register_evidence_kind(
            "risks.risk",
            view_permission="risks.view_risk",
            link_permission="risks.manage_risk",
            stale=_stale_risks,
            order=35,
        )

        # What a management review reads of the actions taken on risks and opportunities.
        from .review_inputs import register

        register()

from typing import Any

from django.apps import AppConfig
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _


def _stale_actions(actions: QuerySet[Any]) -> QuerySet[Any]:
    from amelio.core import clock

    from .choices import ActionStatus

    late = Q(status__in=[ActionStatus.PLANNED, ActionStatus.IN_PROGRESS], due_on__lt=clock.today())
    return actions.filter(late | Q(status=ActionStatus.CANCELLED))


class ImprovementConfig(AppConfig):
    name = "amelio.improvement"
    verbose_name = _("improvement")

    def ready(self) -> None:
        from amelio.core.files import register_file_owner

        from . import (
            digest,  # noqa: F401  (adds its sections to the daily digest)
            navigation,  # noqa: F401  (adds its entries to the menu)
            review_inputs,  # noqa: F401  (its inputs of the management review)
            rules,  # noqa: F401  (registers the permission rules)
        )

        # Whoever sees an item or an action may download its files (core:file_download).
        register_file_owner("improvement.improvementitem", view_permission="improvement.view_item")
        register_file_owner("improvement.action", view_permission="improvement.view_action")

        from amelio.standards.evidence import register_evidence_kind

        from .choices import ItemStatus

        # An item or an action evidences the requirements it answers (10.2, Qualiopi 31-32);
        # a rejected or reopened item, a cancelled or overdue action, is stale evidence.
        register_evidence_kind(
            "improvement.improvementitem",
            view_permission="improvement.view_item",
            link_permission="improvement.manage_item",
            stale=lambda items: items.filter(status__in=[ItemStatus.REJECTED, ItemStatus.REOPENED]),
            order=40,
        )
        register_evidence_kind(
            "improvement.action",
            view_permission="improvement.view_action",
            link_permission="improvement.manage_action",
            stale=_stale_actions,
            order=41,
        )

from typing import Any

from django.apps import AppConfig
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _


def _stale_findings(findings: QuerySet[Any]) -> QuerySet[Any]:
    """A finding of a cancelled audit, or a nonconformity no improvement item follows up."""
    from .choices import AuditStatus, Grade

    untreated = Q(grade__in=[Grade.MAJOR_NONCONFORMITY, Grade.MINOR_NONCONFORMITY], improvement_item__isnull=True)
    return findings.filter(untreated | Q(audit__status=AuditStatus.CANCELLED))


class AuditsConfig(AppConfig):
    name = "amelio.audits"
    verbose_name = _("audits")

    def ready(self) -> None:
        # A finding evidences the requirement it was written against (9.2, Qualiopi 32).
        from amelio.standards.evidence import register_evidence_kind

        from . import (
            navigation,  # noqa: F401  (adds its entries to the menu)
            related,  # noqa: F401  (shows, on an improvement item's page, the finding it came from)
            review_inputs,  # noqa: F401  (registers the management review's "results of audits")
            rules,  # noqa: F401  (registers the permission rules)
        )

        register_evidence_kind(
            "audits.finding",
            view_permission="audits.view_finding",
            link_permission="audits.link_finding",
            stale=_stale_findings,
            order=70,
        )

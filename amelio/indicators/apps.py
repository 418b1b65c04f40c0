from typing import Any

from django.apps import AppConfig
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _


def _stale_indicators(indicators: QuerySet[Any]) -> QuerySet[Any]:
    """Without a value this academic year, an indicator no longer shows the requirement is met."""
    from .selectors import current_academic_year

    year = current_academic_year()
    if year is None:
        return indicators
    from .models import IndicatorValue

    measured = IndicatorValue.objects.filter(academic_year=year).values("indicator_id")
    return indicators.exclude(pk__in=measured)


def _stale_objectives(objectives: QuerySet[Any]) -> QuerySet[Any]:
    """An objective not achieved or abandoned, or still open past its due date."""
    from amelio.core import clock

    from .choices import ObjectiveStatus

    late = Q(status__in=[ObjectiveStatus.DRAFT, ObjectiveStatus.ACTIVE], due_on__lt=clock.today())
    return objectives.filter(late | Q(status__in=[ObjectiveStatus.NOT_ACHIEVED, ObjectiveStatus.ABANDONED]))


class IndicatorsConfig(AppConfig):
    name = "amelio.indicators"
    verbose_name = _("indicators")

    def ready(self) -> None:
        from amelio.core.files import register_file_owner
        from amelio.history.services import register_change_listener

        from . import (
            computed,  # noqa: F401  (registers this app's computed indicators)
            navigation,  # noqa: F401  (adds its entries to the menu)
            rules,  # noqa: F401  (registers the permission rules)
        )

        # A value's evidence file: seen by whoever sees the indicator.
        register_file_owner("indicators.indicatorvalue", view_permission="indicators.view_indicator")
        # Computed indicators are recomputed after the records they read change.
        from .services import records_changed

        register_change_listener(records_changed)
        # An indicator evidences the requirements it monitors (9.1, Qualiopi 30-32), an
        # objective those it answers (6.2); stale as said above.
        from amelio.standards.evidence import register_evidence_kind

        register_evidence_kind(
            "indicators.indicator",
            view_permission="indicators.view_indicator",
            link_permission="indicators.manage_indicators",
            stale=_stale_indicators,
            order=30,
        )
        register_evidence_kind(
            "indicators.objective",
            view_permission="indicators.view_objective",
            link_permission="indicators.manage_objective",
            stale=_stale_objectives,
            order=31,
        )

        # What a management review reads of the objectives and of process performance.
        from .review_inputs import register

        register()
        # The dashboard as a PDF is built by the worker.
        from amelio.core.prepared_exports import register_export_builder

        from .reports import DASHBOARD_PDF, build_dashboard_pdf

        register_export_builder(DASHBOARD_PDF, build_dashboard_pdf)

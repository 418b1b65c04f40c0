from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


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
        # What a management review reads of the objectives and of process performance.
        from .review_inputs import register

        register()
        # The dashboard as a PDF is built by the worker.
        from amelio.core.prepared_exports import register_export_builder

        from .reports import DASHBOARD_PDF, build_dashboard_pdf

        register_export_builder(DASHBOARD_PDF, build_dashboard_pdf)

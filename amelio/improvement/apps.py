from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


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

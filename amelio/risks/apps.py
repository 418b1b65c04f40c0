from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RisksConfig(AppConfig):
    name = "amelio.risks"
    verbose_name = _("risks and opportunities")

    def ready(self) -> None:
        from . import (
            navigation,  # noqa: F401  (adds its entries to the menu and its home card)
            rules,  # noqa: F401  (registers the permission rules)
            tasks,  # noqa: F401  (registers the review reminder with the worker)
        )

        # What a management review reads of the actions taken on risks and opportunities.
        from .review_inputs import register

        register()

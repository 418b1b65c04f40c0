from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditsConfig(AppConfig):
    name = "amelio.audits"
    verbose_name = _("audits")

    def ready(self) -> None:
        from . import (
            navigation,  # noqa: F401  (adds its entries to the menu)
            related,  # noqa: F401  (shows, on an improvement item's page, the finding it came from)
            review_inputs,  # noqa: F401  (registers the management review's "results of audits")
            rules,  # noqa: F401  (registers the permission rules)
        )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HistoryConfig(AppConfig):
    name = "amelio.history"
    verbose_name = _("history")

    def ready(self) -> None:
        from . import (
            navigation,  # noqa: F401  (adds its entries to the menu)
            rules,  # noqa: F401  (registers the permission rules)
        )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HistoryConfig(AppConfig):
    name = "amelio.history"
    verbose_name = _("history")

    def ready(self) -> None:
        from . import rules  # noqa: F401  (registers the permission rules)

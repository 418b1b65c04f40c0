from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImprovementConfig(AppConfig):
    name = "amelio.improvement"
    verbose_name = _("improvement")

    def ready(self) -> None:
        from . import rules  # noqa: F401  (registers the permission rules)

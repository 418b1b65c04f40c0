from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcessesConfig(AppConfig):
    name = "amelio.processes"
    verbose_name = _("processes")

    def ready(self) -> None:
        from . import rules  # noqa: F401  (registers the permission rules)

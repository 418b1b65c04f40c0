from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InternshipsConfig(AppConfig):
    name = "amelio.internships"
    verbose_name = _("internships")

    def ready(self) -> None:
        from . import rules  # noqa: F401  (registers the permission rules)

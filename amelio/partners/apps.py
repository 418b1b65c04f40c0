from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "amelio.partners"
    verbose_name = _("company partnerships")

    def ready(self) -> None:
        from . import rules  # noqa: F401  (registers the permission rules)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationConfig(AppConfig):
    name = "amelio.organisation"
    verbose_name = _("organisation")

    def ready(self) -> None:
        from . import rules  # noqa: F401  (registers the permission rules)

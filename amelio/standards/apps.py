from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StandardsConfig(AppConfig):
    name = "amelio.standards"
    verbose_name = _("standards")

    def ready(self) -> None:
        from . import (
            navigation,  # noqa: F401  (adds its menu entries)
            rules,  # noqa: F401  (registers the permission rules)
        )

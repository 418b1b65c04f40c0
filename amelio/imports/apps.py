from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "amelio.imports"
    verbose_name = _("imports")

    def ready(self) -> None:
        from amelio.core.files import register_file_owner

        from . import (
            navigation,  # noqa: F401  (adds its entries to the menu)
            rules,  # noqa: F401  (registers the permission rules)
        )

        # An import's file is for those who may import (and see the batch).
        register_file_owner("imports.importbatch", view_permission="imports.import")

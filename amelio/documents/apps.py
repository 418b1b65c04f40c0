from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "amelio.documents"
    verbose_name = _("documented information")

    def ready(self) -> None:
        from amelio.core.files import register_file_owner

        from . import (
            navigation,  # noqa: F401  (adds its menu entry and its home card)
            rules,  # noqa: F401  (registers the permission rules)
        )

        # Whoever may read the version may download its file (core:file_download).
        register_file_owner("documents.documentversion", view_permission="documents.view_version")

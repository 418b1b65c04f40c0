from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "amelio.documents"
    verbose_name = _("documented information")

    def ready(self) -> None:
        from amelio.core.files import register_file_owner
        from amelio.standards.evidence import register_evidence_kind

        from . import (
            navigation,  # noqa: F401  (adds its menu entry and its home card)
            rules,  # noqa: F401  (registers the permission rules)
        )
        from .selectors import stale_documents

        # Whoever may read the version may download its file (core:file_download).
        register_file_owner("documents.documentversion", view_permission="documents.view_version")
        register_evidence_kind(
            "documents.document",
            view_permission="documents.view_document",
            link_permission="documents.manage_document",
            stale=stale_documents,
            order=20,
        )

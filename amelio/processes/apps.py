from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcessesConfig(AppConfig):
    name = "amelio.processes"
    verbose_name = _("processes")

    def ready(self) -> None:
        from amelio.standards.evidence import register_evidence_kind

        from . import (
            navigation,  # noqa: F401  (adds its entries to the menu)
            review_inputs,  # noqa: F401  (its inputs of the management review)
            rules,  # noqa: F401  (registers the permission rules)
        )

        # A process evidences the requirements it answers; an inactive one no longer does.
        register_evidence_kind(
            "processes.process",
            view_permission="processes.view_process",
            link_permission="processes.change_process",
            stale=lambda processes: processes.filter(is_active=False),
            order=10,
        )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InternshipsConfig(AppConfig):
    name = "amelio.internships"
    verbose_name = _("internships")

    def ready(self) -> None:
        from amelio.core.files import register_file_owner

        from . import (
            company,  # noqa: F401  (its sections of the company page; moves its records on merges)
            digest,  # noqa: F401  (adds its section to the daily digest)
            navigation,  # noqa: F401  (adds its entries to the menu)
            review_inputs,  # noqa: F401  (its inputs of the management review)
            rules,  # noqa: F401  (registers the permission rules)
        )

        # Whoever sees the internship may download its signed agreement and its reports
        # (core:file_download).
        register_file_owner("internships.internship", view_permission="internships.view")

        from amelio.standards.evidence import register_evidence_kind

        # An internship agreement evidences company training (CTI C.4.1, Qualiopi 13 and 28);
        # the office links it.
        register_evidence_kind(
            "internships.internship", view_permission="internships.view", link_permission="internships.office", order=50
        )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "amelio.partners"
    verbose_name = _("company partnerships")

    def ready(self) -> None:
        from amelio.core.files import register_file_owner

        from . import (
            navigation,  # noqa: F401  (adds its entries to the menu)
            review_inputs,  # noqa: F401  (its inputs of the management review)
            rules,  # noqa: F401  (registers the permission rules)
        )

        # Whoever sees the agreement may download its signed copy (core:file_download).
        register_file_owner("partners.partnershipagreement", view_permission="partners.view_companies")

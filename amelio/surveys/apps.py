from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "amelio.surveys"
    verbose_name = _("satisfaction surveys")

    def ready(self) -> None:
        from . import (
            indicators,  # noqa: F401  (registers the computed indicators)
            navigation,  # noqa: F401  (adds its entries to the menu)
            review_inputs,  # noqa: F401  (registers its input to the management review)
            rules,  # noqa: F401  (registers the permission rules)
        )

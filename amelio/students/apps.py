from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StudentsConfig(AppConfig):
    name = "amelio.students"
    verbose_name = _("students and graduates")

    def ready(self) -> None:
        from . import (
            company,  # noqa: F401  (adds the graduates hired to a company's page)
            indicators,  # noqa: F401  (registers the computed indicators)
            navigation,  # noqa: F401  (adds its entries to the menu)
            populations,  # noqa: F401  (gives the graduates of a year to survey campaigns)
            rules,  # noqa: F401  (registers the permission rules)
        )

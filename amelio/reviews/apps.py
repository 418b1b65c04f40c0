from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "amelio.reviews"
    verbose_name = _("management reviews")

    def ready(self) -> None:
        from . import (
            navigation,  # noqa: F401  (adds its entry to the menu)
            related,  # noqa: F401  (shows, on an action's page, the decision it carries out)
            review_inputs,  # noqa: F401  (status of previous decisions; adequacy of resources)
            rules,  # noqa: F401  (registers the permission rules)
        )

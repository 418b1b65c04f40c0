from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "amelio.notifications"
    verbose_name = _("notifications")

    def ready(self) -> None:
        from . import rules  # noqa: F401  (registers the permission rules)

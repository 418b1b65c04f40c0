from django.db import models
from django.utils.translation import gettext_lazy as _


class HistoryAction(models.TextChoices):
    CREATE = "create", _("created")
    UPDATE = "update", _("updated")
    DELETE = "delete", _("deleted")
    TRANSITION = "transition", _("state changed")
    GRANT = "grant", _("role granted")
    REVOKE = "revoke", _("role revoked")
    APPROVE = "approve", _("approved")

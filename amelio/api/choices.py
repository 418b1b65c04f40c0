from django.db import models
from django.utils.translation import gettext_lazy as _


class TokenScope(models.TextChoices):
    """What a personal API token may do, within what its owner may do."""

    READ = "read", _("read only")
    READ_WRITE = "read-write", _("read and write")

from django.db import models
from django.utils.translation import gettext_lazy as _


class EmailMode(models.TextChoices):
    IMMEDIATE = "immediate", _("an email for each notification")
    DIGEST = "digest", _("one daily digest")

from django.db import models
from django.utils.translation import gettext_lazy as _


class Apprenticeship(models.TextChoices):
    """Whether a requirement applies to apprenticeship training (a CFA is audited on it)."""

    NOT_STATED = "", _("not stated")
    APPLIES = "applies", _("applies to apprenticeship training")
    ONLY = "only", _("apprenticeship training only")


class Coverage(models.TextChoices):
    """How well a requirement is evidenced (the coverage view's colours)."""

    COVERED = "covered", _("covered")
    STALE = "stale", _("only stale evidence")
    UNCOVERED = "uncovered", _("no evidence")


class AccessStatus(models.TextChoices):
    """An external auditor's access: granted until its end date (it ends by itself), or
    revoked before it."""

    GRANTED = "granted", _("granted")
    REVOKED = "revoked", _("revoked")


class AccessTransition(models.TextChoices):
    REVOKE = "revoke", _("Revoke")

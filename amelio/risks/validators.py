"""The rules on a risk's values that depend on the school's scale and on its kind: checked
by the services, and by the form before the model's own checks, each on its field."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .choices import TREATMENTS_OF_KIND, RiskKind, Treatment

SCALED_FIELDS = ("likelihood", "impact", "residual_likelihood", "residual_impact")


def check_risk_values(data: dict[str, Any], *, maximum: int) -> None:
    """Each value within 1..`maximum`; both residual values or neither; a treatment of the
    risk's kind. Raises a ValidationError naming each field in error."""
    errors: dict[str, str] = {}
    for name in SCALED_FIELDS:
        value = data.get(name)
        if value is not None and not 1 <= int(value) <= maximum:
            errors[name] = _("Give a value from 1 to %(maximum)s (the school's scale).") % {"maximum": maximum}
    if (data.get("residual_likelihood") is None) != (data.get("residual_impact") is None):
        missing = "residual_impact" if data.get("residual_impact") is None else "residual_likelihood"
        errors.setdefault(missing, _("Give both the residual likelihood and the residual impact, or neither."))
    kind, treatment = data.get("kind") or RiskKind.RISK, data.get("treatment") or ""
    if treatment and treatment not in TREATMENTS_OF_KIND[kind]:
        allowed = ", ".join(str(choice.label) for choice in Treatment if choice in TREATMENTS_OF_KIND[kind])
        errors["treatment"] = _("For the kind “%(kind)s”, choose one of: %(allowed)s.") % {
            "kind": RiskKind(kind).label,
            "allowed": allowed,
        }
    if errors:
        raise ValidationError(errors)

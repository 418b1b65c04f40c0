"""Vocabulary of the risk and opportunity register (ISO 9001 clause 6.1)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RiskKind(models.TextChoices):
    RISK = "risk", _("risk")
    OPPORTUNITY = "opportunity", _("opportunity")


# Reference prefixes: RI-2026-0007 (risque), OP-2026-0003 (opportunité).
REFERENCE_PREFIX = {RiskKind.RISK: "RI", RiskKind.OPPORTUNITY: "OP"}


class Treatment(models.TextChoices):
    """One vocabulary for both kinds: a threat is accepted, reduced, transferred or avoided;
    an opportunity is accepted, exploited, enhanced or shared."""

    ACCEPT = "accept", _("accept")
    REDUCE = "reduce", _("reduce")
    TRANSFER = "transfer", _("transfer")
    AVOID = "avoid", _("avoid")
    EXPLOIT = "exploit", _("exploit")
    ENHANCE = "enhance", _("enhance")
    SHARE = "share", _("share")


TREATMENTS_OF_KIND: dict[str, frozenset[str]] = {
    RiskKind.RISK: frozenset({Treatment.ACCEPT, Treatment.REDUCE, Treatment.TRANSFER, Treatment.AVOID}),
    RiskKind.OPPORTUNITY: frozenset({Treatment.ACCEPT, Treatment.EXPLOIT, Treatment.ENHANCE, Treatment.SHARE}),
}


class RiskStatus(models.TextChoices):
    OPEN = "open", _("open")
    TREATED = "treated", _("treated")
    CLOSED = "closed", _("closed")


class RiskTransition(models.TextChoices):
    TREAT = "treat", _("mark as treated")
    CLOSE = "close", _("close")
    REOPEN = "reopen", _("reopen")


# The state machine itself is declared in workflows.py.
CURRENT_RISK_STATUSES = frozenset({RiskStatus.OPEN, RiskStatus.TREATED})


class ScaleMaximum(models.IntegerChoices):
    FOUR = 4, _("1 to 4")
    FIVE = 5, _("1 to 5")


DEFAULT_SCALE_MAXIMUM = ScaleMaximum.FIVE
# The largest value any scale allows: what the database itself refuses above.
LARGEST_SCALE_VALUE = max(ScaleMaximum.values)


class ScoreLevel(models.TextChoices):
    LOW = "low", _("low")
    MEDIUM = "medium", _("medium")
    HIGH = "high", _("high")
    CRITICAL = "critical", _("critical")


def score_level(score: int | None, maximum: int) -> str:
    """The level of a score on a scale of 1 to `maximum`, by its share of the largest score:
    on 1–5, 1–4 low, 5–9 medium, 10–14 high, 15–25 critical; on 1–4, 1–3, 4–6, 8–9, 12–16."""
    if not score:
        return ""
    share = score / (maximum * maximum)
    if share < 0.2:
        return ScoreLevel.LOW
    if share < 0.4:
        return ScoreLevel.MEDIUM
    if share < 0.6:
        return ScoreLevel.HIGH
    return ScoreLevel.CRITICAL

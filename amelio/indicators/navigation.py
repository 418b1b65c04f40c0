"""The indicators section of the menu, and the home card of those who answer for
indicators: theirs off target this year (see core.registry)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from amelio.core.permissions import can
from amelio.core.registry import register_home_card, register_my_work_section, register_navigation
from amelio.core.reversing import reverse


def _items(user: Any) -> list[tuple[Any, str]]:
    if not can(user, "indicators.view_indicator"):
        return []
    return [
        (_("School dashboard"), reverse("indicators:dashboard")),
        (_("My indicators"), reverse("indicators:my_dashboard")),
        (_("Indicators"), reverse("indicators:indicator_list")),
        (_("Published results"), reverse("indicators:published_results")),
    ]


register_navigation("indicators", label=_("Indicators"), order=35, name="indicators", items=_items)


def _objective_items(user: Any) -> list[tuple[Any, str]]:
    if not can(user, "indicators.view_objective"):
        return []
    return [(_("Quality objectives"), reverse("indicators:objective_list"))]


def _objectives_at_risk_card(user: Any) -> dict[str, Any] | None:
    from .selectors import objectives_at_risk

    if not can(user, "indicators.view_objective"):
        return None
    objectives = objectives_at_risk(user=user)
    return {"objectives": objectives} if objectives else None


register_navigation(
    "indicators", label=_("Indicators"), order=35, name="objectives", items=_objective_items, item_order=10
)
register_home_card(
    "objectives_at_risk",
    order=15,
    template_name="indicators/_home_objectives_at_risk.html",
    build=_objectives_at_risk_card,
)


def _off_target_card(user: Any) -> dict[str, Any] | None:
    """For whoever answers for indicators (rules.answered_for): those of the current year not
    on target. Left out for everyone else."""
    if not can(user, "indicators.view_indicator"):
        return None
    from amelio.core.permissions import roles_for

    from .choices import DashboardKind
    from .models import Indicator
    from .rules import answered_for
    from .selectors import current_academic_year, dashboard_for

    if not Indicator.objects.filter(answered_for(roles_for(user))).exists():
        return None  # one query for the many who answer for no indicator
    year = current_academic_year()
    board = dashboard_for(user=user, kind=DashboardKind.MINE, academic_year=year, charts=False)
    if not board.lines:
        return None
    off_target = board.off_target
    return {"board": board, "off_target": off_target[:HOME_CARD_LINES], "more": len(off_target[HOME_CARD_LINES:])}


HOME_CARD_LINES = 8  # the rest is one click away, on the "my indicators" dashboard


register_home_card(
    "my_indicators_off_target", order=40, template_name="indicators/_home_off_target.html", build=_off_target_card
)


# "My work" (the improvement app's page, through core.registry) -------------------------------

MY_WORK_LINES = 20  # the lists of objectives and of the raised items hold them all


def _my_objectives_section(user: Any) -> dict[str, Any] | None:
    """The active objectives a person owns, each with its standing against its indicators."""
    from .selectors import my_active_objectives

    objectives = my_active_objectives(user=user)
    if not objectives:
        return None
    return {"objectives": objectives[:MY_WORK_LINES], "more": len(objectives[MY_WORK_LINES:])}


def _off_target_items(user: Any) -> dict[str, Any] | None:
    """The open improvement items raised by values off target, for whoever must act on them:
    the owner of the item's process, and whoever answers for the indicator."""
    from .selectors import my_open_off_target_items

    if not can(user, "indicators.view_indicator"):
        return None
    raised = my_open_off_target_items(user=user)
    if not raised:
        return None
    return {"raised": raised[:MY_WORK_LINES], "more": len(raised[MY_WORK_LINES:])}


register_my_work_section(
    "my_objectives", order=10, template_name="indicators/_work_objectives.html", build=_my_objectives_section
)
register_my_work_section(
    "off_target_items", order=20, template_name="indicators/_work_off_target_items.html", build=_off_target_items
)
register_home_card(
    "off_target_items", order=41, template_name="indicators/_work_off_target_items.html", build=_off_target_items
)

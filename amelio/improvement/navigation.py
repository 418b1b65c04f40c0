"""The improvement section of the menu (see core.registry)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from amelio.core.permissions import can
from amelio.core.registry import register_home_card, register_navigation


def _items(user: Any) -> list[tuple[Any, str]]:
    items = [
        (_("Report a problem or an idea"), reverse("improvement:item_create")),
        (_("My work"), reverse("improvement:my_work")),
        (_("Improvement register"), reverse("improvement:item_list")),
        (_("Action register"), reverse("improvement:action_list")),
    ]
    if can(user, "organisation.view_staff_pages"):
        items += [
            (_("Board by state"), reverse("improvement:item_board")),
            (_("Figures"), reverse("improvement:dashboard")),
        ]
    return items


register_navigation("improvement", label=_("Improvement"), order=30, name="improvement", items=_items)


# The home page: what waits on the person (core/_home_counts.html) ---------------------------


def _my_work_card(user: Any) -> dict[str, Any] | None:
    """Their overdue and soon-due actions, and the items waiting on their decision: each a
    count linked to the register filtered to exactly those rows. Left out when all are zero."""
    from django.utils.http import urlencode
    from django.utils.translation import ngettext

    from .selectors import DUE_SOON_DAYS, my_home_counts

    counts = my_home_counts(user=user)
    actions = reverse("improvement:action_list")
    rows = [
        {
            "count": counts["overdue"],
            "label": ngettext("action of mine overdue", "actions of mine overdue", counts["overdue"]),
            "url": f"{actions}?{urlencode({'owner': user.pk, 'overdue': 'true'})}",
            "tone": "danger",
            "testid": "home-actions-overdue",
        },
        {
            "count": counts["due_soon"],
            "label": ngettext(
                "action of mine due within %(days)s days",
                "actions of mine due within %(days)s days",
                counts["due_soon"],
            )
            % {"days": DUE_SOON_DAYS},
            "url": f"{actions}?{urlencode({'owner': user.pk, 'due_soon': 'true'})}",
            "tone": "warning",
            "testid": "home-actions-due-soon",
        },
        {
            "count": counts["waiting"],
            "label": ngettext(
                "improvement item waiting on my decision",
                "improvement items waiting on my decision",
                counts["waiting"],
            ),
            "url": reverse("improvement:item_list") + "?waiting=true",
            "tone": "primary",
            "testid": "home-items-waiting",
        },
    ]
    rows = [row for row in rows if row["count"]]
    if not rows:
        return None
    return {"title": _("My improvement work"), "icon": "check2-square", "testid": "home-my-work", "rows": rows}


register_home_card("my_improvement_work", order=5, template_name="core/_home_counts.html", build=_my_work_card)

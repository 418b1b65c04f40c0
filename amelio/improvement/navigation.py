"""The improvement section of the menu (see core.registry)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from amelio.core.permissions import can
from amelio.core.registry import HomeCount, register_home_counts, register_navigation
from amelio.core.reversing import reverse


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


# The home page: what waits on the person (core.registry.register_home_counts) ---------------


def _my_work_counts(user: Any) -> list[HomeCount]:
    """Their overdue and soon-due actions, and the items waiting on their decision: each a
    count linked to the register filtered to exactly those rows."""
    from django.utils.http import urlencode
    from django.utils.translation import ngettext

    from .selectors import DUE_SOON_DAYS, my_home_querysets

    querysets = my_home_querysets(user=user)
    actions = reverse("improvement:action_list")
    return [
        HomeCount(
            label=lambda n: ngettext("action of mine overdue", "actions of mine overdue", n),
            queryset=querysets["overdue"],
            url=f"{actions}?{urlencode({'owner': user.pk, 'overdue': 'true'})}",
            tone="danger",
            testid="home-actions-overdue",
        ),
        HomeCount(
            label=lambda n: (
                ngettext("action of mine due within %(days)s days", "actions of mine due within %(days)s days", n)
                % {"days": DUE_SOON_DAYS}
            ),
            queryset=querysets["due_soon"],
            url=f"{actions}?{urlencode({'owner': user.pk, 'due_soon': 'true'})}",
            tone="warning",
            testid="home-actions-due-soon",
        ),
        HomeCount(
            label=lambda n: ngettext(
                "improvement item waiting on my decision", "improvement items waiting on my decision", n
            ),
            queryset=querysets["waiting"],
            url=reverse("improvement:item_list") + "?waiting=true",
            tone="primary",
            testid="home-items-waiting",
        ),
    ]


register_home_counts("my-work", order=5, title=_("My improvement work"), icon="check2-square", build=_my_work_counts)

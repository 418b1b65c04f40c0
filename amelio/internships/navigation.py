"""The internship entries of the "Companies & internships" menu section (see core.registry)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from amelio.core.permissions import can
from amelio.core.registry import HomeCount, register_home_counts, register_navigation
from amelio.core.reversing import reverse
from amelio.partners.navigation import PARTNERSHIPS_LABEL, PARTNERSHIPS_ORDER, PARTNERSHIPS_SECTION


def _items(user: Any) -> list[tuple[Any, str]]:
    items = [
        (_("Internships"), reverse("internships:internship_list")),
        (_("Internship follow-up"), reverse("internships:follow_up")),
    ]
    if can(user, "organisation.view_staff_pages"):
        items.append((_("Internship figures"), reverse("internships:figures")))
    return items


register_navigation(
    PARTNERSHIPS_SECTION,
    label=PARTNERSHIPS_LABEL,
    order=PARTNERSHIPS_ORDER,
    name="internships",
    items=_items,
    item_order=10,
)


# The home page: what waits on the person (core.registry.register_home_counts) ---------------


def _home_counts(user: Any) -> list[HomeCount]:
    """Agreements waiting on the person's step, and milestones late or due soon of the
    internships they follow (the office), tutor or do (a student): each a count linked to the
    list or board filtered to exactly those rows."""
    from django.utils.translation import ngettext

    from .selectors import DUE_SOON_DAYS, WAITING_STEPS, home_querysets

    querysets = home_querysets(user=user)
    agreements = reverse("internships:internship_list")
    board = reverse("internships:follow_up") + (
        # Every year's milestones, as counted (the board shows the current year by default).
        "?academic_year=&mine=true&when=" if querysets["only_mine"] else "?academic_year=&when="
    )
    labels = {
        "check": lambda n: ngettext("agreement to check", "agreements to check", n),
        "validate": lambda n: ngettext("agreement to validate", "agreements to validate", n),
        "sign": lambda n: ngettext(
            "validated agreement waiting for its signatures", "validated agreements waiting for their signatures", n
        ),
    }
    return [
        HomeCount(
            label=lambda n: ngettext("internship milestone late", "internship milestones late", n),
            queryset=querysets["late"],
            url=board + "late",
            tone="danger",
            testid="home-milestones-late",
        ),
        HomeCount(
            label=lambda n: (
                ngettext(
                    "internship milestone due within %(days)s days", "internship milestones due within %(days)s days", n
                )
                % {"days": DUE_SOON_DAYS}
            ),
            queryset=querysets["soon"],
            url=board + "soon",
            tone="warning",
            testid="home-milestones-soon",
        ),
        *(
            HomeCount(
                label=labels[step],
                queryset=querysets[step],
                url=f"{agreements}?waiting={step}",
                tone="primary",
                testid=f"home-agreements-{step}",
            )
            for step in WAITING_STEPS
            if step in querysets
        ),
    ]


register_home_counts("internships", order=6, title=_("Internships"), icon="briefcase", build=_home_counts)

"""The improvement part of each person's daily digest: their open actions due within a
week or overdue, and the open items waiting on them to move."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext as _

from amelio.notifications.digest import absolute, digest_section

from . import selectors

DUE_SOON_DAYS = 7


@digest_section
def actions_due(person: Any, day: datetime.date) -> tuple[str, list[str]]:
    """Open actions owned by `person`, overdue or due by `day` + 7 days, soonest first."""
    horizon = day + datetime.timedelta(days=DUE_SOON_DAYS)
    lines = []
    for action in selectors.my_work(user=person)["actions"]:
        if action.due_on > horizon:
            continue
        values = {"date": action.due_on.isoformat(), "title": action.title}
        if action.due_on < day:
            line = _("Overdue since %(date)s: %(title)s") % values
        else:
            line = _("Due on %(date)s: %(title)s") % values
        if action.item is not None:
            line += f" ({action.item.reference})"
        lines.append(f"{line} {absolute(action.get_absolute_url())}")
    return _("Your actions due within %(days)s days or overdue") % {"days": DUE_SOON_DAYS}, lines


@digest_section
def items_to_move(person: Any, day: datetime.date) -> tuple[str, list[str]]:
    """Open items whose next step is `person`'s, with their target date when they have one."""
    lines = []
    for item in selectors.my_work(user=person)["items_to_move"]:
        line = f"{item.reference} {item.title} ({item.get_status_display()})"
        if item.due_on is not None:
            if item.due_on < day:
                line += " " + _("overdue since %(date)s") % {"date": item.due_on.isoformat()}
            else:
                line += " " + _("target date %(date)s") % {"date": item.due_on.isoformat()}
        lines.append(f"{line} {absolute(item.get_absolute_url())}")
    return _("Improvement items waiting on you"), lines

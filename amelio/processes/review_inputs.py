"""The input of a management review the context of the school holds (ISO 9001 9.3.2 b):
changes in external and internal issues, compiled for a period (see core.registry): the
issues reviewed in the period, those now held relevant by origin and effect, and the
interested parties by relevance."""

from __future__ import annotations

import datetime
from collections import Counter
from typing import Any

from django.utils.translation import gettext_lazy

from amelio.core.frozen_text import choice_text, display
from amelio.core.frozen_text import gettext_frozen as _
from amelio.core.registry import register_review_input

from .choices import IssueEffect, IssueOrigin, Relevance
from .models import ContextIssue, InterestedParty


def context_changes(starts_on: datetime.date, ends_on: datetime.date) -> dict[str, Any]:
    issues = list(ContextIssue.objects.order_by("origin", "title"))
    reviewed = [issue for issue in issues if issue.reviewed_on and starts_on <= issue.reviewed_on <= ends_on]
    withdrawn = [issue for issue in reviewed if not issue.is_active]
    relevant = Counter((issue.origin, issue.effect) for issue in issues if issue.is_active)
    parties = Counter(InterestedParty.objects.values_list("relevance", flat=True))
    return {
        "figures": [
            {"label": _("Issues reviewed in the period"), "value": len(reviewed), "unit": "", "note": ""},
            {"label": _("of which no longer relevant"), "value": len(withdrawn), "unit": "", "note": ""},
            {
                "label": _("Issues held relevant"),
                "value": sum(relevant.values()),
                "unit": "",
                "note": "",
            },
            {
                "label": _("Interested parties of high relevance"),
                "value": parties[Relevance.HIGH],
                "unit": "",
                "note": _("of %(total)s") % {"total": sum(parties.values())},
            },
        ],
        "tables": [
            {
                "title": _("Issues held relevant, by origin and effect"),
                "columns": [_("Origin"), *[choice_text(effect.label) for effect in IssueEffect]],
                "rows": [
                    [choice_text(origin.label), *[relevant[(origin.value, effect.value)] for effect in IssueEffect]]
                    for origin in IssueOrigin
                ],
            },
            *(
                [
                    {
                        "title": _("Issues reviewed in the period"),
                        "columns": [_("Issue"), _("Origin"), _("Effect"), _("Reviewed on"), _("Still relevant")],
                        "rows": [
                            [
                                issue.title,
                                display(issue, "origin"),
                                display(issue, "effect"),
                                issue.reviewed_on.isoformat() if issue.reviewed_on else "",
                                _("yes") if issue.is_active else _("no"),
                            ]
                            for issue in reviewed
                        ],
                    }
                ]
                if reviewed
                else []
            ),
        ],
        "summary": _("%(reviewed)s issues reviewed in the period, %(relevant)s held relevant.")
        % {"reviewed": len(reviewed), "relevant": sum(relevant.values())},
    }


register_review_input(
    "context",
    order=20,
    clause="9.3.2 b)",
    title=gettext_lazy("Changes in external and internal issues and interested parties"),
    compile=context_changes,
)

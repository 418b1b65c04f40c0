"""The "Surveys" menu entries (see core.registry)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from amelio.core.permissions import can
from amelio.core.registry import HomeCount, register_home_counts, register_navigation
from amelio.core.reversing import reverse


def _items(user: Any) -> list[tuple[Any, str]]:
    if not can(user, "surveys.view"):
        return []
    return [
        (_("Survey campaigns"), reverse("surveys:campaign_list")),
        (_("Questionnaires"), reverse("surveys:questionnaire_list")),
    ]


register_navigation("surveys", label=_("Surveys"), order=47, name="surveys", items=_items)


def _to_answer_counts(user: Any) -> list[HomeCount]:
    """The surveys waiting on the person, linked to their "surveys to answer" page."""
    from django.utils.translation import ngettext

    from .selectors import my_invitations

    return [
        HomeCount(
            label=lambda n: ngettext("survey to answer", "surveys to answer", n),
            queryset=my_invitations(user=user),
            url=reverse("surveys:my_invitations"),
            tone="primary",
            testid="home-surveys-to-answer",
        )
    ]


register_home_counts("surveys", order=7, title=_("Surveys"), icon="ui-checks", build=_to_answer_counts)

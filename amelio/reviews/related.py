"""Where an improvement action came from, shown on its page (core.registry's related
records): the management review whose decision it carries out, linked to the review's
decisions when the reader may see the review, named without a link otherwise."""

from __future__ import annotations

from typing import Any

from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from amelio.core.permissions import can
from amelio.core.registry import register_related_records

from .models import ReviewDecision


def action_decision(user: Any, action: Any) -> list[dict[str, Any]]:
    decision = ReviewDecision.objects.select_related("review").filter(action_id=action.pk).first()
    if decision is None:
        return []
    review = decision.review
    # The meeting's date; a review still being prepared has none yet: its period's end.
    held_on = date_format(review.meeting_on or review.ends_on, "DATE_FORMAT")
    if can(user, "reviews.view_review", review):
        text = format_html(
            _("Decided at management review of {date} ({review}): {decision}"),
            date=held_on,
            review=format_html(
                '<a href="{}" data-testid="related-review">{}</a>', decision.get_absolute_url(), review.reference
            ),
            decision=Truncator(decision.text).chars(160),
        )
    else:
        text = format_html(
            _("Decided at management review of {date} ({review})"), date=held_on, review=review.reference
        )
    return [{"heading": _("Management review decision"), "text": text, "testid": "related-review-decision"}]


register_related_records("improvement.action", name="review_decision", order=20, build=action_decision)

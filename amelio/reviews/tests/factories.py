from __future__ import annotations

import datetime
from typing import Any

from amelio.reviews.choices import ReviewStatus
from amelio.reviews.models import ManagementReview, ReviewSection
from amelio.reviews.services import compile_inputs

_numbers = iter(range(1, 10_000))


def review_of(
    school: dict[str, Any],
    *,
    status: str = ReviewStatus.DRAFT,
    starts_on: datetime.date = datetime.date(2025, 9, 1),
    ends_on: datetime.date = datetime.date(2026, 8, 31),
    notes: bool = False,
) -> ManagementReview:
    """A review chaired by the director with the civil engineering teacher taking part; in a
    compiled or approved state, its sections compiled from the live data (with notes if asked)."""
    review = ManagementReview.objects.create(
        reference=f"RDD-T-{next(_numbers):04d}",
        title="Revue de direction",
        starts_on=starts_on,
        ends_on=ends_on,
        meeting_on=ends_on,
        chair=school["director"],
        status=status,
        created_by=school["quality_manager"],
    )
    review.participants.set([school["teacher"], school["quality_manager"]])
    if status != ReviewStatus.DRAFT:
        for compiled in compile_inputs(starts_on, ends_on):
            ReviewSection.objects.create(
                review=review,
                key=compiled["key"],
                order=compiled["order"],
                clause=compiled["clause"],
                title=compiled["title"],
                snapshot=compiled["snapshot"],
                note="Examiné en séance." if notes or status == ReviewStatus.APPROVED else "",
            )
    return review

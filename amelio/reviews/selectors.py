"""Reads of the management reviews, in the reader's scope."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from amelio.core.charts import bar_chart, line_chart
from amelio.core.frozen_text import thaw
from amelio.core.permissions import visible

from .models import ManagementReview, ReviewDecision, ReviewSection


def review_list(*, user: Any) -> QuerySet[ManagementReview]:
    return visible(user, ManagementReview.objects.select_related("chair"))


def review_get(*, user: Any, pk: int) -> ManagementReview:
    """A review the user may see (else 404)."""
    return get_object_or_404(review_list(user=user), pk=pk)


def review_detail(*, user: Any, pk: int) -> ManagementReview:
    """The review with its participants, sections and decisions (their actions and owners)."""
    queryset = (
        review_list(user=user)
        .select_related("approved_by")
        .prefetch_related(
            "participants",
            Prefetch("sections", queryset=ReviewSection.objects.select_related("note_by")),
            Prefetch(
                "decisions",
                queryset=ReviewDecision.objects.select_related("section", "action", "action__owner"),
            ),
        )
    )
    return get_object_or_404(queryset, pk=pk)


def _drawn(chart: dict[str, Any]) -> Any:
    """The chart of a snapshot drawn by core.charts: one picture for the page and the PDF."""
    labels = [str(label) for label in chart.get("labels", [])]
    series = chart.get("series", [])
    if chart.get("kind") == "line":
        return line_chart(
            x_labels=labels,
            series=[(str(line.get("name", "")), line.get("values", [])) for line in series],
        )
    values = series[0].get("values", []) if series else []
    return bar_chart(
        [
            (label, value, f"{value:g}" if isinstance(value, int | float) else str(value))
            for label, value in zip(labels, values, strict=False)
            if isinstance(value, int | float)
        ]
    )


@dataclass
class SectionView:
    """A section of a review as the page and the PDF show it: its title and its snapshot's
    texts in the reader's language (core.frozen_text), its figures as they were frozen."""

    section: ReviewSection
    snapshot: dict[str, Any] = field(default_factory=dict)
    charts: list[tuple[str, str, Any]] = field(default_factory=list)  # (title, kind, drawn chart)

    @property
    def title(self) -> str:
        return self.section.display_title


def review_sections(review: ManagementReview) -> list[SectionView]:
    """The review's sections (already prefetched) with their charts drawn."""
    views = []
    for section in review.sections.all():
        snapshot = thaw(section.snapshot or {})
        charts = [
            (str(chart.get("title", "")), chart.get("kind", "bar"), _drawn(chart))
            for chart in snapshot.get("charts", [])
        ]
        views.append(SectionView(section=section, snapshot=snapshot, charts=charts))
    return views

"""Reads of internship agreements, narrowed to what the user may see."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import BooleanField, Case, Count, Prefetch, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone

from amelio.core.models import StoredFile
from amelio.core.permissions import visible

from .choices import FOLLOWED_STATUSES
from .models import Evaluation, EvaluationLink, Internship, Milestone


def internship_list(*, user: Any) -> QuerySet[Internship]:
    return visible(
        user,
        Internship.objects.select_related(
            "student", "company", "academic_tutor", "programme__department", "academic_year"
        ),
    ).order_by("-starts_on", "id")


def internship_get(*, user: Any, pk: int) -> Internship:
    return get_object_or_404(internship_list(user=user), pk=pk)


def internship_detail(*, user: Any, pk: int) -> Internship:
    queryset = (
        internship_list(user=user)
        .select_related("site", "company_tutor", "amends")
        .prefetch_related(
            Prefetch(
                "milestones",
                queryset=Milestone.objects.select_related("done_by")
                .annotate(is_late=late_condition(timezone.localdate()))
                .order_by("due_on", "id"),
            ),
            Prefetch("evaluation_links", queryset=EvaluationLink.objects.order_by("-created_at")),
            Prefetch("evaluations", queryset=Evaluation.objects.order_by("kind")),
            Prefetch("files", queryset=StoredFile.objects.select_related("uploaded_by")),
        )
    )
    return get_object_or_404(queryset, pk=pk)


def followed_milestones(*, user: Any, today: datetime.date | None = None) -> QuerySet[Milestone]:
    """The open milestones of the internships the user may see and follows (signed to
    evaluated), what is due first: the late ones (most overdue first), then the soonest due.

    `is_late` is said here, once, for every page that shows a milestone: due before today and
    not done, whatever the internship's state — a signed internship whose start went by
    without its arrival confirmed is late like one under way."""
    today = today or timezone.localdate()
    internships = internship_list(user=user).filter(status__in=FOLLOWED_STATUSES)
    return (
        Milestone.objects.filter(internship__in=internships.values("pk"), done_on__isnull=True)
        .annotate(is_late=late_condition(today))
        .select_related(
            "internship__student",
            "internship__company",
            "internship__academic_tutor",
            "internship__programme__department",
        )
        .order_by("due_on", "id")
    )


def late_condition(today: datetime.date) -> Case:
    return Case(
        When(done_on__isnull=True, due_on__lt=today, then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )


def follow_up_counts(milestones: QuerySet[Milestone], today: datetime.date | None = None) -> dict[str, int]:
    """How many internships the (filtered) board follows, and how many of its milestones are late."""
    today = today or timezone.localdate()
    return milestones.aggregate(
        total=Count("internship", distinct=True),
        late=Count("id", filter=Q(due_on__lt=today)),
    )

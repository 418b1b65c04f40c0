"""Reads of internship agreements, narrowed to what the user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
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
            Prefetch("milestones", queryset=Milestone.objects.select_related("done_by").order_by("due_on", "id")),
            Prefetch("evaluation_links", queryset=EvaluationLink.objects.order_by("-created_at")),
            Prefetch("evaluations", queryset=Evaluation.objects.order_by("kind")),
            Prefetch("files", queryset=StoredFile.objects.select_related("uploaded_by")),
        )
    )
    return get_object_or_404(queryset, pk=pk)


def follow_up_board(*, user: Any, only_mine: bool = False) -> dict[str, Any]:
    """Open milestones of the internships the user follows, late first, then by due date."""
    today = timezone.localdate()
    # Evaluated internships still have their report, defence and grade to come.
    internships = internship_list(user=user).filter(status__in=FOLLOWED_STATUSES)
    if only_mine:
        internships = internships.filter(academic_tutor_id=user.pk)
    milestones = list(
        Milestone.objects.filter(internship__in=internships.values("pk"), done_on__isnull=True)
        .select_related("internship__student", "internship__company", "internship__academic_tutor")
        .order_by("due_on", "id")[:500]
    )
    counts = internships.aggregate(
        total=Count("id", distinct=True),
        late=Count("milestones", filter=Q(milestones__done_on__isnull=True, milestones__due_on__lt=today)),
    )
    return {"today": today, "milestones": milestones, "counts": counts}

"""Reads of internship agreements, narrowed to what the user may see."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import BooleanField, Case, Count, Prefetch, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone

from amelio.core.models import StoredFile
from amelio.core.permissions import visible
from amelio.organisation.choices import Role

from .choices import FOLLOWED_STATUSES, InternshipStatus
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


# "Due soon" on the home page and on the follow-up board: today and the six days after.
DUE_SOON_DAYS = 7
MILESTONE_WHEN = ("late", "soon")


def _followed(*, user: Any, only_mine: bool) -> QuerySet[Internship]:
    # Evaluated internships still have their report, defence and grade to come.
    internships = internship_list(user=user).filter(status__in=FOLLOWED_STATUSES)
    if only_mine:
        # The interns they tutor, or, for a student, their own internships.
        internships = internships.filter(Q(academic_tutor_id=user.pk) | Q(student_id=user.pk))
    return internships


def _open_milestones(*, user: Any, only_mine: bool) -> QuerySet[Milestone]:
    return Milestone.objects.filter(
        internship__in=_followed(user=user, only_mine=only_mine).values("pk"), done_on__isnull=True
    )


def milestone_when(when: str, today: datetime.date) -> Q:
    if when == "late":
        return Q(due_on__lt=today)
    return Q(due_on__gte=today, due_on__lte=today + datetime.timedelta(days=DUE_SOON_DAYS - 1))


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


def home_follows_only_own(user: Any) -> bool:
    """The home page counts the milestones of every internship the office follows, and
    those of their own interns (or own internship) for everyone else."""
    from amelio.organisation.permissions import roles_of

    return not roles_of(user).has_anywhere(Role.INTERNSHIP_OFFICE)


def home_querysets(*, user: Any) -> dict[str, Any]:
    """What the home page's internship card counts (all counted in one query by core): the
    open milestones late and due soon, as the board lists them, and the agreements waiting
    on each of the person's steps, as the list's filter selects them."""
    today = timezone.localdate()
    only_mine = home_follows_only_own(user)
    milestones = _open_milestones(user=user, only_mine=only_mine)
    agreements = internship_list(user=user)
    return {
        "late": milestones.filter(milestone_when("late", today)),
        "soon": milestones.filter(milestone_when("soon", today)),
        **{step: agreements.filter(condition) for step, condition in waiting_on(user).items()},
        "only_mine": only_mine,
    }


# Agreements waiting on a person: the workflow steps that are theirs (workflows.py) --------

WAITING_STEPS = ("check", "validate", "sign")


def waiting_on(user: Any) -> dict[str, Q]:
    """For each step that is the person's to take, the agreements waiting on it: the office
    checks drafts and records the signatures of validated ones (internships.office), the head
    of the programme's department validates checked ones (internships.validate). A step that
    is not theirs is absent."""
    from amelio.organisation.permissions import roles_of

    roles = roles_of(user)
    steps: dict[str, Q] = {}
    office: Q | None = None
    if roles.has_school_wide(Role.INTERNSHIP_OFFICE):
        office = Q()
    elif offices := roles.departments_for(Role.INTERNSHIP_OFFICE):
        office = Q(programme__department__in=offices)
    if office is not None:
        steps["check"] = office & Q(status=InternshipStatus.DRAFT)
        steps["sign"] = office & Q(status=InternshipStatus.VALIDATED)
    if headed := roles.departments_for(Role.DEPARTMENT_HEAD):
        steps["validate"] = Q(status=InternshipStatus.CHECKED, programme__department__in=headed)
    return steps

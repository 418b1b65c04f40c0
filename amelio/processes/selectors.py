"""Reads of the process map, narrowed to what the user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from amelio.core.permissions import visible

from .models import Activity, ContextIssue, InterestedParty, Process, ProcessInteraction, RaciAssignment, Statement


def process_list(*, user: Any) -> QuerySet[Process]:
    return visible(
        user,
        Process.objects.select_related("owner", "department")
        .annotate(
            activity_count=Count("activities", distinct=True),
            interaction_count=Count("outgoing_interactions", distinct=True),
        )
        .order_by("code"),
    )


def process_get(*, user: Any, pk: int) -> Process:
    return get_object_or_404(visible(user, Process.objects.select_related("owner", "department")), pk=pk)


def process_detail(*, user: Any, pk: int) -> Process:
    """A process with everything its page shows, in a fixed number of queries."""
    activities = Activity.objects.order_by("position", "id").prefetch_related(
        Prefetch("raci", queryset=RaciAssignment.objects.select_related("person").order_by("responsibility"))
    )
    queryset = visible(user, Process.objects.select_related("owner", "department")).prefetch_related(
        Prefetch("activities", queryset=activities),
        Prefetch("outgoing_interactions", queryset=ProcessInteraction.objects.select_related("target")),
        Prefetch("incoming_interactions", queryset=ProcessInteraction.objects.select_related("source")),
        "clauses",
        Prefetch("role_assignments", queryset=_process_roles()),
    )
    return get_object_or_404(queryset, pk=pk)


def _process_roles() -> QuerySet[Any]:
    from amelio.organisation.models import RoleAssignment

    return RoleAssignment.objects.select_related("person").order_by("role")


def processes_of_department(*, user: Any, department: Any) -> QuerySet[Process]:
    return visible(user, Process.objects.select_related("owner").filter(department=department))


def process_map(*, user: Any) -> tuple[list[Process], list[ProcessInteraction]]:
    """The active processes and the arrows between them, for the diagram."""
    processes = list(visible(user, Process.objects.filter(is_active=True).select_related("owner").order_by("code")))
    ids = {process.pk for process in processes}
    interactions = [
        interaction
        for interaction in visible(user, ProcessInteraction.objects.all())
        if interaction.source_id in ids and interaction.target_id in ids
    ]
    return processes, interactions


def processes_involving(*, person: Any) -> dict[str, Any]:
    """The processes a person owns, and the activities where they hold a RACI letter."""
    owned = list(Process.objects.filter(owner_id=person.pk).order_by("code"))
    raci = list(
        RaciAssignment.objects.filter(person_id=person.pk)
        .select_related("activity__process")
        .order_by("activity__process__code", "activity__position")
    )
    return {"owned_processes": owned, "raci_assignments": raci}


def context_issue_list(*, user: Any) -> QuerySet[ContextIssue]:
    return visible(user, ContextIssue.objects.annotate(process_count=Count("processes")).order_by("origin", "title"))


def context_issue_get(*, user: Any, pk: int) -> ContextIssue:
    return get_object_or_404(visible(user, ContextIssue.objects.all()), pk=pk)


def interested_party_list(*, user: Any) -> QuerySet[InterestedParty]:
    return visible(
        user, InterestedParty.objects.annotate(process_count=Count("processes")).order_by("category", "name")
    )


def interested_party_get(*, user: Any, pk: int) -> InterestedParty:
    return get_object_or_404(visible(user, InterestedParty.objects.all()), pk=pk)


def statement_versions(*, user: Any, kind: str) -> QuerySet[Statement]:
    return visible(user, Statement.objects.filter(kind=kind).select_related("approved_by").order_by("-version"))


def statement_get(*, user: Any, pk: int) -> Statement:
    return get_object_or_404(visible(user, Statement.objects.all()), pk=pk)


def statement_in_force(*, kind: str) -> Statement | None:
    return Statement.objects.filter(kind=kind).filter(~Q(approved_on=None)).order_by("-version").first()

"""Reads of continuous improvement, narrowed to what the user may see."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from amelio.core.models import StoredFile
from amelio.core.permissions import visible
from amelio.organisation.choices import Role

from .choices import OPEN_ACTION_STATUSES, OPEN_ITEM_STATUSES, ActionStatus, ItemStatus
from .models import Action, ImprovementItem, ProgressNote


def overdue_actions_of_item(day: datetime.date) -> QuerySet[Action]:
    """For Exists(): the open actions of the outer item that are past their due date."""
    return Action.objects.filter(item=OuterRef("pk"), status__in=OPEN_ACTION_STATUSES, due_on__lt=day)


def item_list(*, user: Any) -> QuerySet[ImprovementItem]:
    today = timezone.localdate()
    return visible(
        user,
        ImprovementItem.objects.select_related("process", "department", "raised_by").annotate(
            # A subquery, not a join: the page's COUNT then leaves it out, and 300,000 actions
            # are not grouped to show 25 items (bench/improvement_pages.py).
            action_count=Coalesce(
                Subquery(
                    Action.objects.filter(item=OuterRef("pk"))
                    .order_by()
                    .values("item")
                    .annotate(total=Count("pk"))
                    .values("total")
                ),
                0,
            ),
            has_overdue_action=Exists(overdue_actions_of_item(today)),
        ),
    ).order_by("-raised_on", "-id")


def item_detail(*, user: Any, pk: int) -> ImprovementItem:
    actions = Action.objects.select_related("owner").prefetch_related(
        Prefetch("files", queryset=StoredFile.objects.select_related("uploaded_by"))
    )
    queryset = visible(
        user, ImprovementItem.objects.select_related("process__owner", "department", "raised_by")
    ).prefetch_related(
        Prefetch("actions", queryset=actions.order_by("due_on", "id")),
        Prefetch("files", queryset=StoredFile.objects.select_related("uploaded_by")),
        "clauses",
    )
    return get_object_or_404(queryset, pk=pk)


def item_get(*, user: Any, pk: int) -> ImprovementItem:
    return get_object_or_404(
        visible(user, ImprovementItem.objects.select_related("process", "department", "raised_by")), pk=pk
    )


def action_list(*, user: Any) -> QuerySet[Action]:
    """The register's order: open actions by due date (the most urgent first), then those
    done, then those cancelled, the latest of each first."""
    return (
        visible(user, Action.objects.select_related("owner", "item", "process", "department"))
        .alias(
            standing=Case(
                When(status__in=OPEN_ACTION_STATUSES, then=Value(0)),
                When(status=ActionStatus.DONE, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            ),
            open_due_on=Case(
                When(status__in=OPEN_ACTION_STATUSES, then=F("due_on")), default=None, output_field=DateField()
            ),
        )
        .order_by("standing", F("open_due_on").asc(nulls_last=True), "-due_on", "-id")
    )


def action_detail(*, user: Any, pk: int) -> Action:
    queryset = visible(
        user, Action.objects.select_related("owner", "item__process", "process", "department", "created_by")
    ).prefetch_related(
        Prefetch("notes", queryset=ProgressNote.objects.select_related("author")),
        Prefetch("files", queryset=StoredFile.objects.select_related("uploaded_by")),
    )
    return get_object_or_404(queryset, pk=pk)


def board_columns(*, user: Any, filters: dict[str, Any] | None = None, limit: int = 30) -> list[dict[str, Any]]:
    """The board: one column per state, its count and its latest cards."""
    items = item_list(user=user)
    if filters:
        items = items.filter(**filters)
    counts = dict(items.order_by().values_list("status").annotate(total=Count("id")))
    columns = []
    for status in ItemStatus:
        cards = list(items.filter(status=status)[:limit])
        columns.append({"status": status, "label": status.label, "count": counts.get(status, 0), "cards": cards})
    return columns


# A page lists the first ones; the registers hold them all.
MY_WORK_LIMIT = 100


# "Due soon" on the home page and in the registers' filters: today and the six days after.
DUE_SOON_DAYS = 7


def due_soon_until(today: datetime.date) -> datetime.date:
    return today + datetime.timedelta(days=DUE_SOON_DAYS - 1)


def waiting_on(user: Any) -> Q:
    """The items on which `user` is the one to act next: those of the processes they own
    and, tied to no process, of the departments they head, before the effectiveness check;
    for the quality manager, also every item awaiting that check (theirs alone). Shared by
    "My work", the home card and the register's "waiting on me" filter, so the three always
    count the same rows."""
    from amelio.organisation.permissions import roles_of

    roles = roles_of(user)
    waiting_statuses = [
        ItemStatus.TO_CLASSIFY,
        ItemStatus.NEW,
        ItemStatus.ACCEPTED,
        ItemStatus.ANALYSED,
        ItemStatus.ACTIONS_UNDER_WAY,
        ItemStatus.REOPENED,
    ]
    managed = Q(process__owner_id=user.pk) | Q(process__in=roles.processes_for(Role.PROCESS_OWNER))
    managed |= Q(process__isnull=True, department__in=roles.departments_for(Role.DEPARTMENT_HEAD))
    waiting = managed & Q(status__in=waiting_statuses)
    if roles.is_quality_manager:
        # A report tied to no process nor department is theirs to classify (nobody else manages it).
        waiting |= Q(status=ItemStatus.AWAITING_CHECK)
        waiting |= Q(status=ItemStatus.TO_CLASSIFY, process__isnull=True, department__isnull=True)
    return waiting


def my_home_querysets(*, user: Any) -> dict[str, QuerySet[Any]]:
    """What the home page's improvement card counts (all counted in one query by core): the
    person's open actions overdue and due soon, and the items waiting on them."""
    today = timezone.localdate()
    actions = Action.objects.filter(owner_id=user.pk, status__in=OPEN_ACTION_STATUSES)
    return {
        "overdue": actions.filter(due_on__lt=today),
        "due_soon": actions.filter(due_on__gte=today, due_on__lte=due_soon_until(today)),
        "waiting": ImprovementItem.objects.filter(waiting_on(user)),
    }


def my_work(*, user: Any) -> dict[str, Any]:
    """What waits on a person, by due date: their open actions, the items they must move
    on, and what they raised that is still open."""
    today = timezone.localdate()
    open_actions = Action.objects.filter(owner_id=user.pk, status__in=OPEN_ACTION_STATUSES)
    actions = list(open_actions.select_related("item", "process").order_by("due_on", "id")[:MY_WORK_LIMIT])
    waiting = ImprovementItem.objects.filter(waiting_on(user))
    to_move = list(
        waiting.select_related("process", "department").order_by(F("due_on").asc(nulls_last=True), "raised_on", "id")[
            :MY_WORK_LIMIT
        ]
    )
    raised = ImprovementItem.objects.filter(raised_by_id=user.pk, status__in=OPEN_ITEM_STATUSES)
    return {
        "today": today,
        "actions": actions,
        "action_total": open_actions.count(),
        "overdue_count": open_actions.filter(due_on__lt=today).count(),
        "items_to_move": to_move,
        "items_to_move_total": waiting.count(),
        "raised": list(raised.order_by("-raised_on", "-id")[:MY_WORK_LIMIT]),
        "raised_total": raised.count(),
        "limit": MY_WORK_LIMIT,
    }


def dashboard_figures(*, user: Any) -> dict[str, Any]:
    """Open items by process and origin, median time to close, share of actions done on
    time, share of items closed effective."""
    items = visible(user, ImprovementItem.objects.all()).order_by()
    open_items = items.filter(status__in=OPEN_ITEM_STATUSES)
    by_process = list(
        open_items.values("process__code", "process__name", "origin")
        .annotate(total=Count("id"))
        .order_by("process__code", "origin")
    )
    closed = list(
        items.filter(status=ItemStatus.CLOSED_EFFECTIVE, closed_on__isnull=False).values_list("raised_on", "closed_on")
    )
    durations = sorted((end - start).days for start, end in closed if end is not None)
    median_days: float | None = None
    if durations:
        middle = len(durations) // 2
        median_days = (
            float(durations[middle]) if len(durations) % 2 else (durations[middle - 1] + durations[middle]) / 2
        )
    # One aggregate each for actions and items: each count over the visible rows costs a
    # scan at 300,000 actions (bench/improvement_pages.py).
    done = (
        visible(user, Action.objects.all())
        .order_by()
        .filter(status=ActionStatus.DONE, completed_on__isnull=False)
        .aggregate(total=Count("id"), on_time=Count("id", filter=Q(completed_on__lte=F("due_on"))))
    )
    counts = items.aggregate(
        open=Count("id", filter=Q(status__in=OPEN_ITEM_STATUSES)),
        finished=Count("id", filter=Q(status__in=[ItemStatus.CLOSED_EFFECTIVE, ItemStatus.REOPENED])),
        effective=Count("id", filter=Q(status=ItemStatus.CLOSED_EFFECTIVE)),
    )
    done_total, on_time = done["total"], done["on_time"]
    return {
        "open_by_process": by_process,
        "open_total": counts["open"],
        "median_days_to_close": median_days,
        "actions_done": done_total,
        "actions_on_time_share": (on_time / done_total) if done_total else None,
        "closed_effective_share": (counts["effective"] / counts["finished"]) if counts["finished"] else None,
    }

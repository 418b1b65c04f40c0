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
from django.db.models.functions import Coalesce, TruncMonth
from django.shortcuts import get_object_or_404
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from amelio.core.charts import Figure, bar_chart, line_chart, pareto_chart
from amelio.core.models import StoredFile
from amelio.core.permissions import visible
from amelio.organisation.choices import Role

from .choices import OPEN_ACTION_STATUSES, OPEN_ITEM_STATUSES, ActionStatus, ItemStatus, Origin
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


# How long open items have been open, in days since they were raised: (lowest, highest or
# None for no end, label).
AGEING_BANDS: tuple[tuple[int, int | None, Any], ...] = (
    (0, 30, _("30 days or less")),
    (31, 90, _("31 to 90 days")),
    (91, 180, _("91 to 180 days")),
    (181, 365, _("181 days to a year")),
    (366, None, _("more than a year")),
)
TREND_MONTHS = 12


def _month_starts(today: datetime.date, count: int) -> list[datetime.date]:
    """The first days of the `count` months ending with today's, oldest first."""
    year, month = today.year, today.month
    starts = []
    for _index in range(count):
        starts.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts[::-1]


def _origin_label(origin: str) -> Any:
    """An origin's label; a report made in plain words has none until it is classified."""
    return Origin(origin).label if origin else ItemStatus.TO_CLASSIFY.label


def dashboard_figures(*, user: Any) -> dict[str, Any]:
    """Open items by process and origin, by department and by age, median time to close,
    share of actions done on time, share of items closed effective, items raised and closed
    each month over the last twelve, and the items of those months by process (a Pareto).
    A fixed number of aggregate queries whatever the number of items."""
    today = timezone.localdate()
    months = _month_starts(today, TREND_MONTHS)
    items = visible(user, ImprovementItem.objects.all()).order_by()
    open_items = items.filter(status__in=OPEN_ITEM_STATUSES)
    by_process = list(
        open_items.values("process__code", "process__name", "origin")
        .annotate(total=Count("id"))
        .order_by("process__code", "origin")
    )
    for row in by_process:
        row["origin_label"] = _origin_label(row["origin"])
    by_origin = {origin: 0 for origin in Origin.values}
    for row in by_process:
        by_origin[row["origin"]] = by_origin.get(row["origin"], 0) + row["total"]
    by_department = list(
        open_items.values("department__code", "department__name").annotate(total=Count("id")).order_by("-total")
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
    ageing_counts = {}
    for position, (lowest, highest, _label) in enumerate(AGEING_BANDS):
        band = Q(status__in=OPEN_ITEM_STATUSES, raised_on__lte=today - datetime.timedelta(days=lowest))
        if highest is not None:
            band &= Q(raised_on__gte=today - datetime.timedelta(days=highest))
        ageing_counts[f"age_{position}"] = Count("id", filter=band)
    counts = items.aggregate(
        open=Count("id", filter=Q(status__in=OPEN_ITEM_STATUSES)),
        finished=Count("id", filter=Q(status__in=[ItemStatus.CLOSED_EFFECTIVE, ItemStatus.REOPENED])),
        effective=Count("id", filter=Q(status=ItemStatus.CLOSED_EFFECTIVE)),
        **ageing_counts,
    )
    raised_by_month = dict(
        items.filter(raised_on__gte=months[0])
        .annotate(month=TruncMonth("raised_on"))
        .values_list("month")
        .annotate(total=Count("id"))
        .values_list("month", "total")
    )
    closed_by_month = dict(
        items.filter(status=ItemStatus.CLOSED_EFFECTIVE, closed_on__gte=months[0])
        .annotate(month=TruncMonth("closed_on"))
        .values_list("month")
        .annotate(total=Count("id"))
        .values_list("month", "total")
    )
    recent_by_process = list(
        items.filter(raised_on__gte=months[0])
        .values("process__code", "process__name")
        .annotate(total=Count("id"))
        .order_by("-total", "process__code")
    )
    done_total, on_time = done["total"], done["on_time"]
    return {
        "open_by_process": by_process,
        "open_by_origin": [(_origin_label(origin), total) for origin, total in by_origin.items()],
        "open_by_department": [(row["department__name"] or _("no department"), row["total"]) for row in by_department],
        "ageing": [(label, counts[f"age_{position}"]) for position, (_lo, _hi, label) in enumerate(AGEING_BANDS)],
        "trend": [(month, _as_month(raised_by_month, month), _as_month(closed_by_month, month)) for month in months],
        "recent_by_process": [
            (
                f"{row['process__code']} {row['process__name']}" if row["process__code"] else _("no process"),
                row["total"],
            )
            for row in recent_by_process
        ],
        "open_total": counts["open"],
        "median_days_to_close": median_days,
        "actions_done": done_total,
        "actions_on_time_share": (on_time / done_total) if done_total else None,
        "closed_effective_share": (counts["effective"] / counts["finished"]) if counts["finished"] else None,
    }


def _as_month(totals: dict[Any, int], month: datetime.date) -> int:
    """A month's total, whether the database returned the month as a date or a date and time."""
    for key, total in totals.items():
        day = key.date() if isinstance(key, datetime.datetime) else key
        if day == month:
            return total
    return 0


PARETO_BARS = 10  # past these, one bar gathers the rest (the table lists them all)


def _month_labels(months: list[datetime.date]) -> list[str]:
    """Short month names, with the year on the first month and on each January, so twelve
    labels fit under the chart."""
    return [
        formats.date_format(month, "M Y" if index == 0 or month.month == 1 else "M")
        for index, month in enumerate(months)
    ]


def _top(
    pairs: list[tuple[str, int]], count: int, rest_label: str
) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """The `count` - 1 largest, and the rest gathered in one (none when they all fit)."""
    if len(pairs) <= count:
        return pairs, []
    return pairs[: count - 1], [(rest_label, sum(total for _label, total in pairs[count - 1 :]))]


def dashboard_charts(figures: dict[str, Any]) -> list[Figure]:
    """The pictures of the figures page and of its PDF (core.charts), each with its numbers
    as a table, written in the active language."""
    trend = figures["trend"]
    recent = figures["recent_by_process"]
    whole = sum(total for _label, total in recent)
    pareto_rows = []
    running = 0
    for label, total in recent:
        running += total
        share = formats.number_format(100 * running / whole, decimal_pos=0)
        pareto_rows.append((label, total, _("%(share)s %%") % {"share": share}))
    count_header = [str(_("Open items"))]
    top, rest = _top(recent, PARETO_BARS, str(_("other processes")))

    def counted(pairs: list[tuple[Any, int]]) -> list[tuple[str, int, str]]:
        return [(str(label), total, str(total)) for label, total in pairs]

    return [
        Figure(
            key="trend",
            title=str(_("Items raised and closed each month")),
            chart=line_chart(
                x_labels=_month_labels([month for month, _raised, _closed in trend]),
                series=[
                    (str(_("raised")), [raised for _month, raised, _closed in trend]),
                    (str(_("closed as effective")), [closed for _month, _raised, closed in trend]),
                ],
            ),
            header=[str(_("Month")), str(_("Raised")), str(_("Closed as effective"))],
            rows=[(formats.date_format(month, "F Y"), raised, closed) for month, raised, closed in trend],
        ),
        Figure(
            key="origin",
            title=str(_("Open items by origin")),
            chart=bar_chart(counted(figures["open_by_origin"])),
            header=[str(_("Origin")), *count_header],
            rows=[(str(label), total) for label, total in figures["open_by_origin"]],
        ),
        Figure(
            key="department",
            title=str(_("Open items by department")),
            chart=bar_chart(counted(figures["open_by_department"])),
            header=[str(_("Department")), *count_header],
            rows=[(str(label), total) for label, total in figures["open_by_department"]],
        ),
        Figure(
            key="ageing",
            title=str(_("How long open items have been open")),
            chart=bar_chart(counted(figures["ageing"])),
            header=[str(_("Open for")), *count_header],
            rows=[(str(label), total) for label, total in figures["ageing"]],
        ),
        Figure(
            key="pareto",
            title=str(_("Items of the last twelve months by process (Pareto)")),
            chart=pareto_chart(
                counted(top),
                rest=next(iter(counted(rest)), None),
                cumulative_label=str(_("cumulative share of the items (all of them at the dotted line)")),
            ),
            header=[str(_("Process")), str(_("Items raised")), str(_("Cumulative share"))],
            rows=pareto_rows,
            caption=str(
                _(
                    "The processes from the one with the most items down: the few on top are where "
                    "most of the problems and ideas come from."
                )
            ),
        ),
    ]

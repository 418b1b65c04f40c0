"""Times the pages of continuous improvement on 100,000 items and 300,000 actions.

    .venv/bin/python bench/improvement_pages.py [--database-url URL] [--repeat N] [--items N] [--actions N]

Builds a fresh database as bench/foundation_pages.py does (a temporary SQLite file by
default; a PostgreSQL URL names a database this script creates and drops itself), builds
the demo school at `--scale` (10: 250 processes, ten campuses of people, the demo's items),
then adds `--items` improvement items over three years and `--actions` actions with
bulk_create: every origin and state, processes, departments and raisers spread, action
owners spread over the ~500 people who are not students, about 15 % of the actions open
and overdue, and one teacher with `--heavy-actions` actions of their own.

Each page is then requested as three people: the quality manager (sees everything), a
process owner (the internship office, pilote of R-04 and R-08) and that teacher:
`--warmup` unmeasured requests, `--repeat` timed ones, and one more under query capture.
Prints page, person, rows (the records the page is about, counted through the page's own
selector and filters), median and 95th-percentile time, and SQL queries.
"""

from __future__ import annotations

import argparse
import datetime
import random
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from foundation_pages import benchmark_database, percentile, setup_django

QUALITY_MANAGER = "qualite@amelio-demo.fr"
PROCESS_OWNER = "stages@amelio-demo.fr"  # pilote of R-04 (internships) and R-08 (partnerships)
HEAVY_TEACHER = "sophie.martin@amelio-demo.fr"  # a teacher of Génie Physique and nothing else
BATCH = 5000

# Final states of the generated items and their weights; how long ago (days) they were raised.
ITEM_STATES = [
    ("new", 3, (0, 45)),
    ("accepted", 3, (5, 90)),
    ("rejected", 8, (0, 1095)),
    ("analysed", 8, (10, 150)),
    ("actions_under_way", 24, (30, 500)),
    ("awaiting_check", 6, (60, 600)),
    ("closed_effective", 42, (60, 1095)),
    ("reopened", 6, (90, 1095)),
]
# The statuses of an item's actions, by the item's state (done, cancelled, open).
ACTION_MIX = {
    "analysed": (0, 0, 100),
    "actions_under_way": (25, 5, 70),
    "awaiting_check": (95, 5, 0),
    "closed_effective": (95, 5, 0),
    "reopened": (70, 0, 30),
    None: (55, 0, 45),  # an action of no item
}
STATES_WITH_ACTIONS = {state for state in ACTION_MIX if state is not None}
STANDALONE_SHARE = 0.05
OVERDUE_SHARE = 0.15


@dataclass
class Page:
    label: str
    url: str
    rows: Any  # a function of the user: how many records the page is about


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="", help="default: a temporary SQLite file")
    parser.add_argument("--repeat", type=int, default=20, help="timed requests per page (default 20)")
    parser.add_argument("--warmup", type=int, default=2, help="unmeasured requests per page first (default 2)")
    parser.add_argument("--scale", type=int, default=10, help="size of the school, in demo schools (default 10)")
    parser.add_argument("--items", type=int, default=100_000, help="improvement items added (default 100000)")
    parser.add_argument("--actions", type=int, default=300_000, help="actions added (default 300000)")
    parser.add_argument(
        "--heavy-actions", type=int, default=3000, help="actions of the measured teacher (default 3000)"
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    return parser.parse_args()


# --- The data -------------------------------------------------------------------------------


def _title_pool(rng: random.Random) -> tuple[list[str], list[str]]:
    """Believable titles: the demo's stories, filled in for every department."""
    from amelio.demo.improvement import SCENARIOS, SUBJECTS, scenario_texts
    from amelio.organisation.models import Department

    names = dict(Department.objects.values_list("code", "name"))
    items, actions = [], []
    for scenario in SCENARIOS:
        for code, name in names.items():
            texts = scenario_texts(department=name, semester=rng.choice("56789"), subject=rng.choice(SUBJECTS[code]))
            items.append(scenario.title.format(**texts))
            actions += [title.format(**texts) for _kind, title, _owner in scenario.actions]
    return sorted(set(items)), sorted(set(actions))


def populate(*, items: int, actions: int, heavy_actions: int, seed: int) -> dict[str, int]:
    """Adds `items` items and `actions` actions with bulk_create, in batches."""
    from django.db import transaction
    from django.utils import timezone

    from amelio.core.models import ReferenceCounter
    from amelio.improvement.choices import REFERENCE_PREFIX, ActionKind, ComplainantKind, Origin, Severity
    from amelio.improvement.models import Action, ImprovementItem
    from amelio.organisation.choices import PersonKind
    from amelio.organisation.models import Department, Person
    from amelio.processes.models import Process

    rng = random.Random(seed)
    today = timezone.localdate()
    item_titles, action_titles = _title_pool(rng)
    processes = list(Process.objects.values_list("pk", "department_id"))
    departments = list(Department.objects.values_list("pk", flat=True))
    people = list(Person.objects.values_list("pk", flat=True))
    workers = list(Person.objects.exclude(kind=PersonKind.STUDENT).values_list("pk", flat=True))
    heavy_teacher = Person.objects.get(email=HEAVY_TEACHER).pk
    counters = {(counter.prefix, counter.year): counter.last_number for counter in ReferenceCounter.objects.all()}
    origins = [Origin.NONCONFORMITY, Origin.COMPLAINT, Origin.SUGGESTION, Origin.OPPORTUNITY]
    states = [state for state, _weight, _ages in ITEM_STATES]
    state_weights = [weight for _state, weight, _ages in ITEM_STATES]
    ages = {state: age for state, _weight, age in ITEM_STATES}

    def day_between(start: datetime.date, end: datetime.date) -> datetime.date:
        return start + datetime.timedelta(days=rng.randint(0, max(0, (end - start).days)))

    # Items: (pk, state, raised_on, process, department), kept to plan their actions.
    planned_items: list[tuple[int, str, datetime.date, int | None, int | None]] = []
    with transaction.atomic():
        for start in range(0, items, BATCH):
            batch = []
            for _index in range(start, min(items, start + BATCH)):
                state = rng.choices(states, state_weights)[0]
                origin = rng.choices(origins, [45, 20, 25, 10])[0]
                raised_on = today - datetime.timedelta(days=rng.randint(*ages[state]))
                prefix = REFERENCE_PREFIX[origin]
                number = counters.get((prefix, raised_on.year), 0) + 1
                counters[(prefix, raised_on.year)] = number
                process, process_department = rng.choice(processes)
                department = process_department or (rng.choice(departments) if rng.random() < 0.6 else None)
                closed_on = None
                if state == "closed_effective":
                    closed_on = min(today, raised_on + datetime.timedelta(days=rng.randint(30, 300)))
                elif state == "rejected":
                    closed_on = min(today, raised_on + datetime.timedelta(days=rng.randint(1, 20)))
                batch.append(
                    ImprovementItem(
                        reference=f"{prefix}-{raised_on.year}-{number:04d}",
                        origin=origin,
                        title=rng.choice(item_titles),
                        description="Constat détaillé, circonstances et personnes concernées.",
                        process_id=process,
                        department_id=department,
                        severity=rng.choice([Severity.MINOR] * 3 + [Severity.MAJOR])
                        if origin == Origin.NONCONFORMITY
                        else "",
                        complainant_kind=rng.choice(ComplainantKind.values) if origin == Origin.COMPLAINT else "",
                        raised_by_id=rng.choice(people),
                        raised_on=raised_on,
                        status=state,
                        due_on=raised_on + datetime.timedelta(days=rng.randint(90, 180)) if state != "new" else None,
                        closed_on=closed_on,
                        root_cause="Cause racine établie par l'analyse." if state in STATES_WITH_ACTIONS else "",
                    )
                )
            ImprovementItem.objects.bulk_create(batch)
            planned_items += [
                (item.pk, item.status, item.raised_on, item.process_id, item.department_id) for item in batch
            ]
        for (prefix, year), number in counters.items():
            ReferenceCounter.objects.update_or_create(prefix=prefix, year=year, defaults={"last_number": number})

    # Actions: one per item that has reached its actions, the rest spread at random, a few
    # of no item; then the statuses, then 15 % of all the actions open and overdue.
    eligible = [index for index, planned in enumerate(planned_items) if planned[1] in STATES_WITH_ACTIONS]
    standalone = int(actions * STANDALONE_SHARE)
    owners_of_items = eligible + rng.choices(eligible, k=max(0, actions - standalone - len(eligible)))
    action_items: list[int | None] = [*owners_of_items[: actions - standalone], *([None] * standalone)]
    statuses = []
    for index in action_items:
        done, cancelled, _open = ACTION_MIX[planned_items[index][1] if index is not None else None]
        roll = rng.uniform(0, 100)
        statuses.append("done" if roll < done else "cancelled" if roll < done + cancelled else "open")
    open_indexes = [position for position, status in enumerate(statuses) if status == "open"]
    overdue = set(rng.sample(open_indexes, min(len(open_indexes), int(actions * OVERDUE_SHARE))))
    heavy = set(rng.sample(range(len(action_items)), min(heavy_actions, len(action_items))))
    kinds = ActionKind.values
    with transaction.atomic():
        for start in range(0, len(action_items), BATCH):
            batch_actions = []
            for position in range(start, min(len(action_items), start + BATCH)):
                index = action_items[position]
                if index is not None:
                    item_pk, _state, raised_on, action_process, department = planned_items[index]
                    item: int | None = item_pk
                else:
                    item, action_process, department = None, rng.choice(processes)[0], None
                    raised_on = today - datetime.timedelta(days=rng.randint(0, 700))
                status, completed_on, reason = statuses[position], None, ""
                if status == "open":
                    status = rng.choice(["planned", "in_progress", "in_progress"])
                    if position in overdue:
                        due_on = day_between(raised_on + datetime.timedelta(days=1), today - datetime.timedelta(days=1))
                        due_on = min(due_on, today - datetime.timedelta(days=1))
                    else:
                        due_on = today + datetime.timedelta(days=rng.randint(0, 180))
                else:
                    due_on = raised_on + datetime.timedelta(days=rng.randint(20, 250))
                    if status == "done":
                        completed_on = min(
                            today, max(raised_on, due_on + datetime.timedelta(days=rng.randint(-20, 30)))
                        )
                    else:
                        reason = "Remplacée par une action plus large."
                batch_actions.append(
                    Action(
                        item_id=item,
                        kind=rng.choice(kinds),
                        title=rng.choice(action_titles),
                        owner_id=heavy_teacher if position in heavy else rng.choice(workers),
                        process_id=action_process,
                        department_id=department,
                        due_on=due_on,
                        status=status,
                        completed_on=completed_on,
                        cancellation_reason=reason,
                    )
                )
            Action.objects.bulk_create(batch_actions)
    return {"items": len(planned_items), "actions": len(action_items), "overdue": len(overdue)}


# --- The pages --------------------------------------------------------------------------------


def improvement_pages(user: Any) -> list[Page]:
    """The pages, for `user`; rows counted through the page's own selector and filters."""
    from django.db.models import Count
    from django.http import QueryDict

    from amelio.improvement import selectors
    from amelio.improvement.filtersets import ActionFilterSet, ItemFilterSet
    from amelio.processes.models import Process

    process = Process.objects.get(code="R-04")
    # The item with the most actions among those the user sees (the heaviest detail page).
    item = (
        selectors.item_list(user=user)
        .annotate(total=Count("actions"))
        .order_by("-total", "pk")
        .values_list("pk", flat=True)
        .first()
    )

    def items(query: str) -> Any:
        return lambda: ItemFilterSet(QueryDict(query), queryset=selectors.item_list(user=user)).qs.count()

    def actions(query: str) -> Any:
        return lambda: ActionFilterSet(QueryDict(query), queryset=selectors.action_list(user=user)).qs.count()

    def my_work() -> int:
        work = selectors.my_work(user=user)
        return len(work["actions"]) + len(work["items_to_move"]) + len(work["raised"])

    def item_actions() -> int:
        return selectors.item_detail(user=user, pk=item).actions.count() if item else 0

    return [
        Page("register", "/improvement/", items("")),
        Page("register, complaints", "/improvement/?origin=complaint", items("origin=complaint")),
        Page(
            "register, actions under way", "/improvement/?status=actions_under_way", items("status=actions_under_way")
        ),
        Page("register, overdue", "/improvement/?overdue=true", items("overdue=true")),
        Page("register, process R-04", f"/improvement/?process={process.pk}", items(f"process={process.pk}")),
        Page("register, search stage", "/improvement/?q=stage", items("q=stage")),
        Page("board", "/improvement/board/", items("")),
        Page("actions", "/improvement/actions/", actions("")),
        Page("actions, overdue", "/improvement/actions/?overdue=true", actions("overdue=true")),
        Page("my work", "/improvement/my-work/", my_work),
        Page("item detail", f"/improvement/items/{item}/", item_actions),
        Page("figures", "/improvement/figures/", items("")),
    ]


Result = tuple[str, str, str, float, float, str]


def measure(people: dict[str, Any], *, repeat: int, warmup: int) -> list[Result]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    results: list[Result] = []
    for who, user in people.items():
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        for page in improvement_pages(user):
            status = 200
            for _index in range(warmup):
                status = client.get(page.url).status_code
            if status != 200:
                results.append((f"{page.label}  {page.url}", who, f"HTTP {status}", 0.0, 0.0, "-"))
                continue
            timings = []
            for _index in range(repeat):
                started = time.perf_counter()
                client.get(page.url)
                timings.append((time.perf_counter() - started) * 1000)
            with CaptureQueriesContext(connection) as captured:
                client.get(page.url)
            results.append(
                (
                    f"{page.label}  {page.url}",
                    who,
                    str(page.rows()),
                    statistics.median(timings),
                    percentile(timings, 0.95),
                    str(len(captured)),
                )
            )
    return results


def print_table(results: list[Result]) -> None:
    header = ("page", "as", "rows", "median ms", "p95 ms", "SQL queries")
    lines = [header] + [
        (label, who, rows, f"{median:.1f}", f"{p95:.1f}", queries) for label, who, rows, median, p95, queries in results
    ]
    widths = [max(len(line[column]) for line in lines) for column in range(len(header))]
    for index, line in enumerate(lines):
        cells = [line[0].ljust(widths[0]), line[1].ljust(widths[1])] + [
            cell.rjust(width) for cell, width in zip(line[2:], widths[2:], strict=True)
        ]
        print("  ".join(cells))
        if index == 0:
            print("  ".join("-" * width for width in widths))


def main() -> None:
    arguments = parse_arguments()
    with benchmark_database(arguments.database_url, keep=arguments.keep) as url:
        setup_django()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection

        from amelio.demo.school import build_demo_school
        from amelio.organisation.models import Person

        engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        print(f"Amelio improvement pages — {engine} ({urlsplit(url).scheme}), scale {arguments.scale}")
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        migrated = time.perf_counter()
        counts = build_demo_school(scale=arguments.scale, seed=arguments.seed)
        built = time.perf_counter()
        added = populate(
            items=arguments.items,
            actions=arguments.actions,
            heavy_actions=arguments.heavy_actions,
            seed=arguments.seed,
        )
        filled = time.perf_counter()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        print(
            f"migrate {migrated - started:.1f} s; demo school {built - migrated:.1f} s "
            f"({counts['processes']} processes, {counts['people']} people, {counts['improvement_items']} items, "
            f"{counts['improvement_actions']} actions); bulk_create {filled - built:.1f} s "
            f"({added['items']} items, {added['actions']} actions, {added['overdue']} of them open and overdue)"
        )
        people = {
            "quality manager": Person.objects.get(email=QUALITY_MANAGER),
            "process owner": Person.objects.get(email=PROCESS_OWNER),
            "teacher": Person.objects.get(email=HEAVY_TEACHER),
        }
        print(f"{arguments.warmup} warm-up requests, then {arguments.repeat} timed, per page; queries of one request\n")
        print_table(measure(people, repeat=arguments.repeat, warmup=arguments.warmup))


if __name__ == "__main__":
    main()

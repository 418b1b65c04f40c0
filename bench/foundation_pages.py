"""Times the pages of the foundation on a school ten times the demo's size.

    .venv/bin/python bench/foundation_pages.py [--database-url URL] [--repeat N] [--scale N]

Builds a fresh database (a temporary SQLite file by default; a PostgreSQL URL names a
database this script creates and drops itself), migrates it, builds the demo school at
`--scale` (10: 250 processes, 800 people), tops the audit trail up to `--history` entries,
then requests each page as the quality manager: `--warmup` unmeasured requests, `--repeat`
timed ones, and one more under query capture. Prints page, rows (the records the page is
about), median and 95th-percentile time, and SQL queries.
"""

from __future__ import annotations

import argparse
import datetime
import math
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_SCHEMES = ("postgres", "postgresql", "pgsql", "postgis")


@dataclass
class Page:
    label: str
    url: str
    rows: Callable[[], int]


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="", help="default: a temporary SQLite file")
    parser.add_argument("--repeat", type=int, default=20, help="timed requests per page (default 20)")
    parser.add_argument("--warmup", type=int, default=2, help="unmeasured requests per page first (default 2)")
    parser.add_argument("--scale", type=int, default=10, help="size of the school, in demo schools (default 10)")
    parser.add_argument("--history", type=int, default=20_000, help="history entries in total (default 20000)")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    return parser.parse_args()


# --- The benchmark database -----------------------------------------------------------------


def _is_postgres(url: str) -> bool:
    return urlsplit(url).scheme in POSTGRES_SCHEMES


def _maintenance_url(url: str) -> tuple[str, str]:
    """The URL of the server's `postgres` database, and the name of the benchmark one."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name:
        raise SystemExit("The PostgreSQL URL must name the benchmark database, e.g. .../amelio_bench")
    scheme = "postgresql"
    return urlunsplit((scheme, parts.netloc, "/postgres", parts.query, "")), name


def _recreate_postgres_database(url: str, *, drop_only: bool = False) -> None:
    import psycopg
    from psycopg import sql

    maintenance, name = _maintenance_url(url)
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        if not drop_only:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


@contextmanager
def benchmark_database(url: str, *, keep: bool) -> Iterator[str]:
    """Sets DATABASE_URL (and a throw-away task-queue file) before Django starts."""
    workdir = Path(tempfile.mkdtemp(prefix="amelio-bench-"))
    os.environ["HUEY_FILE"] = str(workdir / "huey.sqlite3")
    if not url:
        url = f"sqlite:///{workdir / 'bench.sqlite3'}"
    elif _is_postgres(url):
        _recreate_postgres_database(url)
    os.environ["DATABASE_URL"] = url
    try:
        yield url
    finally:
        from django.db import connections

        connections.close_all()
        if keep:
            print(f"\nThe benchmark database is kept: {url}")
        else:
            if _is_postgres(url):
                _recreate_postgres_database(url, drop_only=True)
            shutil.rmtree(workdir, ignore_errors=True)


def setup_django() -> None:
    # Static files are not collected for a benchmark; WhiteNoise's warning about it is noise here.
    warnings.filterwarnings("ignore", message="No directory at")
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()


# --- The data -------------------------------------------------------------------------------


@contextmanager
def _timestamps_as_given() -> Iterator[None]:
    """Lets bulk_create keep the timestamps given to history entries (auto_now_add would
    stamp all 20,000 with the same instant), so the trail spans several years."""
    from amelio.history.models import HistoryEntry

    timestamp = HistoryEntry._meta.get_field("timestamp")
    timestamp.auto_now_add = False
    try:
        yield
    finally:
        timestamp.auto_now_add = True


def top_up_history(total: int, *, seed: int = 2026) -> int:
    """Adds plausible entries (edits of processes and people, roles granted, records
    created) until the trail holds `total` entries. Returns how many were added."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from amelio.history.choices import HistoryAction
    from amelio.history.models import HistoryEntry
    from amelio.organisation.models import Department, Person, Programme
    from amelio.processes.models import ContextIssue, InterestedParty, Process

    missing = total - HistoryEntry.objects.count()
    if missing <= 0:
        return 0
    rng = random.Random(seed)
    targets: list[tuple[Any, list[tuple[str, str]], float]] = []
    for model, weight in (
        (Process, 0.55),
        (Person, 0.30),
        (Department, 0.03),
        (Programme, 0.04),
        (ContextIssue, 0.04),
        (InterestedParty, 0.04),
    ):
        records = [(str(record.pk), str(record)[:300]) for record in model.objects.all()]
        targets.append((ContentType.objects.get_for_model(model), records, weight))
    actors = list(Person.objects.exclude(kind="student").only("id", "first_name", "last_name"))
    process_fields = ["purpose", "inputs", "outputs", "resources", "name"]
    now = timezone.now()
    entries = []
    for _index in range(missing):
        content_type, records, _weight = rng.choices(targets, weights=[t[2] for t in targets])[0]
        object_id, object_repr = rng.choice(records)
        actor = rng.choice(actors)
        if content_type.model == "person":
            action = rng.choices([HistoryAction.UPDATE, HistoryAction.GRANT, HistoryAction.REVOKE], [5, 4, 1])[0]
            if action == HistoryAction.UPDATE:
                changes = {"job_title": ["Maître de conférences", "Professeur des universités"]}
            else:
                role = ["", "enseignant (Génie Civil)"]
                changes = {"role": role if action == HistoryAction.GRANT else role[::-1]}
        elif content_type.model == "process":
            action = rng.choices([HistoryAction.UPDATE, HistoryAction.CREATE], [7, 3])[0]
            if action == HistoryAction.UPDATE:
                name = rng.choice(process_fields)
                changes = {name: [f"Version précédente du champ {name}.", f"Version révisée du champ {name}."]}
            else:
                changes = {"raci": ["", f"Activité {rng.randint(1, 5)} : {actor} (R)"]}
        else:
            action = HistoryAction.UPDATE
            changes = {"description": ["Texte initial.", "Texte mis à jour après la revue de direction."]}
        entries.append(
            HistoryEntry(
                content_type=content_type,
                object_id=object_id,
                object_repr=object_repr,
                action=action,
                actor=actor,
                actor_repr=actor.get_full_name(),
                timestamp=now - datetime.timedelta(seconds=rng.randint(3600, 3 * 365 * 86400)),
                changes=changes,
                reason="Revue annuelle du processus" if rng.random() < 0.1 else "",
            )
        )
    with _timestamps_as_given():
        HistoryEntry.objects.bulk_create(entries, batch_size=2000)
    return missing


# --- The pages --------------------------------------------------------------------------------


def foundation_pages() -> list[Page]:
    from django.db.models import Count, Q

    from amelio.history.models import HistoryEntry
    from amelio.organisation.models import AcademicYear, Department, Person, Programme, RoleAssignment
    from amelio.processes.models import (
        Activity,
        ContextIssue,
        InterestedParty,
        Process,
        ProcessInteraction,
        RaciAssignment,
        Statement,
    )
    from amelio.standards.models import Clause

    quality = Person.objects.get(email="qualite@amelio-demo.fr")
    teacher = Person.objects.get(email="enseignant@amelio-demo.fr")
    # The heaviest process page: the most RACI letters.
    process = Process.objects.annotate(letters=Count("activities__raci")).order_by("-letters", "code").first()
    assert process is not None
    department = Department.objects.get(code="GC")

    def history_of(model_instance: Any) -> int:
        from django.contrib.contenttypes.models import ContentType

        content_type = ContentType.objects.get_for_model(model_instance)
        return min(
            100, HistoryEntry.objects.filter(content_type=content_type, object_id=str(model_instance.pk)).count()
        )

    def involvement(person: Person) -> int:
        return (
            RoleAssignment.objects.filter(person=person).count()
            + Process.objects.filter(owner=person).count()
            + RaciAssignment.objects.filter(person=person).count()
        )

    return [
        Page("home", "/", lambda: involvement(quality)),
        Page("process list", "/processes/", Process.objects.count),
        Page(
            "process list, realisation",
            "/processes/?kind=realisation",
            Process.objects.filter(kind="realisation").count,
        ),
        Page("process map", "/processes/map/", lambda: Process.objects.count() + ProcessInteraction.objects.count()),
        Page(
            "process detail",
            f"/processes/{process.pk}/",
            lambda: (
                Activity.objects.filter(process=process).count()
                + RaciAssignment.objects.filter(activity__process=process).count()
                + ProcessInteraction.objects.filter(source=process).count()
                + ProcessInteraction.objects.filter(target=process).count()
                + history_of(process)
            ),
        ),
        Page(
            "process edit",
            f"/processes/{process.pk}/edit/",
            lambda: Process.objects.count() + Person.objects.exclude(kind="student").count() + Clause.objects.count(),
        ),
        Page("context issues", "/processes/context/", ContextIssue.objects.count),
        Page("interested parties", "/processes/interested-parties/", InterestedParty.objects.count),
        Page("quality policy", "/processes/statements/policy/", Statement.objects.filter(kind="policy").count),
        Page("departments", "/organisation/departments/", Department.objects.count),
        Page(
            "department detail",
            f"/organisation/departments/{department.pk}/",
            lambda: department.programmes.count() + department.processes.count() + history_of(department),
        ),
        Page("programmes", "/organisation/programmes/", Programme.objects.count),
        Page("academic years", "/organisation/academic-years/", AcademicYear.objects.count),
        Page("people", "/organisation/people/", Person.objects.count),
        Page(
            "people, search martin",
            "/organisation/people/?q=martin",
            Person.objects.filter(
                Q(first_name__icontains="martin") | Q(last_name__icontains="martin") | Q(email__icontains="martin")
            ).count,
        ),
        Page(
            "person detail",
            f"/organisation/people/{teacher.pk}/",
            lambda: RoleAssignment.objects.filter(person=teacher).count() + history_of(teacher),
        ),
        Page("roles", "/organisation/roles/", RoleAssignment.objects.count),
        Page("my roles", "/organisation/my-roles/", lambda: involvement(quality)),
        Page("audit trail", "/history/", HistoryEntry.objects.count),
        Page("audit trail, updates", "/history/?action=update", HistoryEntry.objects.filter(action="update").count),
        Page("process export xlsx", "/processes/?export=xlsx", Process.objects.count),
    ]


def percentile(samples: list[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def measure(pages: list[Page], *, repeat: int, warmup: int) -> list[tuple[str, int, float, float, int]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from amelio.organisation.models import Person

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(
        Person.objects.get(email="qualite@amelio-demo.fr"), backend="django.contrib.auth.backends.ModelBackend"
    )
    results = []
    for page in pages:
        for _index in range(warmup):
            response = client.get(page.url)
            if response.status_code != 200:
                raise SystemExit(f"{page.url} answered {response.status_code}")
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
                page.rows(),
                statistics.median(timings),
                percentile(timings, 0.95),
                len(captured),
            )
        )
    return results


def print_table(results: list[tuple[str, int, float, float, int]]) -> None:
    header = ("page", "rows", "median ms", "p95 ms", "SQL queries")
    lines = [header] + [
        (label, str(rows), f"{median:.1f}", f"{p95:.1f}", str(queries)) for label, rows, median, p95, queries in results
    ]
    widths = [max(len(line[column]) for line in lines) for column in range(len(header))]
    for index, line in enumerate(lines):
        cells = [line[0].ljust(widths[0])] + [
            cell.rjust(width) for cell, width in zip(line[1:], widths[1:], strict=True)
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

        from amelio.demo.school import build_demo_school

        engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        print(f"Amelio foundation pages — {engine} ({urlsplit(url).scheme}), scale {arguments.scale}")
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        migrated = time.perf_counter()
        counts = build_demo_school(scale=arguments.scale)
        built = time.perf_counter()
        added = top_up_history(arguments.history)
        filled = time.perf_counter()
        print(
            f"migrate {migrated - started:.1f} s; demo school {built - migrated:.1f} s "
            f"({counts['processes']} processes, {counts['people']} people, {counts['activities']} activities, "
            f"{counts['raci']} RACI, {counts['role_assignments']} roles, {counts['history']} history entries); "
            f"history topped up by {added} in {filled - built:.1f} s"
        )
        print(f"{arguments.warmup} warm-up requests, then {arguments.repeat} timed, per page; queries of one request\n")
        print_table(measure(foundation_pages(), repeat=arguments.repeat, warmup=arguments.warmup))


if __name__ == "__main__":
    main()

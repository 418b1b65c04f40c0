"""Times the dashboards of indicators on 200 indicators x 10 academic years x 6 departments.

    .venv/bin/python bench/indicator_dashboards.py [--database-url URL] [--repeat N] [--indicators N]

Builds a fresh database as bench/foundation_pages.py does (a temporary SQLite file by
default; a PostgreSQL URL names a database this script creates and drops itself), migrates
it, then adds with bulk_create six departments with a process each, `--years` academic
years, `--indicators` indicators measured per department (owned by one person, spread over
the processes), a target per indicator and year and a value per indicator, year and
department (200 x 10 x 6 = 12,000 values by default).

Each dashboard (school, a department, a process, "my indicators" of the owner, and the
school's CSV export) is requested as the quality manager: `--warmup` unmeasured requests,
`--repeat` timed ones, and one more under query capture; a page shows its first 24
indicators (the lights counted over all), the CSV holds them all. The school's PDF, which
the worker builds, is timed as the worker builds it (`--pdf-repeat` times). Prints page,
figures (lines of its table, over every indicator), median and 95th-percentile time, and
SQL queries.
"""

from __future__ import annotations

import argparse
import datetime
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from foundation_pages import benchmark_database, percentile, setup_django


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="", help="default: a temporary SQLite file")
    parser.add_argument("--indicators", type=int, default=200)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=10, help="timed requests per page (default 10)")
    parser.add_argument("--pdf-repeat", type=int, default=3, help="timed requests of the PDF (default 3)")
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    return parser.parse_args()


def populate(*, indicators: int, years: int, seed: int = 2026) -> dict[str, Any]:
    from amelio.indicators.choices import ScopeKind, Source
    from amelio.indicators.models import Indicator, IndicatorValue, Target
    from amelio.organisation.choices import PersonKind, Role
    from amelio.organisation.models import AcademicYear, Department, Person, RoleAssignment
    from amelio.processes.models import Process

    rng = random.Random(seed)
    quality_manager = Person.objects.create_user(
        email="qm@bench.test", password=None, first_name="Q", last_name="M", kind=PersonKind.STAFF
    )
    owner = Person.objects.create_user(
        email="owner@bench.test", password=None, first_name="O", last_name="W", kind=PersonKind.STAFF
    )
    RoleAssignment.objects.create(
        person=quality_manager, role=Role.QUALITY_MANAGER, scope_kind="school", starts_on=datetime.date(2000, 1, 1)
    )
    departments = Department.objects.bulk_create(
        Department(code=f"D{number}", name=f"Département {number}") for number in range(6)
    )
    processes = Process.objects.bulk_create(
        Process(
            code=f"R-{number:02d}",
            name=f"Processus {number}",
            kind="realisation",
            purpose=".",
            owner=owner,
            department=department,
        )
        for number, department in enumerate(departments)
    )
    academic_years = AcademicYear.objects.bulk_create(
        AcademicYear(
            label=f"{start}-{start + 1}",
            starts_on=datetime.date(start, 9, 1),
            ends_on=datetime.date(start + 1, 8, 31),
            is_current=start == 2016 + years - 1,
        )
        for start in range(2016, 2016 + years)
    )
    created = Indicator.objects.bulk_create(
        Indicator(
            code=f"IND-{number:03d}",
            name=f"Indicateur {number}",
            description="Mesure",
            process=processes[number % len(processes)],
            scope_kind=ScopeKind.DEPARTMENT,
            unit="%",
            direction="higher",
            owner=owner,
            source=Source.MANUAL,
        )
        for number in range(indicators)
    )
    Target.objects.bulk_create(
        (
            Target(indicator=indicator, academic_year=year, target=Decimal(80), alert_threshold=Decimal(60))
            for indicator in created
            for year in academic_years
        ),
        batch_size=5000,
    )
    IndicatorValue.objects.bulk_create(
        (
            IndicatorValue(
                indicator=indicator,
                academic_year=year,
                scope_key=f"department:{department.pk}",
                department=department,
                value=Decimal(rng.randint(40, 100)),
                source=Source.MANUAL,
                recorded_by=owner,
            )
            for indicator in created
            for year in academic_years
            for department in departments
        ),
        batch_size=5000,
    )
    return {
        "quality_manager": quality_manager,
        "owner": owner,
        "department": departments[0],
        "process": processes[0],
        "values": IndicatorValue.objects.count(),
    }


def measure(world: dict[str, Any], *, repeat: int, pdf_repeat: int, warmup: int) -> list[tuple[str, ...]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from amelio.indicators.choices import DashboardKind
    from amelio.indicators.selectors import current_academic_year, dashboard_for

    year = current_academic_year()
    assert year is not None
    query = f"?academic_year={year.pk}"
    qm = world["quality_manager"]
    pages = [
        ("school", reverse("indicators:dashboard") + query, DashboardKind.SCHOOL, None, repeat),
        (
            "department",
            reverse("indicators:department_dashboard", args=[world["department"].pk]) + query,
            DashboardKind.DEPARTMENT,
            world["department"],
            repeat,
        ),
        (
            "process",
            reverse("indicators:process_dashboard", args=[world["process"].pk]) + query,
            DashboardKind.PROCESS,
            world["process"],
            repeat,
        ),
        ("school csv", reverse("indicators:dashboard") + query + "&export=csv", DashboardKind.SCHOOL, None, repeat),
    ]
    results: list[tuple[str, ...]] = []
    for who, user in (("quality manager", qm), ("owner", world["owner"])):
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        chosen = (
            pages
            if who == "quality manager"
            else [
                ("my indicators", reverse("indicators:my_dashboard") + query, DashboardKind.MINE, None, repeat),
                ("home (card)", reverse("core:home"), DashboardKind.MINE, None, repeat),
            ]
        )
        for label, url, kind, subject, times in chosen:
            for _index in range(warmup):
                assert client.get(url).status_code == 200, url
            timings = []
            for _index in range(times):
                started = time.perf_counter()
                client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
            with CaptureQueriesContext(connection) as captured:
                client.get(url)
            lines = len(dashboard_for(user=user, kind=kind, subject=subject, academic_year=year, charts=False).lines)
            results.append(
                (
                    label,
                    who,
                    str(lines),
                    f"{statistics.median(timings):.0f}",
                    f"{percentile(timings, 0.95):.0f}",
                    str(len(captured)),
                )
            )
    # The PDF is built by the worker (core.prepared_exports): timed as the worker builds it.
    from amelio.indicators.reports import build_dashboard_pdf

    parameters = {"kind": DashboardKind.SCHOOL, "subject": None, "academic_year": year.pk}
    timings = []
    for _index in range(pdf_repeat):
        started = time.perf_counter()
        built = build_dashboard_pdf(user=qm, parameters=parameters)
        timings.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as captured:
        build_dashboard_pdf(user=qm, parameters=parameters)
    lines = len(dashboard_for(user=qm, kind=DashboardKind.SCHOOL, academic_year=year, charts=False).lines)
    results.append(
        (
            f"school pdf (worker, {len(built.content) // 1024} KiB)",
            "quality manager",
            str(lines),
            f"{statistics.median(timings):.0f}",
            f"{percentile(timings, 0.95):.0f}",
            str(len(captured)),
        )
    )
    return results


def print_table(results: list[tuple[str, ...]]) -> None:
    header = ("page", "as", "lines", "median ms", "p95 ms", "SQL queries")
    lines = [header, *results]
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

        engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        print(f"Amelio indicator dashboards — {engine} ({urlsplit(url).scheme})")
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        migrated = time.perf_counter()
        world = populate(indicators=arguments.indicators, years=arguments.years)
        filled = time.perf_counter()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        print(
            f"migrate {migrated - started:.1f} s; bulk_create {filled - migrated:.1f} s "
            f"({arguments.indicators} indicators, {arguments.years} years, 6 departments, {world['values']} values)"
        )
        print(f"{arguments.warmup} warm-up request(s), then timed ones, per page; queries of one request\n")
        print_table(measure(world, repeat=arguments.repeat, pdf_repeat=arguments.pdf_repeat, warmup=arguments.warmup))


if __name__ == "__main__":
    main()

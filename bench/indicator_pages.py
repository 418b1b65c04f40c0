"""Times the indicator pages on 200 indicators × 10 academic years × 6 departments of
values, and the recomputation of every computed indicator on ten times the demo's records.

    .venv/bin/python bench/indicator_pages.py [--database-url URL] [--repeat N] [--scale N]
        [--indicators N] [--monthly N] [--times N]

Builds a fresh database as bench/foundation_pages.py does (a temporary SQLite file by
default; a PostgreSQL URL names a database this script creates and drops itself) and the
demo school at `--scale` (10: ten campuses of people and processes; the demo's 13
computed indicators with their values). Then:

1. *Recompute, 1×*: times recomputing every computed indicator of the demo, each over
   the demo's academic years (each scope, each semester or month for those measured so),
   through the service the worker and the command use (`indicator_recompute`).
2. *Ten times the records*: the demo's records at scale 1 do not grow with `--scale`
   (people and processes do), so `--times` − 1 copies of its improvement items (with
   their actions), internship agreements (with their milestones and evaluations) and
   teaching interventions are added with bulk_create, and the teaching volumes multiplied
   alike; then step 1 again.
3. *Bench indicators*: academic years back to ten, `--indicators` indicators per
   department (200), `--monthly` of them (20) measured per month, each with a target per
   year and a value per year (or month) and department, with bulk_create: 12,000 yearly
   values and 14,400 monthly ones by default.
4. *Pages*, as the quality manager (qualite@amelio-demo.fr): the dashboard of the current
   and of the oldest year, the indicator list, the page of an indicator per department
   (60 values), of one per month (720 values) and of a demo computed indicator:
   `--warmup` unmeasured requests, `--repeat` timed ones and one more under query capture.
   Prints rows, median and 95th-percentile time, SQL queries.
"""

from __future__ import annotations

import argparse
import datetime
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from foundation_pages import benchmark_database, percentile, print_table, setup_django

QUALITY_MANAGER = "qualite@amelio-demo.fr"
BATCH = 2000


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
    parser.add_argument("--scale", type=int, default=10, help="people and processes, in demo schools (default 10)")
    parser.add_argument("--times", type=int, default=10, help="copies of the demo's records (default 10)")
    parser.add_argument("--indicators", type=int, default=200, help="bench indicators (default 200)")
    parser.add_argument("--monthly", type=int, default=20, help="of them measured per month (default 20)")
    parser.add_argument("--years", type=int, default=10, help="academic years of values (default 10)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    return parser.parse_args()


# --- Recomputation ------------------------------------------------------------------------------


def recompute_every_computed_indicator(years: list[Any]) -> list[tuple[str, int, float]]:
    """Each computed indicator recomputed over `years`, one transaction per indicator and
    year as the worker does: (indicator and computation, values written, seconds)."""
    from amelio.indicators import services
    from amelio.indicators.models import Indicator

    steps = []
    for indicator in Indicator.objects.filter(source="computed").select_related("process").order_by("code"):
        started = time.perf_counter()
        written = sum(
            services.indicator_recompute(actor=None, indicator=indicator, academic_year=year) for year in years
        )
        label = f"{indicator.code} {indicator.computation} ({indicator.scope_kind}, {indicator.period_kind})"
        steps.append((label, written, time.perf_counter() - started))
    return steps


def print_steps(steps: list[tuple[str, int, float]], *, title: str) -> None:
    total = ("every computed indicator", sum(s[1] for s in steps), sum(s[2] for s in steps))
    header = (title, "values", "seconds", "ms/value")
    lines = [header] + [
        (label, str(rows), f"{seconds:.2f}", f"{1000 * seconds / rows:.1f}" if rows else "—")
        for label, rows, seconds in [*steps, total]
    ]
    widths = [max(len(line[column]) for line in lines) for column in range(len(header))]
    for index, line in enumerate(lines):
        if index == len(lines) - 1:
            print("  ".join("-" * width for width in widths))
        print("  ".join([line[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(line[1:], widths[1:], strict=True)]))
        if index == 0:
            print("  ".join("-" * width for width in widths))
    print()


# --- Ten times the records -------------------------------------------------------------------------


def _copies(instances: list[Any], times: int, change: Callable[[Any, Any, int], None]) -> list[tuple[Any, Any]]:
    """(original, copy) for each instance and each copy number 2..times; `change` makes a
    copy's unique fields its own."""
    pairs = []
    for number in range(2, times + 1):
        for original in instances:
            copy = type(original).objects.model(
                **{
                    field.attname: getattr(original, field.attname)
                    for field in original._meta.concrete_fields
                    if not field.primary_key
                }
            )
            change(original, copy, number)
            pairs.append((original, copy))
    return pairs


def multiply_records(times: int) -> dict[str, int]:
    """Adds `times` − 1 copies of the improvement items and their actions, the internship
    agreements with their milestones and evaluations, and the teaching interventions; the
    teaching volumes grow `times` fold alike (one per programme and year)."""
    from django.db.models import F

    from amelio.improvement.models import Action, ImprovementItem
    from amelio.internships.models import Evaluation, Internship, Milestone
    from amelio.partners.models import Intervention, TeachingVolume

    def referenced(original: Any, copy: Any, number: int) -> None:
        copy.reference = f"{original.reference}-{number}"

    counts = {}
    items = _copies(list(ImprovementItem.objects.all()), times, referenced)
    ImprovementItem.objects.bulk_create([copy for _original, copy in items], batch_size=BATCH)
    item_of = {(original.pk, copy.reference.rsplit("-", 1)[1]): copy.pk for original, copy in items}
    counts["improvement items"] = len(items)

    def action_copy(original: Any, copy: Any, number: int) -> None:
        copy.item_id = item_of.get((original.item_id, str(number)), original.item_id)

    actions = _copies(list(Action.objects.all()), times, action_copy)
    Action.objects.bulk_create([copy for _original, copy in actions], batch_size=BATCH)
    counts["actions"] = len(actions)

    def internship_copy(original: Any, copy: Any, number: int) -> None:
        referenced(original, copy, number)
        copy.amends_id = None  # one agreement amends one other: the copy's, set below

    internships = _copies(list(Internship.objects.all()), times, internship_copy)
    Internship.objects.bulk_create([copy for _original, copy in internships], batch_size=BATCH)
    internship_of = {(original.pk, copy.reference.rsplit("-", 1)[1]): copy.pk for original, copy in internships}
    amendments = []
    for original, copy in internships:
        if original.amends_id is not None:
            copy.amends_id = internship_of[(original.amends_id, copy.reference.rsplit("-", 1)[1])]
            amendments.append(copy)
    Internship.objects.bulk_update(amendments, ["amends"], batch_size=BATCH)
    counts["internships"] = len(internships)

    def child_copy(original: Any, copy: Any, number: int) -> None:
        copy.internship_id = internship_of[(original.internship_id, str(number))]
        if hasattr(copy, "link_id"):
            copy.link_id = None

    milestones = _copies(list(Milestone.objects.all()), times, child_copy)
    Milestone.objects.bulk_create([copy for _original, copy in milestones], batch_size=BATCH)
    counts["milestones"] = len(milestones)
    evaluations = _copies(list(Evaluation.objects.all()), times, child_copy)
    Evaluation.objects.bulk_create([copy for _original, copy in evaluations], batch_size=BATCH)
    counts["evaluations"] = len(evaluations)
    interventions = _copies(list(Intervention.objects.all()), times, lambda original, copy, number: None)
    Intervention.objects.bulk_create([copy for _original, copy in interventions], batch_size=BATCH)
    counts["interventions"] = len(interventions)
    TeachingVolume.objects.update(total_hours=F("total_hours") * times)
    return counts


# --- The bench indicators ------------------------------------------------------------------------


def populate_indicators(*, indicators: int, monthly: int, years: int, seed: int) -> dict[str, int]:
    """Academic years back to `years`, then indicators per department with a target per year
    and a value per year (or month) and department."""
    from amelio.indicators.choices import PeriodKind, ScopeKind, Source
    from amelio.indicators.models import Indicator, IndicatorValue, Target
    from amelio.indicators.periods import periods_of
    from amelio.organisation.choices import PersonKind
    from amelio.organisation.models import AcademicYear, Department, Person
    from amelio.processes.models import Process

    rng = random.Random(seed)
    known = list(AcademicYear.objects.order_by("starts_on"))
    first = known[0].starts_on.year
    for start in range(first - (years - len(known)), first):
        AcademicYear.objects.create(
            label=f"{start}-{start + 1}", starts_on=datetime.date(start, 9, 1), ends_on=datetime.date(start + 1, 8, 31)
        )
    academic_years = list(AcademicYear.objects.order_by("starts_on"))[-years:]
    departments = list(Department.objects.order_by("code"))
    owners = list(Person.objects.exclude(kind=PersonKind.STUDENT).values_list("pk", flat=True)[:200])
    processes = list(Process.objects.values_list("pk", flat=True))
    created = Indicator.objects.bulk_create(
        [
            Indicator(
                code=f"BANC-{number:03d}",
                name=f"Indicateur de banc d'essai n° {number}",
                description="Mesure de banc d'essai.",
                process_id=rng.choice(processes),
                scope_kind=ScopeKind.DEPARTMENT,
                period_kind=PeriodKind.MONTH if number <= monthly else PeriodKind.ACADEMIC_YEAR,
                unit="%",
                direction="higher" if number % 3 else "lower",
                owner_id=rng.choice(owners),
                source=Source.MANUAL,
            )
            for number in range(1, indicators + 1)
        ],
        batch_size=BATCH,
    )
    targets = [
        Target(
            indicator=indicator,
            academic_year=year,
            target=Decimal(80 if indicator.direction == "higher" else 20),
            alert_threshold=Decimal(60 if indicator.direction == "higher" else 40),
        )
        for indicator in created
        for year in academic_years
    ]
    Target.objects.bulk_create(targets, batch_size=BATCH)
    values = []
    for indicator in created:
        for year in academic_years:
            for period in periods_of(year, indicator.period_kind):
                for department in departments:
                    values.append(
                        IndicatorValue(
                            indicator=indicator,
                            academic_year=year,
                            period=period.code,
                            scope_key=f"department:{department.pk}",
                            department=department,
                            value=Decimal(rng.randint(100, 1000)) / 10,
                            source=Source.MANUAL,
                            recorded_by_id=indicator.owner_id,
                        )
                    )
    IndicatorValue.objects.bulk_create(values, batch_size=BATCH)
    return {"indicators": len(created), "targets": len(targets), "values": len(values), "years": len(academic_years)}


# --- The pages ------------------------------------------------------------------------------------


def indicator_pages() -> list[Page]:
    from amelio.indicators.models import Indicator, IndicatorValue
    from amelio.indicators.selectors import current_academic_year
    from amelio.organisation.models import AcademicYear

    current = current_academic_year()
    assert current is not None
    oldest = AcademicYear.objects.order_by("starts_on").first()
    assert oldest is not None
    yearly = Indicator.objects.filter(code__startswith="BANC-", period_kind="academic_year").order_by("code").first()
    monthly = Indicator.objects.filter(code__startswith="BANC-", period_kind="month").order_by("code").first()
    computed = Indicator.objects.filter(source="computed", scope_kind="department").order_by("code").first()
    pages = [
        Page(
            f"dashboard {current}",
            "/indicators/",
            lambda: IndicatorValue.objects.filter(academic_year=current).count(),
        ),
        Page(
            f"dashboard {oldest}",
            f"/indicators/?academic_year={oldest.pk}",
            lambda: IndicatorValue.objects.filter(academic_year=oldest).count(),
        ),
        Page("indicator list", "/indicators/list/", Indicator.objects.count),
    ]
    for label, indicator in (
        ("indicator per department", yearly),
        ("indicator per month", monthly),
        ("computed indicator", computed),
    ):
        if indicator is not None:
            pages.append(
                Page(
                    f"{label} {indicator.code}",
                    f"/indicators/{indicator.pk}/",
                    IndicatorValue.objects.filter(indicator=indicator).count,
                )
            )
    return pages


def measure(pages: list[Page], *, repeat: int, warmup: int) -> list[tuple[str, int, float, float, int]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from amelio.organisation.models import Person

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(Person.objects.get(email=QUALITY_MANAGER), backend="django.contrib.auth.backends.ModelBackend")
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


def main() -> None:
    arguments = parse_arguments()
    with benchmark_database(arguments.database_url, keep=arguments.keep) as url:
        setup_django()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection, transaction

        from amelio.demo.school import build_demo_school
        from amelio.organisation.models import AcademicYear

        engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        print(f"Amelio indicator pages — {engine} ({urlsplit(url).scheme}), scale {arguments.scale}")
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        migrated = time.perf_counter()
        counts = build_demo_school(scale=arguments.scale, seed=arguments.seed)
        built = time.perf_counter()
        print(
            f"migrate {migrated - started:.1f} s; demo school {built - migrated:.1f} s "
            f"({counts['people']} people, {counts['processes']} processes, {counts['internships']} internships)\n"
        )
        # The years the demo computes its indicators for (its oldest precedes its records).
        demo_years = list(AcademicYear.objects.order_by("starts_on"))[1:]
        print_steps(recompute_every_computed_indicator(demo_years), title="recompute, the demo's records (1×)")
        clock = time.perf_counter()
        with transaction.atomic():
            copied = multiply_records(arguments.times)
        print(
            f"{arguments.times}× the records: bulk_create {time.perf_counter() - clock:.1f} s ("
            + ", ".join(f"{count} {name}" for name, count in copied.items())
            + " added)\n"
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        print_steps(
            recompute_every_computed_indicator(demo_years),
            title=f"recompute, {arguments.times}× the demo's records",
        )
        clock = time.perf_counter()
        with transaction.atomic():
            added = populate_indicators(
                indicators=arguments.indicators, monthly=arguments.monthly, years=arguments.years, seed=arguments.seed
            )
        print(
            f"bench indicators: bulk_create {time.perf_counter() - clock:.1f} s ({added['indicators']} indicators "
            f"per department, {arguments.monthly} of them per month, {added['years']} academic years, "
            f"{added['targets']} targets, {added['values']} values)"
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        print(f"{arguments.warmup} warm-up requests, then {arguments.repeat} timed, per page, as {QUALITY_MANAGER}\n")
        print_table(measure(indicator_pages(), repeat=arguments.repeat, warmup=arguments.warmup))


if __name__ == "__main__":
    main()

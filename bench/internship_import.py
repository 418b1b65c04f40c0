"""Times the internship import on a generated XLSX file: checked and written, all or nothing.

    .venv/bin/python bench/internship_import.py [--rows 20000] [--preview] [--profile N] [--database-url URL]

Builds a fresh database as bench/internship_pages.py does (a temporary SQLite file by
default; a PostgreSQL URL names a database this script creates and drops itself) with the demo
school at scale 1, writes `--rows` lawful internship agreements into an XLSX file in the
internship import's columns (bench/internship_pages.py's generator: about 6,000 students over
four academic years, about 2,000 new host companies, one company hosting 500 of them; each
tutor follows three interns at most, see spread_tutors), creates the students they name,
then runs the import as the internship office: `amelio.imports.services.run_import(commit=True)`,
every row through the agreement rules, the whole file written or nothing. `--preview` times the
preview instead (the same import, rolled back). `--profile N` prints the N functions taking the
most time (cProfile, cumulative). Prints rows, seconds and rows/s, and what was written.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from foundation_pages import benchmark_database, setup_django
from internship_pages import OFFICE, create_students, generate_rows, read_xlsx, write_xlsx


def spread_tutors(rows: list[dict[str, Any]]) -> None:
    """bench/internship_pages.py's rows give each host two or three tutors, so the big host's
    tutors would follow dozens of interns at once, which the company tutors' quota (R124-13,
    three at once) refuses: here a tutor follows three interns of the file at most."""
    counts: dict[str, int] = {}
    for row in rows:
        count = counts.get(row["company_siret"], 0)
        counts[row["company_siret"]] = count + 1
        number = count // 3 + 1
        row["tutor_first_name"] = f"Tuteur{number}"
        row["tutor_email"] = f"tuteur{number}.{row['company_siret']}@entreprise-essai.fr"


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="", help="default: a temporary SQLite file")
    parser.add_argument("--rows", type=int, default=20_000, help="internships in the XLSX file (default 20000)")
    parser.add_argument("--preview", action="store_true", help="time the preview (rolled back) instead")
    parser.add_argument("--profile", type=int, default=0, help="print the N costliest functions (cProfile)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    return parser.parse_args()


def main() -> None:
    arguments = parse_arguments()
    with benchmark_database(arguments.database_url, keep=arguments.keep) as url:
        setup_django()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import transaction

        from amelio.demo.school import build_demo_school
        from amelio.history.models import HistoryEntry
        from amelio.imports.services import run_import
        from amelio.internships.models import Internship
        from amelio.organisation.models import Person
        from amelio.partners.models import Company, Contact

        engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        print(f"Amelio internship import — {engine} ({urlsplit(url).scheme}), {arguments.rows} rows from XLSX")
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        build_demo_school(scale=1)
        print(f"database and demo school: {time.perf_counter() - started:.1f} s")
        with tempfile.TemporaryDirectory(prefix="amelio-bench-import-") as directory:
            path = Path(directory) / "stages.xlsx"
            rows = generate_rows(arguments.rows, seed=arguments.seed)
            spread_tutors(rows)
            write_xlsx(rows, path)
            with transaction.atomic():
                create_students(read_xlsx(path))
            content = path.read_bytes()
        office = Person.objects.get(email=OFFICE)
        before = (Internship.objects.count(), Company.objects.count(), Contact.objects.count())
        history_before = HistoryEntry.objects.count()
        profiler = cProfile.Profile() if arguments.profile else None
        clock = time.perf_counter()
        if profiler is not None:
            profiler.enable()
        report = run_import(actor=office, kind="internships", content=content, commit=not arguments.preview)
        if profiler is not None:
            profiler.disable()
        seconds = time.perf_counter() - clock
        if report["errors"]:
            first = report["errors"][0]
            raise SystemExit(f"The import refused {len(report['errors'])} rows, e.g. {first}")
        written = (
            Internship.objects.count() - before[0],
            Company.objects.count() - before[1],
            Contact.objects.count() - before[2],
            HistoryEntry.objects.count() - history_before,
        )
        what = "preview (rolled back)" if arguments.preview else "import (checked and written)"
        print(f"{what}: {report['accepted']} rows in {seconds:.1f} s, {report['accepted'] / seconds:.0f} rows/s")
        print(
            f"written: {written[0]} internships, {written[1]} companies, {written[2]} tutors, "
            f"{written[3]} history entries"
        )
        if profiler is not None:
            output = io.StringIO()
            pstats.Stats(profiler, stream=output).sort_stats("cumulative").print_stats(arguments.profile)
            print(output.getvalue())


if __name__ == "__main__":
    main()

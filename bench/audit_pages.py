"""Times the audit programme page (its coverage over the three-year cycle) and the other
audit pages with five years of audits.

    .venv/bin/python bench/audit_pages.py [--database-url URL] [--repeat N] [--years N]
        [--audits-per-year N] [--scale N]

Builds a fresh database as bench/foundation_pages.py does (a temporary SQLite file by
default; a PostgreSQL URL names a database this script creates and drops itself) and the
demo school at `--scale` (its two programmes and eleven audits included). Then adds, with
bulk_create, `--years` academic years (5) of programmes with `--audits-per-year` internal
audits each (200: 1,000 audits), each with 1 to 3 processes and 2 to 5 ISO clauses in
scope, its checklist answered and 3 findings. Then, as the quality manager
(qualite@amelio-demo.fr): the newest bench programme's page, the audit list, the page, the
checklist and the report PDF of an audit: `--warmup` unmeasured requests, `--repeat` timed
ones and one more under query capture. Prints rows, median (p50) and 95th-percentile time,
SQL queries.
"""

from __future__ import annotations

import argparse
import datetime
import random
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from foundation_pages import benchmark_database, print_table, setup_django
from indicator_pages import Page, measure

QUALITY_MANAGER = "qualite@amelio-demo.fr"


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="", help="default: a temporary SQLite file")
    parser.add_argument("--repeat", type=int, default=20, help="timed requests per page (default 20)")
    parser.add_argument("--warmup", type=int, default=2, help="unmeasured requests per page first (default 2)")
    parser.add_argument("--scale", type=int, default=1, help="people and processes, in demo schools (default 1)")
    parser.add_argument("--years", type=int, default=5, help="academic years of audits (default 5)")
    parser.add_argument("--audits-per-year", type=int, default=200, help="internal audits a year (default 200)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    return parser.parse_args()


def populate_audits(*, years: int, per_year: int, seed: int) -> dict[str, Any]:
    from django.utils import timezone

    from amelio.audits.choices import Answer, AuditStatus, Grade
    from amelio.audits.models import Audit, AuditProgramme, ChecklistLine, Finding
    from amelio.organisation.models import Person
    from amelio.processes.models import Process
    from amelio.standards.models import Clause

    rng = random.Random(seed)
    today = timezone.localdate()
    lead = Person.objects.get(email=QUALITY_MANAGER)
    processes = list(Process.objects.all())
    clauses = [c for c in Clause.objects.filter(framework__code="ISO9001:2015") if c.number.count(".") == 1]
    first_year = (today.year if today.month >= 9 else today.year - 1) - years + 1
    programmes = AuditProgramme.objects.bulk_create(
        AuditProgramme(
            title=f"Bench {year}-{year + 1}",
            starts_on=datetime.date(year, 9, 1),
            ends_on=datetime.date(year + 1, 8, 31),
        )
        for year in range(first_year, first_year + years)
    )
    audits = []
    for programme in programmes:
        for number in range(per_year):
            starts_on = programme.starts_on + datetime.timedelta(days=rng.randint(0, 360))
            ends_on = starts_on + datetime.timedelta(days=rng.randint(0, 2))
            status = AuditStatus.CLOSED if ends_on < today else AuditStatus.PLANNED
            if ends_on < today and rng.random() < 0.05:
                status = AuditStatus.PLANNED  # late
            audits.append(
                Audit(
                    reference=f"AB-{programme.starts_on.year}-{number + 1:04d}",
                    programme=programme,
                    title=f"Audit {number + 1}",
                    criteria="ISO 9001:2015",
                    starts_on=starts_on,
                    ends_on=ends_on,
                    lead_auditor=lead,
                    status=status,
                    conclusion="Conclusion" if status == AuditStatus.CLOSED else "",
                )
            )
    audits = Audit.objects.bulk_create(audits, batch_size=500)
    process_links, clause_links, lines, findings = [], [], [], []
    grades = list(Grade.values)
    for audit in audits:
        scope = rng.sample(processes, rng.randint(1, 3))
        chosen = rng.sample(clauses, rng.randint(2, 5))
        process_links += [Audit.processes.through(audit_id=audit.pk, process_id=p.pk) for p in scope]
        clause_links += [Audit.clauses.through(audit_id=audit.pk, clause_id=c.pk) for c in chosen]
        answered = audit.status == AuditStatus.CLOSED
        pairs = [(clause, None) for clause in chosen] + [(None, process) for process in scope]
        for position, (clause, process) in enumerate(pairs, start=1):
            lines.append(
                ChecklistLine(
                    audit=audit,
                    position=position,
                    clause=clause,
                    process=process,
                    question=f"Question {position}",
                    answer=Answer.CONFORM if answered else "",
                )
            )
        if answered:
            findings += [
                Finding(
                    audit=audit,
                    number=n,
                    grade=rng.choice(grades),
                    statement=f"Constat {n}",
                    evidence="Vu",
                    requirement="ISO 9001",
                    process=scope[0],
                )
                for n in range(1, 4)
            ]
    Audit.processes.through.objects.bulk_create(process_links, batch_size=2000)
    Audit.clauses.through.objects.bulk_create(clause_links, batch_size=2000)
    ChecklistLine.objects.bulk_create(lines, batch_size=2000)
    Finding.objects.bulk_create(findings, batch_size=2000)
    return {
        "programme": programmes[-1],
        "audit": audits[-per_year],
        "audits": len(audits),
        "lines": len(lines),
        "findings": len(findings),
    }


def audit_pages(populated: dict[str, Any]) -> list[Page]:
    from django.urls import reverse

    from amelio.audits.models import Audit, ChecklistLine

    programme, audit = populated["programme"], populated["audit"]
    return [
        Page("programme page", reverse("audits:programme_detail", args=[programme.pk]), Audit.objects.count),
        Page("audit list", reverse("audits:audit_list"), Audit.objects.count),
        Page("audit list, late", reverse("audits:audit_list") + "?late=true", Audit.objects.count),
        Page("audit page", reverse("audits:audit_detail", args=[audit.pk]), audit.findings.count),
        Page(
            "checklist",
            reverse("audits:checklist", args=[audit.pk]),
            ChecklistLine.objects.filter(audit=audit).count,
        ),
        Page("report PDF", reverse("audits:audit_report_pdf", args=[audit.pk]), audit.findings.count),
    ]


def main() -> None:
    arguments = parse_arguments()
    with benchmark_database(arguments.database_url, keep=arguments.keep) as url:
        setup_django()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection, transaction

        from amelio.demo.school import build_demo_school

        engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        print(f"Amelio audit pages — {engine} ({urlsplit(url).scheme}), scale {arguments.scale}")
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        migrated = time.perf_counter()
        counts = build_demo_school(scale=arguments.scale, seed=arguments.seed)
        built = time.perf_counter()
        print(
            f"migrate {migrated - started:.1f} s; demo school {built - migrated:.1f} s "
            f"({counts['processes']} processes)"
        )
        clock = time.perf_counter()
        with transaction.atomic():
            populated = populate_audits(years=arguments.years, per_year=arguments.audits_per_year, seed=arguments.seed)
        print(
            f"bench audits: bulk_create {time.perf_counter() - clock:.1f} s ({arguments.years} years, "
            f"{populated['audits']} audits, {populated['lines']} checklist lines, {populated['findings']} findings)"
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        print(f"{arguments.warmup} warm-up requests, then {arguments.repeat} timed, per page, as {QUALITY_MANAGER}\n")
        print_table(measure(audit_pages(populated), repeat=arguments.repeat, warmup=arguments.warmup))


if __name__ == "__main__":
    main()

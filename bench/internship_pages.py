"""Times importing 20,000 internships from XLSX, and the internship pages on them.

    .venv/bin/python bench/internship_pages.py [--database-url URL] [--rows N] [--import-rows N] [--repeat N]

Builds a fresh database as bench/foundation_pages.py does (a temporary SQLite file by
default; a PostgreSQL URL names a database this script creates and drops itself) and the
demo school at scale 1 (its 400 companies and 1,500 internships included). Then:

1. *XLSX*: writes `--rows` internship agreements (20,000) with openpyxl into a temporary
   directory, in the columns of the internship import (French headings): about 6,000
   students over the four academic years, about 2,000 host companies (SIRET, city) with
   their tutors, and one company, "Groupe Banc d'Essai Industrie", hosting 500 of them;
   times writing the file and reading it back (openpyxl, read_only).
2. *Import*: when the application has an import of internships, times it on the same file
   (its first `--import-rows` rows) and rolls it back, so that it does not double the bulk
   load below: `amelio.internships.imports.import_internships(actor=, file=)` when it
   exists, else `amelio.imports.services.run_import` (the preview, which is the whole
   import rolled back). Every row goes through the services and the rules of the law.
3. *Bulk load*: creates the students, companies, tutors and agreements of the rows with
   bulk_create (a measure of the database, not of the rules), each agreement in the state
   its dates give with its milestones, and an evaluation for the evaluated ones.
4. *Pages*, as the internship office (stages@amelio-demo.fr): the company page of the
   company with 500 internships, the internship list (all, and under way), the follow-up
   board and the figures: `--warmup` unmeasured requests, `--repeat` timed ones and one
   more under query capture. Prints rows, median and 95th-percentile time, SQL queries.
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from foundation_pages import benchmark_database, percentile, print_table, setup_django

OFFICE = "stages@amelio-demo.fr"
BIG_COMPANY = "Groupe Banc d'Essai Industrie SA"
BIG_COMPANY_INTERNSHIPS = 500
STUDENTS = 6000
COMPANIES = 2000
BATCH = 2000
HEADINGS = [
    ("student_email", "Email étudiant"),
    ("company", "Entreprise"),
    ("company_siret", "SIRET"),
    ("company_city", "Ville"),
    ("company_country", "Pays"),
    ("tutor_first_name", "Prénom tuteur"),
    ("tutor_last_name", "Nom tuteur"),
    ("tutor_email", "Email tuteur"),
    ("academic_tutor_email", "Email enseignant référent"),
    ("programme", "Formation"),
    ("academic_year", "Année universitaire"),
    ("kind", "Type de stage"),
    ("subject", "Sujet"),
    ("starts_on", "Date de début"),
    ("ends_on", "Date de fin"),
    ("weekly_hours", "Durée hebdomadaire"),
    ("hourly_gratification", "Gratification horaire"),
]
KINDS = [("découverte", 6, (4, 6)), ("technicien", 8, (8, 12)), ("ingénieur", 6, (20, 24)), ("étranger", 2, (12, 20))]
KIND_CODES = {"découverte": "discovery", "technicien": "technician", "ingénieur": "engineer", "étranger": "abroad"}
CITIES = ["Lyon", "Villeurbanne", "Grenoble", "Saint-Étienne", "Paris", "Toulouse", "Nantes", "Lille", "Annecy"]


@dataclass
class Page:
    label: str
    url: str
    rows: Callable[[], int]


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="", help="default: a temporary SQLite file")
    parser.add_argument("--rows", type=int, default=20_000, help="internships in the XLSX file (default 20000)")
    parser.add_argument(
        "--import-rows", type=int, default=None, help="rows given to the import (default: all; 0 skips it)"
    )
    parser.add_argument("--repeat", type=int, default=20, help="timed requests per page (default 20)")
    parser.add_argument("--warmup", type=int, default=2, help="unmeasured requests per page first (default 2)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    return parser.parse_args()


# --- The rows -------------------------------------------------------------------------------------


def _luhn_key(digits: str) -> str:
    total = 0
    for index, character in enumerate(reversed(digits)):
        number = int(character) * (2 if index % 2 == 0 else 1)
        total += number - 9 if number > 9 else number
    return str((10 - total % 10) % 10)


def _monday(day: datetime.date) -> datetime.date:
    return day + datetime.timedelta(days=(7 - day.weekday()) % 7)


def generate_rows(count: int, *, seed: int) -> list[dict[str, Any]]:
    """`count` lawful agreements: one a year per student, so that no student exceeds the
    presence allowed with a host; a gratification whenever the law asks for one; no
    academic tutor (the import would check 20,000 agreements against 35 tutors' quotas)."""
    from django.utils import timezone

    from amelio.internships.agreement_rules import figure, presence_hours
    from amelio.internships.choices import LegalFigureKey
    from amelio.organisation.models import AcademicYear, Programme

    rng = random.Random(seed)
    threshold = figure(LegalFigureKey.GRATIFICATION_THRESHOLD_HOURS, timezone.localdate())
    years = list(AcademicYear.objects.order_by("starts_on"))
    programmes = list(Programme.objects.filter(is_apprenticeship=False).order_by("code"))
    students = [
        (f"banc.etudiant{number:05d}@amelio-demo.fr", programmes[number % len(programmes)].code)
        for number in range(STUDENTS)
    ]
    sirets: set[str] = set()

    def siret() -> str:
        while True:
            base = str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _digit in range(12))
            value = base + _luhn_key(base)
            if value not in sirets and not value.startswith("356000000"):
                sirets.add(value)
                return value

    companies = [(BIG_COMPANY, siret(), "Lyon", "FR")]
    companies += [
        (f"Entreprise d'essai {number:04d} SAS", siret(), rng.choice(CITIES), "FR") for number in range(1, COMPANIES)
    ]
    tutors: dict[str, list[tuple[str, str, str]]] = {}
    for name, number, _city, _country in companies:
        tutors[name] = [
            (f"Tuteur{index}", f"Essai{number[-4:]}", f"tuteur{index}.{number}@entreprise-essai.fr")
            for index in range(1, 4 if name == BIG_COMPANY else rng.randint(2, 3))
        ]
    # Each (student, year) once; the big company takes its 500 first, one student a year each.
    slots = [(student, year) for year in years for student in students]
    rng.shuffle(slots)
    rows = []
    for index, ((email, programme), year) in enumerate(slots[:count]):
        company = companies[0] if index < BIG_COMPANY_INTERNSHIPS else rng.choice(companies[1:])
        kind, _weight, (shortest, longest) = rng.choices(KINDS, weights=[k[1] for k in KINDS])[0]
        autumn = year.starts_on
        spring = datetime.date(autumn.year + 1, 1, 1)
        if kind == "ingénieur":
            starts_on = _monday(spring.replace(month=2) + datetime.timedelta(days=rng.randint(0, 40)))
        elif rng.random() < 0.25:
            starts_on = _monday(autumn + datetime.timedelta(days=rng.randint(5, 30)))
        else:
            starts_on = _monday(spring.replace(month=5) + datetime.timedelta(days=rng.randint(0, 40)))
        ends_on = starts_on + datetime.timedelta(days=7 * rng.randint(shortest, longest) - 3)
        ends_on = min(ends_on, year.ends_on)
        # A gratification is due beyond the threshold (L124-6); the rate is at least the minimum.
        paid = presence_hours(starts_on, ends_on, Decimal(35)) > threshold
        tutor = rng.choice(tutors[company[0]])
        rows.append(
            {
                "student_email": email,
                "company": company[0],
                "company_siret": company[1],
                "company_city": company[2],
                "company_country": company[3],
                "tutor_first_name": tutor[0],
                "tutor_last_name": tutor[1],
                "tutor_email": tutor[2],
                "academic_tutor_email": "",
                "programme": programme,
                "academic_year": year.label,
                "kind": kind,
                "subject": f"Sujet de stage n° {index + 1}",
                "starts_on": starts_on,
                "ends_on": ends_on,
                "weekly_hours": 35,
                "hourly_gratification": float(Decimal("4.35") + Decimal(rng.randint(0, 150)) / 100) if paid else None,
            }
        )
    return rows


def write_xlsx(rows: list[dict[str, Any]], path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Stages")
    sheet.append([heading for _key, heading in HEADINGS])
    for row in rows:
        sheet.append([row[key] for key, _heading in HEADINGS])
    workbook.save(path)


def read_xlsx(path: Path) -> list[dict[str, Any]]:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    values = workbook.worksheets[0].iter_rows(values_only=True)
    headings = next(values)
    keys = {heading: key for key, heading in HEADINGS}
    names = [keys[str(heading)] for heading in headings]
    # A read-only sheet leaves out the empty cells that end a row.
    rows = [{name: row[i] if i < len(row) else None for i, name in enumerate(names)} for row in values]
    workbook.close()
    return rows


# --- Import and bulk load --------------------------------------------------------------------------


def create_students(rows: list[dict[str, Any]]) -> int:
    """The students the rows name, as the school's registry would have them already."""
    from django.contrib.auth.hashers import make_password

    from amelio.organisation.models import Person, Programme

    programmes = {programme.code: programme for programme in Programme.objects.select_related("department")}
    wanted = {row["student_email"]: row["programme"] for row in rows}
    people = []
    for number, (email, code) in enumerate(sorted(wanted.items())):
        programme = programmes[code]
        people.append(
            Person(
                email=email,
                first_name=f"Élève{number}",
                last_name="Banc d'essai",
                kind="student",
                department=programme.department,
                programme=programme,
                password=make_password(None),
            )
        )
    Person.objects.bulk_create(people, batch_size=BATCH)
    return len(people)


def find_import() -> tuple[str, Callable[[Any, Path, int | None], int]] | None:
    """The application's import of internships, if it has one, as (name, run)."""
    from django.db import transaction

    try:
        module = importlib.import_module("amelio.internships.imports")
    except ImportError:
        module = None
    function = getattr(module, "import_internships", None) if module is not None else None
    if function is not None:

        def run_issue_import(actor: Any, path: Path, limit: int | None) -> int:
            from django.core.files import File

            with path.open("rb") as handle, transaction.atomic():
                result = function(actor=actor, file=File(handle, name=path.name))
                transaction.set_rollback(True)  # timed, not kept: the bulk load below writes the rows
            if isinstance(result, dict):
                return int(result.get("accepted") or result.get("created") or 0)
            return int(getattr(result, "created", 0) or 0)

        return "amelio.internships.imports.import_internships", run_issue_import
    try:
        services = importlib.import_module("amelio.imports.services")
    except ImportError:
        return None
    run_import = getattr(services, "run_import", None)
    if run_import is None:
        return None

    def run_preview(actor: Any, path: Path, limit: int | None) -> int:
        content = path.read_bytes()
        if limit is not None:
            smaller = path.with_name(f"first-{limit}.xlsx")
            write_xlsx(read_xlsx(path)[:limit], smaller)
            content = smaller.read_bytes()
        report = run_import(actor=actor, kind="internships", content=content, commit=False)
        if report["errors"]:
            first = report["errors"][0]
            raise SystemExit(f"The import refused {len(report['errors'])} rows, e.g. row {first['row']}: {first}")
        return int(report["accepted"])

    return "amelio.imports.services.run_import (preview: the whole import, rolled back)", run_preview


def bulk_load(rows: list[dict[str, Any]], *, seed: int) -> dict[str, int]:
    """Companies, tutors, agreements, milestones and evaluations with bulk_create."""
    from django.utils import timezone

    from amelio.internships.choices import EvaluationKind, InternshipStatus, MilestoneKind
    from amelio.internships.models import Evaluation, Internship, Milestone
    from amelio.internships.services import milestone_dates
    from amelio.organisation.models import AcademicYear, Person, Programme
    from amelio.partners.models import Company, Contact
    from amelio.partners.services import normalise_company_name

    rng = random.Random(seed)
    today = timezone.localdate()
    office = Person.objects.get(email=OFFICE)
    students = dict(Person.objects.filter(email__in={row["student_email"] for row in rows}).values_list("email", "pk"))
    programmes = dict(Programme.objects.values_list("code", "pk"))
    years = dict(AcademicYear.objects.values_list("label", "pk"))
    known = dict(Company.objects.exclude(siret="").values_list("siret", "pk"))
    new_companies = {}
    for row in rows:
        if row["company_siret"] not in known and row["company_siret"] not in new_companies:
            new_companies[row["company_siret"]] = Company(
                legal_name=row["company"],
                siret=row["company_siret"],
                city=row["company_city"],
                country=row["company_country"],
                name_key=normalise_company_name(row["company"]),
                size="large" if row["company"] == BIG_COMPANY else "sme",
            )
    for company in Company.objects.bulk_create(new_companies.values(), batch_size=BATCH):
        known[company.siret] = company.pk
    contacts: dict[tuple[int, str], Any] = {}
    for row in rows:
        key = (known[row["company_siret"]], row["tutor_email"])
        if key not in contacts:
            contacts[key] = Contact(
                company_id=key[0],
                first_name=row["tutor_first_name"],
                last_name=row["tutor_last_name"],
                email=row["tutor_email"],
                is_tutor=True,
            )
    Contact.objects.bulk_create(contacts.values(), batch_size=BATCH)

    def status_of(starts_on: datetime.date, ends_on: datetime.date) -> str:
        if ends_on < today - datetime.timedelta(days=60):
            return InternshipStatus.EVALUATED if rng.random() < 0.9 else InternshipStatus.FINISHED
        if ends_on < today:
            return InternshipStatus.FINISHED
        if starts_on <= today:
            return InternshipStatus.UNDER_WAY
        return rng.choice(
            [InternshipStatus.DRAFT, InternshipStatus.CHECKED, InternshipStatus.VALIDATED, InternshipStatus.SIGNED]
        )

    internships = []
    for number, row in enumerate(rows, start=1):
        starts_on = row["starts_on"]
        ends_on = row["ends_on"]
        starts_on = starts_on.date() if isinstance(starts_on, datetime.datetime) else starts_on
        ends_on = ends_on.date() if isinstance(ends_on, datetime.datetime) else ends_on
        status = status_of(starts_on, ends_on)
        signed = status not in (InternshipStatus.DRAFT, InternshipStatus.CHECKED, InternshipStatus.VALIDATED)
        signed_on = min(today, starts_on - datetime.timedelta(days=rng.randint(1, 30))) if signed else None
        gratification = row["hourly_gratification"]
        internships.append(
            Internship(
                reference=f"ST-B{starts_on.year}-{number:06d}",
                student_id=students[row["student_email"]],
                company_id=known[row["company_siret"]],
                company_tutor=contacts[(known[row["company_siret"]], row["tutor_email"])],
                programme_id=programmes[row["programme"]],
                academic_year_id=years[row["academic_year"]],
                kind=KIND_CODES[row["kind"]],
                subject=row["subject"],
                starts_on=starts_on,
                ends_on=ends_on,
                weekly_hours=Decimal(str(row["weekly_hours"])),
                hourly_gratification=Decimal(str(gratification)).quantize(Decimal("0.01")) if gratification else None,
                status=status,
                student_signed_on=signed_on,
                company_signed_on=signed_on,
                school_signed_on=signed_on,
                created_by=office,
            )
        )
    Internship.objects.bulk_create(internships, batch_size=BATCH)
    milestones, evaluations = [], []
    for internship in internships:
        if internship.student_signed_on is None:
            continue
        for kind, due_on in milestone_dates(internship).items():
            done = due_on <= today and (kind != MilestoneKind.MIDTERM_CONTACT or rng.random() < 0.9)
            if kind == MilestoneKind.COMPANY_EVALUATION and internship.status != InternshipStatus.EVALUATED:
                done = False
            milestones.append(
                Milestone(internship=internship, kind=kind, due_on=due_on, done_on=due_on if done else None)
            )
        if internship.status == InternshipStatus.EVALUATED:
            evaluations.append(
                Evaluation(
                    internship=internship,
                    kind=EvaluationKind.COMPANY_TUTOR,
                    answers={},
                    score=Decimal(rng.randint(20, 50)) / 10,
                )
            )
    Milestone.objects.bulk_create(milestones, batch_size=BATCH)
    Evaluation.objects.bulk_create(evaluations, batch_size=BATCH)
    return {
        "companies": len(new_companies),
        "contacts": len(contacts),
        "internships": len(internships),
        "milestones": len(milestones),
        "evaluations": len(evaluations),
    }


# --- The pages ----------------------------------------------------------------------------------------


def internship_pages() -> list[Page]:
    from amelio.internships import selectors
    from amelio.internships.digest import FOLLOWED_STATUSES
    from amelio.internships.models import Internship, Milestone
    from amelio.organisation.models import Person
    from amelio.partners.models import Company

    office = Person.objects.get(email=OFFICE)
    big = Company.objects.get(legal_name=BIG_COMPANY)
    visible = selectors.internship_list(user=office)
    return [
        Page("company page", f"/partners/companies/{big.pk}/", Internship.objects.filter(company=big).count),
        Page("internship list", "/internships/", visible.count),
        Page("internship list, under way", "/internships/?status=under_way", visible.filter(status="under_way").count),
        Page(
            "follow-up board",
            "/internships/follow-up/",
            # The open milestones of the internships followed (the board lists the first 500).
            lambda: Milestone.objects.filter(
                internship__in=visible.filter(status__in=FOLLOWED_STATUSES).values("pk"), done_on__isnull=True
            ).count(),
        ),
        Page("figures", "/internships/figures/", visible.count),
    ]


def measure(pages: list[Page], *, repeat: int, warmup: int) -> list[tuple[str, int, float, float, int]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from amelio.organisation.models import Person

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(Person.objects.get(email=OFFICE), backend="django.contrib.auth.backends.ModelBackend")
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


def print_steps(steps: list[tuple[str, int, float]]) -> None:
    header = ("step", "rows", "seconds", "rows/s")
    lines = [header] + [
        (label, str(rows), f"{seconds:.1f}", f"{rows / seconds:.0f}" if seconds else "—")
        for label, rows, seconds in steps
    ]
    widths = [max(len(line[column]) for line in lines) for column in range(len(header))]
    for index, line in enumerate(lines):
        print("  ".join([line[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(line[1:], widths[1:], strict=True)]))
        if index == 0:
            print("  ".join("-" * width for width in widths))


def main() -> None:
    arguments = parse_arguments()
    with benchmark_database(arguments.database_url, keep=arguments.keep) as url:
        setup_django()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import transaction

        from amelio.demo.school import build_demo_school
        from amelio.organisation.models import Person

        engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        print(f"Amelio internship pages — {engine} ({urlsplit(url).scheme}), {arguments.rows} internships from XLSX")
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        migrated = time.perf_counter()
        counts = build_demo_school(scale=1)
        built = time.perf_counter()
        print(
            f"migrate {migrated - started:.1f} s; demo school {built - migrated:.1f} s "
            f"({counts['people']} people, {counts['companies']} companies, {counts['internships']} internships)\n"
        )
        steps: list[tuple[str, int, float]] = []
        with tempfile.TemporaryDirectory(prefix="amelio-bench-xlsx-") as directory:
            path = Path(directory) / "stages.xlsx"
            rows = generate_rows(arguments.rows, seed=arguments.seed)
            clock = time.perf_counter()
            write_xlsx(rows, path)
            steps.append(
                (
                    f"XLSX written with openpyxl ({path.stat().st_size // 1024} KiB)",
                    len(rows),
                    time.perf_counter() - clock,
                )
            )
            clock = time.perf_counter()
            read_back = read_xlsx(path)
            steps.append(("XLSX read back with openpyxl (read_only)", len(read_back), time.perf_counter() - clock))
            clock = time.perf_counter()
            with transaction.atomic():
                students = create_students(read_back)
            steps.append(("bulk load: the students named (bulk_create)", students, time.perf_counter() - clock))
            found = find_import()
            limit = arguments.import_rows
            if found is None:
                print("No import of internships in the application: not timed.")
            elif limit == 0:
                print(f"Import found ({found[0]}) but skipped (--import-rows 0).")
            else:
                name, run = found
                office = Person.objects.get(email=OFFICE)
                clock = time.perf_counter()
                accepted = run(office, path, limit)
                steps.append((f"import: {name}", accepted, time.perf_counter() - clock))
            clock = time.perf_counter()
            with transaction.atomic():
                loaded = bulk_load(read_back, seed=arguments.seed)
            steps.append(
                (
                    f"bulk load: {loaded['companies']} companies, {loaded['contacts']} tutors, agreements, "
                    f"{loaded['milestones']} milestones, {loaded['evaluations']} evaluations (bulk_create)",
                    loaded["internships"],
                    time.perf_counter() - clock,
                )
            )
        print_steps(steps)
        print(f"\n{arguments.warmup} warm-up requests, then {arguments.repeat} timed, per page, as {OFFICE}\n")
        print_table(measure(internship_pages(), repeat=arguments.repeat, warmup=arguments.warmup))


if __name__ == "__main__":
    main()

"""Times the students' pages at scale: 10 academic years × 6 departments × 150 students
entering each year (about 9,000 students and 27,000 enrolments), each with an internship
agreement a year, and the graduates' situations 6 months after the diploma.

    .venv/bin/python bench/student_pages.py [--years N] [--students N] [--repeat N] [--import-rows N]

Builds a temporary SQLite database, writes the records in bulk (the services are tested
elsewhere; here the reads are measured), then times as the quality manager: the figures
page of the latest complete year and the at-risk list of the current year (p50 and p95 of
`--repeat` requests), then an import of `--import-rows` new students (one enrolment each)
through the imports app's all-or-nothing path, in rows per second.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--students", type=int, default=150, help="entering each year, per department")
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--import-rows", type=int, default=10000)
    options = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="amelio-bench-students-")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    warnings.simplefilter("ignore")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    from amelio.imports.services import run_import
    from amelio.internships.models import Internship
    from amelio.organisation.choices import PersonKind, Role, ScopeKind
    from amelio.organisation.models import AcademicYear, Department, Person, Programme, RoleAssignment
    from amelio.partners.models import Company, Contact
    from amelio.students.models import EnglishCertification, Enrolment, InsertionRecord, Student

    started = time.monotonic()
    today = datetime.date.today()
    current = today.year if today.month >= 9 else today.year - 1
    years = [
        AcademicYear.objects.create(
            label=f"{start}-{start + 1}",
            starts_on=datetime.date(start, 9, 1),
            ends_on=datetime.date(start + 1, 8, 31),
            is_current=start == current,
        )
        for start in range(current - options.years + 1, current + 1)
    ]
    programmes = []
    for number, code in enumerate(("GB", "GC", "GE", "IMDS", "GP", "GSP")):
        department = Department.objects.create(code=code, name=f"Département {code}")
        programmes.append(
            Programme.objects.create(code=f"{code}-1", name=f"Spécialité {number}", department=department)
        )
    quality = Person.objects.create_user("qm@bench.test", "x", first_name="Q", last_name="M")
    RoleAssignment.objects.create(person=quality, role=Role.QUALITY_MANAGER, scope_kind=ScopeKind.SCHOOL)
    company = Company.objects.create(legal_name="Hôte SA", name_key="hote sa")
    foreign = Company.objects.create(legal_name="Gastgeber GmbH", name_key="gastgeber gmbh", country="DE")
    tutor = Contact.objects.create(company=company, first_name="T", last_name="T", email="t@hote.test")
    foreign_tutor = Contact.objects.create(company=foreign, first_name="G", last_name="G", email="g@gast.test")

    people = Person.objects.bulk_create(
        Person(
            email=f"s{index}@bench.test",
            first_name="Élève",
            last_name=f"N{index}",
            kind=PersonKind.STUDENT,
            password="!",
        )
        for index in range(options.years * len(programmes) * options.students)
    )
    students = Student.objects.bulk_create(
        Student(ine=f"{index:09d}AB", first_name="Élève", last_name=f"N{index}", person=person)
        for index, person in enumerate(people)
    )
    enrolments: list[Enrolment] = []
    internships: list[Internship] = []
    records: list[InsertionRecord] = []
    english: list[EnglishCertification] = []
    index = 0
    for entry, _year in enumerate(years):
        for programme in programmes:
            for _ in range(options.students):
                student = students[index]
                student.programme = programme
                for level in range(3):
                    if entry + level >= len(years):
                        break
                    academic_year = years[entry + level]
                    done = entry + level < len(years) - 1
                    graduated = done and level == 2
                    outcome = "pending" if not done else ("graduated" if graduated else "passed")
                    if done and index % 20 == 0 and level == 0:
                        outcome = "repeating"
                    diploma = datetime.date(academic_year.starts_on.year + 1, 7, 1) if graduated else None
                    enrolments.append(
                        Enrolment(
                            student=student,
                            academic_year=academic_year,
                            programme=programme,
                            year_of_study=3 + level,
                            outcome=outcome,
                            diploma_on=diploma,
                        )
                    )
                    if level:
                        abroad = index % 3 == 0
                        starts = datetime.date(academic_year.starts_on.year + 1, 3, 2)
                        internships.append(
                            Internship(
                                reference=f"B{len(internships):07d}",
                                student=student.person,
                                company=foreign if abroad else company,
                                company_tutor=foreign_tutor if abroad else tutor,
                                programme=programme,
                                academic_year=academic_year,
                                kind="engineer",
                                subject="Sujet",
                                starts_on=starts,
                                ends_on=starts + datetime.timedelta(days=7 * (12 + level * 4) - 1),
                                status="evaluated" if done else "signed",
                            )
                        )
                    if graduated and diploma is not None:
                        employed = index % 8 != 0
                        records.append(
                            InsertionRecord(
                                student=student,
                                wave=6,
                                surveyed_on=diploma + datetime.timedelta(days=190),
                                situation="employed" if employed else "job_seeking",
                                employer_name="Hôte SA" if employed else "",
                                contract="permanent" if employed else "",
                                country="FR" if employed else "",
                                is_cadre=True if employed else None,
                                salary_without_bonuses=36000 + index % 9000 if employed else None,
                                first_job_on=diploma + datetime.timedelta(days=index % 90) if employed else None,
                            )
                        )
                if index % 4:
                    english.append(
                        EnglishCertification(student=student, test="TOEIC", level="B2", taken_on=years[entry].starts_on)
                    )
                index += 1
    Student.objects.bulk_update(students, ["programme"], batch_size=2000)
    Enrolment.objects.bulk_create(enrolments, batch_size=2000)
    Internship.objects.bulk_create(internships, batch_size=2000)
    InsertionRecord.objects.bulk_create(records, batch_size=2000)
    EnglishCertification.objects.bulk_create(english, batch_size=2000)
    print(
        f"built {len(students)} students, {len(enrolments)} enrolments, {len(internships)} internships, "
        f"{len(records)} situations in {time.monotonic() - started:.1f} s"
    )

    client = Client()
    client.force_login(quality)
    pages = {
        "figures page": f"/students/figures/?year={years[-2].label}",
        "at-risk list": "/students/at-risk/",
        "student list": "/students/",
    }
    for name, url in pages.items():
        assert client.get(url).status_code == 200
        timings = []
        for _ in range(options.repeat):
            begin = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - begin)
            assert response.status_code == 200
        extra = ""
        if name == "at-risk list":
            extra = f" ({response.content.decode().count('badge text-bg-danger')} missing requirements listed)"
        print(
            f"{name}: p50 {statistics.median(timings) * 1000:.0f} ms, "
            f"p95 {percentile(timings, 0.95) * 1000:.0f} ms over {options.repeat}{extra}"
        )

    rows = ["INE;Nom;Prénom;Code étape;Année;Résultat"]
    for number in range(options.import_rows):
        rows.append(f"{number:09d}ZZ;Nouveau;Élève{number};{programmes[number % 6].code}-3;{current};")
    content = ("\n".join(rows) + "\n").encode()
    begin = time.perf_counter()
    report = run_import(actor=quality, kind="students", content=content, commit=True)
    elapsed = time.perf_counter() - begin
    assert not report["errors"], report["errors"][:3]
    print(
        f"import: {options.import_rows} students with their enrolment in {elapsed:.1f} s, "
        f"{options.import_rows / elapsed:.0f} rows/s"
    )


if __name__ == "__main__":
    main()

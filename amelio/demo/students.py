"""The demo's students' records (scenario in amelio/students/demo/students.toml): in each
department, students of the internship demo given a record with their enrolments over the
demo's academic years and how each year ended (a few repeating or leaving), the final-year
students' stays abroad and English tests (some missing: the at-risk list has names), and
two graduating classes with their situations 6 and 18 months after the diploma — all
through the students' services, each year's writes dated in that year."""

from __future__ import annotations

import datetime
import random
import time
from decimal import Decimal
from typing import Any

from amelio.organisation.choices import PersonKind
from amelio.organisation.models import AcademicYear, Department, Person, Programme
from amelio.partners.models import Company
from amelio.students import services
from amelio.students.choices import Outcome, StudentStatus
from amelio.students.models import Student

from . import data, past

STUDENT_DEMO_EMAIL = "etudiant@amelio-demo.fr"


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    names = list(weights)
    return rng.choices(names, weights=[weights[name] for name in names])[0]


class _StudentsBuilder:
    def __init__(self, rng: random.Random, stdout: Any) -> None:
        self.rng = rng
        self.stdout = stdout
        self.scenario = data.load("students", "students")
        self.years = list(AcademicYear.objects.order_by("starts_on"))
        self.ines: set[str] = set(Student.objects.values_list("ine", flat=True))
        self.companies = list(Company.objects.filter(merged_into__isnull=True).order_by("pk")[:60])
        self.quality = Person.objects.filter(email="qualite@amelio-demo.fr").first()

    def ine(self) -> str:
        while True:
            value = f"{self.rng.randrange(10**9):09d}{self.rng.choice('ABCDEFGHJK')}{self.rng.choice('ABCDEFGHJK')}"
            if value not in self.ines:
                self.ines.add(value)
                return value

    def _enrol(
        self, student: Student, programme: Programme, year: AcademicYear, year_of_study: int, **data: Any
    ) -> Any:
        """One write per year: a closed year is recorded with its outcome, at the year's end."""
        closed = data.get("outcome", Outcome.PENDING) != Outcome.PENDING
        day = year.ends_on - datetime.timedelta(days=55) if closed else year.starts_on + datetime.timedelta(days=10)
        with past.on(day, 10):
            return services.enrolment_create(
                actor=None,
                student=student,
                data={"academic_year": year, "programme": programme, "year_of_study": year_of_study, **data},
            )

    # Students under way --------------------------------------------------------------------

    def current_students(self, department: Department) -> int:
        scenario = self.scenario
        current = self.years[-1]
        people = list(
            Person.objects.filter(kind=PersonKind.STUDENT, programme__department=department, is_active=True)
            .select_related("programme")
            .order_by("pk")[: scenario["students_per_department"]]
        )
        demo_student = Person.objects.filter(email=STUDENT_DEMO_EMAIL, programme__department=department).first()
        if demo_student is not None and demo_student not in people:
            people[-1:] = [demo_student]
        count = 0
        for index, person in enumerate(people):
            programme = person.programme
            assert programme is not None
            # The demo student is in their final year (and on the at-risk list, see below).
            year_of_study = 5 if person.email == STUDENT_DEMO_EMAIL else 3 + index % 3
            status = StudentStatus.APPRENTICE if programme.is_apprenticeship else StudentStatus.STUDENT
            with past.on(self.years[0].starts_on, 9):
                student = services.student_create(
                    actor=None,
                    data={
                        "ine": self.ine(),
                        "first_name": person.first_name,
                        "last_name": person.last_name,
                        "email": person.email,
                        "status": status,
                        "person": person,
                    },
                )
            # Back from the current year to the year they entered the engineering cycle.
            history = []
            level = year_of_study
            for year in reversed(self.years):
                history.append((year, level))
                if level == 3:
                    break
                if self.rng.random() < scenario["repeating_share"] and year is not self.years[-1]:
                    continue  # this earlier year was repeated at the same level
                level -= 1
            history.reverse()
            for position, (year, level) in enumerate(history):
                entry = "apprenticeship" if status == StudentStatus.APPRENTICE else "competitive_exam"
                repeated = position + 1 < len(history) and history[position + 1][1] == level
                outcome = Outcome.PENDING if year is current else Outcome.REPEATING if repeated else Outcome.PASSED
                self._enrol(
                    student, programme, year, level, entry_route=entry if position == 0 else "", outcome=outcome
                )
            count += 1
            if year_of_study == 5:
                self.final_year_records(student, person)
        # A few of this year's 3rd-year students who left last year, for the drop-out rate.
        leaving = max(1, round(len(people) * scenario["left_share"]))
        for _ in range(leaving):
            programme = Programme.objects.filter(department=department).order_by("pk").first()
            assert programme is not None
            with past.on(self.years[-2].starts_on, 9):
                student = services.student_create(
                    actor=None,
                    data={"ine": self.ine(), "first_name": "Élève", "last_name": f"Parti {self.ine()[-4:]}"},
                )
            self._enrol(
                student,
                programme,
                self.years[-2],
                3,
                entry_route="admission_on_file",
                outcome=Outcome.LEFT,
                leaving_reason=self.rng.choice(["reorientation", "personal"]),
            )
        return count

    def final_year_records(self, student: Student, person: Person) -> None:
        scenario = self.scenario
        start = self.years[-2].starts_on
        if self.rng.random() < scenario["semester_abroad_share"]:
            host = self.rng.choice(scenario["host"])
            services.mobility_create(
                actor=None,
                student=student,
                data={
                    "kind": "semester_abroad",
                    "country": host["country"],
                    "host": host["name"],
                    "starts_on": start.replace(year=start.year + 1, month=1, day=20),
                    "ends_on": start.replace(year=start.year + 1, month=6, day=15),
                },
            )
        test = self.rng.choice(scenario["english_test"])
        level = "B2" if self.rng.random() < scenario["english_b2_share"] else "B1"
        if person.email == STUDENT_DEMO_EMAIL:
            level = "B1"  # the demo student is on the at-risk list
        if level == "B2" and self.rng.random() < 0.2:
            level = "C1"
        services.english_certification_create(
            actor=None,
            student=student,
            data={
                "test": test["test"],
                "score": Decimal(test["scores"][level]),
                "level": level,
                "taken_on": start + datetime.timedelta(days=self.rng.randint(60, 240)),
            },
        )

    # Graduates -------------------------------------------------------------------------------

    def graduates(self, department: Department, class_index: int) -> int:
        """A graduating class: the final year `class_index` years before the current one,
        with the answers of the surveys held by now (6 months after; 18 months too for the
        older class)."""
        scenario = self.scenario
        names = scenario["graduates"]
        programmes = list(Programme.objects.filter(department=department).order_by("pk"))
        final = self.years[-1 - class_index]
        waves = [6, 18] if class_index >= 3 else [6]
        count = 0
        for number in range(scenario["graduates_per_class"]):
            programme = programmes[number % len(programmes)]
            status = StudentStatus.APPRENTICE if programme.is_apprenticeship else StudentStatus.STUDENT
            ine = self.ine()
            with past.on(self.years[0].starts_on - datetime.timedelta(days=10), 9):
                student = services.student_create(
                    actor=None,
                    data={
                        "ine": ine,
                        # Where the graduates' insertion survey is sent (amelio/demo/surveys.py).
                        "email": f"{ine.lower()}@alumni.amelio-demo.fr",
                        "first_name": self.rng.choice(names["first_names"]),
                        "last_name": self.rng.choice(names["last_names"]),
                        "status": status,
                    },
                )
            years = [year for year in self.years if year.starts_on <= final.starts_on][-3:]
            for level, year in enumerate(years, start=3 + 3 - len(years)):
                diploma = year.starts_on.replace(year=year.starts_on.year + 1, month=7, day=3)
                if year is final:
                    self._enrol(student, programme, year, level, outcome=Outcome.GRADUATED, diploma_on=diploma)
                else:
                    self._enrol(student, programme, year, level, outcome=Outcome.PASSED)
            for wave in waves:
                self.situation(student, diploma, wave, programme)
            count += 1
        return count

    def situation(self, student: Student, diploma: datetime.date, wave: int, programme: Programme) -> None:
        names = self.scenario["graduates"]
        situation = "employed" if wave == 18 and self.rng.random() < 0.9 else _pick(self.rng, names["situations"])
        surveyed = diploma + datetime.timedelta(days=wave * 30 + 10)
        data: dict[str, Any] = {"wave": wave, "surveyed_on": surveyed, "situation": situation}
        if situation == "employed":
            abroad = self.rng.random() < names["abroad_share"]
            company = self.rng.choice(self.companies) if self.companies and self.rng.random() < 0.5 else None
            salary = Decimal(round(self.rng.gauss(names["salary_mean"], names["salary_spread"]), -2))
            if wave == 18:
                salary += 1500
            channel = "apprenticeship" if programme.is_apprenticeship else self.rng.choice(names["channels"])
            data.update(
                employer_name="" if company else f"{self.rng.choice(names['sectors'])} SAS",
                company=company,
                contract="permanent" if self.rng.random() < names["permanent_share"] else "fixed_term",
                is_cadre=self.rng.random() < names["cadre_share"],
                salary_without_bonuses=salary,
                salary_with_bonuses=salary + Decimal(round(self.rng.uniform(0, 4000), -2)),
                country=self.rng.choice(["DE", "CH", "CA"]) if abroad else "FR",
                sector=self.rng.choice(names["sectors"]),
                found_through=channel,
                first_job_on=diploma + datetime.timedelta(days=self.rng.randint(-60, 120)),
            )
        with past.on(surveyed, 11):
            services.insertion_record_create(actor=None, student=student, data=data)


def build_students_demo(*, rng: random.Random, stdout: Any = None) -> dict[str, int]:
    """Students' records, graduates and their situations; returns the counts."""
    started = time.monotonic()
    builder = _StudentsBuilder(rng, stdout)
    counts = {"students": 0, "graduates": 0}
    if len(builder.years) < 4:
        return counts
    for department in Department.objects.filter(is_active=True).order_by("code"):
        counts["students"] += builder.current_students(department)
        for class_index in (2, 3):
            counts["graduates"] += builder.graduates(department, class_index)
    if stdout is not None:
        stdout.write(
            f"students: {counts['students']} students under way, {counts['graduates']} graduates "
            f"in {time.monotonic() - started:.1f} s\n"
        )
    return counts

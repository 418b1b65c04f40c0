"""The demo school's companies and internships: about 400 companies (a few abroad) with
their sites and contacts, 560 more students (some graduated since), about 1,500 internship
agreements over the last three academic years in every state of the workflow with their
follow-up milestones and evaluations, and the teaching given by the companies' speakers.
The texts are in amelio/partners/demo/companies.toml and amelio/internships/demo/texts.toml.

`build_internship_demo()` runs at the end of the main campus of `amelio.demo.school`, in the
same transaction, once the school, its people and the improvement demo exist.

How the records are written. The companies, sites and contacts through the partners'
services. The agreements of the current academic year, and in the past years every
cancelled or amended agreement, those still waiting for their evaluation and one in twenty
of the others, walk the workflow through `amelio.internships.services`, by the people whose
job it is, each step with the clock frozen on its day (`amelio.demo.past`): the services
check the law at every step and date their history, signatures and milestones then.

The other past agreements, evaluated long ago, are still written in bulk as the office's
archives (with one "created" history entry each, dated the day the agreement was drafted):
walking each through seven services would take the demo past a minute. They are planned by
the same rules (dates within the year, presence with a host, gratification, academic and
company tutors' quotas: see `_Tutors` and `_dates`) and pass `check_agreement` (a test checks).
"""

from __future__ import annotations

import csv
import datetime
import io
import random
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import timezone

from amelio.core.emails import emails_not_sent
from amelio.imports.models import ImportKind
from amelio.imports.services import run_import
from amelio.internships import services
from amelio.internships.agreement_rules import MissingFigure, figures_on, presence_hours
from amelio.internships.choices import EvaluationKind, InternshipKind, InternshipStatus, LegalFigureKey, MilestoneKind
from amelio.internships.models import Internship
from amelio.notifications.choices import EmailMode
from amelio.notifications.services import email_mode_of, preference_set
from amelio.organisation import services as organisation_services
from amelio.organisation.choices import PersonKind, Role, ScopeKind
from amelio.organisation.models import AcademicYear, Department, Person, Programme, RoleAssignment
from amelio.partners import services as partner_services
from amelio.partners.models import Company, Contact, Site

from . import data, past

OFFICE_EMAIL = "stages@amelio-demo.fr"
STUDENT_DEMO_EMAIL = "etudiant@amelio-demo.fr"
DEMO_DOMAIN = "amelio-demo.fr"
NEW_STUDENTS = 560
COMPANIES = 400
FOREIGN_COMPANIES = {"DE": 8, "CH": 8, "CA": 8}
YEARS = 3
# One past evaluated agreement in twenty walks through the services anyway, for its trail.
WALKED_SHARE = 0.05

# --- Companies ------------------------------------------------------------------------------

# The companies' and agreements' words: amelio/partners/demo/companies.toml and
# amelio/internships/demo/texts.toml.
_COMPANIES = data.load("partners", "companies")
# departments it takes interns from, NAF codes, the start of its names
SECTORS = [(tuple(row["departments"]), tuple(row["naf"]), tuple(row["name_roots"])) for row in _COMPANIES["sector"]]
NAME_ENDINGS: list[str] = _COMPANIES["name_endings"]
NAME_TAILS: list[str] = _COMPANIES["name_tails"]
LEGAL_FORMS: dict[str, list[str]] = _COMPANIES["legal_forms"]
SIZES = [(row["size"], row["share"], row["host_weight"]) for row in _COMPANIES["size"]]
FRENCH_CITIES = [(row["city"], row["postcode"], row["weight"]) for row in _COMPANIES["french_city"]]
FOREIGN_CITIES = {
    country: [(row["city"], row["postcode"]) for row in rows] for country, rows in _COMPANIES["foreign_cities"].items()
}
WEB_SUFFIX: dict[str, str] = _COMPANIES["web_suffix"]
STREETS: list[str] = _COMPANIES["streets"]
FOREIGN_STREETS: dict[str, list[str]] = _COMPANIES["foreign_streets"]
TUTOR_TITLES: list[str] = _COMPANIES["tutor_titles"]
HR_TITLES: list[str] = _COMPANIES["hr_titles"]
SPEAKER_TITLES: list[str] = _COMPANIES["speaker_titles"]
SITE_NAMES: list[str] = _COMPANIES["site_names"]
COURSES: dict[str, list[str]] = _COMPANIES["courses"]
INTERVENTION_KINDS = [(row["kind"], row["weight"], tuple(row["hours"])) for row in _COMPANIES["intervention_kind"]]

FIRST_NAMES: list[str] = data.load("organisation", "people")["first_names"]
LAST_NAMES: list[str] = data.load("organisation", "people")["last_names"]

_TEXTS = data.load("internships", "texts")
SUBJECTS: dict[str, list[str]] = _TEXTS["subjects"]
DISCOVERY_SUBJECTS: list[str] = _TEXTS["discovery_subjects"]
ABROAD_PREFIX: str = _TEXTS["abroad_prefix"]
GAP_YEAR_PREFIX: str = _TEXTS["gap_year_prefix"]
CANCELLATION_REASONS: list[str] = _TEXTS["cancellation_reasons"]
RETURN_REASONS: list[str] = _TEXTS["return_reasons"]
AMENDMENT_REASONS: list[str] = _TEXTS["amendment_reasons"]
COMMENTS: list[str] = _TEXTS["comments"]
# By year (oldest first): the shares that improve as the school acts on its findings.
SIGNED_IN_TIME = [0.85, 0.91, 0.95]
MIDTERM_IN_TIME = [0.74, 0.82, 0.88]
ABROAD_SHARE = {2: [0.20, 0.24, 0.28], 3: [0.10, 0.12, 0.14]}
DEPARTMENT_PUNCTUALITY = {"GB": 0.04, "GC": -0.03, "GE": 0.0, "IMDS": 0.06, "GP": -0.02, "GSP": -0.06}
DEPARTMENT_SCORE = {"GB": 4.1, "GC": 3.9, "GE": 4.2, "IMDS": 4.3, "GP": 4.0, "GSP": 3.8}
ANSWER_KEYS = ("technical", "autonomy", "teamwork", "project")

D = datetime.date
DAY = datetime.timedelta(days=1)


def _days(number: int) -> datetime.timedelta:
    return datetime.timedelta(days=number)


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")


def luhn_digit(digits: str) -> str:
    """The digit that makes `digits` + it pass the Luhn check (the key of a SIRET)."""
    total = 0
    for index, character in enumerate(reversed(digits)):
        number = int(character)
        if index % 2 == 0:  # doubled: they will be at odd positions once the key is appended
            number *= 2
            if number > 9:
                number -= 9
        total += number
    return str((10 - total % 10) % 10)


def _half(hours: Decimal) -> Decimal:
    """Hours to the nearest half hour."""
    return (hours * 2).quantize(Decimal("1"), ROUND_HALF_UP) / 2


def _monday(day: datetime.date) -> datetime.date:
    return day + _days((7 - day.weekday()) % 7)


# --- The plan of one agreement ---------------------------------------------------------------


@dataclass
class _Plan:
    student: Person
    programme: Programme
    department: str  # its code
    year: AcademicYear
    year_index: int  # 0 for the oldest of the three years
    kind: str
    company: Company
    company_tutor: Contact
    site: Site | None
    starts_on: datetime.date
    ends_on: datetime.date
    weekly_hours: Decimal
    gratification: Decimal | None
    subject: str
    description: str
    final: str  # the state it ends in
    drafted_on: datetime.date
    academic_tutor: Person | None = None
    signatures: tuple[datetime.date, datetime.date, datetime.date] | None = None
    cancel_from: str = ""  # for a cancelled one, the state it was cancelled in
    returned: bool = False  # sent back to the student once
    amend: bool = False
    walk: bool = True  # through the services, or in bulk
    record: Internship | None = None

    @property
    def data(self) -> dict[str, Any]:
        return {
            "student": self.student,
            "company": self.company,
            "site": self.site,
            "company_tutor": self.company_tutor,
            "academic_tutor": self.academic_tutor,
            "programme": self.programme,
            "academic_year": self.year,
            "kind": self.kind,
            "subject": self.subject,
            "description": self.description,
            "starts_on": self.starts_on,
            "ends_on": self.ends_on,
            "weekly_hours": self.weekly_hours,
            "hourly_gratification": self.gratification,
        }


class _Tutors:
    """Academic tutors of a department, each given the next intern by least load. The rule
    the services check counts, for an agreement, the tutor's other agreements whose period
    overlaps its own: a new one must keep that count under the quota for itself and for
    every agreement it overlaps."""

    def __init__(self, teachers: dict[str, list[Person]], quota: int) -> None:
        self.teachers = teachers
        self.quota = quota
        self.periods: dict[int, list[tuple[datetime.date, datetime.date]]] = {}

    def _overlapping(
        self, tutor_id: int, starts_on: datetime.date, ends_on: datetime.date
    ) -> list[tuple[datetime.date, datetime.date]]:
        return [(s, e) for s, e in self.periods.get(tutor_id, []) if s <= ends_on and e >= starts_on]

    def fits(self, tutor_id: int, starts_on: datetime.date, ends_on: datetime.date) -> bool:
        overlapping = self._overlapping(tutor_id, starts_on, ends_on)
        if len(overlapping) + 1 > self.quota:
            return False
        # Each of those, with the new one, must still have fewer than `quota` others.
        return all(len(self._overlapping(tutor_id, s, e)) - 1 + 1 < self.quota for s, e in overlapping)

    def assign(self, department: str, starts_on: datetime.date, ends_on: datetime.date, rng: random.Random) -> Person:
        candidates = [
            (len(self._overlapping(tutor.pk, starts_on, ends_on)), rng.random(), tutor)
            for tutor in self.teachers[department]
            if self.fits(tutor.pk, starts_on, ends_on)
        ]
        if not candidates:
            raise RuntimeError(f"Every tutor of {department} already follows {self.quota} interns.")
        tutor = min(candidates, key=lambda entry: (entry[0], entry[1]))[2]
        self.take(tutor.pk, starts_on, ends_on)
        return tutor

    def take(self, tutor_id: int, starts_on: datetime.date, ends_on: datetime.date) -> None:
        self.periods.setdefault(tutor_id, []).append((starts_on, ends_on))

    def extend(self, tutor_id: int, starts_on: datetime.date, ends_on: datetime.date, longer: datetime.date) -> bool:
        """Moves an agreement's end to `longer` when the quota allows (an amendment)."""
        periods = self.periods.setdefault(tutor_id, [])
        periods.remove((starts_on, ends_on))
        if self.fits(tutor_id, starts_on, longer):
            periods.append((starts_on, longer))
            return True
        periods.append((starts_on, ends_on))
        return False


class _Figures:
    """The figures `agreement_rules.figures_on` gives, asked once a day: the plans ask
    thousands of times (the services then check each agreement with the same function)."""

    def __init__(self) -> None:
        self.by_day: dict[datetime.date, dict[str, Decimal]] = {}

    def __call__(self, key: str, on: datetime.date) -> Decimal:
        if on not in self.by_day:
            self.by_day[on] = figures_on(on)
        try:
            return self.by_day[on][key]
        except KeyError:
            raise MissingFigure(key) from None


@contextmanager
def _emails_held_back(people: Iterable[Person]) -> Iterator[None]:
    """The services notify the student when the office checks or returns an agreement; the
    demo's hundreds of such notifications must not queue as many emails for the worker
    that `make run` starts. Their recipients are in "digest" mode while the demo is built,
    then set back (`past.read_old_notifications` has the old ones read)."""
    people = list(people)
    previous = {person.pk: email_mode_of(person) for person in people}
    for person in people:
        if previous[person.pk] != EmailMode.DIGEST:
            preference_set(actor=person, email_mode=EmailMode.DIGEST)
    yield
    for person in people:
        if previous[person.pk] != EmailMode.DIGEST:
            preference_set(actor=person, email_mode=previous[person.pk])


class _InternshipBuilder:
    def __init__(self, *, rng: random.Random, stdout: Any) -> None:
        self.rng = rng
        self.stdout = stdout
        self.today = timezone.localdate()
        self.years = list(AcademicYear.objects.order_by("-starts_on")[:YEARS])[::-1]
        self.departments = {department.code: department for department in Department.objects.order_by("code")}
        programmes = Programme.objects.select_related("department").order_by("code")
        self.programmes = {code: [p for p in programmes if p.department.code == code] for code in self.departments}
        self.office = Person.objects.get(email=OFFICE_EMAIL)
        heads = RoleAssignment.objects.filter(role=Role.DEPARTMENT_HEAD, scope_kind=ScopeKind.DEPARTMENT)
        self.heads = {a.department.code: a.person for a in heads.select_related("person", "department") if a.department}
        teachers: dict[str, list[Person]] = {code: [] for code in self.departments}
        for teacher in Person.objects.filter(kind=PersonKind.TEACHER).select_related("department").order_by("pk"):
            if teacher.department is not None:
                teachers[teacher.department.code].append(teacher)
        self.figure = _Figures()
        quota = int(self.figure(LegalFigureKey.ACADEMIC_TUTOR_QUOTA, self.today))
        self.tutors = _Tutors(teachers, quota)
        # Company tutors are chosen with their host; every plan counts, whatever its state, so
        # that each step of each walk passes the rule.
        self.company_tutors = _Tutors({}, int(self.figure(LegalFigureKey.COMPANY_TUTOR_QUOTA, self.today)))
        self.emails = set(Person.objects.values_list("email", flat=True))
        self.companies: list[Company] = []
        self.contacts: dict[int, list[Contact]] = {}
        self.sites: dict[int, list[Site]] = {}
        self.sectors: dict[int, tuple[str, ...]] = {}
        self.weights: dict[int, int] = {}
        self.hosts: dict[str, tuple[list[Company], list[int]]] = {}
        self.sirets: set[str] = set(Company.objects.exclude(siret="").values_list("siret", flat=True))
        self.plans: list[_Plan] = []
        self.cursor = self.today  # the day of the last step of the agreement being walked

    def say(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(message)

    # Students ------------------------------------------------------------------------------------

    def build_students(self) -> list[tuple[Person, int]]:
        """The students who do internships (not apprentices), each with their year in the
        engineering cycle now: 1 to 3, or 4 and 5 for those who graduated at the end of the
        last year or of the one before (their student role ended then). Before the cycle
        come the two years of the integrated preparatory cycle (0 and -1)."""

        rng = self.rng
        codes = list(self.departments)
        levels: dict[int, int] = {}
        for index in range(NEW_STUDENTS):
            code = codes[index % len(codes)]
            department = self.departments[code]
            programme = rng.choice([p for p in self.programmes[code] if not p.is_apprenticeship])
            first_name, last_name = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            base = f"{_ascii(first_name)}.{_ascii(last_name)}"
            email, number = f"{base}@{DEMO_DOMAIN}", 1
            while email in self.emails:
                number += 1
                email = f"{base}{number}@{DEMO_DOMAIN}"
            self.emails.add(email)
            level = 1 + index // len(codes) % 5
            graduated_on = self.years[-1 - (level - 3)].starts_on - DAY if level > 3 else None
            if graduated_on is not None:
                job_title = f"Ingénieur diplômé, promotion {graduated_on.year}"
            else:
                job_title = f"Élève ingénieur, {level}{'re' if level == 1 else 'e'} année"
            person = organisation_services.person_create(
                actor=None,
                data={
                    "email": email,
                    "first_name": first_name,
                    "last_name": last_name,
                    "kind": PersonKind.STUDENT,
                    "job_title": job_title,
                    "department": department,
                    "programme": programme,
                },
                password=None,
            )
            organisation_services.role_grant(
                actor=None,
                person=person,
                role=Role.STUDENT,
                scope_kind=ScopeKind.DEPARTMENT,
                department=department,
                ends_on=graduated_on,
                notify=False,
            )
            levels[person.pk] = level
        students = []
        for person in (
            Person.objects.filter(kind=PersonKind.STUDENT, programme__is_apprenticeship=False)
            .select_related("programme__department")
            .order_by("pk")
        ):
            found = re.search(r"(\d)\D*année", person.job_title)
            level = levels.get(person.pk) or (int(found.group(1)) if found else rng.randint(1, 3))
            students.append((person, level))
        return students

    # Companies -------------------------------------------------------------------------------------

    def siret(self, prefix: str = "") -> str:
        while True:
            digits = prefix + "".join(str(self.rng.randint(0, 9)) for _digit in range(13 - len(prefix)))
            if digits.startswith(("0", "356000000")):
                continue
            siret = digits + luhn_digit(digits)
            if siret not in self.sirets:
                self.sirets.add(siret)
                return siret

    def company_name(self, roots: Sequence[str], country: str, taken: set[str]) -> tuple[str, str]:
        rng = self.rng
        for _attempt in range(50):
            core = rng.choice(roots) + rng.choice(NAME_ENDINGS)
            tail = rng.choice(NAME_TAILS) if country == "FR" else ""
            legal = f"{core}{tail} {rng.choice(LEGAL_FORMS[country])}"
            key = partner_services.normalise_company_name(legal)
            if key not in taken:
                taken.add(key)
                return legal, key
        raise RuntimeError("No company name left.")

    def build_companies(self) -> None:
        rng = self.rng
        taken = set(Company.objects.values_list("name_key", flat=True))
        countries = ["FR"] * (COMPANIES - sum(FOREIGN_COMPANIES.values()))
        for country, count in FOREIGN_COMPANIES.items():
            countries += [country] * count
        for index, country in enumerate(countries):
            sector = SECTORS[index % len(SECTORS)]
            departments, nafs, roots = sector
            legal_name, _key = self.company_name(roots, country, taken)
            size, _share, _weight = rng.choices(SIZES, weights=[share for _s, share, _w in SIZES])[0]
            if country == "FR":
                city, postal_code, _weight = rng.choices(FRENCH_CITIES, weights=[w for *_rest, w in FRENCH_CITIES])[0]
                street = rng.choice(STREETS)
            else:
                city, postal_code = rng.choice(FOREIGN_CITIES[country])
                street = rng.choice(FOREIGN_STREETS[country])
            slug = _ascii(legal_name.rsplit(" ", 1)[0]).replace("-", "")
            company = partner_services.company_create(
                actor=self.office,
                data={
                    "legal_name": legal_name,
                    "trade_name": legal_name.rsplit(" ", 1)[0] if rng.random() < 0.3 else "",
                    "siret": self.siret() if country == "FR" else "",
                    "naf_code": rng.choice(nafs) if country == "FR" else "",
                    "size": size,
                    "address": f"{rng.randint(1, 180)} {street}",
                    "postal_code": postal_code,
                    "city": city,
                    "country": country,
                    "website": f"https://www.{slug}.{WEB_SUFFIX[country]}",
                },
                confirm_duplicate=True,  # the names are drawn apart (company_name)
            )
            self.companies.append(company)
            self.sectors[company.pk] = departments
            self.weights[company.pk] = next(weight for size, _share, weight in SIZES if size == company.size)
        self.build_sites()
        self.build_contacts()

    def build_sites(self) -> None:
        rng = self.rng
        for company in self.companies:
            if company.country != "FR" or company.size not in ("large", "midsize"):
                continue
            count = rng.randint(1, 3) if company.size == "large" else rng.randint(0, 1)
            cities = rng.sample(FRENCH_CITIES, count)
            for city, postal_code, _weight in cities:
                site = partner_services.site_create(
                    actor=self.office,
                    company=company,
                    data={
                        "name": rng.choice(SITE_NAMES).format(city=city),
                        "siret": self.siret(company.siret[:9]),
                        "address": f"{rng.randint(1, 120)} {rng.choice(STREETS)}",
                        "postal_code": postal_code,
                        "city": city,
                    },
                )
                self.sites.setdefault(company.pk, []).append(site)

    def build_contacts(self) -> None:

        rng = self.rng
        for company in self.companies:
            domain = company.website.removeprefix("https://www.")
            count = 3 if company.size == "large" else rng.choice([1, 2, 2, 3])
            roles = ["tutor", *rng.sample(["tutor", "hr", "speaker", "speaker", "alumni"], count - 1)]
            if company.size == "large" and "tutor" not in roles[1:]:
                roles[1] = "tutor"
            for role in roles:
                first_name, last_name = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                title = {"tutor": TUTOR_TITLES, "hr": HR_TITLES}.get(role, SPEAKER_TITLES + TUTOR_TITLES)
                contact = partner_services.contact_create(
                    actor=self.office,
                    company=company,
                    data={
                        "first_name": first_name,
                        "last_name": last_name,
                        "email": f"{_ascii(first_name)}.{_ascii(last_name)}@{domain}",
                        "phone": f"+33 4 72 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
                        if company.country == "FR"
                        else "",
                        "job_title": rng.choice(title),
                        "is_tutor": role == "tutor",
                        "is_hr": role == "hr",
                        "is_speaker": role in ("speaker", "alumni") or (role == "tutor" and rng.random() < 0.15),
                        "is_alumni": role == "alumni" or rng.random() < 0.15,
                    },
                )
                self.contacts.setdefault(company.pk, []).append(contact)

    # Plans ------------------------------------------------------------------------------------------

    def host(self, department: str, abroad: bool) -> Company:
        key = "abroad" if abroad else department
        if key not in self.hosts:
            if abroad:
                pool = [company for company in self.companies if company.country != "FR"]
            else:
                pool = [c for c in self.companies if c.country == "FR" and department in self.sectors[c.pk]]
            self.hosts[key] = (pool, [self.weights[company.pk] for company in pool])
        pool, weights = self.hosts[key]
        return self.rng.choices(pool, weights=weights)[0]

    def kind_for(self, level: int, year_index: int) -> str:
        rng = self.rng
        if level <= 0:
            return InternshipKind.DISCOVERY
        if level == 1:
            return InternshipKind.DISCOVERY if rng.random() < 0.3 else InternshipKind.TECHNICIAN
        if rng.random() < ABROAD_SHARE.get(level, ABROAD_SHARE[3])[year_index]:
            return InternshipKind.ABROAD
        if level == 2:
            return InternshipKind.GAP_YEAR if rng.random() < 0.1 else InternshipKind.TECHNICIAN
        return InternshipKind.ENGINEER

    def dates(self, kind: str, year: AcademicYear) -> tuple[datetime.date, datetime.date, Decimal]:
        """First and last day (a Monday, a Friday) and weekly hours, within the academic year
        and at most the presence the law allows with one host."""
        rng = self.rng
        autumn, spring = year.starts_on, year.starts_on.replace(year=year.starts_on.year + 1, month=1, day=1)
        if kind == InternshipKind.DISCOVERY:
            start, weeks = spring.replace(month=6) + _days(rng.randint(0, 40)), rng.randint(4, 6)
        elif kind == InternshipKind.TECHNICIAN:
            if rng.random() < 0.12:
                start, weeks = autumn + _days(rng.randint(5, 14)), rng.randint(8, 10)
            else:
                start, weeks = spring.replace(month=5, day=18) + _days(rng.randint(0, 42)), rng.randint(8, 12)
        elif kind == InternshipKind.ENGINEER:
            start, weeks = spring.replace(month=2) + _days(rng.randint(0, 42)), rng.randint(22, 26)
        elif kind == InternshipKind.ABROAD:
            if rng.random() < 0.3:
                start, weeks = autumn + _days(rng.randint(5, 20)), rng.randint(16, 20)
            else:
                start, weeks = spring.replace(month=3) + _days(rng.randint(0, 45)), rng.randint(16, 22)
        else:
            start, weeks = autumn + _days(rng.randint(5, 20)), rng.randint(24, 26)
        start = _monday(start)
        weekly = Decimal(rng.choice(["35", "35", "35", "35", "37.5", "39"]))
        end = start + _days(weeks * 7 - 3)
        maximum = self.figure(LegalFigureKey.MAX_HOURS_SAME_HOST, start)
        while end > year.ends_on or presence_hours(start, end, weekly) > maximum:
            end -= _days(7)
        return start, end, weekly

    def gratification(self, starts_on: datetime.date, ends_on: datetime.date, weekly: Decimal) -> Decimal | None:
        threshold = self.figure(LegalFigureKey.GRATIFICATION_THRESHOLD_HOURS, starts_on)
        if presence_hours(starts_on, ends_on, weekly) <= threshold and self.rng.random() < 0.7:
            return None
        # The minimum in force on the earliest day the agreement could be signed, and today.
        minimum = max(
            self.figure(LegalFigureKey.MIN_HOURLY_GRATIFICATION, min(starts_on - _days(120), self.today)),
            self.figure(LegalFigureKey.MIN_HOURLY_GRATIFICATION, self.today),
        )
        if self.rng.random() < 0.45:
            return minimum
        return (minimum + Decimal(self.rng.randint(0, 320)) / 100).quantize(Decimal("0.01"))

    def final_state(self, plan: _Plan) -> str:
        """The state the agreement ends in, from where its dates stand against today."""
        rng, today = self.rng, self.today
        roll = rng.random()
        if plan.ends_on + _days(50) < today:  # over, its follow-up done
            if roll < 0.04:
                return InternshipStatus.CANCELLED
            if roll < 0.07:
                return InternshipStatus.AMENDED
            return InternshipStatus.FINISHED if roll < 0.11 else InternshipStatus.EVALUATED
        if plan.ends_on < today:  # over, the evaluation on its way
            if roll < 0.05:
                return InternshipStatus.CANCELLED
            return InternshipStatus.FINISHED if roll < 0.6 else InternshipStatus.EVALUATED
        if plan.starts_on <= today:
            if roll < 0.05:
                return InternshipStatus.CANCELLED
            if roll < 0.09:
                return InternshipStatus.AMENDED
            return InternshipStatus.SIGNED if roll < 0.16 else InternshipStatus.UNDER_WAY
        ahead = (plan.starts_on - today).days
        if roll < 0.04:
            return InternshipStatus.CANCELLED
        shares = (
            [(InternshipStatus.SIGNED, 55), (InternshipStatus.VALIDATED, 20), (InternshipStatus.CHECKED, 15)]
            if ahead < 90
            else [(InternshipStatus.SIGNED, 25), (InternshipStatus.VALIDATED, 25), (InternshipStatus.CHECKED, 25)]
            if ahead < 180
            else [(InternshipStatus.SIGNED, 8), (InternshipStatus.VALIDATED, 12), (InternshipStatus.CHECKED, 25)]
        )
        shares.append((InternshipStatus.DRAFT, 100 - sum(share for _state, share in shares)))
        return rng.choices([state for state, _share in shares], weights=[share for _state, share in shares])[0]

    def plan(
        self, student: Person, level: int, year_index: int, *, kind: str | None = None, exclude: int | None = None
    ) -> _Plan:
        rng = self.rng
        year = self.years[year_index]
        programme = student.programme
        assert programme is not None
        code = programme.department.code
        kind = kind or self.kind_for(level, year_index)
        starts_on, ends_on, weekly = self.dates(kind, year)
        # A host whose tutors are not all following three interns at once then (R124-13).
        company_tutor = None
        while company_tutor is None:
            company = self.host(code, kind == InternshipKind.ABROAD)
            if company.pk == exclude:
                continue
            tutors = [contact for contact in self.contacts[company.pk] if contact.is_tutor]
            free = [tutor for tutor in tutors if self.company_tutors.fits(tutor.pk, starts_on, ends_on)]
            if free:
                company_tutor = rng.choice(free)
        self.company_tutors.take(company_tutor.pk, starts_on, ends_on)
        if kind == InternshipKind.DISCOVERY:
            subject = rng.choice(DISCOVERY_SUBJECTS)
        else:
            subject = rng.choice(SUBJECTS[code])
            if kind == InternshipKind.ABROAD:
                subject = ABROAD_PREFIX + subject[0].lower() + subject[1:]
            elif kind == InternshipKind.GAP_YEAR:
                subject = GAP_YEAR_PREFIX + subject[0].lower() + subject[1:]
        drafted_on = min(starts_on - _days(rng.randint(30, 120)), self.today - _days(rng.randint(1, 60)))
        plan = _Plan(
            student=student,
            programme=programme,
            department=code,
            year=year,
            year_index=year_index,
            kind=kind,
            company=company,
            company_tutor=company_tutor,
            site=rng.choice(self.sites[company.pk]) if company.pk in self.sites and rng.random() < 0.7 else None,
            starts_on=starts_on,
            ends_on=ends_on,
            weekly_hours=weekly,
            gratification=self.gratification(starts_on, ends_on, weekly),
            subject=subject,
            description=f"{subject}. Missions confiées par {company} au sein de l'équipe du tuteur.",
            final=InternshipStatus.DRAFT,
            drafted_on=drafted_on,
        )
        plan.final = self.final_state(plan)
        if plan.final == InternshipStatus.AMENDED:
            plan.amend = True
        if plan.final == InternshipStatus.CANCELLED:
            possible = [InternshipStatus.DRAFT, InternshipStatus.CHECKED, InternshipStatus.VALIDATED]
            if plan.starts_on - _days(10) < self.today:
                possible += [InternshipStatus.SIGNED]
            if plan.starts_on < self.today:
                possible += [InternshipStatus.UNDER_WAY]
            plan.cancel_from = rng.choice(possible)
        needs_tutor = plan.final != InternshipStatus.DRAFT or rng.random() < 0.4
        if needs_tutor:
            plan.academic_tutor = self.tutors.assign(code, starts_on, ends_on, rng)
        plan.returned = plan.final not in (InternshipStatus.CANCELLED,) and rng.random() < 0.06
        if self.signs(plan):
            plan.signatures = self.signature_dates(plan)
        plan.walk = not (
            plan.final == InternshipStatus.EVALUATED
            and plan.ends_on + _days(50) < self.today
            and not plan.returned
            and rng.random() >= WALKED_SHARE
        )
        return plan

    def signs(self, plan: _Plan) -> bool:
        reached = {
            InternshipStatus.SIGNED,
            InternshipStatus.UNDER_WAY,
            InternshipStatus.FINISHED,
            InternshipStatus.EVALUATED,
            InternshipStatus.AMENDED,
        }
        return plan.final in reached or plan.cancel_from in (InternshipStatus.SIGNED, InternshipStatus.UNDER_WAY)

    def signature_dates(self, plan: _Plan) -> tuple[datetime.date, datetime.date, datetime.date]:
        """In time (the three before the first day) or, less and less often, late."""
        rng, today = self.rng, self.today
        earliest = plan.drafted_on + _days(7)
        in_time = rng.random() < SIGNED_IN_TIME[plan.year_index] + DEPARTMENT_PUNCTUALITY[plan.department] / 2
        if plan.starts_on > today:
            in_time = True
        last = min(plan.starts_on - DAY, today) if in_time else min(plan.starts_on + _days(rng.randint(1, 15)), today)
        first = max(earliest, last - _days(30))
        if first > last:
            first = last
        dates = [first + _days(rng.randint(0, (last - first).days)) for _party in range(2)] + [last]
        rng.shuffle(dates)
        return dates[0], dates[1], dates[2]

    def build_plans(self, students: list[tuple[Person, int]]) -> None:
        rng = self.rng
        student_demo = next((s for s, _level in students if s.email == STUDENT_DEMO_EMAIL), None)
        for year_index in range(len(self.years)):
            for student, level in students:
                year_level = level - (len(self.years) - 1 - year_index)
                if year_level > 3:
                    continue  # graduated by then
                plan = self.plan(student, year_level, year_index)
                if student == student_demo and year_index == len(self.years) - 1:
                    while plan.final not in (InternshipStatus.SIGNED, InternshipStatus.CHECKED):
                        plan = self.plan(student, year_level, year_index)
                self.plans.append(plan)
                cancelled_early = plan.cancel_from in (
                    InternshipStatus.DRAFT,
                    InternshipStatus.CHECKED,
                    InternshipStatus.VALIDATED,
                )
                if cancelled_early and plan.starts_on > self.years[year_index].starts_on + _days(60):
                    # The student found another host for the same period.
                    again = self.plan(student, year_level, year_index, kind=plan.kind, exclude=plan.company.pk)
                    attempts = 0
                    while again.final == InternshipStatus.CANCELLED and attempts < 10:
                        again = self.plan(student, year_level, year_index, kind=plan.kind, exclude=plan.company.pk)
                        attempts += 1
                    again.drafted_on = max(again.drafted_on, plan.drafted_on + _days(rng.randint(5, 20)))
                    again.drafted_on = min(again.drafted_on, self.today - DAY)
                    if again.signatures is not None:
                        again.signatures = self.signature_dates(again)
                    self.plans.append(again)

    # Writing in bulk -------------------------------------------------------------------------------

    def milestone_done_on(self, plan: _Plan, kind: str, due_on: datetime.date) -> datetime.date | None:
        """When a milestone of a followed internship was done, or None while it is open."""
        rng, today = self.rng, self.today
        if kind == MilestoneKind.MIDTERM_CONTACT:
            in_time = rng.random() < MIDTERM_IN_TIME[plan.year_index] + DEPARTMENT_PUNCTUALITY[plan.department]
            done = due_on - _days(rng.randint(0, 10)) if in_time else due_on + _days(rng.randint(2, 30))
            if not in_time and rng.random() < 0.15:
                return None  # never made
        elif kind == MilestoneKind.ARRIVAL_CONFIRMED:
            done = due_on + _days(rng.randint(-3, 4))
        elif kind == MilestoneKind.COMPANY_EVALUATION:
            done = due_on + _days(rng.randint(-12, 20))
        else:
            done = due_on + _days(rng.randint(-4, 6))
        done = max(done, plan.starts_on)
        return done if done <= today else None

    def archive_row(self, plan: _Plan) -> dict[str, str]:
        """One past internship as the office's previous tool exported it."""
        rng = self.rng
        assert plan.signatures is not None
        dates = services.milestone_dates(Internship(starts_on=plan.starts_on, ends_on=plan.ends_on))
        midterm_on = self.milestone_done_on(plan, MilestoneKind.MIDTERM_CONTACT, dates[MilestoneKind.MIDTERM_CONTACT])
        due_on = dates[MilestoneKind.COMPANY_EVALUATION]
        evaluated_on = self.milestone_done_on(plan, MilestoneKind.COMPANY_EVALUATION, due_on) or min(due_on, self.today)
        student_score = ""
        if rng.random() >= 0.4:
            student_score = str(self.answers(plan, EvaluationKind.STUDENT)[1])
        company = plan.company
        return {
            "student_email": plan.student.email,
            "company": company.legal_name,
            "company_siret": company.siret,
            "company_city": company.city,
            "company_country": company.country,
            "tutor_first_name": plan.company_tutor.first_name,
            "tutor_last_name": plan.company_tutor.last_name,
            "tutor_email": plan.company_tutor.email,
            "academic_tutor_email": plan.academic_tutor.email if plan.academic_tutor else "",
            "programme": plan.programme.code,
            "academic_year": plan.year.label,
            "kind": plan.kind,
            "subject": plan.subject,
            "description": plan.description,
            "starts_on": plan.starts_on.isoformat(),
            "ends_on": plan.ends_on.isoformat(),
            "weekly_hours": str(plan.weekly_hours),
            "hourly_gratification": str(plan.gratification or ""),
            "student_signed_on": plan.signatures[0].isoformat(),
            "company_signed_on": plan.signatures[1].isoformat(),
            "school_signed_on": plan.signatures[2].isoformat(),
            "midterm_contact_on": midterm_on.isoformat() if midterm_on else "",
            "company_evaluation_on": evaluated_on.isoformat(),
            "company_score": str(self.answers(plan, EvaluationKind.COMPANY_TUTOR)[1]),
            "student_score": student_score,
        }

    def take_archives(self, plans: list[_Plan]) -> None:
        """Past evaluated agreements, taken from the office's archives the way a school that
        adopts Amelio takes its own: a spreadsheet through the import, each row checked by
        the internships service (the law of its day included) and recorded with its history
        entry; one refused row and nothing is written."""
        if not plans:
            return
        rows = [self.archive_row(plan) for plan in sorted(plans, key=lambda p: (p.starts_on, p.drafted_on))]
        output = io.StringIO()
        writer = csv.DictWriter(output, fieldnames=list(rows[0]), delimiter=";")
        writer.writeheader()
        writer.writerows(rows)
        # Taken when the school set Amelio up, at the start of the current year, or once the
        # latest of them was evaluated.
        dated = ("ends_on", "midterm_contact_on", "company_evaluation_on")
        latest = max(datetime.date.fromisoformat(row[key]) for row in rows for key in dated if row[key])
        with past.on(min(max(self.years[-1].starts_on, latest + DAY), self.today), 9):
            report = run_import(
                actor=self.office, kind=ImportKind.ARCHIVES, content=output.getvalue().encode(), commit=True
            )
        if report["errors"]:
            raise RuntimeError(f"The demo's archives were refused: {report['errors'][:5]}")

    def answers(self, plan: _Plan, kind: str) -> tuple[dict[str, int], Decimal]:
        """An evaluation's answers and its overall score, around the department's usual level."""
        mean = DEPARTMENT_SCORE[plan.department] + (0.1 if kind == EvaluationKind.STUDENT else 0.0)
        answers = {key: max(0, min(5, round(self.rng.gauss(mean, 0.8)))) for key in ANSWER_KEYS}
        score = (Decimal(sum(answers.values())) / Decimal(len(answers))).quantize(Decimal("0.1"), ROUND_HALF_UP)
        return answers, score

    # Walking the workflow ------------------------------------------------------------------------------

    def on(self, day: datetime.date, hour: int = 10) -> Any:
        """The clock frozen on `day` for the next step of the agreement being walked: never
        before its previous step, never after today."""
        self.cursor = min(max(day, self.cursor), self.today)
        return past.on(self.cursor, hour, self.rng.randint(0, 59))

    def walk(self, plan: _Plan) -> None:
        """One agreement through the services, each step on its day, by the people whose job
        it is; the law is checked by the services at each step."""
        rng = self.rng
        final, cancel_from = plan.final, plan.cancel_from
        head, office, tutor = self.heads[plan.department], self.office, plan.academic_tutor
        actor = plan.student if rng.random() < 0.85 else office
        self.cursor = plan.drafted_on
        with self.on(plan.drafted_on, 9):
            internship = services.internship_create(actor=actor, data=plan.data)
        plan.record = internship
        stop = cancel_from or final

        def cancel_here(state: str) -> bool:
            if cancel_from == state:
                with self.on(self.cursor + _days(rng.randint(1, 10)), 16):
                    services.internship_cancel(
                        actor=office, internship=internship, reason=rng.choice(CANCELLATION_REASONS)
                    )
                return True
            return False

        if stop == InternshipStatus.DRAFT and not plan.returned:
            cancel_here(InternshipStatus.DRAFT)
            return
        with self.on(plan.drafted_on + _days(rng.randint(1, 6)), 11):
            services.internship_check(actor=office, internship=internship)
        if plan.returned:
            with self.on(self.cursor, 14):
                services.internship_return(actor=office, internship=internship, reason=rng.choice(RETURN_REASONS))
            if stop == InternshipStatus.DRAFT:
                return
            with self.on(self.cursor + _days(rng.randint(1, 4)), 11):
                services.internship_check(actor=office, internship=internship)
        if stop == InternshipStatus.CHECKED:
            cancel_here(InternshipStatus.CHECKED)
            return
        signed_on = max(plan.signatures) if plan.signatures is not None else self.today
        with self.on(min(self.cursor + _days(rng.randint(1, 5)), signed_on), 15):
            services.internship_validate(actor=head, internship=internship)
        if stop == InternshipStatus.VALIDATED:
            cancel_here(InternshipStatus.VALIDATED)
            return
        assert plan.signatures is not None
        self.sign(internship, plan.signatures)
        if stop == InternshipStatus.SIGNED:
            cancel_here(InternshipStatus.SIGNED)
            return
        with self.on(plan.starts_on, 9):
            services.internship_start(actor=tutor or office, internship=internship)
        if plan.amend:
            self.follow(plan, internship, until=min(self.today, plan.starts_on + _days(30)))
            self.amend(plan, internship)
            return
        if stop == InternshipStatus.UNDER_WAY:
            # A cancellation comes a few weeks in (a trial period broken, most often).
            weeks_in = min(self.today, plan.starts_on + _days(rng.randint(5, 40)))
            until = weeks_in if cancel_from else self.today
            self.follow(plan, internship, until=until)
            cancel_here(InternshipStatus.UNDER_WAY)
            return
        self.close(plan, internship, final)

    def sign(self, internship: Internship, dates: tuple[datetime.date, datetime.date, datetime.date]) -> None:
        """Recorded by the office the day the last party signed."""
        with self.on(max(dates), 12):
            services.internship_sign(
                actor=self.office,
                internship=internship,
                student_signed_on=dates[0],
                company_signed_on=dates[1],
                school_signed_on=dates[2],
            )

    def follow(self, plan: _Plan, internship: Internship, *, until: datetime.date) -> None:
        """Marks done, on their day, the milestones due by `until` that the tutor made."""
        for milestone in internship.milestones.filter(done_on__isnull=True, due_on__lte=until).order_by("due_on"):
            if milestone.kind == MilestoneKind.COMPANY_EVALUATION:
                continue  # done by the evaluation itself
            done_on = self.milestone_done_on(plan, milestone.kind, milestone.due_on)
            if done_on is None or done_on > until:
                continue
            with self.on(done_on, 17):
                services.milestone_complete(
                    actor=plan.academic_tutor or self.office, milestone=milestone, done_on=done_on
                )

    def close(self, plan: _Plan, internship: Internship, final: str) -> None:
        """An internship over: the office asks for the evaluations in its last days, it is
        finished, then evaluated when the company's evaluation came."""
        rng, tutor = self.rng, plan.academic_tutor or self.office
        self.follow(plan, internship, until=min(self.today, plan.ends_on))
        evaluated = final == InternshipStatus.EVALUATED
        kinds = [EvaluationKind.COMPANY_TUTOR]
        if evaluated and rng.random() >= 0.4:
            kinds.append(EvaluationKind.STUDENT)
        links = {}
        for kind in kinds:
            sent_on = max(plan.ends_on - _days(rng.randint(0, 7)), plan.starts_on)
            with self.on(sent_on, 9):
                _link, token = services.evaluation_link_send(actor=self.office, internship=internship, kind=kind)
            links[kind] = (self.cursor, token)
        with self.on(plan.ends_on, 18):
            services.internship_finish(actor=tutor, internship=internship)
        if not evaluated:
            self.follow(plan, internship, until=self.today)
            return
        due_on = services.milestone_dates(internship)[MilestoneKind.COMPANY_EVALUATION]
        answered = []
        for kind, (sent_on, token) in links.items():
            day = due_on + _days(rng.randint(-12, 10)) if kind == EvaluationKind.COMPANY_TUTOR else sent_on
            day = day + _days(0 if kind == EvaluationKind.COMPANY_TUTOR else rng.randint(1, 20))
            # Answered after the end, before the link expires, and not after today.
            answered.append((min(self.today, sent_on + _days(29), max(plan.ends_on, day)), kind, token))
        for day, kind, token in sorted(answered):
            answers, score = self.answers(plan, kind)
            with self.on(day, 11):  # the company's answer marks its milestone done
                services.evaluation_submit(token=token, answers=answers, score=score, comment=rng.choice(COMMENTS))
        self.follow(plan, internship, until=self.today)
        with self.on(self.cursor, 18):
            services.internship_evaluate(actor=tutor, internship=internship)

    def amend(self, plan: _Plan, internship: Internship) -> None:
        """An amendment drafted by the office once the internship is under way, signed, and
        then followed in the original's place."""
        rng = self.rng
        reason = rng.choice(AMENDMENT_REASONS)
        changes: dict[str, Any] = {}
        if reason == AMENDMENT_REASONS[0]:
            longer = plan.ends_on + _days(7 * rng.randint(1, 3))
            maximum = self.figure(LegalFigureKey.MAX_HOURS_SAME_HOST, plan.starts_on)
            while longer > plan.ends_on and (
                longer > plan.year.ends_on or presence_hours(plan.starts_on, longer, plan.weekly_hours) > maximum
            ):
                longer -= _days(7)
            tutor = plan.academic_tutor
            if longer > plan.ends_on and self.company_tutors.extend(
                plan.company_tutor.pk, plan.starts_on, plan.ends_on, longer
            ):
                if tutor is None or self.tutors.extend(tutor.pk, plan.starts_on, plan.ends_on, longer):
                    changes["ends_on"] = longer
                else:  # a shorter period always fits
                    self.company_tutors.extend(plan.company_tutor.pk, plan.starts_on, longer, plan.ends_on)
        ends_on = changes.get("ends_on", plan.ends_on)
        minimum = self.figure(LegalFigureKey.MIN_HOURLY_GRATIFICATION, self.today)
        threshold = self.figure(LegalFigureKey.GRATIFICATION_THRESHOLD_HOURS, self.today)
        rate = plan.gratification
        if not changes or (presence_hours(plan.starts_on, ends_on, plan.weekly_hours) > threshold and not rate):
            changes["hourly_gratification"] = (max(rate or minimum, minimum) + Decimal("0.50")).quantize(
                Decimal("0.01")
            )
        with self.on(plan.starts_on + _days(rng.randint(5, 25)), 10):
            amendment = services.internship_amend(actor=self.office, internship=internship, data=changes, reason=reason)
        with self.on(self.cursor + _days(rng.randint(1, 5)), 11):
            services.internship_check(actor=self.office, internship=amendment)
        with self.on(self.cursor + _days(rng.randint(1, 5)), 15):
            services.internship_validate(actor=self.heads[plan.department], internship=amendment)
        signed_on = min(self.today, self.cursor + _days(rng.randint(3, 15)))
        self.sign(amendment, (signed_on, signed_on, signed_on))
        amendment_plan = _Plan(
            **{
                **plan.__dict__,
                "ends_on": ends_on,
                "gratification": changes.get("hourly_gratification", plan.gratification),
                "signatures": (signed_on, signed_on, signed_on),
                "amend": False,
                "record": amendment,
            }
        )
        self.plans.append(amendment_plan)
        with self.on(signed_on, 16):
            services.internship_start(actor=plan.academic_tutor or self.office, internship=amendment)
        if amendment_plan.ends_on >= self.today:
            amendment_plan.final = InternshipStatus.UNDER_WAY
            self.follow(amendment_plan, amendment, until=self.today)
            return
        amendment_plan.final = InternshipStatus.EVALUATED if rng.random() < 0.85 else InternshipStatus.FINISHED
        self.close(amendment_plan, amendment, amendment_plan.final)

    # Teaching by professionals (through the partners' service: each has its trail) ---------------------

    def build_interventions(self) -> int:
        rng = self.rng
        speakers: dict[str, list[Contact]] = {code: [] for code in self.departments}
        for company in self.companies:
            for contact in self.contacts[company.pk]:
                if contact.is_speaker and company.country == "FR":
                    for code in self.sectors[company.pk]:
                        speakers[code].append(contact)
        count = 0
        current = self.years[-1]
        elapsed = max(0.0, min(1.0, (self.today - current.starts_on).days / (current.ends_on - current.starts_on).days))
        for year in self.years:
            for code, programmes in self.programmes.items():
                for programme in programmes:
                    for _index in range(rng.randint(3, 6)):
                        speaker = rng.choice(speakers[code])
                        kind, _weight, (low, high) = rng.choices(
                            INTERVENTION_KINDS, weights=[w for _k, w, _r in INTERVENTION_KINDS]
                        )[0]
                        planned = Decimal(rng.randint(low, high))
                        if year == current:  # under way: what the months gone by delivered
                            delivered = _half(planned * Decimal(rng.uniform(0, min(1.0, elapsed * 2))))
                        else:
                            roll = rng.random()
                            delivered = (
                                planned if roll < 0.85 else _half(planned * 3 / 4) if roll < 0.95 else Decimal(0)
                            )
                        partner_services.intervention_create(
                            actor=None,
                            data={
                                "speaker": speaker,
                                "programme": programme,
                                "academic_year": year,
                                "course": rng.choice(COURSES[code]),
                                "kind": kind,
                                "planned_hours": planned,
                                "delivered_hours": min(delivered, planned),
                            },
                        )
                        count += 1
        return count

    # The whole ----------------------------------------------------------------------------------------------

    def build(self) -> dict[str, int]:
        students = self.build_students()
        self.say(f"internships: {len(students)} students doing internships")
        # The office recorded the school's host companies before the oldest year shown.
        with past.on(self.years[0].starts_on - _days(90), 10):
            self.build_companies()
        self.build_plans(students)
        in_bulk = [plan for plan in self.plans if not plan.walk]
        walked = sorted((plan for plan in self.plans if plan.walk), key=lambda plan: plan.drafted_on)
        self.take_archives(in_bulk)
        notified = {plan.student.pk: plan.student for plan in walked}.values()
        # The emails of the past (evaluation links to the tutors) belonged to their day.
        with _emails_held_back(notified), emails_not_sent():
            for plan in walked:
                self.walk(plan)
        interventions = self.build_interventions()
        past.read_old_notifications(self.rng)
        return {
            "companies": len(self.companies),
            "internships": Internship.objects.count(),
            "walked": len(walked),
            "in_bulk": len(in_bulk),
            "interventions": interventions,
        }


def build_internship_demo(*, rng: random.Random, stdout: Any = None) -> dict[str, int]:
    """Companies, students, internships in every state and teaching interventions; returns
    counts (companies, internships, walked through the services, written in bulk, interventions)."""
    builder = _InternshipBuilder(rng=rng, stdout=stdout)
    counts = builder.build()
    states = Counter(Internship.objects.values_list("status", flat=True))
    listed = ", ".join(f"{InternshipStatus(state).label} {states[state]}" for state in InternshipStatus)
    builder.say(
        f"internships: {counts['companies']} companies, {counts['internships']} agreements ({listed}); "
        f"{counts['walked']} through the workflow, {counts['in_bulk']} from the archives; "
        f"{counts['interventions']} teaching interventions"
    )
    return counts

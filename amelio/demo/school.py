"""The demo school: a believable French engineering school built through the application's
own services, so that every record it creates has its entry in the audit trail.

`build_demo_school()` is called by `manage.py load_demo` (scale 1: about 80 people and 25
processes) and by the benchmarks (scale 10: 800 people and 250 processes, the extra ones
numbered by campus). The same seed always builds the same school.
"""

from __future__ import annotations

import datetime
import random
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amelio.core.services import model_create
from amelio.demo.audits import build_audit_demo
from amelio.demo.documents import build_document_demo
from amelio.demo.improvement import build_improvement_demo
from amelio.demo.indicators import build_indicator_demo
from amelio.demo.internships import build_internship_demo
from amelio.demo.objectives import build_objective_demo
from amelio.demo.reviews import build_review_demo
from amelio.demo.risks import build_risk_demo
from amelio.demo.standards import build_standards_demo
from amelio.demo.students import build_students_demo
from amelio.demo.surveys import build_survey_demo
from amelio.documents.models import Document, DocumentVersion
from amelio.history.models import HistoryEntry
from amelio.improvement.models import Action, ImprovementItem, ProgressNote
from amelio.indicators.models import Indicator, IndicatorValue, Objective
from amelio.internships.models import Evaluation, Internship, Milestone
from amelio.organisation import services as organisation_services
from amelio.organisation.choices import PersonKind, Role, ScopeKind
from amelio.organisation.models import AcademicYear, Department, Person, Programme, RoleAssignment, School
from amelio.partners.models import Company, Contact, Intervention
from amelio.processes import services as process_services
from amelio.processes.choices import (
    RaciResponsibility,
    StatementKind,
)
from amelio.processes.models import (
    Activity,
    ContextIssue,
    InterestedParty,
    Process,
    ProcessInteraction,
    RaciAssignment,
    Statement,
)
from amelio.risks.models import Risk
from amelio.standards.models import Clause

from . import data, past

DEMO_DOMAIN = "amelio-demo.fr"
DEMO_PASSWORD = "amelio-demo-2026"
BASE_PEOPLE = 80  # people of the school at scale 1; each extra campus adds as many
ISO_9001 = "ISO9001:2015"


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: Any  # a lazily translated description


# The accounts a visitor signs in with; everyone else has an unusable password.
DEMO_LOGINS = [
    DemoLogin(f"qualite@{DEMO_DOMAIN}", _("quality manager (whole school)")),
    DemoLogin(f"direction@{DEMO_DOMAIN}", _("director (whole school)")),
    DemoLogin(f"chef.gc@{DEMO_DOMAIN}", _("department head, Génie Civil")),
    DemoLogin(f"enseignant@{DEMO_DOMAIN}", _("teacher, Génie Civil, process co-owner")),
    DemoLogin(f"etudiant@{DEMO_DOMAIN}", _("student, Génie Civil")),
    DemoLogin(f"stages@{DEMO_DOMAIN}", _("internship & company-relations office")),
    DemoLogin(f"auditeur@{DEMO_DOMAIN}", _("external auditor (access for three months)")),
]

# --- The school's structure and people: amelio/organisation/demo/*.toml ----------------------

_SCHOOL = data.load("organisation", "school")
SCHOOL: dict[str, str] = _SCHOOL["school"]
DEPARTMENTS = [(row["code"], row["name"], row["description"]) for row in _SCHOOL["department"]]
PROGRAMMES = [(row["code"], row["name"], row["department"], row["by_apprenticeship"]) for row in _SCHOOL["programme"]]
_PEOPLE = data.load("organisation", "people")
FIRST_NAMES: list[str] = _PEOPLE["first_names"]
LAST_NAMES: list[str] = _PEOPLE["last_names"]
TEACHER_TITLES: list[str] = _PEOPLE["teacher_titles"]
# key, first name, last name, email local part (None: first.last), job title
STAFF = [
    (row["key"], row["first_name"], row["last_name"], row.get("local"), row["job_title"]) for row in _PEOPLE["staff"]
]
INTERNSHIP_OFFICE = [
    (row["key"], row["first_name"], row["last_name"], row.get("local"), row["job_title"])
    for row in _PEOPLE["internship_office"]
]
# department, first name, last name, email local part (None: first.last)
DEPARTMENT_HEADS = [
    (row["department"], row["first_name"], row["last_name"], row.get("local")) for row in _PEOPLE["department_head"]
]
# Teachers with a part in the story; the others are drawn at random.
NAMED_TEACHERS = [
    (row["key"], row["department"], row["first_name"], row["last_name"], row.get("local"), row["job_title"])
    for row in _PEOPLE["named_teacher"]
]
TEACHERS_PER_DEPARTMENT = {"GB": 5, "GC": 5, "GE": 5, "IMDS": 5, "GP": 5, "GSP": 4}
STUDENTS_PER_DEPARTMENT = 5

# --- The process map --------------------------------------------------------------------


@dataclass(frozen=True)
class ProcessSpec:
    code: str
    kind: str
    name: str
    owner: str  # a person key
    purpose: str
    inputs: str
    outputs: str
    resources: str
    clauses: Sequence[str]
    activities: Sequence[str]
    team: Sequence[str]  # groups or person keys from which R, C and I are drawn
    department: str | None = None
    responsible: str | None = None  # a person key responsible for every activity


# --- The process map and the context: amelio/processes/demo/*.toml --------------------------

_PROCESSES = data.load("processes", "processes")
PROCESSES = [ProcessSpec(**row) for row in _PROCESSES["process"]]
# source, target, what flows
INTERACTIONS = [(row["source"], row["target"], row["flow"]) for row in _PROCESSES["interaction"]]
# process code, person key: co-owners (pilotes adjoints)
CO_OWNERS = [(row["process"], row["person"]) for row in _PROCESSES["co_owner"]]
_CONTEXT = data.load("processes", "context")
# title, origin, effect, description, related process codes
CONTEXT_ISSUES = [
    (row["title"], row["origin"], row["effect"], row["description"], row["processes"]) for row in _CONTEXT["issue"]
]
# name, category, relevance, needs, monitoring, related process codes
INTERESTED_PARTIES = [
    (row["name"], row["category"], row["relevance"], row["needs"], row["monitoring"], row["processes"])
    for row in _CONTEXT["party"]
]
SCOPE_TEXT: str = _CONTEXT["scope"]
POLICY_V1, POLICY_V2 = _CONTEXT["policy"]


# --- The builder ----------------------------------------------------------------------------

DEMO_EMAILS = {login.email for login in DEMO_LOGINS}
CAMPUS_STUDENTS = 30

SUMMARY_LABELS = {
    "school": _("school"),
    "departments": _("departments"),
    "programmes": _("programmes"),
    "academic_years": _("academic years"),
    "people": _("people"),
    "people_signing_in": _("people who can sign in"),
    "role_assignments": _("role assignments"),
    "processes": _("processes"),
    "interactions": _("process interactions"),
    "activities": _("activities"),
    "raci": _("RACI assignments"),
    "context_issues": _("context issues"),
    "interested_parties": _("interested parties"),
    "statements": _("statement versions"),
    "history": _("history entries"),
    "improvement_items": _("improvement items"),
    "improvement_actions": _("actions"),
    "progress_notes": _("progress notes"),
    "companies": _("companies"),
    "contacts": _("company contacts"),
    "internships": _("internship agreements"),
    "milestones": _("follow-up milestones"),
    "evaluations": _("internship evaluations"),
    "interventions": _("teaching interventions"),
    "indicators": _("indicators"),
    "indicator_values": _("indicator values"),
    "documents": _("documents"),
    "document_versions": _("document versions"),
    "risks": _("risks and opportunities"),
    "objectives": _("quality objectives"),
}


def summarise() -> dict[str, int]:
    """How many records of each kind the database holds, by key of SUMMARY_LABELS."""
    return {
        "school": School.objects.count(),
        "departments": Department.objects.count(),
        "programmes": Programme.objects.count(),
        "academic_years": AcademicYear.objects.count(),
        "people": Person.objects.count(),
        "people_signing_in": Person.objects.exclude(password__startswith="!").count(),
        "role_assignments": RoleAssignment.objects.count(),
        "processes": Process.objects.count(),
        "interactions": ProcessInteraction.objects.count(),
        "activities": Activity.objects.count(),
        "raci": RaciAssignment.objects.count(),
        "context_issues": ContextIssue.objects.count(),
        "interested_parties": InterestedParty.objects.count(),
        "statements": Statement.objects.count(),
        "history": HistoryEntry.objects.count(),
        "improvement_items": ImprovementItem.objects.count(),
        "improvement_actions": Action.objects.count(),
        "progress_notes": ProgressNote.objects.count(),
        "companies": Company.objects.count(),
        "contacts": Contact.objects.count(),
        "internships": Internship.objects.count(),
        "milestones": Milestone.objects.count(),
        "evaluations": Evaluation.objects.count(),
        "interventions": Intervention.objects.count(),
        "indicators": Indicator.objects.count(),
        "indicator_values": IndicatorValue.objects.count(),
        "documents": Document.objects.count(),
        "document_versions": DocumentVersion.objects.count(),
        "risks": Risk.objects.count(),
        "objectives": Objective.objects.count(),
    }


def _ascii(text: str) -> str:
    """'Le Gall' -> 'le-gall', 'Hélène' -> 'helene': the local part of an email address."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return plain.lower().replace(" ", "-").replace("'", "")


def _academic_years(today: datetime.date) -> list[tuple[str, datetime.date, datetime.date, bool]]:
    """The current academic year (September to August) and the three before it."""
    current = today.year if today.month >= 9 else today.year - 1
    return [
        (f"{year}-{year + 1}", datetime.date(year, 9, 1), datetime.date(year + 1, 8, 31), year == current)
        for year in range(current - 3, current + 1)
    ]


@dataclass
class _Cast:
    """The people of one campus, by key (who plays which part) and by group (from whom
    the RACI letters of a process are drawn)."""

    people: dict[str, Person] = field(default_factory=dict)
    groups: dict[str, list[Person]] = field(default_factory=dict)

    def add(self, person: Person, key: str | None = None, groups: Sequence[str] = ()) -> Person:
        if key:
            self.people[key] = person
        for group in groups:
            self.groups.setdefault(group, []).append(person)
        return person

    def members(self, names: Sequence[str]) -> list[Person]:
        found: dict[int, Person] = {}
        for name in names:
            for person in self.groups.get(name) or ([self.people[name]] if name in self.people else []):
                found[person.pk] = person
        return list(found.values())


class _SchoolBuilder:
    def __init__(self, *, scale: int, seed: int, stdout: Any) -> None:
        self.scale = scale
        self.seed = seed
        self.rng = random.Random(seed)
        self.stdout = stdout
        self.today = timezone.localdate()
        self.departments: dict[str, Department] = {}
        self.programmes: dict[str, list[Programme]] = {}
        self.emails: set[str] = set()
        self.full_names: set[tuple[str, str]] = set()
        self.clauses = {clause.number: clause for clause in Clause.objects.filter(framework__code=ISO_9001)}

    def say(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(message)

    # People ------------------------------------------------------------------------------

    def email_for(self, first_name: str, last_name: str, local: str | None = None) -> str:
        base = local or f"{_ascii(first_name)}.{_ascii(last_name)}"
        email, number = f"{base}@{DEMO_DOMAIN}", 1
        while email in self.emails:
            number += 1
            email = f"{base}{number}@{DEMO_DOMAIN}"
        self.emails.add(email)
        return email

    def random_name(self) -> tuple[str, str]:
        """A first and last name, different from everyone's so far while the lists allow."""
        name = (self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES))
        for _attempt in range(20):
            if name not in self.full_names and _ascii(name[0]) != _ascii(name[1]):
                break
            name = (self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES))
        self.full_names.add(name)
        return name

    def person(
        self,
        *,
        kind: str,
        job_title: str,
        name: tuple[str, str] | None = None,
        local: str | None = None,
        department: Department | None = None,
        programme: Programme | None = None,
    ) -> Person:
        first_name, last_name = name or self.random_name()
        self.full_names.add((first_name, last_name))
        email = self.email_for(first_name, last_name, local)
        return organisation_services.person_create(
            actor=None,
            data={
                "email": email,
                "first_name": first_name,
                "last_name": last_name,
                "kind": kind,
                "job_title": job_title,
                "department": department,
                "programme": programme,
            },
            password=DEMO_PASSWORD if email in DEMO_EMAILS else None,
        )

    def grant(self, person: Person, role: str, *, department: Department | None = None, **kwargs: Any) -> None:
        scope_kind = kwargs.pop("scope_kind", ScopeKind.DEPARTMENT if department is not None else ScopeKind.SCHOOL)
        organisation_services.role_grant(
            actor=None,
            person=person,
            role=role,
            scope_kind=scope_kind,
            department=department,
            # The demo's people are fictitious: a thousand "role granted" emails would
            # bury the console of `make run`.
            notify=False,
            **kwargs,
        )

    def teacher(
        self, code: str, *, name: tuple[str, str] | None = None, job_title: str = "", local: str | None = None
    ) -> Person:
        department = self.departments[code]
        person = self.person(
            kind=PersonKind.TEACHER,
            job_title=job_title or self.rng.choice(TEACHER_TITLES),
            name=name,
            local=local,
            department=department,
        )
        self.grant(person, Role.TEACHER, department=department)
        return person

    def student(
        self, code: str, *, name: tuple[str, str] | None = None, local: str | None = None, programme: Any = None
    ) -> Person:
        department = self.departments[code]
        person = self.person(
            kind=PersonKind.STUDENT,
            job_title=f"Élève ingénieur, {self.rng.choice(['1re', '2e', '3e'])} année",
            name=name,
            local=local,
            department=department,
            programme=programme or self.rng.choice(self.programmes[code]),
        )
        self.grant(person, Role.STUDENT, department=department)
        return person

    # Structure ---------------------------------------------------------------------------

    def build_structure(self) -> None:
        model_create(model=School, data=SCHOOL, actor=None)
        for code, name, description in DEPARTMENTS:
            self.departments[code] = organisation_services.department_create(
                actor=None, data={"code": code, "name": name, "description": description}
            )
        for code, name, department_code, by_apprenticeship in PROGRAMMES:
            programme = organisation_services.programme_create(
                actor=None,
                data={
                    "code": code,
                    "name": name,
                    "department": self.departments[department_code],
                    "is_apprenticeship": by_apprenticeship,
                    "duration_years": 3,
                },
            )
            self.programmes.setdefault(department_code, []).append(programme)
        for label, starts_on, ends_on, is_current in _academic_years(self.today):
            organisation_services.academic_year_create(
                actor=None, data={"label": label, "starts_on": starts_on, "ends_on": ends_on, "is_current": is_current}
            )

    def build_people(self) -> _Cast:
        """The 80 people of the main campus; the demo logins among them."""
        cast = _Cast()
        director = cast.add(
            self.person(
                kind=PersonKind.STAFF,
                job_title="Directeur de l'école",
                name=("Philippe", "Rousseau"),
                local="direction",
            ),
            "director",
        )
        quality = cast.add(
            self.person(
                kind=PersonKind.STAFF, job_title="Responsable qualité", name=("Claire", "Fontaine"), local="qualite"
            ),
            "quality",
        )
        self.grant(director, Role.DIRECTOR)
        self.grant(quality, Role.QUALITY_MANAGER)
        for key, first_name, last_name, local, job_title in STAFF:
            person = self.person(kind=PersonKind.STAFF, job_title=job_title, name=(first_name, last_name), local=local)
            cast.add(person, key, ["staff"])
        for key, first_name, last_name, local, job_title in INTERNSHIP_OFFICE:
            person = self.person(kind=PersonKind.STAFF, job_title=job_title, name=(first_name, last_name), local=local)
            cast.add(person, key, ["internship_office"])
            self.grant(person, Role.INTERNSHIP_OFFICE)
        department_names = {code: name for code, name, _description in DEPARTMENTS}
        for code, first_name, last_name, local in DEPARTMENT_HEADS:
            head = self.teacher(
                code,
                name=(first_name, last_name),
                job_title=f"Responsable du département {department_names[code]}",
                local=local,
            )
            self.grant(head, Role.DEPARTMENT_HEAD, department=self.departments[code])
            cast.add(head, f"head:{code}", ["heads", f"dept:{code}"])
        teachers_left = dict(TEACHERS_PER_DEPARTMENT)
        for key, code, first_name, last_name, local, job_title in NAMED_TEACHERS:
            person = self.teacher(code, name=(first_name, last_name), job_title=job_title, local=local)
            cast.add(person, key, ["teachers", f"dept:{code}"])
            teachers_left[code] -= 1
        for code, count in teachers_left.items():
            for _index in range(count):
                cast.add(self.teacher(code), None, ["teachers", f"dept:{code}"])
        self.grant(cast.people["internal_auditor"], Role.INTERNAL_AUDITOR)
        student = self.student("GC", name=("Lucas", "Martin"), local="etudiant", programme=self.programmes["GC"][0])
        cast.add(student, "student_demo")
        for code in self.departments:
            for _index in range(STUDENTS_PER_DEPARTMENT - (1 if code == "GC" else 0)):
                self.student(code)
        auditor = self.person(
            kind=PersonKind.EXTERNAL,
            job_title="Auditrice tierce partie, organisme certificateur",
            name=("Isabelle", "Vasseur"),
            local="auditeur",
        )
        self.grant(
            auditor,
            Role.EXTERNAL_AUDITOR,
            starts_on=self.today,
            ends_on=self.today + datetime.timedelta(days=91),
            reason="Audit de surveillance ISO 9001",
        )
        cast.add(auditor, "external_auditor")
        return cast

    def build_campus_people(self, number: int) -> _Cast:
        """The 80 people of another campus, in the same parts as the main one."""
        cast, campus = _Cast(), f"campus {number}"
        titles = {"director": "Directeur délégué", "quality": "Responsable qualité"}
        titles |= {key: title for key, _first, _last, _local, title in STAFF}
        internship_keys = {key for key, *_rest in INTERNSHIP_OFFICE}
        titles |= {key: title for key, _first, _last, _local, title in INTERNSHIP_OFFICE}
        for key, title in titles.items():
            person = self.person(kind=PersonKind.STAFF, job_title=f"{title}, {campus}")
            if key in internship_keys:
                cast.add(person, key, ["internship_office"])
                self.grant(person, Role.INTERNSHIP_OFFICE)
            else:
                cast.add(person, key, ["staff"] if key in {k for k, *_rest in STAFF} else [])
        codes = list(self.departments)
        for code in codes:
            head = self.teacher(code, job_title=f"Responsable du département, {campus}")
            cast.add(head, f"head:{code}", ["heads", f"dept:{code}"])
        for key, code, *_rest in NAMED_TEACHERS:
            cast.add(self.teacher(code), key, ["teachers", f"dept:{code}"])
        teachers = BASE_PEOPLE - CAMPUS_STUDENTS - len(titles) - len(codes) - len(NAMED_TEACHERS)
        for index in range(teachers):
            code = codes[index % len(codes)]
            cast.add(self.teacher(code), None, ["teachers", f"dept:{code}"])
        for index in range(CAMPUS_STUDENTS):
            self.student(codes[index % len(codes)])
        return cast

    # Processes ---------------------------------------------------------------------------

    def build_processes(self, cast: _Cast, *, number: int = 1) -> dict[str, Process]:
        """The 25 processes of the map (a numbered copy for another campus), their
        interactions, activities, RACI and co-owners."""
        suffix, campus = (f"-C{number:02d}", f" — campus {number}") if number > 1 else ("", "")
        processes: dict[str, Process] = {}
        for spec in PROCESSES:
            processes[spec.code] = process_services.process_create(
                actor=None,
                data={
                    "code": spec.code + suffix,
                    "name": spec.name + campus,
                    "kind": spec.kind,
                    "purpose": spec.purpose,
                    "owner": cast.people[spec.owner],
                    "department": self.departments[spec.department] if spec.department else None,
                    "inputs": spec.inputs,
                    "outputs": spec.outputs,
                    "resources": spec.resources,
                    "clauses": [self.clauses[clause] for clause in spec.clauses if clause in self.clauses],
                },
            )
        for source, target, description in INTERACTIONS:
            process_services.interaction_set(
                actor=None, source=processes[source], target=processes[target], description=description
            )
        for spec in PROCESSES:
            self.build_activities(spec, processes[spec.code], cast)
        for code, key in CO_OWNERS:
            self.grant(
                cast.people[key],
                Role.PROCESS_OWNER,
                scope_kind=ScopeKind.PROCESS,
                process=processes[code],
                reason="Pilote adjoint du processus",
            )
        return processes

    def build_activities(self, spec: ProcessSpec, process: Process, cast: _Cast) -> None:
        """Three to five activities; for each, the owner is accountable, one or two people
        responsible, one or two consulted and one informed."""
        owner = cast.people[spec.owner]
        responsible = cast.people.get(spec.responsible) if spec.responsible else None
        excluded = {owner.pk, responsible.pk if responsible else None}
        pool = [person for person in cast.members(spec.team) if person.pk not in excluded]
        for position, name in enumerate(spec.activities, start=1):
            activity = process_services.activity_create(
                actor=None, process=process, data={"position": position, "name": name}
            )
            drawn = self.rng.sample(pool, min(len(pool), self.rng.randint(3, 4)))
            if responsible is not None:
                drawn.insert(0, responsible)
            letters = [RaciResponsibility.RESPONSIBLE]
            if len(drawn) > 3:
                letters.append(self.rng.choice([RaciResponsibility.RESPONSIBLE, RaciResponsibility.CONSULTED]))
            letters += [RaciResponsibility.CONSULTED] * (len(drawn) - len(letters) - 1)
            letters.append(RaciResponsibility.INFORMED)
            process_services.raci_assign(
                actor=None, activity=activity, person=owner, responsibility=RaciResponsibility.ACCOUNTABLE
            )
            for person, letter in zip(drawn, letters, strict=False):
                process_services.raci_assign(actor=None, activity=activity, person=person, responsibility=letter)

    # Context and statements --------------------------------------------------------------

    def build_context(self, processes: dict[str, Process]) -> None:
        for title, origin, effect, description, codes in CONTEXT_ISSUES:
            process_services.context_issue_create(
                actor=None,
                data={
                    "title": title,
                    "origin": origin,
                    "effect": effect,
                    "description": description,
                    "processes": [processes[code] for code in codes],
                    "reviewed_on": self.today - datetime.timedelta(days=self.rng.randint(20, 200)),
                },
            )
        for name, category, relevance, needs, monitoring, codes in INTERESTED_PARTIES:
            process_services.interested_party_create(
                actor=None,
                data={
                    "name": name,
                    "category": category,
                    "relevance": relevance,
                    "needs": needs,
                    "monitoring": monitoring,
                    "processes": [processes[code] for code in codes],
                },
            )

    def build_statements(self, cast: _Cast) -> None:
        # Top management approves (clause 5.1): the director signs, so each version says who.
        director, quality = cast.people["director"], cast.people["quality"]
        scope = process_services.statement_write(actor=quality, kind=StatementKind.SCOPE, text=SCOPE_TEXT)
        process_services.statement_approve(actor=director, statement=scope)
        policy = process_services.statement_write(actor=director, kind=StatementKind.POLICY, text=POLICY_V1)
        process_services.statement_approve(actor=director, statement=policy)
        process_services.statement_write(actor=quality, kind=StatementKind.POLICY, text=POLICY_V2)

    # The whole -----------------------------------------------------------------------------

    def build(self) -> dict[str, int]:
        # The school, its people, its process map and its policy were recorded before the
        # oldest academic year the demo tells of; what happened since is dated on its day.
        with past.on(_academic_years(self.today)[0][1] - datetime.timedelta(days=30), 9):
            self.build_structure()
            cast = self.build_people()
            self.say(f"main campus: {Person.objects.count()} people")
            processes = self.build_processes(cast)
            self.build_context(processes)
            self.build_statements(cast)
        self.say(f"main campus: {Process.objects.count()} processes, context and statements")
        # Its own random draws, so that the campuses below stay the same as without it.
        build_improvement_demo(rng=random.Random(self.seed + 1), stdout=self.stdout)
        build_internship_demo(rng=random.Random(self.seed + 2), stdout=self.stdout)
        # The students' records first: the graduates' insertion survey is sent to their graduates.
        build_students_demo(rng=random.Random(self.seed + 6), stdout=self.stdout)
        build_survey_demo(rng=random.Random(self.seed + 5), stdout=self.stdout)
        build_indicator_demo(stdout=self.stdout)
        build_document_demo(rng=random.Random(self.seed + 3), stdout=self.stdout)
        build_risk_demo(rng=random.Random(self.seed + 4), stdout=self.stdout)
        build_objective_demo(stdout=self.stdout)
        build_standards_demo(stdout=self.stdout)
        build_audit_demo(stdout=self.stdout)
        # Last: its reviews compile the figures of every other part.
        build_review_demo(stdout=self.stdout)
        # The internship demo adds students of its own: the campuses' addresses must avoid theirs.
        self.emails.update(Person.objects.values_list("email", flat=True))
        for number in range(2, self.scale + 1):
            self.build_processes(self.build_campus_people(number), number=number)
            self.say(f"campus {number}: {Person.objects.count()} people, {Process.objects.count()} processes")
        return summarise()


def build_demo_school(*, scale: int = 1, seed: int = 2026, stdout: Any = None) -> dict[str, int]:
    """Build the demo school in one transaction and return the counts of `summarise()`.

    80 × `scale` people and 25 × `scale` processes (the extra ones as numbered campuses),
    six departments and twelve programmes whatever the scale, and on the main campus about
    120 improvement items with their actions (`amelio.demo.improvement`), and 400
    companies, 560 more students and 1,500 internships (`amelio.demo.internships`).
    Expects an empty database.
    Progress lines go to `stdout` (anything with `write`) when given.
    """
    if scale < 1:
        raise ValueError("The scale must be 1 or more.")
    with transaction.atomic():
        return _SchoolBuilder(scale=scale, seed=seed, stdout=stdout).build()

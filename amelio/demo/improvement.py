"""The demo school's continuous improvement: about 120 items raised over the last two
academic years, walked through the real services by the people whose job it is, with
their actions, progress notes and effectiveness checks.

`build_improvement_demo()` runs at the end of the main campus of `amelio.demo.school`, in the
same transaction, on a database where the school, its people and its processes exist.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from amelio.improvement import services
from amelio.improvement.choices import ItemStatus, Origin, RootCauseMethod
from amelio.improvement.models import Action, ImprovementItem, ProgressNote
from amelio.notifications.choices import EmailMode
from amelio.notifications.services import email_mode_of, preference_set
from amelio.organisation.choices import PersonKind, Role, ScopeKind
from amelio.organisation.models import Department, Person, RoleAssignment
from amelio.processes.models import Process

from . import data, past

# The demo logins with a part in the story (see DEMO_LOGINS in amelio/demo/school.py, which
# imports this module and so cannot be imported from here).
QUALITY_MANAGER_EMAIL = "qualite@amelio-demo.fr"
DEMO_TEACHER_EMAIL = "enseignant@amelio-demo.fr"
DEMO_STUDENT_EMAIL = "etudiant@amelio-demo.fr"


@dataclass(frozen=True)
class Scenario:
    """One story of the register. Texts may hold {dept} (the department's name),
    {of_dept} ("de Génie Civil", "d'Ingénierie…"), {semester}, {subject} and {of_subject};
    a scenario with `times` > 1 happens in several departments.

    `raiser` and the third member of each action (its owner) name a person: a process
    code (its owner), "student", "teacher", "staff", "head" (of the item's department),
    "internal_auditor", "quality", "teacher_demo" or "student_demo"."""

    origin: str
    process: str
    title: str
    description: str
    cause: str
    actions: tuple[tuple[str, str, str], ...]
    raiser: str = "teacher"
    department: str | None = None  # a department code, "*" for any, None for the whole school
    severity: str = ""
    complainant: str = ""
    contact: str = ""
    correction: str = ""
    times: int = 1


def _scenario(row: dict[str, Any]) -> Scenario:
    actions = tuple((action["kind"], action["title"], action["owner"]) for action in row["actions"])
    return Scenario(**{**row, "actions": actions})


# The stories and the words of the register: amelio/improvement/demo/*.toml.
SCENARIOS = [_scenario(row) for row in data.load("improvement", "items")["scenario"]]
# Actions of no item (later they come from audits and management reviews).
STANDALONE_ACTIONS = [
    (row["process"], row["kind"], row["title"], row["owner"])
    for row in data.load("improvement", "items")["standalone_action"]
]
_TEXTS = data.load("improvement", "texts")
SUBJECTS: dict[str, list[str]] = _TEXTS["subjects"]
REJECTION_REASONS: dict[str, list[str]] = _TEXTS["rejection_reasons"]
ACCEPT_REASONS: list[str] = _TEXTS["accept_reasons"]
EXTENTS: list[str] = _TEXTS["extents"]
ISHIKAWA_BRANCHES: dict[str, list[str]] = _TEXTS["ishikawa_branches"]
PROGRESS_NOTES: list[str] = _TEXTS["progress_notes"]
COMPLETION_NOTES_ON_TIME: list[str] = _TEXTS["completion_notes_on_time"]
COMPLETION_NOTES_LATE: list[str] = _TEXTS["completion_notes_late"]
CANCELLATION_REASONS: list[str] = _TEXTS["cancellation_reasons"]
EFFECTIVENESS_NOTES: list[str] = _TEXTS["effectiveness_notes"]
REOPEN_REASONS: list[str] = _TEXTS["reopen_reasons"]
SECOND_ACTIONS = [(row["kind"], row["title"]) for row in _TEXTS["second_actions"]]

# How long ago (days) an item in each final state was raised, and how many of the demo's
# items end in that state (shares of the whole; "closed after reopening" is a closed item
# that failed its first check).
CLOSED_AFTER_REOPENING = "closed_after_reopening"
STATE_PLAN: list[tuple[str, int, tuple[int, int]]] = [
    # Reported in plain words by a student, not classified yet (services.item_report).
    (ItemStatus.TO_CLASSIFY, 4, (1, 10)),
    (ItemStatus.NEW, 6, (1, 25)),
    (ItemStatus.ACCEPTED, 8, (10, 60)),
    (ItemStatus.REJECTED, 10, (5, 720)),
    (ItemStatus.ANALYSED, 8, (25, 100)),
    (ItemStatus.ACTIONS_UNDER_WAY, 28, (45, 330)),
    (ItemStatus.AWAITING_CHECK, 12, (90, 420)),
    (ItemStatus.CLOSED_EFFECTIVE, 32, (150, 730)),
    (CLOSED_AFTER_REOPENING, 4, (300, 730)),
    (ItemStatus.REOPENED, 8, (150, 600)),
]
FINISHED_STATES = {
    ItemStatus.AWAITING_CHECK,
    ItemStatus.CLOSED_EFFECTIVE,
    CLOSED_AFTER_REOPENING,
    ItemStatus.REOPENED,
}
RAISERS_OF_A_DEPARTMENT = {"student", "teacher", "student_demo", "teacher_demo"}


def _of(name: str) -> str:
    """ "de Génie Civil", "d'optique": French elides "de" before a vowel."""
    return f"d'{name}" if name[:1].lower() in "aeiouyéèêàâîôû" else f"de {name}"


def scenario_texts(*, department: str, semester: str, subject: str) -> dict[str, str]:
    """What fills the placeholders of a scenario's texts."""
    return {
        "dept": department,
        "of_dept": _of(department),
        "semester": semester,
        "subject": subject,
        "of_subject": _of(subject),
    }


class _Cast:
    """The people of the demo school, found by the part they play."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.processes = {process.code: process for process in Process.objects.select_related("owner", "department")}
        self.departments = {department.code: department for department in Department.objects.order_by("code")}
        self.quality = Person.objects.get(email=QUALITY_MANAGER_EMAIL)
        self.teacher_demo = Person.objects.get(email=DEMO_TEACHER_EMAIL)
        self.student_demo = Person.objects.get(email=DEMO_STUDENT_EMAIL)
        assignments = RoleAssignment.objects.select_related("person", "department")
        self.heads = {
            assignment.department.code: assignment.person
            for assignment in assignments.filter(role=Role.DEPARTMENT_HEAD, scope_kind=ScopeKind.DEPARTMENT)
            if assignment.department is not None
        }
        self.internal_auditor = next(
            assignment.person for assignment in assignments.filter(role=Role.INTERNAL_AUDITOR).order_by("pk")
        )
        head_ids = {head.pk for head in self.heads.values()}
        self.teachers: dict[str | None, list[Person]] = {None: []}
        self.students: dict[str | None, list[Person]] = {None: []}
        people = Person.objects.filter(kind__in=[PersonKind.TEACHER, PersonKind.STUDENT]).select_related("department")
        for person in people.order_by("pk"):
            if person.pk in head_ids or person.department is None:
                continue
            group = self.teachers if person.kind == PersonKind.TEACHER else self.students
            group.setdefault(person.department.code, []).append(person)
            group[None].append(person)
        # Staff other than the quality manager and the director (who owns M-01).
        director = self.processes["M-01"].owner_id
        self.staff = list(
            Person.objects.filter(kind=PersonKind.STAFF).exclude(pk__in=[self.quality.pk, director]).order_by("pk")
        )

    def find(self, reference: str, department: Department | None) -> Person:
        code = department.code if department is not None else None
        if reference in self.processes:
            return self.processes[reference].owner
        if reference == "quality":
            return self.quality
        if reference == "internal_auditor":
            return self.internal_auditor
        if reference == "teacher_demo":
            return self.teacher_demo
        if reference == "student_demo":
            return self.student_demo
        if reference == "head":
            return self.heads[code] if code else self.rng.choice(list(self.heads.values()))
        if reference == "staff":
            return self.rng.choice(self.staff)
        if reference == "teacher":
            if code == "GC" and self.rng.random() < 0.4:
                return self.teacher_demo
            return self.rng.choice(self.teachers.get(code) or self.teachers[None])
        if reference == "student":
            # The demo student (Génie Civil) has a few items of their own in "My work".
            if code in ("GC", None) and self.rng.random() < 0.25:
                return self.student_demo
            return self.rng.choice(self.students.get(code) or self.students[None])
        raise LookupError(f"No demo person plays {reference!r}.")


@dataclass
class _Instance:
    """A scenario placed in a department, with its texts filled in."""

    scenario: Scenario
    department: Department | None
    texts: dict[str, str]

    def fill(self, text: str) -> str:
        return text.format(**self.texts)


@dataclass
class _PlannedAction:
    kind: str
    title: str
    owner: Person
    due: int  # days after the item was raised, as all the offsets below
    fate: str = "planned"  # planned, in_progress, on_time, late, cancelled
    created: int = 0
    started: int | None = None
    finished: int | None = None  # completed or cancelled
    notes: list[int] = field(default_factory=list)
    record: Action | None = None


@contextmanager
def _emails_held_back(people: Iterable[Person]) -> Iterator[None]:
    """Each service notifies after commit, by email for people in "immediate" mode: the
    demo's 1,000-odd notifications would queue as many emails for the worker that
    `make run` starts, and bury its console. While the demo is built everyone is in
    "digest" mode, so nothing is queued; then each person's mode is set back. (The
    notifications stay in the application; `past.read_old_notifications` has the old ones
    read so that no digest lists them.)"""
    people = list(people)
    previous = {person.pk: email_mode_of(person) for person in people}
    for person in people:
        preference_set(actor=person, email_mode=EmailMode.DIGEST)
    yield
    for person in people:
        preference_set(actor=person, email_mode=previous[person.pk])


class _ImprovementBuilder:
    def __init__(self, *, rng: random.Random, stdout: Any) -> None:
        self.rng = rng
        self.stdout = stdout
        self.today = timezone.localdate()
        self.cast = _Cast(rng)
        self.final_states: Counter[str] = Counter()

    def say(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(message)

    # The stories -------------------------------------------------------------------------

    def instances(self) -> list[_Instance]:
        found = []
        codes = list(self.cast.departments)
        for scenario in SCENARIOS:
            process = self.cast.processes[scenario.process]
            if process.department is not None:
                choices: list[Department | None] = [process.department] * scenario.times
            elif scenario.department == "*":
                drawn = self.rng.sample(codes, scenario.times)
                choices = [self.cast.departments[code] for code in drawn]
            elif scenario.department is not None:
                choices = [self.cast.departments[scenario.department]] * scenario.times
            else:
                choices = [None] * scenario.times
            semesters = self.rng.sample(["5", "6", "7", "8", "9"], scenario.times)
            for department, semester in zip(choices, semesters, strict=True):
                code = department.code if department is not None else self.rng.choice(codes)
                name = department.name if department is not None else ""
                texts = scenario_texts(department=name, semester=semester, subject=self.rng.choice(SUBJECTS[code]))
                found.append(_Instance(scenario, department, texts))
        return found

    def states(self, number: int) -> list[tuple[str, tuple[int, int]]]:
        """`number` final states in the shares of STATE_PLAN (largest remainders), shuffled."""
        total = sum(share for _state, share, _ages in STATE_PLAN)
        exact = [number * share / total for _state, share, _ages in STATE_PLAN]
        counts = [int(value) for value in exact]
        by_remainder = sorted(range(len(exact)), key=lambda index: counts[index] - exact[index])
        for index in by_remainder[: number - sum(counts)]:
            counts[index] += 1
        drawn: list[tuple[str, tuple[int, int]]] = []
        for (state, _share, ages), count in zip(STATE_PLAN, counts, strict=True):
            drawn += [(state, ages)] * count
        self.rng.shuffle(drawn)
        return drawn

    def build(self) -> dict[str, int]:
        instances = self.instances()
        for instance, (state, ages) in zip(instances, self.states(len(instances)), strict=True):
            self.walk(instance, state, ages)
        self.standalone_actions()
        return {
            "improvement_items": len(instances),
            "improvement_actions": Action.objects.count(),
            "progress_notes": ProgressNote.objects.count(),
        }

    # One item, from raising to its final state --------------------------------------------

    def walk(self, instance: _Instance, state: str, ages: tuple[int, int]) -> None:
        rng, scenario = self.rng, instance.scenario
        process = self.cast.processes[scenario.process]
        manager = process.owner
        raised_on = self.today - datetime.timedelta(days=rng.randint(*ages))
        available = (self.today - raised_on).days  # the last step happens today at the latest
        offsets = {"decide": rng.randint(2, 12)}
        offsets["analyse"] = offsets["decide"] + rng.randint(5, 25)
        offsets["plan"] = offsets["analyse"] + rng.randint(0, 3)
        offsets["start"] = offsets["plan"] + rng.randint(1, 7)
        planned = [
            _PlannedAction(
                kind=kind,
                title=instance.fill(title),
                owner=self.cast.find(owner, instance.department),
                due=offsets["plan"] + rng.randint(20, 120),
            )
            for kind, title, owner in scenario.actions
        ]
        if state in FINISHED_STATES:
            self.finish_all(planned, offsets, state)
        last_step: dict[str, int] = {
            ItemStatus.TO_CLASSIFY: 0,
            ItemStatus.NEW: 0,
            ItemStatus.ACCEPTED: offsets["decide"],
            ItemStatus.REJECTED: offsets["decide"],
            ItemStatus.ANALYSED: offsets["plan"],
            ItemStatus.ACTIONS_UNDER_WAY: offsets["start"] + 2,
        }
        last_needed = last_step.get(state, max(offsets.values()))
        if last_needed > available:
            # Too recent for all its steps: squeeze them into the days there were.
            ratio = available / last_needed
            offsets = {name: int(value * ratio) for name, value in offsets.items()}
            for action in planned:
                action.due = max(1, int(action.due * ratio))
                action.started = None if action.started is None else int(action.started * ratio)
                action.finished = None if action.finished is None else int(action.finished * ratio)
                action.notes = [int(note * ratio) for note in action.notes]
        if state == ItemStatus.ACTIONS_UNDER_WAY:
            self.progress_some(planned, offsets, available)

        steps: list[tuple[int, int, Callable[[], Any]]] = []

        def step(offset: int, order: int, perform: Callable[[], Any]) -> None:
            steps.append((offset, order, perform))

        raiser = self.cast.find(scenario.raiser, instance.department)
        department = instance.department
        if department is None and scenario.department is None and scenario.raiser in RAISERS_OF_A_DEPARTMENT:
            # A school-wide matter raised by a teacher or a student is filed under their department.
            department = raiser.department
        data: dict[str, Any] = {
            "origin": scenario.origin,
            "title": instance.fill(scenario.title)[:200],
            "description": instance.fill(scenario.description),
            "process": process,
            "department": department,
            "raised_on": raised_on,
        }
        if scenario.severity:
            data["severity"] = scenario.severity
        if scenario.complainant:
            data["complainant_kind"] = scenario.complainant
        if scenario.contact:
            data["contact_name"] = scenario.contact
        clauses = list(process.clauses.all())
        if clauses:
            data["clauses"] = [rng.choice(clauses)]
        holder: dict[str, ImprovementItem] = {}

        def raise_item() -> None:
            if state == ItemStatus.TO_CLASSIFY:
                plain = {name: data[name] for name in ("title", "description", "process")}
                kind = "idea" if scenario.origin in (Origin.SUGGESTION, Origin.OPPORTUNITY) else "problem"
                holder["item"] = services.item_report(actor=raiser, data={**plain, "reported_as": kind})
            else:
                holder["item"] = services.item_raise(actor=raiser, data=data)

        step(0, 0, raise_item)
        if state == ItemStatus.REJECTED:
            reason = rng.choice(REJECTION_REASONS[scenario.origin])
            step(
                offsets["decide"],
                1,
                lambda: services.item_reject(actor=manager, item=holder["item"], reason=reason),
            )
        elif state not in (ItemStatus.TO_CLASSIFY, ItemStatus.NEW):
            target = raised_on + datetime.timedelta(days=offsets["decide"] + rng.randint(60, 150))
            accept_reason = rng.choice(ACCEPT_REASONS)
            step(
                offsets["decide"],
                1,
                lambda: services.item_accept(actor=manager, item=holder["item"], reason=accept_reason, due_on=target),
            )
        if state not in (ItemStatus.TO_CLASSIFY, ItemStatus.NEW, ItemStatus.ACCEPTED, ItemStatus.REJECTED):
            analysis = self.analysis(instance)
            step(
                offsets["analyse"],
                2,
                lambda: services.item_analyse(actor=manager, item=holder["item"], analysis=analysis),
            )
            for action in planned:
                action.created = offsets["plan"]
                step(action.created, 3, self.creating(action, holder, manager, raised_on))
        if state not in (
            ItemStatus.TO_CLASSIFY,
            ItemStatus.NEW,
            ItemStatus.ACCEPTED,
            ItemStatus.REJECTED,
            ItemStatus.ANALYSED,
        ):
            step(offsets["start"], 4, lambda: services.item_start_actions(actor=manager, item=holder["item"]))
            for action in planned:
                self.action_steps(action, step, manager)
        if state in FINISHED_STATES:
            step(offsets["request"], 6, lambda: services.item_request_check(actor=manager, item=holder["item"]))
        if state in (ItemStatus.CLOSED_EFFECTIVE, CLOSED_AFTER_REOPENING, ItemStatus.REOPENED):
            verdict = ItemStatus.CLOSED_EFFECTIVE if state == ItemStatus.CLOSED_EFFECTIVE else ItemStatus.REOPENED
            step(offsets["check"], 7, self.checking(holder, verdict))
        if state in (CLOSED_AFTER_REOPENING, ItemStatus.REOPENED):
            self.second_round(state, offsets, planned, holder, manager, raised_on, step)

        # Each step on its day, in the order of the story; the people work from 8 o'clock.
        for offset, order, perform in sorted(steps, key=lambda entry: (entry[0], entry[1])):
            with past.on(raised_on + datetime.timedelta(days=offset), 8 + order, rng.randint(0, 59)):
                perform()
        self.final_states[holder["item"].status] += 1

    def finish_all(self, planned: list[_PlannedAction], offsets: dict[str, int], state: str) -> None:
        """Every action done (on time or late), or now and then one cancelled."""
        rng = self.rng
        for action in planned:
            action.fate = "on_time" if rng.random() < 0.65 else "late"
        if len(planned) > 1 and rng.random() < 0.25:
            rng.choice(planned[1:]).fate = "cancelled"
        for action in planned:
            action.started = offsets["start"] + rng.randint(0, 10)
            if action.fate == "on_time":
                action.finished = max(action.started + 2, action.due - rng.randint(0, 15))
            elif action.fate == "late":
                action.finished = action.due + rng.randint(3, 35)
            else:
                action.finished = action.started + rng.randint(5, 30)
            self.add_notes(action, action.finished)
        offsets["request"] = max(action.finished or 0 for action in planned) + rng.randint(2, 15)
        if state != ItemStatus.AWAITING_CHECK:
            offsets["check"] = offsets["request"] + rng.randint(15, 60)
        if state in (CLOSED_AFTER_REOPENING, ItemStatus.REOPENED):
            offsets["reanalyse"] = offsets["check"] + rng.randint(5, 20)
        if state == CLOSED_AFTER_REOPENING:
            offsets["replan"] = offsets["reanalyse"] + rng.randint(0, 3)
            offsets["restart"] = offsets["replan"] + rng.randint(1, 5)
            offsets["redone"] = offsets["restart"] + rng.randint(15, 50)
            offsets["request_again"] = offsets["redone"] + rng.randint(2, 10)
            offsets["check_again"] = offsets["request_again"] + rng.randint(15, 45)

    def progress_some(self, planned: list[_PlannedAction], offsets: dict[str, int], available: int) -> None:
        """Actions under way: some done (on time or late), some open (a few overdue), now
        and then one cancelled; at least one still open."""
        rng = self.rng
        for action in planned:
            first_day = min(offsets["start"] + rng.randint(0, 10), available)
            if action.due < available - 3:
                fate = rng.choices(["on_time", "late", "in_progress", "planned", "cancelled"], [35, 20, 30, 5, 10])[0]
            else:
                fate = rng.choices(["on_time", "in_progress", "planned"], [20, 50, 30])[0]
            action.fate = fate
            if fate == "on_time":
                action.started = first_day
                action.finished = min(available, max(first_day + 1, action.due - rng.randint(0, 15)))
            elif fate == "late":
                action.started = first_day
                action.finished = min(available, action.due + rng.randint(3, 35))
            elif fate == "in_progress":
                action.started = first_day
            elif fate == "cancelled":
                action.started = first_day
                action.finished = min(available, first_day + rng.randint(5, 30))
        if all(action.fate in ("on_time", "late", "cancelled") for action in planned):
            last = planned[-1]
            last.fate, last.finished = "in_progress", None
            last.started = min(offsets["start"] + rng.randint(0, 10), available)
        for action in planned:
            if action.fate in ("planned", "in_progress") and action.due < available and rng.random() < 0.6:
                # Most late actions were given a new date when the delay became clear
                # (the plan is changed, not the story: the date is the due date of today).
                action.due = available + rng.randint(7, 60)
        for action in planned:
            if action.started is not None:
                self.add_notes(action, action.finished if action.finished is not None else available)

    def add_notes(self, action: _PlannedAction, until: int) -> None:
        if action.started is None or action.fate == "planned" or until - action.started < 4:
            return
        count = self.rng.choice([0, 1, 1, 2])
        action.notes = sorted(self.rng.randint(action.started + 1, until - 1) for _index in range(count))

    def analysis(self, instance: _Instance) -> dict[str, Any]:
        rng, scenario = self.rng, instance.scenario
        cause = instance.fill(scenario.cause)
        if scenario.origin in (Origin.SUGGESTION, Origin.OPPORTUNITY):
            method = RootCauseMethod.OTHER
            lines = [f"Besoin constaté : {cause}", "Étude de faisabilité faite avec les services concernés."]
        elif rng.random() < 0.6:
            method = RootCauseMethod.FIVE_WHYS
            lines = [
                f"1. Pourquoi ? {instance.fill(scenario.title)}.",
                f"2. Pourquoi ? {cause}",
                "3. Pourquoi ? Aucune vérification ne détectait l'écart avant qu'il ait des effets.",
            ]
        else:
            method = RootCauseMethod.ISHIKAWA
            branches = rng.sample(list(ISHIKAWA_BRANCHES), 3)
            lines = [f"{branch} : {rng.choice(ISHIKAWA_BRANCHES[branch])}" for branch in branches]
        return {
            "immediate_correction": scenario.correction,
            "root_cause_method": method,
            "root_cause_analysis": "\n".join(lines),
            "root_cause": cause,
            "extent": rng.choice(EXTENTS) if scenario.origin in (Origin.NONCONFORMITY, Origin.COMPLAINT) else "",
        }

    def creating(
        self, action: _PlannedAction, holder: dict[str, ImprovementItem], manager: Person, raised_on: datetime.date
    ) -> Callable[[], None]:
        def create() -> None:
            due_on = raised_on + datetime.timedelta(days=action.due)
            action.record = services.action_create(
                actor=manager,
                item=holder["item"],
                data={"kind": action.kind, "title": action.title, "owner": action.owner, "due_on": due_on},
            )

        return create

    def action_steps(
        self, action: _PlannedAction, step: Callable[[int, int, Callable[[], Any]], None], manager: Person
    ) -> None:
        rng = self.rng

        def record() -> Action:
            assert action.record is not None
            return action.record

        if action.started is not None and action.fate != "cancelled":
            step(action.started, 5, lambda: services.action_start(actor=action.owner, action=record()))
        for offset in action.notes:
            step(offset, 5, self.noting(action, rng.choice(PROGRESS_NOTES)))
        if action.finished is None:
            return
        if action.fate == "cancelled":
            reason = rng.choice(CANCELLATION_REASONS)
            step(action.finished, 5, lambda: services.action_cancel(actor=manager, action=record(), reason=reason))
        else:
            note = rng.choice(COMPLETION_NOTES_ON_TIME if action.fate == "on_time" else COMPLETION_NOTES_LATE)
            step(action.finished, 5, lambda: services.action_complete(actor=action.owner, action=record(), note=note))

    @staticmethod
    def noting(action: _PlannedAction, text: str) -> Callable[[], None]:
        def note() -> None:
            assert action.record is not None
            services.action_add_note(actor=action.owner, action=action.record, text=text)

        return note

    def checking(self, holder: dict[str, ImprovementItem], verdict: str) -> Callable[[], None]:
        quality = self.cast.quality

        def check() -> None:
            if verdict == ItemStatus.CLOSED_EFFECTIVE:
                note = self.rng.choice(EFFECTIVENESS_NOTES)
                services.item_close_effective(actor=quality, item=holder["item"], note=note)
            else:
                services.item_reopen(actor=quality, item=holder["item"], reason=self.rng.choice(REOPEN_REASONS))

        return check

    def second_round(
        self,
        state: str,
        offsets: dict[str, int],
        planned: list[_PlannedAction],
        holder: dict[str, ImprovementItem],
        manager: Person,
        raised_on: datetime.date,
        step: Callable[[int, int, Callable[[], Any]], None],
    ) -> None:
        """After a failed check: a new action (for half of the reopened items, which stay
        reopened), or a second analysis, action and check that close the item."""
        rng = self.rng
        available = (self.today - raised_on).days
        kind, title = rng.choice(SECOND_ACTIONS)
        owner = planned[0].owner
        if state == ItemStatus.REOPENED:
            if rng.random() < 0.5:
                created = offsets["reanalyse"]
                action = _PlannedAction(
                    kind=kind,
                    title=title,
                    owner=owner,
                    due=max(created + 30, available + rng.randint(-15, 60)),
                    created=created,
                )
                planned.append(action)
                step(created, 8, self.creating(action, holder, manager, raised_on))
            return
        analysis = {
            "immediate_correction": "",
            "root_cause_method": RootCauseMethod.FIVE_WHYS,
            "root_cause_analysis": "1. Pourquoi l'écart est-il revenu ? Le nouveau circuit n'était pas appliqué.\n"
            "2. Pourquoi ? Les personnes concernées n'avaient pas été formées.",
            "root_cause": "Le changement n'a pas été accompagné auprès de ceux qui l'appliquent.",
            "extent": "",
        }
        step(
            offsets["reanalyse"],
            8,
            lambda: services.item_analyse(
                actor=manager, item=holder["item"], analysis=analysis, reason="Seconde analyse après réouverture."
            ),
        )
        action = _PlannedAction(
            kind=kind,
            title=title,
            owner=owner,
            due=offsets["redone"] + rng.randint(0, 10),
            created=offsets["replan"],
            fate="on_time",
            started=offsets["restart"],
            finished=offsets["redone"],
        )
        planned.append(action)
        step(action.created, 9, self.creating(action, holder, manager, raised_on))
        step(offsets["restart"], 10, lambda: services.item_start_actions(actor=manager, item=holder["item"]))
        self.action_steps(action, lambda offset, _order, perform: step(offset, 11, perform), manager)
        step(offsets["request_again"], 12, lambda: services.item_request_check(actor=manager, item=holder["item"]))
        step(offsets["check_again"], 13, self.checking(holder, ItemStatus.CLOSED_EFFECTIVE))

    # Actions of no item -------------------------------------------------------------------------

    def standalone_actions(self) -> None:
        rng = self.rng
        for code, kind, title, owner_reference in STANDALONE_ACTIONS:
            process = self.cast.processes[code]
            owner = self.cast.find(owner_reference, process.department)
            created = self.today - datetime.timedelta(days=rng.randint(20, 300))
            due_on = created + datetime.timedelta(days=rng.randint(30, 150))
            with past.on(created, 10, rng.randint(0, 59)):
                action = services.action_create(
                    actor=process.owner,
                    data={"kind": kind, "title": title, "owner": owner, "due_on": due_on, "process": process},
                )
            fate = rng.choice(["planned", "in_progress", "in_progress", "done", "done"])
            if fate == "planned":
                continue
            started = min(self.today, created + datetime.timedelta(days=rng.randint(2, 20)))
            with past.on(started, 11, rng.randint(0, 59)):
                services.action_start(actor=owner, action=action)
            if fate == "done":
                finished = min(self.today, max(started, due_on + datetime.timedelta(days=rng.randint(-20, 10))))
                with past.on(finished, 15, rng.randint(0, 59)):
                    services.action_complete(actor=owner, action=action, note=rng.choice(COMPLETION_NOTES_ON_TIME))


def build_improvement_demo(*, rng: random.Random, stdout: Any = None) -> dict[str, int]:
    """Raise the demo's items, walk each to its final state through the services, and
    return the counts of items, actions and progress notes."""
    builder = _ImprovementBuilder(rng=rng, stdout=stdout)
    with _emails_held_back(Person.objects.filter(is_active=True).order_by("pk")):
        counts = builder.build()
    past.read_old_notifications(rng)
    states = ", ".join(f"{ItemStatus(state).label} {builder.final_states[state]}" for state in ItemStatus)
    builder.say(f"improvement: {counts['improvement_items']} items ({states}), {counts['improvement_actions']} actions")
    return counts

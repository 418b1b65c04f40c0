"""The first-run set-up of a school that starts without the demo: what is still missing
(read by the set-up page and the redirect that leads a superuser to it), and the writes the
set-up pages and `manage.py setup_school` share, all through the app's services so the
same permissions and history hold.

A set-up file (TOML or JSON) reads:

    [school]
    name = "École d'ingénieurs de Lyon"
    siret = "19691774400019"
    uai = "0690192J"

    [academic_year]
    label = "2026-2027"
    starts_on = "2026-09-01"
    ends_on = "2027-08-31"

    [[departments]]
    code = "GC"
    name = "Génie Civil"

    [[programmes]]
    code = "GC-ING"
    name = "Ingénieur Génie Civil"
    department = "GC"
    apprenticeship = false

    [quality_manager]
    email = "qualite@example.fr"
    first_name = "Claire"
    last_name = "Martin"
    password = "..."          # optional: without it the person sets one by email
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import services
from .choices import PersonKind, Role, ScopeKind
from .models import AcademicYear, Department, Person, Programme, RoleAssignment, School

APPRENTICESHIP_WORDS = {"apprentissage", "apprenticeship", "fise-app", "fisa", "app", "1", "yes", "oui", "true"}


@dataclass(frozen=True)
class SetupStep:
    key: str
    title: Promise | str
    url_name: str
    done: bool

    @property
    def url(self) -> str:
        return reverse(self.url_name)


def setup_steps() -> list[SetupStep]:
    return [
        SetupStep(
            "school",
            gettext_lazy("The school's name and identity"),
            "organisation:setup_school",
            School.objects.exists(),
        ),
        SetupStep(
            "year", gettext_lazy("Its first academic year"), "organisation:setup_year", AcademicYear.objects.exists()
        ),
        SetupStep(
            "structure",
            gettext_lazy("Its departments and programmes"),
            "organisation:setup_structure",
            Department.objects.exists() and Programme.objects.exists(),
        ),
        SetupStep(
            "quality_manager",
            gettext_lazy("The first quality manager"),
            "organisation:setup_quality_manager",
            RoleAssignment.objects.active()
            .filter(role=Role.QUALITY_MANAGER, person__is_active=True, person__is_superuser=False)
            .exists(),
        ),
    ]


def setup_is_complete() -> bool:
    return all(step.done for step in setup_steps())


# Departments and programmes typed one per line -----------------------------------------


@dataclass
class Structure:
    departments: list[dict[str, Any]] = field(default_factory=list)
    programmes: list[dict[str, Any]] = field(default_factory=list)


def parse_structure(text: str) -> Structure:
    """`CODE; Name` is a department; `CODE; Name; DEPARTMENT CODE[; apprenticeship]` is a
    programme. Semicolons or tabs separate (what a spreadsheet's copy gives); `#` starts a
    comment. Every bad line is named in one error, and nothing is kept of a text with one."""
    structure = Structure()
    errors: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        cells = [cell.strip() for cell in line.replace("\t", ";").split(";")]
        while cells and not cells[-1]:
            cells.pop()
        if len(cells) < 2 or not cells[0] or not cells[1]:
            errors.append(
                _("Line %(line)d: write “CODE; Name” for a department or “CODE; Name; DEPARTMENT” for a programme.")
                % {"line": number}
            )
        elif len(cells) == 2:
            structure.departments.append({"code": cells[0], "name": cells[1]})
        else:
            structure.programmes.append(
                {
                    "code": cells[0],
                    "name": cells[1],
                    "department": cells[2],
                    "apprenticeship": len(cells) > 3 and cells[3].lower() in APPRENTICESHIP_WORDS,
                    "line": number,
                }
            )
    if errors:
        raise ValidationError(errors)
    return structure


@transaction.atomic
def structure_apply(*, actor: Any, structure: Structure) -> tuple[int, int]:
    """Creates the departments and programmes that do not exist yet and renames those that
    do (matched by code), so running it twice changes nothing. Returns (departments,
    programmes) written."""
    departments = {department.code: department for department in Department.objects.all()}
    written_departments = written_programmes = 0
    for row in structure.departments:
        existing = departments.get(row["code"])
        if existing is None:
            departments[row["code"]] = services.department_create(actor=actor, data=row)
            written_departments += 1
        elif existing.name != row["name"]:
            services.department_update(actor=actor, department=existing, data={"name": row["name"]})
            written_departments += 1
    programmes = {programme.code: programme for programme in Programme.objects.all()}
    for row in structure.programmes:
        department = departments.get(row["department"])
        if department is None:
            where = _("Line %(line)d: ") % {"line": row["line"]} if "line" in row else ""
            raise ValidationError(where + _("no department has the code “%(code)s”.") % {"code": row["department"]})
        data = {
            "code": row["code"],
            "name": row["name"],
            "department": department,
            "is_apprenticeship": bool(row.get("apprenticeship", False)),
        }
        existing_programme = programmes.get(row["code"])
        if existing_programme is None:
            programmes[row["code"]] = services.programme_create(actor=actor, data=data)
            written_programmes += 1
        else:
            changes = services.programme_update(actor=actor, programme=existing_programme, data=data)
            written_programmes += bool(changes)
    return written_departments, written_programmes


# The first quality manager -----------------------------------------------------------


@transaction.atomic
def quality_manager_appoint(
    *, actor: Any, email: str, first_name: str, last_name: str, job_title: str = "", password: str | None = None
) -> Person:
    """The person (found by email, or created as staff) given the quality manager's role for
    the whole school, unless they hold it already."""
    email = email.strip().lower()
    person = Person.objects.filter(email=email).first()
    if person is None:
        person = services.person_create(
            actor=actor,
            data={
                "email": email,
                "first_name": first_name,
                "last_name": last_name,
                "job_title": job_title,
                "kind": PersonKind.STAFF,
            },
            password=password,
        )
    if not RoleAssignment.objects.filter(
        person=person, role=Role.QUALITY_MANAGER, scope_kind=ScopeKind.SCHOOL
    ).exists():
        services.role_grant(
            actor=actor,
            person=person,
            role=Role.QUALITY_MANAGER,
            scope_kind=ScopeKind.SCHOOL,
            reason=_("First-run set-up of the school."),
        )
    return person


# The whole set-up from a file (manage.py setup_school) -------------------------------


def _date(value: Any, key: str) -> datetime.date:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError as error:
        raise ValidationError({key: _("“%(value)s” is not a date (write 2026-09-01).") % {"value": value}}) from error


@transaction.atomic
def school_setup(*, actor: Any, spec: dict[str, Any]) -> dict[str, int]:
    """Applies a set-up description (see the module's docstring), all or nothing. Running it
    again updates what changed and duplicates nothing."""
    counts = {"school": 0, "academic_year": 0, "departments": 0, "programmes": 0, "quality_manager": 0}
    unknown = sorted(set(spec) - {"school", "academic_year", "departments", "programmes", "quality_manager"})
    if unknown:
        raise ValidationError(_("Unknown sections: %(names)s.") % {"names": ", ".join(unknown)})
    if "school" in spec:
        school_data = dict(spec["school"])
        school = School.objects.first()
        if school is None:
            services.school_create(actor=actor, data=school_data)
            counts["school"] = 1
        else:
            counts["school"] = int(bool(services.school_update(actor=actor, school=school, data=school_data)))
    if "academic_year" in spec:
        year = dict(spec["academic_year"])
        data = {
            "label": str(year.get("label", "")),
            "starts_on": _date(year.get("starts_on"), "starts_on"),
            "ends_on": _date(year.get("ends_on"), "ends_on"),
        }
        existing = AcademicYear.objects.filter(label=data["label"]).first()
        if existing is None:
            data["is_current"] = bool(year.get("is_current", not AcademicYear.objects.filter(is_current=True).exists()))
            services.academic_year_create(actor=actor, data=data)
            counts["academic_year"] = 1
        else:
            changes = services.academic_year_update(actor=actor, academic_year=existing, data=data)
            counts["academic_year"] = int(bool(changes))
    structure = Structure(
        departments=[{"code": str(d["code"]), "name": str(d["name"])} for d in spec.get("departments", [])],
        programmes=[
            {
                "code": str(p["code"]),
                "name": str(p["name"]),
                "department": str(p["department"]),
                "apprenticeship": bool(p.get("apprenticeship", False)),
            }
            for p in spec.get("programmes", [])
        ],
    )
    counts["departments"], counts["programmes"] = structure_apply(actor=actor, structure=structure)
    if "quality_manager" in spec:
        manager = dict(spec["quality_manager"])
        before = RoleAssignment.objects.filter(role=Role.QUALITY_MANAGER).count()
        quality_manager_appoint(
            actor=actor,
            email=str(manager.get("email", "")),
            first_name=str(manager.get("first_name", "")),
            last_name=str(manager.get("last_name", "")),
            job_title=str(manager.get("job_title", "")),
            password=manager.get("password") or None,
        )
        counts["quality_manager"] = RoleAssignment.objects.filter(role=Role.QUALITY_MANAGER).count() - before
    return counts

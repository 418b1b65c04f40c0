"""The directory import: staff, teachers and students from the school's HR or student
information system export (CSV or XLSX), through the organisation's services.

A person is matched by email, so a re-run updates rather than duplicates. The file is the
whole list of each kind of person it holds: someone of that kind who is no longer in it has
left and is deactivated (never deleted: the history keeps them and what they did). A row may
also say a person has left (an "active" column at no), or give a leaving date in the past.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amelio.organisation.choices import PersonKind
from amelio.organisation.models import Department, Person, Programme
from amelio.organisation.services import person_create, person_update

from .models import ImportKind
from .reading import header_key
from .specs import Column, Spec, parse_bool, parse_date

PEOPLE_COLUMNS = [
    Column("email", gettext_lazy("email"), ("courriel", "mail", "e_mail", "adresse mail", "email address"), True),
    Column("first_name", gettext_lazy("first name"), ("prenom", "given name", "givenname", "prenom usuel"), True),
    Column("last_name", gettext_lazy("last name"), ("nom", "surname", "sn", "nom usuel", "nom de famille"), True),
    Column("kind", gettext_lazy("kind"), ("type", "categorie", "population", "statut", "profil"), True),
    Column("job_title", gettext_lazy("job title"), ("fonction", "poste", "title", "intitule du poste")),
    Column("department", gettext_lazy("department"), ("departement", "composante", "service", "code departement")),
    Column("programme", gettext_lazy("programme"), ("formation", "specialite", "code formation", "code etape")),
    Column("is_active", gettext_lazy("active"), ("actif", "en poste", "inscrit")),
    Column("leaves_on", gettext_lazy("leaves on"), ("date de sortie", "date de fin", "fin de contrat", "departure")),
]

KIND_ALIASES = {
    "staff": PersonKind.STAFF,
    "personnel": PersonKind.STAFF,
    "biatss": PersonKind.STAFF,
    "administratif": PersonKind.STAFF,
    "employee": PersonKind.STAFF,
    "teacher": PersonKind.TEACHER,
    "enseignant": PersonKind.TEACHER,
    "enseignant_chercheur": PersonKind.TEACHER,
    "faculty": PersonKind.TEACHER,
    "student": PersonKind.STUDENT,
    "etudiant": PersonKind.STUDENT,
    "eleve": PersonKind.STUDENT,
    "apprenti": PersonKind.STUDENT,
}

SEEN = "people_seen"
KINDS = "people_kinds"


def _by_code_or_name(model: type[Department] | type[Programme], value: str, cache: dict[Any, Any]) -> Any:
    key = (model.__name__, header_key(value))
    if key not in cache:
        cache[key] = (
            model.objects.filter(code__iexact=value).first() or model.objects.filter(name__iexact=value).first()
        )
    return cache[key]


def apply_person(values: dict[str, str], actor: Any, cache: dict[Any, Any]) -> Person:
    email = values.get("email", "").strip().lower()
    kind = KIND_ALIASES.get(header_key(values.get("kind", "")))
    if kind is None:
        raise ValidationError(
            {"kind": _("“%(value)s” is not a kind of person (staff, teacher or student).") % {"value": values["kind"]}}
        )
    data: dict[str, Any] = {
        "email": email,
        "first_name": values.get("first_name", "").strip(),
        "last_name": values.get("last_name", "").strip(),
        "kind": kind,
        "job_title": values.get("job_title", "").strip(),
    }
    department = programme = None
    if values.get("department"):
        department = _by_code_or_name(Department, values["department"], cache)
        if department is None:
            raise ValidationError({"department": _("No department is “%(value)s”.") % {"value": values["department"]}})
    if values.get("programme"):
        programme = _by_code_or_name(Programme, values["programme"], cache)
        if programme is None:
            raise ValidationError({"programme": _("No programme is “%(value)s”.") % {"value": values["programme"]}})
        department = department or programme.department
    data["department"], data["programme"] = department, programme
    leaves_on = parse_date(values.get("leaves_on", ""), "leaves_on")
    has_left = (values.get("is_active") and not parse_bool(values["is_active"])) or (
        leaves_on is not None and leaves_on < timezone.localdate()
    )
    data["is_active"] = not has_left
    if email in cache.get(SEEN, frozenset()):
        raise ValidationError({"email": _("This email is already on an earlier row of the file.")})
    # Replaced, not mutated: the import restores the cache of a refused row from a shallow copy.
    cache[SEEN] = cache.get(SEEN, frozenset()) | {email}
    cache[KINDS] = cache.get(KINDS, frozenset()) | {kind}
    person = Person.objects.filter(email=email).first()
    if person is None:
        # No password: they sign in through single sign-on or choose one by "forgotten password".
        return person_create(actor=actor, data=data)
    changed = {name: value for name, value in data.items() if getattr(person, name) != value}
    if changed:
        person_update(actor=actor, person=person, data=changed)
    return person


def deactivate_leavers(actor: Any, cache: dict[Any, Any]) -> int:
    """Deactivates the active people of the kinds the file lists who are not in it. The one
    importing and the superusers are never deactivated by a file."""
    kinds = cache.get(KINDS, frozenset())
    if not kinds:
        return 0
    leavers = Person.objects.filter(kind__in=kinds, is_active=True, is_superuser=False).exclude(
        email__in=cache.get(SEEN, frozenset())
    )
    if actor is not None:
        leavers = leavers.exclude(pk=actor.pk)
    count = 0
    for person in leavers:
        person_update(actor=actor, person=person, data={"is_active": False})
        count += 1
    return count


PEOPLE_SPEC = Spec(
    ImportKind.PEOPLE,
    PEOPLE_COLUMNS,
    apply_person,
    [
        ["Courriel", "Prénom", "Nom", "Type", "Fonction", "Département", "Formation", "Date de sortie"],
        ["claire.martin@ecole.fr", "Claire", "Martin", "personnel", "Responsable qualité", "", "", ""],
        ["paul.durand@ecole.fr", "Paul", "Durand", "enseignant", "Maître de conférences", "GC", "", ""],
        ["lea.petit@etu.ecole.fr", "Léa", "Petit", "étudiant", "", "", "GC-ING", ""],
    ],
    finish=deactivate_leavers,
)

"""What each import reads: its columns (with the names other software gives them) and
how one row becomes records, always through the domain's services, so every rule and
permission of the application holds for imported data too."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import ImportKind
from .reading import header_key


@dataclass(frozen=True)
class Column:
    key: str
    label: Promise | str
    aliases: tuple[str, ...] = ()
    required: bool = False

    def names(self) -> set[str]:
        return {header_key(self.key), header_key(str(self.label)), *(header_key(alias) for alias in self.aliases)}


@dataclass
class Spec:
    kind: str
    columns: list[Column]
    apply_row: Callable[[dict[str, str], Any, dict[Any, Any]], Any]
    example: list[list[str]] = field(default_factory=list)
    # Run once after every row was accepted, in the same transaction (the directory import
    # deactivates leavers there); returns how many records it changed.
    finish: Callable[[Any, dict[Any, Any]], int] | None = None
    # Cell texts that mean "no value" (Esup-Stage writes "null").
    empty_values: frozenset[str] = frozenset()
    # Fields of the services' errors -> the column they are read from, when not the same key.
    field_columns: dict[str, str] | None = None

    def mapping(self, headers: list[str]) -> dict[str, str]:
        """Column key -> header found in the file: the first of the column's names the file
        has, so an exact title wins over an alias another column of the file also carries."""
        found = {}
        present = set(headers)
        for column in self.columns:
            names = [header_key(column.label), header_key(column.key), *(header_key(a) for a in column.aliases)]
            header = next((name for name in names if name in present), None)
            if header is not None:
                found[column.key] = header
        return found

    def label(self, key: str) -> str:
        return next((str(c.label) for c in self.columns if c.key == key), key)


# Cell parsing ------------------------------------------------------------------------


def parse_date(value: str, key: str) -> datetime.date | None:
    if not value:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(value[:10], pattern).date()
        except ValueError:
            continue
    raise ValidationError({key: _("“%(value)s” is not a date (write 2027-04-05 or 05/04/2027).") % {"value": value}})


def parse_decimal(value: str, key: str) -> Decimal | None:
    if not value:
        return None
    try:
        return Decimal(value.replace("€", "").replace("\u00a0", "").replace(" ", "").replace(",", "."))
    except InvalidOperation as error:
        raise ValidationError({key: _("“%(value)s” is not a number.") % {"value": value}}) from error


def parse_bool(value: str) -> bool:
    return header_key(value) in {"1", "x", "yes", "oui", "true", "vrai", "o", "y"}


# Companies ----------------------------------------------------------------------------

COMPANY_COLUMNS = [
    Column(
        "legal_name", gettext_lazy("legal name"), ("raison sociale", "entreprise", "nom entreprise", "company"), True
    ),
    Column("trade_name", gettext_lazy("trade name"), ("nom commercial", "enseigne")),
    Column("siret", "SIRET", ("n siret", "numero siret", "siret entreprise")),
    Column("naf_code", gettext_lazy("NAF code"), ("naf", "code naf", "code ape", "ape")),
    Column("size", gettext_lazy("size"), ("taille", "effectif")),
    Column("address", gettext_lazy("address"), ("adresse", "adresse entreprise")),
    Column("postal_code", gettext_lazy("postal code"), ("code postal", "cp")),
    Column("city", gettext_lazy("city"), ("ville", "commune")),
    Column("country", gettext_lazy("country"), ("pays",)),
    Column("website", gettext_lazy("website"), ("site web", "site internet")),
]

SIZE_ALIASES = {
    "micro": "micro",
    "tpe": "micro",
    "pme": "sme",
    "sme": "sme",
    "eti": "midsize",
    "midsize": "midsize",
    "ge": "large",
    "grande_entreprise": "large",
    "large": "large",
    "public": "public",
    "association": "association",
}


def company_values(values: dict[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = {key: values.get(key, "") for key in ("legal_name", "trade_name", "siret", "naf_code")}
    data.update(
        {key: values.get(key, "") for key in ("address", "postal_code", "city", "website")},
        country=(values.get("country") or "FR")[:2].upper(),
    )
    size = header_key(values.get("size", ""))
    if size:
        if size not in SIZE_ALIASES:
            raise ValidationError({"size": _("Unknown size “%(value)s”.") % {"value": values["size"]}})
        data["size"] = SIZE_ALIASES[size]
    return data


def find_company(values: dict[str, str], cache: dict[Any, Any]) -> Any:
    from amelio.partners.models import Company
    from amelio.partners.services import normalise_company_name
    from amelio.partners.validators import normalise_siret

    siret = normalise_siret(values.get("siret", ""))
    key = ("siret", siret) if siret else ("name", normalise_company_name(values.get("legal_name", "")))
    if key in cache:
        return cache[key]
    live = Company.objects.filter(merged_into__isnull=True)
    company = live.filter(siret=siret).first() if siret else live.filter(name_key=key[1], siret="").first()
    cache[key] = company
    return company


def apply_company(values: dict[str, str], actor: Any, cache: dict[Any, Any]) -> Any:
    from amelio.partners.services import company_create

    if find_company(values, cache) is not None:
        raise ValidationError(
            {"siret" if values.get("siret") else "legal_name": _("This company is already recorded.")}
        )
    company = company_create(actor=actor, data=company_values(values))
    cache.pop(("siret", company.siret), None)
    return company


# Contacts -----------------------------------------------------------------------------

CONTACT_COLUMNS = [
    Column("company", gettext_lazy("company"), ("entreprise", "raison sociale", "legal name"), True),
    Column("company_siret", gettext_lazy("company SIRET"), ("siret", "siret entreprise")),
    Column("first_name", gettext_lazy("first name"), ("prenom",), True),
    Column("last_name", gettext_lazy("last name"), ("nom",), True),
    Column("email", gettext_lazy("email"), ("courriel", "mail", "e mail")),
    Column("phone", gettext_lazy("phone"), ("telephone", "tel")),
    Column("job_title", gettext_lazy("job title"), ("fonction", "poste")),
    Column("roles", gettext_lazy("roles"), ("role", "roles contact")),
]
CONTACT_ROLES = {
    "hr": "is_hr",
    "rh": "is_hr",
    "tutor": "is_tutor",
    "tuteur": "is_tutor",
    "speaker": "is_speaker",
    "intervenant": "is_speaker",
    "alumni": "is_alumni",
    "ancien": "is_alumni",
}


def _company_of(values: dict[str, str], cache: dict[Any, Any], *, name_key: str, siret_key: str) -> Any:
    company = find_company({"legal_name": values.get(name_key, ""), "siret": values.get(siret_key, "")}, cache)
    if company is None:
        raise ValidationError(
            {name_key: _("No company “%(name)s” is recorded; import it first.") % {"name": values.get(name_key)}}
        )
    return company


def apply_contact(values: dict[str, str], actor: Any, cache: dict[Any, Any]) -> Any:
    from amelio.partners.models import Contact
    from amelio.partners.services import contact_create

    company = _company_of(values, cache, name_key="company", siret_key="company_siret")
    email = values.get("email", "").strip().lower()
    if email and Contact.objects.filter(company=company, email__iexact=email).exists():
        raise ValidationError({"email": _("This contact is already recorded for this company.")})
    flags = {}
    for part in values.get("roles", "").replace(";", ",").replace("/", ",").split(","):
        part_key = header_key(part)
        if not part_key:
            continue
        if part_key not in CONTACT_ROLES:
            raise ValidationError(
                {"roles": _("Unknown role “%(value)s” (HR, tutor, speaker, alumni).") % {"value": part.strip()}}
            )
        flags[CONTACT_ROLES[part_key]] = True
    data = {key: values.get(key, "") for key in ("first_name", "last_name", "phone", "job_title")}
    return contact_create(actor=actor, company=company, data={**data, "email": email, **flags})


# Internships --------------------------------------------------------------------------

INTERNSHIP_COLUMNS = [
    Column(
        "student_email", gettext_lazy("student email"), ("email etudiant", "courriel etudiant", "mail etudiant"), True
    ),
    Column(
        "company", gettext_lazy("company"), ("entreprise", "raison sociale", "organisme d accueil", "legal name"), True
    ),
    Column("company_siret", gettext_lazy("company SIRET"), ("siret", "siret entreprise")),
    Column("company_city", gettext_lazy("company city"), ("ville entreprise", "ville")),
    Column("company_country", gettext_lazy("company country"), ("pays entreprise", "pays")),
    Column(
        "tutor_first_name",
        gettext_lazy("company tutor first name"),
        ("prenom tuteur", "prenom tuteur entreprise"),
        True,
    ),
    Column("tutor_last_name", gettext_lazy("company tutor last name"), ("nom tuteur", "nom tuteur entreprise"), True),
    Column(
        "tutor_email", gettext_lazy("company tutor email"), ("email tuteur", "courriel tuteur", "mail tuteur"), True
    ),
    Column(
        "academic_tutor_email",
        gettext_lazy("academic tutor email"),
        ("email enseignant referent", "courriel enseignant referent", "enseignant referent email"),
    ),
    Column("programme", gettext_lazy("programme code"), ("formation", "code formation", "specialite"), True),
    Column("academic_year", gettext_lazy("academic year"), ("annee universitaire", "annee"), True),
    Column("kind", gettext_lazy("kind"), ("type de stage", "type"), True),
    Column("subject", gettext_lazy("subject"), ("sujet", "sujet du stage", "thematique"), True),
    Column("description", gettext_lazy("description"), ("activites confiees", "description du stage")),
    Column("starts_on", gettext_lazy("starts on"), ("date de debut", "debut", "date debut"), True),
    Column("ends_on", gettext_lazy("ends on"), ("date de fin", "fin", "date fin"), True),
    Column(
        "weekly_hours", gettext_lazy("hours per week"), ("duree hebdomadaire", "heures par semaine", "nb heures hebdo")
    ),
    Column(
        "hourly_gratification",
        gettext_lazy("gratification per hour"),
        ("gratification horaire", "montant gratification horaire"),
    ),
]
KIND_ALIASES = {
    "discovery": "discovery",
    "decouverte": "discovery",
    "stage_decouverte": "discovery",
    "technician": "technician",
    "technicien": "technician",
    "stage_technicien": "technician",
    "engineer": "engineer",
    "ingenieur": "engineer",
    "fin_d_etudes": "engineer",
    "pfe": "engineer",
    "abroad": "abroad",
    "etranger": "abroad",
    "international": "abroad",
    "gap_year": "gap_year",
    "cesure": "gap_year",
    "annee_de_cesure": "gap_year",
}


def _lookup(cache: dict[Any, Any], kind: str, value: str, fetch: Callable[[], Any]) -> Any:
    key = (kind, value)
    if key not in cache:
        cache[key] = fetch()
    return cache[key]


def _internship_data(values: dict[str, str], actor: Any, cache: dict[Any, Any]) -> dict[str, Any]:
    """The agreement a row describes; its host and tutor are created when the school does
    not know them yet."""
    from amelio.organisation.models import AcademicYear, Person, Programme
    from amelio.partners.models import Contact
    from amelio.partners.services import company_create, contact_create

    email = values.get("student_email", "").strip().lower()
    student = _lookup(cache, "student", email, lambda: Person.objects.filter(email=email, kind="student").first())
    if student is None:
        raise ValidationError({"student_email": _("No student with the address “%(email)s”.") % {"email": email}})
    code = values.get("programme", "").strip()
    programme = _lookup(cache, "programme", code, lambda: Programme.objects.filter(code__iexact=code).first())
    if programme is None:
        raise ValidationError({"programme": _("No programme with the code “%(code)s”.") % {"code": code}})
    label = values.get("academic_year", "").strip().replace("/", "-")
    year = _lookup(cache, "year", label, lambda: AcademicYear.objects.filter(label=label).first())
    if year is None:
        raise ValidationError({"academic_year": _("No academic year “%(label)s”.") % {"label": label}})
    kind = KIND_ALIASES.get(header_key(values.get("kind", "")))
    if kind is None:
        raise ValidationError({"kind": _("Unknown internship kind “%(value)s”.") % {"value": values.get("kind")}})
    tutor_email = values.get("academic_tutor_email", "").strip().lower()
    academic_tutor = None
    if tutor_email:
        academic_tutor = _lookup(
            cache, "teacher", tutor_email, lambda: Person.objects.filter(email=tutor_email, kind="teacher").first()
        )
        if academic_tutor is None:
            raise ValidationError(
                {"academic_tutor_email": _("No teacher with the address “%(email)s”.") % {"email": tutor_email}}
            )

    # The host and its tutor are created when the school does not know them yet.
    company_fields = {
        "legal_name": values.get("company", ""),
        "siret": values.get("company_siret", ""),
        "address": values.get("company_address", ""),
        "postal_code": values.get("company_postal_code", ""),
        "city": values.get("company_city", ""),
        "country": values.get("company_country", "") or "FR",
    }
    company = find_company(company_fields, cache)
    if company is None:
        company = company_create(actor=actor, data=company_values(company_fields), confirm_duplicate=True)
        find_cache_key = ("siret", company.siret) if company.siret else ("name", company.name_key)
        cache[find_cache_key] = company
    contact_email = values.get("tutor_email", "").strip().lower()
    contact = _lookup(
        cache,
        "contact",
        f"{company.pk}:{contact_email}",
        lambda: Contact.objects.filter(company=company, email__iexact=contact_email).first(),
    )
    if contact is None:
        contact = contact_create(
            actor=actor,
            company=company,
            data={
                "first_name": values.get("tutor_first_name", ""),
                "last_name": values.get("tutor_last_name", ""),
                "email": contact_email,
                "is_tutor": True,
            },
        )
        cache[("contact", f"{company.pk}:{contact_email}")] = contact

    data = {
        "student": student,
        "company": company,
        "company_tutor": contact,
        "academic_tutor": academic_tutor,
        "programme": programme,
        "academic_year": year,
        "kind": kind,
        "subject": values.get("subject", ""),
        "description": values.get("description", ""),
        "starts_on": parse_date(values.get("starts_on", ""), "starts_on"),
        "ends_on": parse_date(values.get("ends_on", ""), "ends_on"),
        "weekly_hours": parse_decimal(values.get("weekly_hours", ""), "weekly_hours") or Decimal("35"),
        "hourly_gratification": parse_decimal(values.get("hourly_gratification", ""), "hourly_gratification"),
    }
    if data["starts_on"] is None or data["ends_on"] is None:
        raise ValidationError({"starts_on" if data["starts_on"] is None else "ends_on": _("The date is missing.")})
    return data


INTERNSHIP_BATCH = "internship_batch"


def apply_internship(values: dict[str, str], actor: Any, cache: dict[Any, Any]) -> Any:
    """Checks the row's agreement by the rules of the form, against the agreements recorded and
    the file's rows accepted before it; they are all written at the end (write_internships)."""
    from amelio.internships.services import InternshipBatch

    data = _internship_data(values, actor, cache)
    if INTERNSHIP_BATCH not in cache:
        cache[INTERNSHIP_BATCH] = InternshipBatch(actor=actor)
    return cache[INTERNSHIP_BATCH].add(data)


def write_internships(actor: Any, cache: dict[Any, Any]) -> int:
    """Every row accepted: the agreements are written, with their history."""
    batch = cache.get(INTERNSHIP_BATCH)
    return batch.write() if batch is not None else 0


# Past internships, from the office's archives -------------------------------------------------

ARCHIVE_COLUMNS = [
    *INTERNSHIP_COLUMNS,
    Column(
        "student_signed_on",
        gettext_lazy("signed by the student on"),
        ("date signature etudiant", "signature etudiant"),
        True,
    ),
    Column(
        "company_signed_on",
        gettext_lazy("signed by the company on"),
        ("date signature entreprise", "signature entreprise"),
        True,
    ),
    Column(
        "school_signed_on",
        gettext_lazy("signed by the school on"),
        ("date signature etablissement", "signature etablissement", "date signature ecole"),
        True,
    ),
    Column("midterm_contact_on", gettext_lazy("mid-term contact on"), ("date contact mi parcours", "mi parcours")),
    Column(
        "company_evaluation_on",
        gettext_lazy("company evaluation on"),
        ("date evaluation entreprise", "date evaluation tuteur"),
    ),
    Column(
        "company_score",
        gettext_lazy("company evaluation score (out of 5)"),
        ("note evaluation entreprise", "note tuteur", "evaluation entreprise"),
    ),
    Column(
        "student_score",
        gettext_lazy("student evaluation score (out of 5)"),
        ("note evaluation etudiant", "evaluation etudiant"),
    ),
]


def apply_archive(values: dict[str, str], actor: Any, cache: dict[Any, Any]) -> Any:
    from amelio.internships.services import internship_record_archive

    dates = {
        key: parse_date(values.get(key, ""), key)
        for key in (
            "student_signed_on",
            "company_signed_on",
            "school_signed_on",
            "midterm_contact_on",
            "company_evaluation_on",
        )
    }
    return internship_record_archive(
        actor=actor,
        data=_internship_data(values, actor, cache),
        **dates,
        company_score=parse_decimal(values.get("company_score", ""), "company_score"),
        student_score=parse_decimal(values.get("student_score", ""), "student_score"),
    )


SPECS: dict[str, Spec] = {
    ImportKind.COMPANIES: Spec(
        ImportKind.COMPANIES,
        COMPANY_COLUMNS,
        apply_company,
        [
            ["Raison sociale", "SIRET", "Code NAF", "Ville", "Pays"],
            ["Exemple SAS", "73282932000074", "62.01Z", "Lyon", "FR"],
        ],
    ),
    ImportKind.CONTACTS: Spec(
        ImportKind.CONTACTS,
        CONTACT_COLUMNS,
        apply_contact,
        [
            ["Entreprise", "Prénom", "Nom", "Courriel", "Rôles"],
            ["Exemple SAS", "Marie", "Durand", "marie.durand@exemple.fr", "tuteur, RH"],
        ],
    ),
    ImportKind.INTERNSHIPS: Spec(
        ImportKind.INTERNSHIPS, INTERNSHIP_COLUMNS, apply_internship, finish=write_internships
    ),
    ImportKind.ARCHIVES: Spec(ImportKind.ARCHIVES, ARCHIVE_COLUMNS, apply_archive),
}
# Internships: contact keys of the internship import map to the internship form's fields.
INTERNSHIP_FIELD_COLUMNS = {
    "student": "student_email",
    "company": "company",
    "company_tutor": "tutor_email",
    "academic_tutor": "academic_tutor_email",
    "programme": "programme",
    "academic_year": "academic_year",
    "hourly_gratification": "hourly_gratification",
    "weekly_hours": "weekly_hours",
    "legal_name": "company",
    "siret": "company_siret",
}

# Students' records (amelio.students), kept in their own module.
from .student_specs import STUDENT_SPECS  # noqa: E402

SPECS.update(STUDENT_SPECS)

# Esup-Stage's exports (agreements, host structures): their own module adds them to SPECS.
from . import esup_stage  # noqa: E402, F401


def _register_directory_import() -> None:
    # Its own module (it reads the organisation's models), registered here so SPECS lists it.
    from .people import PEOPLE_SPEC

    SPECS[ImportKind.PEOPLE] = PEOPLE_SPEC


_register_directory_import()

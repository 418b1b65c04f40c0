"""Imports of students' records (see amelio.students): students and their enrolments from a
student-information-system export (the column names of Apogée/Pégase-style exports), English
test results, and graduates' situations from the survey's spreadsheet. Every row goes
through the students' services."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import ImportKind
from .reading import header_key
from .specs import Column, Spec, parse_bool, parse_date, parse_decimal

# Students and enrolments ---------------------------------------------------------------------

STUDENT_COLUMNS = [
    Column("ine", "INE", ("numero ine", "n ine", "code ine", "ine etudiant"), True),
    Column("last_name", gettext_lazy("last name"), ("nom", "nom patronymique", "nom de famille"), True),
    Column("first_name", gettext_lazy("first name"), ("prenom", "prenom 1"), True),
    Column("email", gettext_lazy("email"), ("courriel", "mail", "email etudiant", "courriel etudiant")),
    Column(
        "stage_code",
        gettext_lazy("stage code"),
        ("code etape", "code formation", "etape", "code etape vet", "formation"),
        True,
    ),
    Column("year_of_study", gettext_lazy("year of study"), ("annee d etude", "niveau", "annee etude")),
    Column("academic_year", gettext_lazy("academic year"), ("annee", "annee universitaire", "annee univ"), True),
    Column("result", gettext_lazy("result"), ("resultat", "resultat annee", "decision")),
    Column("leaving_reason", gettext_lazy("reason for leaving"), ("motif", "motif de depart", "motif abandon")),
    Column("diploma_on", gettext_lazy("diploma date"), ("date diplome", "date obtention diplome", "date de diplome")),
    Column("status", gettext_lazy("status"), ("statut", "regime", "regime inscription")),
    Column("entry_route", gettext_lazy("entry route"), ("voie d acces", "voie d admission", "admission")),
]
RESULTS = {
    "": "pending",
    "en_cours": "pending",
    "adm": "passed",
    "admis": "passed",
    "passed": "passed",
    "aj": "repeating",
    "ajac": "repeating",
    "ajourne": "repeating",
    "red": "repeating",
    "redouble": "repeating",
    "repeating": "repeating",
    "def": "left",
    "defaillant": "left",
    "dem": "left",
    "demission": "left",
    "abandon": "left",
    "left": "left",
    "dip": "graduated",
    "diplome": "graduated",
    "graduated": "graduated",
}
LEAVING_REASONS = {
    "": "other",
    "reorientation": "reorientation",
    "echec": "academic_failure",
    "academic_failure": "academic_failure",
    "personnel": "personal",
    "sante": "personal",
    "personal": "personal",
    "financier": "financial",
    "financial": "financial",
    "transfert": "transfer",
    "mutation": "transfer",
    "transfer": "transfer",
    "exclusion": "exclusion",
    "autre": "other",
    "other": "other",
}
STATUSES = {"": "student", "fi": "student", "fise": "student", "etudiant": "student", "student": "student"}
STATUSES.update({"fa": "apprentice", "fisa": "apprentice", "apprenti": "apprentice", "apprentice": "apprentice"})
ENTRY_ROUTES = {
    "": "",
    "prepa_integree": "integrated_prep",
    "cycle_preparatoire": "integrated_prep",
    "concours": "competitive_exam",
    "cpge": "competitive_exam",
    "titre": "admission_on_file",
    "dossier": "admission_on_file",
    "but": "admission_on_file",
    "dut": "admission_on_file",
    "licence": "admission_on_file",
    "apprentissage": "apprenticeship",
    "international": "international",
    "autre": "other",
}
STAGE_CODE = re.compile(r"^(.+?)[-_ ]?([1-5])$")


def _choice(table: dict[str, str], values: dict[str, str], key: str, message: str) -> str:
    found = table.get(header_key(values.get(key, "")))
    if found is None:
        raise ValidationError({key: message % {"value": values.get(key, "")}})
    return found


def _programme_and_year(values: dict[str, str], cache: dict[Any, Any]) -> tuple[Any, int]:
    from amelio.organisation.models import Programme

    code = values.get("stage_code", "").strip()
    stated_year = values.get("year_of_study", "").strip()
    if stated_year:
        programme_code, year_text = code, stated_year[:1]
    else:
        match = STAGE_CODE.match(code)
        if match is None:
            raise ValidationError(
                {"stage_code": _("“%(code)s” ends with no year of study (write e.g. GC-BTP-4).") % {"code": code}}
            )
        programme_code, year_text = match.group(1), match.group(2)
    if not year_text.isdigit() or not 1 <= int(year_text) <= 5:
        raise ValidationError({"year_of_study": _("The year of study is 1 to 5.")})
    key = ("programme", programme_code.upper())
    if key not in cache:
        cache[key] = Programme.objects.filter(code__iexact=programme_code).first()
    if cache[key] is None:
        raise ValidationError({"stage_code": _("No programme with the code “%(code)s”.") % {"code": programme_code}})
    return cache[key], int(year_text)


def _academic_year(values: dict[str, str], cache: dict[Any, Any]) -> Any:
    from amelio.organisation.models import AcademicYear

    label = values.get("academic_year", "").strip().replace("/", "-")
    if re.fullmatch(r"\d{4}", label):  # Apogée gives the year the academic year starts
        label = f"{label}-{int(label) + 1}"
    key = ("year", label)
    if key not in cache:
        cache[key] = AcademicYear.objects.filter(label=label).first()
    if cache[key] is None:
        raise ValidationError({"academic_year": _("No academic year “%(label)s”.") % {"label": label}})
    return cache[key]


def _student(ine: str, cache: dict[Any, Any]) -> Any:
    from amelio.students.models import Student

    key = ("student", ine)
    if key not in cache:
        cache[key] = Student.objects.filter(ine=ine).first()
    return cache[key]


def apply_student(values: dict[str, str], actor: Any, cache: dict[Any, Any]) -> Any:
    """Creates the student when their INE is new, then their enrolment of the year, or
    records the year's result on the enrolment already there."""
    from amelio.students.models import Enrolment
    from amelio.students.services import enrolment_create, enrolment_update, student_create

    programme, year_of_study = _programme_and_year(values, cache)
    academic_year = _academic_year(values, cache)
    outcome = _choice(RESULTS, values, "result", _("Unknown result “%(value)s” (ADM, AJ, DEF, DIP)."))
    ine = values.get("ine", "").strip().upper()
    student = _student(ine, cache)
    if student is None:
        student = student_create(
            actor=actor,
            data={
                "ine": ine,
                "first_name": values.get("first_name", "").strip(),
                "last_name": values.get("last_name", "").strip(),
                "email": values.get("email", ""),
                "status": _choice(STATUSES, values, "status", _("Unknown status “%(value)s” (FI or FA).")),
                "programme": programme,
            },
        )
        cache[("student", ine)] = student
    data: dict[str, Any] = {
        "programme": programme,
        "year_of_study": year_of_study,
        "outcome": outcome,
        "leaving_reason": _choice(
            LEAVING_REASONS, values, "leaving_reason", _("Unknown reason for leaving “%(value)s”.")
        )
        if outcome == "left"
        else "",
        "diploma_on": parse_date(values.get("diploma_on", ""), "diploma_on"),
        "entry_route": _choice(ENTRY_ROUTES, values, "entry_route", _("Unknown entry route “%(value)s”.")),
    }
    if outcome == "graduated" and data["diploma_on"] is None:
        raise ValidationError({"diploma_on": _("A graduate's row gives the diploma's date.")})
    existing = Enrolment.objects.filter(student=student, academic_year=academic_year).first()
    if existing is None:
        return enrolment_create(actor=actor, student=student, data={**data, "academic_year": academic_year})
    if not data["entry_route"]:
        data.pop("entry_route")
    return enrolment_update(actor=actor, enrolment=existing, data=data)


# English test results ------------------------------------------------------------------------

ENGLISH_COLUMNS = [
    Column("ine", "INE", ("numero ine", "n ine"), True),
    Column("test", gettext_lazy("test"), ("examen", "certification", "test d anglais"), True),
    Column("score", gettext_lazy("score"), ("note",)),
    Column("level", gettext_lazy("CEFR level"), ("niveau", "niveau cecrl", "cecrl", "cefr"), True),
    Column("taken_on", gettext_lazy("taken on"), ("date", "date du test", "date examen"), True),
]


def _known_student(values: dict[str, str], cache: dict[Any, Any]) -> Any:
    ine = values.get("ine", "").strip().upper()
    student = _student(ine, cache)
    if student is None:
        raise ValidationError(
            {"ine": _("No student with the INE “%(ine)s”; import the students first.") % {"ine": ine}}
        )
    return student


def apply_english(values: dict[str, str], actor: Any, cache: dict[Any, Any]) -> Any:
    from amelio.students.choices import CefrLevel
    from amelio.students.services import english_certification_create

    level = values.get("level", "").strip().upper()
    if level not in CefrLevel.values:
        raise ValidationError({"level": _("Unknown CEFR level “%(value)s” (A1 to C2).") % {"value": level}})
    return english_certification_create(
        actor=actor,
        student=_known_student(values, cache),
        data={
            "test": values.get("test", "").strip(),
            "score": parse_decimal(values.get("score", ""), "score"),
            "level": level,
            "taken_on": parse_date(values.get("taken_on", ""), "taken_on"),
        },
    )


# Graduates' situations -----------------------------------------------------------------------

GRADUATE_COLUMNS = [
    Column("ine", "INE", ("numero ine", "n ine"), True),
    Column("wave", gettext_lazy("months after graduation"), ("mois", "enquete", "mois apres diplome"), True),
    Column("surveyed_on", gettext_lazy("surveyed on"), ("date enquete", "date de reponse"), True),
    Column("situation", gettext_lazy("situation"), ("situation actuelle",), True),
    Column("employer_name", gettext_lazy("employer"), ("employeur", "entreprise", "nom employeur")),
    Column("employer_siret", gettext_lazy("employer SIRET"), ("siret", "siret employeur")),
    Column("contract", gettext_lazy("contract"), ("contrat", "type de contrat")),
    Column("is_cadre", gettext_lazy("cadre"), ("statut cadre",)),
    Column(
        "salary_without_bonuses",
        gettext_lazy("salary without bonuses"),
        ("salaire hors primes", "salaire brut annuel hors primes"),
    ),
    Column(
        "salary_with_bonuses",
        gettext_lazy("salary with bonuses"),
        ("salaire primes comprises", "salaire brut annuel avec primes"),
    ),
    Column("country", gettext_lazy("country of work"), ("pays", "pays de travail")),
    Column("sector", gettext_lazy("sector"), ("secteur", "secteur d activite")),
    Column("found_through", gettext_lazy("job found through"), ("moyen d obtention", "canal")),
    Column("first_job_on", gettext_lazy("first job started on"), ("date premier emploi", "date d embauche")),
]
SITUATIONS = {
    "employed": "employed",
    "en_emploi": "employed",
    "emploi": "employed",
    "en_activite": "employed",
    "job_seeking": "job_seeking",
    "en_recherche": "job_seeking",
    "recherche_d_emploi": "job_seeking",
    "further_study": "further_study",
    "poursuite_d_etudes": "further_study",
    "etudes": "further_study",
    "phd": "phd",
    "these": "phd",
    "doctorat": "phd",
    "volunteering": "volunteering",
    "vie": "volunteering",
    "volontariat": "volunteering",
    "other": "other",
    "autre": "other",
}
CONTRACTS = {"": "", "cdi": "permanent", "permanent": "permanent", "cdd": "fixed_term", "fixed_term": "fixed_term"}
CONTRACTS.update({"autre": "other", "other": "other", "interim": "other", "independant": "other"})
CHANNELS = {
    "": "",
    "stage": "internship",
    "stage_de_fin_d_etudes": "internship",
    "internship": "internship",
    "apprentissage": "apprenticeship",
    "apprenticeship": "apprenticeship",
    "reseau": "network",
    "network": "network",
    "site_d_offres": "job_board",
    "job_board": "job_board",
    "candidature": "job_board",
    "chasseur": "approached",
    "approached": "approached",
    "ecole": "school",
    "forum": "school",
    "school": "school",
    "autre": "other",
    "other": "other",
}


def apply_graduate(values: dict[str, str], actor: Any, cache: dict[Any, Any]) -> Any:
    from amelio.partners.models import Company
    from amelio.partners.validators import normalise_siret
    from amelio.students.services import insertion_record_create

    wave_text = values.get("wave", "").strip()
    if wave_text not in ("6", "18", "30"):
        raise ValidationError(
            {"wave": _("The survey is at 6, 18 or 30 months, not “%(value)s”.") % {"value": wave_text}}
        )
    siret = normalise_siret(values.get("employer_siret", ""))
    company = Company.objects.filter(siret=siret, merged_into__isnull=True).first() if siret else None
    cadre_text = values.get("is_cadre", "").strip()
    return insertion_record_create(
        actor=actor,
        student=_known_student(values, cache),
        data={
            "wave": int(wave_text),
            "surveyed_on": parse_date(values.get("surveyed_on", ""), "surveyed_on"),
            "situation": _choice(SITUATIONS, values, "situation", _("Unknown situation “%(value)s”.")),
            "employer_name": values.get("employer_name", "").strip(),
            "company": company,
            "contract": _choice(CONTRACTS, values, "contract", _("Unknown contract “%(value)s” (CDI, CDD, other).")),
            "is_cadre": parse_bool(cadre_text) if cadre_text else None,
            "salary_without_bonuses": parse_decimal(values.get("salary_without_bonuses", ""), "salary_without_bonuses"),
            "salary_with_bonuses": parse_decimal(values.get("salary_with_bonuses", ""), "salary_with_bonuses"),
            "country": (values.get("country", "") or "").strip().upper()[:2],
            "sector": values.get("sector", "").strip(),
            "found_through": _choice(
                CHANNELS, values, "found_through", _("Unknown way of finding the job “%(value)s”.")
            ),
            "first_job_on": parse_date(values.get("first_job_on", ""), "first_job_on"),
        },
    )


STUDENT_SPECS: dict[str, Spec] = {
    ImportKind.STUDENTS: Spec(
        ImportKind.STUDENTS,
        STUDENT_COLUMNS,
        apply_student,
        [
            ["INE", "Nom", "Prénom", "Code étape", "Année", "Résultat"],
            ["1234567890A", "Durand", "Marie", "GC-BTP-4", "2025", "ADM"],
        ],
    ),
    ImportKind.ENGLISH_TESTS: Spec(
        ImportKind.ENGLISH_TESTS,
        ENGLISH_COLUMNS,
        apply_english,
        [["INE", "Test", "Score", "Niveau", "Date"], ["1234567890A", "TOEIC", "815", "B2", "2026-03-14"]],
    ),
    ImportKind.GRADUATES: Spec(
        ImportKind.GRADUATES,
        GRADUATE_COLUMNS,
        apply_graduate,
        [
            ["INE", "Mois", "Date enquête", "Situation", "Employeur", "Contrat", "Salaire hors primes", "Pays"],
            ["1234567890A", "6", "2027-01-15", "en emploi", "Exemple SAS", "CDI", "38000", "FR"],
        ],
    ),
}

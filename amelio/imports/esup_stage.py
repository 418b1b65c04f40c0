"""Imports from Esup-Stage, the internship-agreement software most French universities run:
its managers' export of agreements (.xls, or the CSV it wrote until 2025) and its CSV of host
structures. The column titles are Esup-Stage's own, written here once; each row is turned
into what Amelio's own imports read and goes through the same services and rules."""

from __future__ import annotations

import gettext
import re
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import ImportKind
from .reading import header_key
from .specs import SPECS, Column, Spec, apply_internship, parse_decimal, write_internships

# Esup-Stage writes a missing value as the text "null" in its CSV.
ESUP_EMPTY_VALUES = frozenset({"null"})

# Agreements ------------------------------------------------------------------------------------

# Esup-Stage's titles (managers' export, "Données stage" and "Données structure d’accueil"
# sheets), typographic apostrophes and dashes included; the key says what Amelio reads there.
# Its other columns (student's address, phone, UFR, interruption, ...) are read and ignored.
ESUP_AGREEMENT_COLUMNS = [
    Column("student_email", "Mail universitaire étudiant", required=True),
    Column("company", "Nom structure d’accueil", required=True),
    Column("company_siret", "SIRET"),
    Column("company_address", "Adresse"),
    Column("company_postal_code", "Code postal"),
    Column("company_city", "Commune"),
    Column("company_country", "Pays"),
    Column("tutor", "Tuteur professionnel (Nom Prénom)", required=True),
    Column("tutor_email", "Mail tuteur professionnel", required=True),
    Column("academic_tutor_email", "Mail enseignant référent"),
    Column("programme", "Code étape", required=True),
    Column("academic_year", "Année universitaire", required=True),
    Column("kind", "Type convention", required=True),
    Column("subject", "Sujet", required=True),
    Column("description", "Fonctions et tâches"),
    Column("starts_on", "Date début du stage", required=True),
    Column("ends_on", "Date fin du stage", required=True),
    Column("weekly_hours", "Nbre d’heures hebdomadaire"),
    Column("days_per_week", "Nbre de jours de travail"),
    Column("hourly_gratification", "Gratification"),
    Column("gratification_unit", "Unité Durée gratification"),
]
# Titles only Esup-Stage's export carries: a file with two of them is read as one, whichever
# kind of import was chosen for internships.
ESUP_AGREEMENT_MARKERS = frozenset(
    header_key(title)
    for title in (
        "N° de la convention",
        "Date début du stage",
        "Date fin du stage",
        "Nom structure d’accueil",
        "Tuteur professionnel (Nom Prénom)",
        "Mail universitaire étudiant",
        "Unité Durée gratification",
    )
)
# Where the services' and the form's fields are read from in an Esup-Stage file.
ESUP_FIELD_COLUMNS = {
    "student": "student_email",
    "company_tutor": "tutor_email",
    "academic_tutor": "academic_tutor_email",
    "legal_name": "company",
    "siret": "company_siret",
    "address": "company_address",
    "postal_code": "company_postal_code",
    "city": "company_city",
    "country": "company_country",
    "tutor_first_name": "tutor",
    "tutor_last_name": "tutor",
    "first_name": "tutor",
    "last_name": "tutor",
    "email": "tutor_email",
}

# Esup-Stage's agreement types are the institution's own labels ("Stage ingénieur", "Stage
# ouvrier", ...): a word of the label names Amelio's kind. The first list that matches wins.
KIND_WORDS = (
    ("technician", {"technicien", "assistant", "technician"}),
    ("engineer", {"ingenieur", "pfe", "engineer"}),
    ("gap_year", {"cesure"}),
    ("abroad", {"etranger", "international", "abroad"}),
    ("discovery", {"decouverte", "ouvrier", "execution", "discovery"}),
)
# A gratification per hour, day, week, month or year.
UNIT_WORDS = (
    ("hour", {"heure", "heures", "horaire", "h", "hour", "hours"}),
    ("day", {"jour", "jours", "journalier", "day", "days"}),
    ("week", {"semaine", "semaines", "hebdomadaire", "week", "weeks"}),
    ("month", {"mois", "mensuel", "mensuelle", "month", "months"}),
    ("year", {"an", "ans", "annee", "annees", "annuel", "annuelle", "year", "years"}),
)
# Weeks in a month, as French pay slips count them (52 weeks / 12 months).
WEEKS_PER_MONTH = Decimal(52) / Decimal(12)


def _word_match(table: tuple[tuple[str, set[str]], ...], text: str) -> str | None:
    words = set(header_key(text).split("_"))
    return next((value for value, names in table if words & names), None)


def split_person(text: str) -> tuple[str, str]:
    """'DE LA TOUR Jean-Pierre' -> ('Jean-Pierre', 'DE LA TOUR'): Esup-Stage writes a person
    as NOM Prénom, the family name in capitals."""
    words = text.split()
    if len(words) < 2:
        raise ValidationError({"tutor": _("Write the tutor as NOM Prénom (“%(value)s”).") % {"value": text}})
    count = 0
    while count < len(words) - 1 and words[count].isupper():
        count += 1
    count = count or 1  # no capitals: the first word is the family name
    return " ".join(words[count:]), " ".join(words[:count])


@cache
def _french_country_names() -> dict[str, str]:
    import pycountry

    french = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"], fallback=True)
    names: dict[str, str] = {}
    for country in pycountry.countries:
        for name in {country.name, getattr(country, "common_name", country.name), french.gettext(country.name)}:
            names[header_key(name)] = country.alpha_2
        names[header_key(country.alpha_3)] = country.alpha_2
    return names


def country_code(value: str, key: str) -> str:
    """'FR', 'FRANCE', 'Allemagne' or 'Germany' -> the ISO code the companies keep."""
    text = value.strip()
    if not text:
        return "FR"
    if len(text) == 2 and text.isalpha():
        return text.upper()
    code = _french_country_names().get(header_key(text))
    if code is None:
        raise ValidationError(
            {key: _("Unknown country “%(value)s” (write its name or its ISO code, e.g. DE).") % {"value": text}}
        )
    return code


def _programme_code(code: str, cache: dict[Any, Any]) -> str:
    """Esup-Stage's step code (Apogée's "code étape") is the programme's code, or the
    programme's code followed by the year of study (GC-BTP-4), as the students' import reads it."""
    from amelio.organisation.models import Programme

    from .student_specs import STAGE_CODE

    code = code.strip()
    key = ("esup_programme", code.upper())
    if key not in cache:
        match = STAGE_CODE.match(code)
        known = Programme.objects.filter(code__iexact=code).exists()
        cache[key] = code if known or match is None else match.group(1)
    return str(cache[key])


def hourly_gratification(values: dict[str, str], weekly_hours: Decimal) -> Decimal | None:
    """The amount per hour of an Esup-Stage gratification and its unit (per hour, day, week,
    month or year; a month counts 52/12 weeks of the agreement's weekly hours)."""
    amount = parse_decimal(values.get("hourly_gratification", ""), "hourly_gratification")
    if not amount:
        return amount
    unit_text = values.get("gratification_unit", "")
    unit = _word_match(UNIT_WORDS, unit_text)
    if unit is None:
        message = (
            _("Unknown unit “%(value)s” (per hour, day, week, month or year).") % {"value": unit_text}
            if unit_text
            else _("Say whether the gratification is paid per hour, day, week, month or year.")
        )
        raise ValidationError({"gratification_unit": message})
    if unit == "hour":
        return amount
    if unit == "day":
        days = parse_decimal(values.get("days_per_week", ""), "days_per_week") or Decimal(5)
        if days <= 0:
            raise ValidationError({"days_per_week": _("The number of working days must be positive.")})
        hours = weekly_hours / days
    else:
        hours = {"week": weekly_hours, "month": weekly_hours * WEEKS_PER_MONTH, "year": weekly_hours * 52}[unit]
    return (amount / hours).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def agreement_values(values: dict[str, str], cache: dict[Any, Any]) -> dict[str, str]:
    """An Esup-Stage row in the terms of Amelio's internship import."""
    first_name, last_name = split_person(values.get("tutor", ""))
    kind_text = values.get("kind", "")
    kind = _word_match(KIND_WORDS, kind_text)
    if kind is None:
        raise ValidationError(
            {
                "kind": _(
                    "“%(value)s” names no kind of internship (its label must hold one of: découverte, "
                    "ouvrier, technicien, ingénieur, césure, étranger)."
                )
                % {"value": kind_text}
            }
        )
    weekly_hours = parse_decimal(values.get("weekly_hours", ""), "weekly_hours") or Decimal(35)
    gratification = hourly_gratification(values, weekly_hours)
    return {
        **{key: values.get(key, "") for key in ("student_email", "company", "company_siret", "tutor_email")},
        **{key: values.get(key, "") for key in ("academic_tutor_email", "academic_year", "subject", "description")},
        **{key: values.get(key, "") for key in ("company_address", "company_postal_code", "company_city")},
        "starts_on": values.get("starts_on", ""),
        "ends_on": values.get("ends_on", ""),
        "company_country": country_code(values.get("company_country", ""), "company_country"),
        "tutor_first_name": first_name,
        "tutor_last_name": last_name,
        "programme": _programme_code(values.get("programme", ""), cache),
        "kind": kind,
        "weekly_hours": str(weekly_hours),
        "hourly_gratification": "" if gratification is None else str(gratification),
    }


def apply_esup_agreement(values: dict[str, str], actor: Any, cache: dict[Any, Any]) -> Any:
    return apply_internship(agreement_values(values, cache), actor, cache)


def is_esup_agreements(headers: list[str]) -> bool:
    return len(ESUP_AGREEMENT_MARKERS.intersection(headers)) >= 2


# Host structures ------------------------------------------------------------------------------

# Esup-Stage's own structure import reads these columns, in this order, `;`-separated.
ESUP_STRUCTURE_COLUMNS = [
    Column("rne", "NumeroRNE"),
    Column("legal_name", "RaisonSociale", required=True),
    Column("siret", "NumeroSiret"),
    Column("activity", "ActivitePrincipale"),
    Column("naf_code", "CodeAPE"),
    Column("address", "Voie"),
    Column("postal_code", "CodePostal"),
    Column("city", "Commune"),
    Column("phone", "Telephone"),
    Column("fax", "Fax"),
    Column("website", "SiteWeb"),
    Column("email", "Mail"),
    Column("structure_type", "TypeStructure"),
    Column("legal_status", "StatutJuridique"),
    Column("size", "Effectif"),
    Column("country", "Pays"),
]
# Headcount bands (Esup-Stage writes e.g. "50-100" or "Plus de 5000"): the band's top figure.
SIZE_LIMITS = ((Decimal(9), "micro"), (Decimal(249), "sme"), (Decimal(4999), "midsize"))


def size_of(text: str) -> str:
    figures = [Decimal(number) for number in re.findall(r"\d+", text.replace(" ", "").replace("\u00a0", ""))]
    if not figures:
        raise ValidationError({"size": _("Unknown headcount “%(value)s” (write e.g. 50-100).") % {"value": text}})
    top = max(figures)
    return next((size for limit, size in SIZE_LIMITS if top <= limit), "large")


def structure_data(values: dict[str, str]) -> dict[str, Any]:
    """What a structure row says of a company; an empty cell leaves the record's value alone."""
    from amelio.partners.validators import normalise_siret

    data: dict[str, Any] = {
        key: values.get(key, "").strip()
        for key in ("legal_name", "siret", "naf_code", "address", "postal_code", "city", "website")
    }
    data["siret"] = normalise_siret(data["siret"])
    website = data["website"]
    if website and "://" not in website:
        data["website"] = f"https://{website}"
    if values.get("country", "").strip():
        data["country"] = country_code(values["country"], "country")
    if values.get("size", "").strip():
        data["size"] = size_of(values["size"])
    return {key: value for key, value in data.items() if value}


def find_structure(data: dict[str, Any]) -> Any:
    """The live company a structure row describes: the one with its SIRET, else one of the
    same name (compared as the duplicate check compares names) without a SIRET, in the same
    postal code when the row gives one."""
    from amelio.partners.models import Company
    from amelio.partners.services import normalise_company_name

    live = Company.objects.filter(merged_into__isnull=True)
    if data.get("siret"):
        company = live.filter(siret=data["siret"]).first()
        if company is not None:
            return company
    same_name = live.filter(name_key=normalise_company_name(data.get("legal_name", "")), siret="")
    if data.get("postal_code"):
        same_name = same_name.filter(postal_code__in=[data["postal_code"], ""])
    return same_name.order_by("id").first()


def apply_esup_structure(values: dict[str, str], actor: Any, cache: dict[Any, Any]) -> Any:
    """Creates the company, or updates the one already recorded: importing the file again
    changes what changed and duplicates nothing."""
    from amelio.partners.services import company_create, company_update

    data = structure_data(values)
    company = find_structure(data)
    if company is None:
        # A second establishment of a known company (same SIREN) is a company of its own here.
        return company_create(actor=actor, data={"country": "FR", **data}, confirm_duplicate=True)
    changed = {key: value for key, value in data.items() if getattr(company, key) != value}
    if changed:
        company_update(actor=actor, company=company, data=changed)
    return company


SPECS |= {
    ImportKind.ESUP_AGREEMENTS: Spec(
        ImportKind.ESUP_AGREEMENTS,
        ESUP_AGREEMENT_COLUMNS,
        apply_esup_agreement,
        finish=write_internships,
        empty_values=ESUP_EMPTY_VALUES,
        field_columns=ESUP_FIELD_COLUMNS,
    ),
    ImportKind.ESUP_STRUCTURES: Spec(
        ImportKind.ESUP_STRUCTURES,
        ESUP_STRUCTURE_COLUMNS,
        apply_esup_structure,
        empty_values=ESUP_EMPTY_VALUES,
    ),
}

"""French company identifiers."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

NAF_PATTERN = re.compile(r"^\d{2}\.\d{2}[A-Z]$")
# La Poste's SIRETs do not satisfy the Luhn key; INSEE documents the exception: the sum of
# the digits of a SIRET of SIREN 356 000 000 is a multiple of 5.
LA_POSTE_SIREN = "356000000"


def normalise_siret(value: str) -> str:
    return re.sub(r"[\s.\-]", "", value or "")


def format_siret(value: str) -> str:
    """A SIRET as people read it: SIREN in three groups, then the establishment number."""
    siret = normalise_siret(value)
    return f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}" if len(siret) == 14 else value


def luhn_is_valid(digits: str) -> bool:
    total = 0
    for index, character in enumerate(reversed(digits)):
        number = int(character)
        if index % 2 == 1:
            number *= 2
            if number > 9:
                number -= 9
        total += number
    return total % 10 == 0


def validate_siret(value: str) -> None:
    siret = normalise_siret(value)
    if not siret.isdigit() or len(siret) != 14:
        raise ValidationError(_("A SIRET number has 14 digits."), code="siret_length")
    if siret.startswith(LA_POSTE_SIREN):
        if sum(int(c) for c in siret) % 5 != 0:
            raise ValidationError(_("This SIRET number's check digit is wrong."), code="siret_checksum")
        return
    if not luhn_is_valid(siret):
        raise ValidationError(_("This SIRET number's check digit is wrong."), code="siret_checksum")


def validate_naf(value: str) -> None:
    if value and not NAF_PATTERN.match(value):
        raise ValidationError(_("A NAF code looks like 62.01Z."), code="naf")

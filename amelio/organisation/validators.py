"""Checks of the identifiers a French school is known by: its SIRET (the state's register of
establishments) and its UAI (the education ministry's register of schools)."""

from __future__ import annotations

import re
import zoneinfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# La Poste's establishments share one SIREN whose SIRETs mostly do not pass Luhn; INSEE gives
# them their own rule (the sum of the digits is a multiple of 5). Its head office passes Luhn.
LA_POSTE_SIREN = "356000000"
# The UAI's key letter: the 7 digits modulo 23, read in the alphabet without I, O and Q.
UAI_KEY_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"
UAI_PATTERN = re.compile(r"^(\d{7})([A-Z])$")


def luhn_is_valid(digits: str) -> bool:
    total = 0
    for position, character in enumerate(reversed(digits)):
        value = int(character)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def validate_siret(value: str) -> None:
    compact = value.replace(" ", "")
    if not re.fullmatch(r"\d{14}", compact):
        raise ValidationError(_("A SIRET has 14 digits."), code="siret_format")
    la_poste = compact.startswith(LA_POSTE_SIREN) and sum(int(character) for character in compact) % 5 == 0
    if not (luhn_is_valid(compact) or la_poste):
        raise ValidationError(_("This SIRET's check digit is wrong: check for a typing mistake."), code="siret_key")


def validate_uai(value: str) -> None:
    match = UAI_PATTERN.fullmatch(value.strip().upper())
    if match is None:
        raise ValidationError(_("A UAI is 7 digits followed by a letter, for example 0750736T."), code="uai_format")
    digits, letter = match.groups()
    if UAI_KEY_LETTERS[int(digits) % 23] != letter:
        raise ValidationError(_("This UAI's key letter is wrong: check for a typing mistake."), code="uai_key")


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("“%(value)s” is not a time zone (write for example Europe/Paris).") % {"value": value},
            code="time_zone",
        )

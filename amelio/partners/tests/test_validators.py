"""French company identifiers: the SIRET's check digit (with La Poste's exception) and the
shape of a NAF code."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from amelio.partners.validators import luhn_is_valid, normalise_siret, validate_naf, validate_siret


@pytest.mark.parametrize("siret", ["73282932000074", "732 829 320 00074", "732.829.320.00074", "732-829-320-00074"])
def test_a_valid_siret_passes_however_it_is_typed(siret: str) -> None:
    validate_siret(siret)


def test_a_wrong_check_digit_is_refused() -> None:
    with pytest.raises(ValidationError) as error:
        validate_siret("732 829 320 00075")
    assert error.value.code == "siret_checksum"


@pytest.mark.parametrize("siret", ["7328293200007", "732829320000745", "7328293200007A", "", "SIRET"])
def test_a_siret_has_fourteen_digits(siret: str) -> None:
    with pytest.raises(ValidationError) as error:
        validate_siret(siret)
    assert error.value.code == "siret_length"


def test_la_poste_sirets_are_checked_by_the_sum_of_their_digits() -> None:
    # 3+5+6 + 0+0+0+0+1 = 15: a multiple of 5, though the Luhn key is wrong.
    assert not luhn_is_valid("35600000000001")
    validate_siret("356 000 000 00001")
    # 3+5+6 + 4+8 = 26: refused, though this number satisfies no rule either way.
    with pytest.raises(ValidationError) as error:
        validate_siret("35600000000048")
    assert error.value.code == "siret_checksum"


def test_la_poste_exception_applies_to_its_siren_only() -> None:
    # A digit sum multiple of 5 does not save another company's wrong key.
    siret = "73282932000072"
    assert sum(int(c) for c in siret) % 5 == 0
    assert not luhn_is_valid(siret)
    with pytest.raises(ValidationError):
        validate_siret(siret)


def test_normalise_siret_keeps_the_digits() -> None:
    assert normalise_siret(" 732 829.320-00074 ") == "73282932000074"


@pytest.mark.parametrize("code", ["62.01Z", "71.12B", ""])
def test_valid_naf_codes(code: str) -> None:
    validate_naf(code)


@pytest.mark.parametrize("code", ["6201Z", "62.01", "62-01Z", "62.01z", "A2.01Z"])
def test_invalid_naf_codes(code: str) -> None:
    with pytest.raises(ValidationError):
        validate_naf(code)

from __future__ import annotations

from django.db import transaction

from .models import ReferenceCounter


@transaction.atomic
def next_reference(*, prefix: str, year: int, digits: int = 4) -> str:
    counter, _created = ReferenceCounter.objects.select_for_update().get_or_create(prefix=prefix, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return f"{prefix}-{year}-{counter.last_number:0{digits}d}"


@transaction.atomic
def next_references(*, prefix: str, year: int, count: int, digits: int = 4) -> list[str]:
    """`count` references following each other, reserved at once (as `next_reference` would
    give them one by one)."""
    counter, _created = ReferenceCounter.objects.select_for_update().get_or_create(prefix=prefix, year=year)
    first = counter.last_number + 1
    counter.last_number += count
    counter.save(update_fields=["last_number"])
    return [f"{prefix}-{year}-{number:0{digits}d}" for number in range(first, first + count)]

from __future__ import annotations

from django.db import transaction

from .models import ReferenceCounter


@transaction.atomic
def next_reference(*, prefix: str, year: int, digits: int = 4) -> str:
    counter, _created = ReferenceCounter.objects.select_for_update().get_or_create(prefix=prefix, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return f"{prefix}-{year}-{counter.last_number:0{digits}d}"

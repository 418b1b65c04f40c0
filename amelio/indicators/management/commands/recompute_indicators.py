"""Recompute every computed indicator from the records, as the system: for each of its
scopes and each academic year begun by today (or the one given). Frozen values are left
as they are."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amelio.indicators.services import indicator_recompute_all
from amelio.organisation.models import AcademicYear


class Command(BaseCommand):
    help = "Recompute every computed indicator from the records."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", help="The label of one academic year, e.g. 2025-2026.")

    def handle(self, *args: Any, **options: Any) -> None:
        years = None
        if options["year"]:
            years = list(AcademicYear.objects.filter(label=options["year"]))
            if not years:
                raise CommandError(f"No academic year {options['year']!r}.")
        written = indicator_recompute_all(actor=None, academic_years=years)
        self.stdout.write(f"{written} value(s) written.")

"""Pseudonymise the students whose retention period (after leaving) is over, through the
worker; each change is written to the student's history."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from amelio.students.tasks import students_pseudonymise_task


class Command(BaseCommand):
    help = "Pseudonymise the students whose retention period after leaving is over (through the worker)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = students_pseudonymise_task()
        # With an immediate worker (tests, development) the count is known at once.
        count = result.get() if hasattr(result, "get") else result
        if count is None:
            self.stdout.write("Pseudonymisation sent to the worker.")
        else:
            self.stdout.write(f"{count} student record(s) pseudonymised.")

"""Pseudonymisation runs in the worker: thousands of former students may be due at once."""

from __future__ import annotations

from huey.contrib.djhuey import db_task


@db_task()
def students_pseudonymise_task() -> int:
    from .services import students_pseudonymise_due

    # The system acts: the retention setting is the quality manager's decision.
    return students_pseudonymise_due(actor=None)

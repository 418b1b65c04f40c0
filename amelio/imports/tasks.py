"""Imports run in the worker: a file of thousands of rows takes minutes."""

from __future__ import annotations

from huey.contrib.djhuey import db_task


@db_task()
def import_check_task(batch_id: int) -> str:
    from .services import import_check

    return import_check(batch_id=batch_id).status


@db_task()
def import_apply_task(batch_id: int) -> str:
    from .services import import_write

    return import_write(batch_id=batch_id).status

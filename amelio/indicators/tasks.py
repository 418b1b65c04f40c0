"""Recomputation of the computed indicators by the worker, after the records they read
changed (see services.records_changed)."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from .services import computation_recompute


@db_task(retries=2, retry_delay=60)
def recompute_computation_task(computation: str) -> int:
    return computation_recompute(computation=computation)

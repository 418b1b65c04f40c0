"""A change to the records an indicator reads queues its recomputation after commit, through
the worker's real queue: once for a burst of changes, never for a rolled-back change, and
never for records no computed indicator reads."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from huey.contrib.djhuey import HUEY
from huey.storage import SqliteStorage

from amelio.improvement import services as improvement
from amelio.improvement.choices import ActionStatus
from amelio.improvement.tests.factories import ActionFactory
from amelio.indicators.models import IndicatorValue, PendingRecomputation
from amelio.organisation.models import AcademicYear
from amelio.organisation.services import person_update
from amelio.processes.services import process_update

from .factories import computed_indicator

pytestmark = pytest.mark.django_db


@contextmanager
def queue_in(path: Path) -> Iterator[Any]:
    """Tasks go into a queue file, as in production, instead of running at once."""
    previous_storage, previous_immediate = HUEY.storage, HUEY.immediate
    HUEY.immediate = False
    HUEY.storage = SqliteStorage(name=HUEY.name, filename=str(path / "queue.sqlite3"))
    try:
        yield HUEY
    finally:
        HUEY.storage, HUEY.immediate = previous_storage, previous_immediate


def run_the_queue() -> list[Any]:
    """What the consumer does with each task it takes from the queue, until none is left."""
    results = []
    while (task := HUEY.dequeue()) is not None:
        results.append(HUEY.execute(task))
    return results


def this_year() -> AcademicYear:
    today = timezone.localdate()
    start = today.year if today.month >= 9 else today.year - 1
    return AcademicYear.objects.create(
        label=f"{start}-{start + 1}", starts_on=datetime.date(start, 9, 1), ends_on=datetime.date(start + 1, 8, 31)
    )


# The worker closes its database connection after each task, as in production: the tests
# that run the queue commit for real.
through_the_worker = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@through_the_worker
def test_completing_actions_recomputes_through_the_worker_once(school: dict[str, Any], tmp_path: Path) -> None:
    academic_year = this_year()
    indicator = computed_indicator("improvement.actions_on_time", owner=school["teacher"])
    late = ActionFactory(owner=school["teacher"], due_on=timezone.localdate() - datetime.timedelta(days=3))
    on_time = ActionFactory(owner=school["teacher"])
    third = ActionFactory(owner=school["teacher"])
    with queue_in(tmp_path) as huey:
        improvement.action_complete(actor=school["teacher"], action=late)
        assert huey.pending_count() == 1
        assert not IndicatorValue.objects.exists()  # queued, not run
        improvement.action_complete(actor=school["teacher"], action=on_time)
        assert huey.pending_count() == 1  # the task already waiting will read this change too
        assert list(PendingRecomputation.objects.values_list("computation", flat=True)) == [
            "improvement.actions_on_time"
        ]
        [written] = run_the_queue()
        assert written == 1
        value = IndicatorValue.objects.get(indicator=indicator, academic_year=academic_year)
        assert (value.value, value.inputs) == (Decimal("50.00"), {"part": 1, "whole": 2})
        assert not PendingRecomputation.objects.exists()

        # A rolled-back change queues nothing.
        try:
            with transaction.atomic():
                improvement.action_complete(actor=school["teacher"], action=third)
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
        assert huey.pending_count() == 0 and not PendingRecomputation.objects.exists()
        third.refresh_from_db()
        assert third.status == ActionStatus.PLANNED


def test_records_no_computed_indicator_reads_queue_nothing(
    school: dict[str, Any], tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    computed_indicator("improvement.actions_on_time", owner=school["teacher"])
    with queue_in(tmp_path) as huey:
        with django_capture_on_commit_callbacks(execute=True):
            process_update(actor=school["quality_manager"], process=school["process_civil"], data={"name": "Autre"})
        assert huey.pending_count() == 0


def test_without_a_computed_indicator_nothing_is_queued(
    school: dict[str, Any], tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    action = ActionFactory(owner=school["teacher"])
    with queue_in(tmp_path) as huey:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            improvement.action_complete(actor=school["teacher"], action=action)
        assert huey.pending_count() == 0
        assert not any("QueueAfterCommit" in type(callback).__name__ for callback in callbacks)


@through_the_worker
def test_a_burst_in_one_transaction_queues_one_task_and_a_rolled_back_savepoint_takes_its_own(
    school: dict[str, Any], tmp_path: Path
) -> None:
    this_year()
    computed_indicator("improvement.actions_on_time", owner=school["teacher"])
    computed_indicator("improvement.complaints_per_100_students", owner=school["teacher"])
    actions = [ActionFactory(owner=school["teacher"]) for _ in range(3)]
    refused = ActionFactory(owner=school["teacher"])
    with queue_in(tmp_path) as huey:
        with transaction.atomic():
            try:
                with transaction.atomic():  # an import's refused row, say
                    improvement.action_complete(actor=school["teacher"], action=refused)
                    raise RuntimeError("refused row")
            except RuntimeError:
                pass
            person_update(actor=school["quality_manager"], person=school["student"], data={"job_title": "Délégué"})
        # The actions' computation went with its savepoint; the students' count stays.
        assert list(PendingRecomputation.objects.values_list("computation", flat=True)) == [
            "improvement.complaints_per_100_students"
        ]
        assert huey.pending_count() == 1
        run_the_queue()

        with transaction.atomic():
            for action in actions:
                improvement.action_complete(actor=school["teacher"], action=action)
        assert huey.pending_count() == 1
        [written] = run_the_queue()
        assert written == 1


@through_the_worker
def test_teaching_hours_and_volumes_recompute_the_share_through_the_worker(
    school: dict[str, Any], tmp_path: Path
) -> None:
    from amelio.indicators.choices import ScopeKind
    from amelio.organisation.tests.factories import ProgrammeFactory
    from amelio.partners import services as partners
    from amelio.partners.tests.factories import InterventionFactory

    academic_year = this_year()
    programme = ProgrammeFactory(department=school["civil"], code="GC-STR")
    intervention = InterventionFactory(
        programme=programme, academic_year=academic_year, planned_hours=Decimal("20"), delivered_hours=Decimal("0")
    )
    computed_indicator("partners.professional_teaching_share", owner=school["teacher"], scope_kind=ScopeKind.PROGRAMME)
    with queue_in(tmp_path) as huey:
        partners.teaching_volume_set(
            actor=school["head_civil"], programme=programme, academic_year=academic_year, total_hours=Decimal("400")
        )
        partners.intervention_update(
            actor=school["head_civil"], intervention=intervention, data={"delivered_hours": Decimal("18")}
        )
        assert huey.pending_count() == 1
        run_the_queue()
    # 18 h of 400 = 4.5 %.
    value = IndicatorValue.objects.get(scope_key=f"programme:{programme.pk}")
    assert (value.value, value.inputs) == (Decimal("4.50"), {"delivered_hours": "18.00", "total_hours": "400.00"})

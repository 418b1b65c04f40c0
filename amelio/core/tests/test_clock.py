"""The clock the services write with."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from amelio.core import clock


def test_the_clock_tells_the_real_time_unless_frozen() -> None:
    before = timezone.now()
    assert before <= clock.now() <= timezone.now()
    assert clock.today() == timezone.localdate()


def test_a_frozen_clock_tells_the_moment_until_the_block_ends() -> None:
    moment = timezone.make_aware(datetime.datetime(2024, 3, 4, 23, 30))
    with clock.frozen_at(moment):
        assert clock.now() == moment
        assert clock.today() == datetime.date(2024, 3, 4)  # the school's day, not UTC's
        inner = moment + datetime.timedelta(days=1)
        with clock.frozen_at(inner):
            assert clock.now() == inner
        assert clock.now() == moment
    assert clock.now().year >= 2026


def test_the_clock_is_restored_after_an_error() -> None:
    moment = timezone.make_aware(datetime.datetime(2024, 3, 4, 9))
    with pytest.raises(RuntimeError), clock.frozen_at(moment):
        raise RuntimeError
    assert clock.now() != moment


def test_a_naive_moment_is_refused() -> None:
    with pytest.raises(ValueError), clock.frozen_at(datetime.datetime(2024, 3, 4, 9)):
        pass  # pragma: no cover

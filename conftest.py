"""Fixtures shared by every app's tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def tasks_run_immediately() -> Iterator[None]:
    """Tasks run in-process by default, so emails land in mail.outbox; the worker test
    switches this off to go through the real queue and consumer."""
    from huey.contrib.djhuey import HUEY

    previous = HUEY.immediate
    HUEY.immediate = True
    yield
    HUEY.immediate = previous


@pytest.fixture(autouse=True)
def fresh_content_types() -> None:
    # A transactional test empties the tables and reloads them, content types included,
    # possibly under new ids: the in-memory cache of content types must not outlive it.
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


@pytest.fixture(autouse=True)
def messages_in_english(settings: Any) -> None:
    # Tests read messages in the source language; the French default of the demo and its
    # catalogue are tested on their own (amelio/core/tests/test_auth_and_language.py).
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    # Real hashing costs a third of a second per account: the tests need accounts, not strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def school(db: Any) -> dict[str, Any]:
    """A small school: two departments, people in each role, two processes."""
    from amelio.organisation.tests.factories import school_fixture

    return school_fixture()


@pytest.fixture(autouse=True)
def private_empty_cache(settings: Any) -> Any:
    # The rate limiter counts in the cache, which is Redis when REDIS_URL is set (as in CI):
    # a test must neither see the counts of the test before it nor share them with another
    # run of the suite on the same machine. Each test gets an empty cache of its own process;
    # amelio/core/tests/test_ratelimit.py runs the limiter against Redis itself.
    from django.core.cache import cache

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}}
    cache.clear()
    return cache

"""Playwright drives Debian's Chromium: its own browser builds cannot be downloaded here."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests
# make beside it are safe (one thread), so Django's async guard is lifted for them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def screenshot_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    # A French user's browser: the interface follows its Accept-Language header.
    return {**browser_context_args, "locale": "fr-FR", "viewport": {"width": 1366, "height": 900}}


@pytest.fixture(autouse=True)
def restore_migration_data(transactional_db: None) -> None:
    """The live server makes every browser test transactional, and a transactional test
    empties the tables when it ends, the data loaded by migrations included (ISO clauses,
    legal figures). pytest-django's serialized rollback does not restore it when the live
    server is in use, so the migrations' own loaders run again (they are idempotent)."""
    import importlib

    from django.apps import apps

    for module in (
        "amelio.standards.migrations.0002_load_iso9001_2015",
        "amelio.standards.migrations.0004_load_qualiopi",
        "amelio.internships.migrations.0002_legal_figures",
        "amelio.internships.migrations.0003_company_tutor_quota",
    ):
        importlib.import_module(module).load(apps, None)

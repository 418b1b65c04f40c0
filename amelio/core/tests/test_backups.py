"""`manage.py backup` and `restore`: real round trips on a SQLite database file and on a
PostgreSQL database of their own, with a file store, each in a process of its own (the tests'
own database is not the one backed up)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tarfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

SCRIPT = r"""
import io, sys
from pathlib import Path
import django
django.setup()
from django.apps import apps
from django.core.management import call_command
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

call_command("migrate", verbosity=0)
call_command(
    "setup_school", name="École", uai="0750736T", year="2026-2027:2026-09-01:2027-08-31",
    department=["GC:Génie Civil"], programme=["GC-ING:Ingénieur GC:GC"],
    quality_manager="q@ecole.fr:Quentin:Martin", stdout=io.StringIO(),
)
from amelio.organisation.models import Person, School
from amelio.organisation.selectors import school_logo
from amelio.organisation.services import school_set_logo
buffer = io.BytesIO()
Image.new("RGB", (8, 8), (10, 20, 30)).save(buffer, format="PNG")
school_set_logo(actor=None, school=School.objects.get(), upload=SimpleUploadedFile("logo.png", buffer.getvalue()))
logo = school_logo(school=School.objects.get())
logo_path = Path(logo.file.path)
logo_bytes = logo_path.read_bytes()

def counts():
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}

before = counts()
out = io.StringIO()
call_command("backup", output=sys.argv[1], stdout=out)
archive = out.getvalue().strip()
# Everything changes after the backup: a record edited, a person added, the file gone.
School.objects.update(name="Autre")
Person.objects.create_user("nouveau@ecole.fr", first_name="N", last_name="P")
logo_path.unlink()
call_command("restore", archive, yes=True, stdout=io.StringIO())
assert counts() == before, "counts differ"
assert School.objects.get().name == "École"
assert not Person.objects.filter(email="nouveau@ecole.fr").exists()
assert logo_path.read_bytes() == logo_bytes
print("ARCHIVE", archive)
"""


def _environment(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'school.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }


def test_backup_and_restore_round_trip_on_sqlite(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path / "backups")],
        cwd=ROOT,
        env=_environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    archive = Path(result.stdout.split("ARCHIVE", 1)[1].strip())
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert names[0] == "manifest.json" and "database.dump" in names
    assert any(name.startswith("media/") for name in names)
    # A damaged archive is refused before anything is replaced.
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member)
            content = data.read() if data else b""
            if member.name == "database.dump":
                content = content[:-1] + bytes([content[-1] ^ 1])
            member.size = len(content)
            target.addfile(member, io.BytesIO(content))
    refused = subprocess.run(
        [sys.executable, "manage.py", "restore", str(damaged), "--yes"],
        cwd=ROOT,
        env=_environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert refused.returncode != 0
    assert "database.dump" in refused.stderr and "damaged" in refused.stderr
    without_yes = subprocess.run(
        [sys.executable, "manage.py", "restore", str(archive)],
        cwd=ROOT,
        env=_environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert without_yes.returncode != 0 and "--yes" in without_yes.stderr


DEMO_SCRIPT = r"""
import hashlib, io, sys
from pathlib import Path
import django
django.setup()
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection

call_command("migrate", verbosity=0)
call_command("load_demo", verbosity=0)
media = Path(settings.MEDIA_ROOT)

def state():
    models = [model for model in apps.get_models() if model._meta.managed and not model._meta.proxy]
    counts = {model._meta.label: model._default_manager.count() for model in models}
    # A sample of every table's records, field by field.
    sample = {model._meta.label: list(model._default_manager.order_by("pk").values()[:25]) for model in models}
    files = {
        str(path.relative_to(media)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(media.rglob("*")) if path.is_file()
    }
    return counts, sample, files

before = state()
assert before[2], "the demo stores files"
assert sum(before[0].values()) > 1000, "the demo holds records"
out = io.StringIO()
call_command("backup", output=sys.argv[1], stdout=out)
archive = out.getvalue().strip()
from amelio.organisation.models import Person, School
School.objects.update(name="Autre")
Person.objects.create_user("nouveau@ecole.fr", first_name="N", last_name="P")
next(path for path in media.rglob("*") if path.is_file()).unlink()
call_command("restore", archive, yes=True, stdout=io.StringIO())
connection.close()
after = state()
assert after[0] == before[0], "counts differ"
assert after[1] == before[1], "records differ"
assert after[2] == before[2], "files differ"
print("RECORDS", sum(after[0].values()), "FILES", len(after[2]))
"""


def _postgresql_database() -> Iterator[str]:
    """A database of its own on the machine's PostgreSQL, dropped afterwards."""
    import psycopg

    name = f"amelio_backup_{uuid.uuid4().hex[:8]}"
    admin = "postgres://postgres@127.0.0.1:5432/postgres"
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=5) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no PostgreSQL at 127.0.0.1:5432 ({error})")
    try:
        yield f"postgres://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.parametrize("vendor", ["sqlite", "postgresql"])
def test_the_demo_school_round_trips_through_a_backup(tmp_path: Path, vendor: str) -> None:
    databases = _postgresql_database() if vendor == "postgresql" else iter([f"sqlite:///{tmp_path / 'demo.sqlite3'}"])
    database = next(databases)
    try:
        result = subprocess.run(
            [sys.executable, "-c", DEMO_SCRIPT, str(tmp_path / "backups")],
            cwd=ROOT,
            env={**_environment(tmp_path), "DATABASE_URL": database},
            capture_output=True,
            text=True,
            timeout=900,
        )
    finally:
        next(databases, None)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "RECORDS" in result.stdout

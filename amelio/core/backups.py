"""One archive holds the whole of a school's Amelio: the database (SQLite copied through its
backup API, PostgreSQL dumped with pg_dump) and the file store (MEDIA_ROOT), with a manifest
giving each member's SHA-256, checked before anything is restored.

    manage.py backup [--output DIR]        -> DIR/amelio-YYYYmmdd-HHMMSS.tar.gz
    manage.py restore ARCHIVE --yes        (replaces the database and the files)
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections

MANIFEST = "manifest.json"
FORMAT_VERSION = 1


class BackupError(Exception):
    pass


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _database() -> dict[str, Any]:
    return dict(settings.DATABASES["default"])


def _vendor() -> str:
    engine = _database()["ENGINE"]
    if engine.endswith("sqlite3"):
        return "sqlite"
    if "postgresql" in engine:
        return "postgresql"
    raise BackupError(f"Backups know SQLite and PostgreSQL, not {engine}.")


def _pg_environment(database: dict[str, Any]) -> dict[str, str]:
    environment = dict(os.environ)
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if database.get(key):
            environment[variable] = str(database[key])
    return environment


def _dump_database(target: Path) -> str:
    database = _database()
    vendor = _vendor()
    if vendor == "sqlite":
        # The backup API copies a consistent state even while the worker writes (WAL).
        source = sqlite3.connect(str(database["NAME"]))
        copy = sqlite3.connect(str(target))
        with copy:
            source.backup(copy)
        copy.close()
        source.close()
    else:
        subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(target), database["NAME"]],
            check=True,
            env=_pg_environment(database),
            capture_output=True,
        )
    return vendor


def backup_create(*, output_dir: Path) -> Path:
    """Writes the archive and returns its path."""
    output_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S")
    archive = output_dir / f"amelio-{stamp}.tar.gz"
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as work:
        dump = Path(work) / "database.dump"
        vendor = _dump_database(dump)
        members: dict[str, str] = {"database.dump": _sha256(dump)}
        files = sorted(path for path in media_root.rglob("*") if path.is_file()) if media_root.exists() else []
        for path in files:
            members[f"media/{path.relative_to(media_root).as_posix()}"] = _sha256(path)
        manifest = {
            "format": FORMAT_VERSION,
            "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
            "database": vendor,
            "members": members,
        }
        with tarfile.open(archive, "w:gz") as tar:
            encoded = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(encoded)
            tar.addfile(info, io.BytesIO(encoded))
            tar.add(dump, arcname="database.dump")
            for path in files:
                tar.add(path, arcname=f"media/{path.relative_to(media_root).as_posix()}")
    return archive


def backup_check(*, archive: Path, into: Path) -> dict[str, Any]:
    """Extracts `archive` into `into` and checks every member against the manifest."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(into, filter="data")  # refuses absolute paths, "..", devices, links out
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"{archive} is not a readable backup: {error}") from error
    try:
        manifest = json.loads((into / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"{archive} has no readable manifest.") from error
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"{archive} was written in an unknown format.")
    extracted = {path.relative_to(into).as_posix() for path in into.rglob("*") if path.is_file()} - {MANIFEST}
    if extracted != set(manifest["members"]):
        raise BackupError(f"{archive} does not hold exactly the files its manifest lists.")
    for name, checksum in manifest["members"].items():
        if _sha256(into / name) != checksum:
            raise BackupError(f"{name} in {archive} is damaged (its checksum differs).")
    return dict(manifest)


def backup_restore(*, archive: Path) -> dict[str, Any]:
    """Replaces the database and the file store with the archive's, after checking it."""
    with tempfile.TemporaryDirectory() as work:
        root = Path(work)
        manifest = backup_check(archive=archive, into=root)
        vendor = _vendor()
        if manifest["database"] != vendor:
            raise BackupError(f"This backup is of a {manifest['database']} database; this site runs {vendor}.")
        database = _database()
        connections.close_all()
        if vendor == "sqlite":
            target = Path(database["NAME"])
            for suffix in ("-wal", "-shm"):
                Path(f"{target}{suffix}").unlink(missing_ok=True)
            restored = sqlite3.connect(str(root / "database.dump"))
            live = sqlite3.connect(str(target))
            with live:
                restored.backup(live)
            live.close()
            restored.close()
        else:
            subprocess.run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--no-privileges",
                    "--single-transaction",
                    "--dbname",
                    database["NAME"],
                    str(root / "database.dump"),
                ],
                check=True,
                env=_pg_environment(database),
                capture_output=True,
            )
        media_root = Path(settings.MEDIA_ROOT)
        if media_root.exists():
            shutil.rmtree(media_root)
        if (root / "media").exists():
            shutil.copytree(root / "media", media_root)
        else:
            media_root.mkdir(parents=True)
    return manifest

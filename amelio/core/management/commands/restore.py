"""`manage.py restore ARCHIVE --yes`: replaces the database and the files with a backup's,
after checking every checksum of the archive."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amelio.core.backups import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup` (replaces the database and the files)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive")
        parser.add_argument("--yes", action="store_true", help="Confirm: what is stored now is replaced.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["yes"]:
            raise CommandError("Restoring replaces the database and the files: add --yes to confirm.")
        try:
            manifest = backup_restore(archive=Path(options["archive"]))
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        except subprocess.CalledProcessError as error:
            raise CommandError(f"pg_restore failed: {error.stderr.decode(errors='replace')}") from error
        self.stdout.write(
            self.style.SUCCESS(f"Restored the backup of {manifest['created_at']} ({len(manifest['members'])} files).")
        )

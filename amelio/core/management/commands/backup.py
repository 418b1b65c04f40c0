"""`manage.py backup`: the database and the file store in one archive with checksums."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from amelio.core.backups import BackupError, backup_create


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into one .tar.gz archive."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", default=str(Path(settings.VAR_DIR) / "backups"), help="Directory to write to.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            archive = backup_create(output_dir=Path(options["output"]))
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        except subprocess.CalledProcessError as error:
            raise CommandError(f"pg_dump failed: {error.stderr.decode(errors='replace')}") from error
        self.stdout.write(self.style.SUCCESS(str(archive)))

"""`manage.py setup_school`: the first-run set-up for a scripted install, from a TOML or
JSON file (see amelio/organisation/setup.py for its shape) and/or options. All or nothing;
run again, it updates what changed and duplicates nothing."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from amelio.organisation.setup import school_setup


class Command(BaseCommand):
    help = "Set up the school (identity, first academic year, departments, programmes, quality manager)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", help="A TOML or JSON set-up file.")
        parser.add_argument("--name", help="The school's name.")
        parser.add_argument("--short-name", dest="short_name")
        parser.add_argument("--siret")
        parser.add_argument("--uai")
        parser.add_argument(
            "--year", help="The first academic year as LABEL:START:END, e.g. 2026-2027:2026-09-01:2027-08-31."
        )
        parser.add_argument("--department", action="append", default=[], help="CODE:Name (repeat for each department).")
        parser.add_argument(
            "--programme",
            action="append",
            default=[],
            help="CODE:Name:DEPARTMENT_CODE[:apprenticeship] (repeat for each programme).",
        )
        parser.add_argument("--quality-manager", dest="quality_manager", help="EMAIL:First name:Last name")
        parser.add_argument(
            "--quality-manager-password",
            dest="quality_manager_password",
            help="Their first password (else they set one through 'forgotten password').",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        spec = self.read_file(options["file"]) if options["file"] else {}
        self.merge_options(spec, options)
        if not spec:
            raise CommandError("Nothing to set up: give --file or options (see --help).")
        try:
            counts = school_setup(actor=None, spec=spec)
        except ValidationError as error:
            raise CommandError("; ".join(_messages(error))) from error
        except (KeyError, TypeError) as error:
            raise CommandError(f"The set-up description is incomplete or malformed: {error}") from error
        summary = ", ".join(f"{name}: {count}" for name, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"School set up ({summary} written)."))

    def read_file(self, name: str) -> dict[str, Any]:
        path = Path(name)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Cannot read {name}: {error}") from error
        try:
            data = json.loads(text) if path.suffix.lower() == ".json" else tomllib.loads(text)
        except (json.JSONDecodeError, tomllib.TOMLDecodeError) as error:
            raise CommandError(f"{name} is not valid {path.suffix.lstrip('.').upper() or 'TOML'}: {error}") from error
        if not isinstance(data, dict):
            raise CommandError(f"{name} must describe a table of sections.")
        return data

    def merge_options(self, spec: dict[str, Any], options: dict[str, Any]) -> None:
        school = {key: options[key] for key in ("name", "short_name", "siret", "uai") if options.get(key)}
        if school:
            spec["school"] = {**spec.get("school", {}), **school}
        if options.get("year"):
            parts = options["year"].split(":")
            if len(parts) != 3:
                raise CommandError("--year is LABEL:START:END, e.g. 2026-2027:2026-09-01:2027-08-31.")
            spec["academic_year"] = dict(zip(("label", "starts_on", "ends_on"), parts, strict=True))
        for value in options["department"]:
            code, _, name = value.partition(":")
            if not name:
                raise CommandError(f"--department {value!r}: write CODE:Name.")
            spec.setdefault("departments", []).append({"code": code, "name": name})
        for value in options["programme"]:
            parts = value.split(":")
            if len(parts) < 3:
                raise CommandError(f"--programme {value!r}: write CODE:Name:DEPARTMENT_CODE[:apprenticeship].")
            spec.setdefault("programmes", []).append(
                {"code": parts[0], "name": parts[1], "department": parts[2], "apprenticeship": len(parts) > 3}
            )
        if options.get("quality_manager"):
            parts = options["quality_manager"].split(":")
            if len(parts) != 3:
                raise CommandError("--quality-manager is EMAIL:First name:Last name.")
            spec["quality_manager"] = {
                "email": parts[0],
                "first_name": parts[1],
                "last_name": parts[2],
                "password": options.get("quality_manager_password") or "",
            }


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [f"{field}: {message}" for field, messages in error.message_dict.items() for message in messages]
    return list(error.messages)

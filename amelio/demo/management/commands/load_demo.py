"""`manage.py load_demo [--if-empty] [--scale N] [--seed N]`: builds the demo school."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from amelio.demo.school import DEMO_PASSWORD, SUMMARY_LABELS, build_demo_school
from amelio.organisation.models import Department


class Command(BaseCommand):
    help = "Builds a demo engineering school (departments, people, roles, process map, context) in an empty database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (and succeed) when the database already holds departments.",
        )
        parser.add_argument("--scale", type=int, default=1, help="Build N times more people and processes.")
        parser.add_argument("--seed", type=int, default=2026, help="Seed of the random draws (same seed, same school).")

    def handle(self, *args: Any, **options: Any) -> None:
        if Department.objects.exists():
            if options["if_empty"]:
                self.stdout.write(_("The database already holds a school: the demo is not loaded."))
                return
            raise CommandError(
                _("The database already holds departments; the demo school is built only in an empty one.")
            )
        if options["scale"] < 1:
            raise CommandError(_("The scale must be 1 or more."))
        self.stdout.write(_("Building the demo school…"))
        started = time.perf_counter()
        counts = build_demo_school(scale=options["scale"], seed=options["seed"], stdout=self.stdout)
        for key, count in counts.items():
            self.stdout.write(f"  {SUMMARY_LABELS[key]}: {count}")
        seconds = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(_("Demo school built in %(seconds).1f s.") % {"seconds": seconds}))
        self.stdout.write(
            _("The demo accounts sign in with the password %(password)s, everyone else has no usable password;")
            % {"password": DEMO_PASSWORD}
        )
        self.stdout.write(_("`manage.py demo_logins` lists the accounts."))

"""`manage.py sync_directory`: people and roles from the school's LDAP directory, read only
(settings LDAP_*; see amelio/organisation/directory.py). All or nothing; `--dry-run` shows
what would change and writes nothing."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from amelio.organisation.directory import DEFAULT_ATTRIBUTES, directory_sync, parse_group_roles, read_ldap


class Command(BaseCommand):
    help = "Synchronise people and roles from the school's LDAP directory (read only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Report what would change; write nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.LDAP_SERVER_URI or not settings.LDAP_PEOPLE_BASE:
            raise CommandError("Set LDAP_SERVER_URI and LDAP_PEOPLE_BASE (and LDAP_BIND_DN/PASSWORD) first.")
        try:
            groups = parse_group_roles(settings.LDAP_GROUP_ROLES)
        except ValidationError as error:
            raise CommandError(f"LDAP_GROUP_ROLES: {'; '.join(error.messages)}") from error
        import ldap3.core.exceptions

        try:
            entries = read_ldap(
                server_uri=settings.LDAP_SERVER_URI,
                bind_dn=settings.LDAP_BIND_DN,
                bind_password=settings.LDAP_BIND_PASSWORD,
                people_base=settings.LDAP_PEOPLE_BASE,
                people_filter=settings.LDAP_PEOPLE_FILTER,
                attributes={**DEFAULT_ATTRIBUTES, **settings.LDAP_ATTRIBUTES},
                groups=groups,
            )
        except ldap3.core.exceptions.LDAPException as error:
            raise CommandError(f"The directory could not be read: {error}") from error
        report = directory_sync(actor=None, entries=entries, groups=groups, commit=not options["dry_run"])
        for dn, message in report.errors:
            self.stderr.write(f"{dn}: {message}")
        if report.errors:
            raise CommandError(f"{len(report.errors)} entries refused: nothing was written.")
        prefix = "Would write" if options["dry_run"] else "Synchronised"
        self.stdout.write(self.style.SUCCESS(f"{prefix} {len(entries)} directory entries ({report.summary()})."))

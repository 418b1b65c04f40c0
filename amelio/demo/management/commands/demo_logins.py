"""`manage.py demo_logins`: the demo accounts, their roles and password."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from amelio.demo.school import DEMO_LOGINS, DEMO_PASSWORD
from amelio.organisation.models import Person


class Command(BaseCommand):
    help = "Lists the demo accounts (email, role, password)."

    def handle(self, *args: Any, **options: Any) -> None:
        present = set(
            Person.objects.filter(email__in=[login.email for login in DEMO_LOGINS], is_active=True).values_list(
                "email", flat=True
            )
        )
        if not present:
            self.stdout.write(_("No demo account in this database (`manage.py load_demo` builds the demo school)."))
            return
        header = (_("Email"), _("Role"), _("Password"))
        rows = [(login.email, str(login.role), DEMO_PASSWORD) for login in DEMO_LOGINS if login.email in present]
        widths = [max(len(str(row[column])) for row in [header, *rows]) for column in range(3)]
        self.stdout.write(self.style.SUCCESS(_("Demo accounts")))
        for index, row in enumerate([header, *rows]):
            self.stdout.write(
                "  ".join(str(value).ljust(width) for value, width in zip(row, widths, strict=True)).rstrip()
            )
            if index == 0:
                self.stdout.write("  ".join("-" * width for width in widths))
        self.stdout.write(_("Everyone else in the demo has no usable password."))

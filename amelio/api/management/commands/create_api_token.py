"""`manage.py create_api_token EMAIL`: a personal API token for a script set up by an
administrator, made by the same service as the person's token page; the key is printed once."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from amelio.api.choices import TokenScope
from amelio.api.services import api_token_create


class Command(BaseCommand):
    help = "Make a personal API token for a person (the key is printed once; only its hash is stored)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--name", default="Made by create_api_token")
        parser.add_argument("--scope", choices=TokenScope.values, default=TokenScope.READ)
        parser.add_argument("--days", type=int, default=30, help="How many days the token is valid.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            owner = get_user_model().objects.get(email__iexact=options["email"])
        except get_user_model().DoesNotExist as error:
            raise CommandError(f"Nobody has the email {options['email']}.") from error
        try:
            token, key = api_token_create(
                owner=owner, name=options["name"], scope=options["scope"], valid_days=options["days"]
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(key)
        self.stderr.write(f"{token.get_scope_display()} token, expires {token.expires_at:%Y-%m-%d %H:%M} UTC.")

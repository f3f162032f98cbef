from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kintsugi.accounts.models import ApiToken, User


class Command(BaseCommand):
    help = "Create an API token for a staff user and print it once (it is stored hashed)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="A label to recognise the token by.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = User.objects.get(username=options["username"])
        except User.DoesNotExist:
            raise CommandError(f"No user called {options['username']!r}.") from None
        if user.organisation_id is None:
            raise CommandError(f"{user.username} belongs to no organisation; API tokens act for one.")
        token, raw = ApiToken.issue(user, name=options["name"])
        self.stdout.write(raw)
        self.stderr.write(f"Token {token.prefix}… for {user.username} ({user.role}). It will not be shown again.")
